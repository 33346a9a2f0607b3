/* Notes Library (DOMAIN.md §5.12). No inline scripts anywhere (the CSP forbids them). */
(function () {
  'use strict';

  // "Search Services and Tenants" (§5.12.4): a combobox (combobox.js) over GET /notes/search/options.
  // Typing must not run the search (the facet form searches on every change), and choosing an option adds
  // its filter to the current search: the facet box is ticked, or a hidden field added, and the form sent.
  document.addEventListener(
    'change',
    function (event) {
      if (event.target.matches && event.target.matches('[data-typeahead]')) event.stopPropagation();
    },
    true,
  );
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && event.target.matches && event.target.matches('[data-typeahead]')) {
      event.preventDefault();
    }
  });
  document.addEventListener('combobox:choose', function (event) {
    var input = event.target;
    if (!input.matches('[data-typeahead]')) return;
    var form = input.form;
    var option = event.detail.option;
    var name = option.getAttribute('data-name');
    var value = option.getAttribute('data-value');
    if (!form || !name || !value) return;
    event.preventDefault();
    var box = [].find.call(form.querySelectorAll('input[type="checkbox"][name="' + name + '"]'), function (el) {
      return el.value === value;
    });
    if (box) box.checked = true;
    else {
      var hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = name;
      hidden.value = value;
      form.appendChild(hidden);
    }
    input.removeAttribute('name'); // the term is not part of the search
    form.requestSubmit();
  });

  // Notes Editor (DOMAIN.md §5.12.1).
  // V-74: a template only for Engagement Management and Technical Enablement; it replaces the body, so a
  // body with text is only replaced after a confirmation.
  function syncEditor(editor) {
    var category = editor.querySelector('[data-note-category]').value;
    var select = editor.querySelector('[data-template-select]');
    var insert = editor.querySelector('[data-template-insert]');
    var match = false;
    Array.prototype.forEach.call(select.options, function (o) {
      o.disabled = o.value !== category;
      if (o.value === category) {
        select.value = o.value;
        match = true;
      }
    });
    select.disabled = !match;
    insert.disabled = !match;
    editor.querySelectorAll('[data-show-for]').forEach(function (el) {
      el.hidden = el.getAttribute('data-show-for') !== category;
    });
  }
  function counter(area) {
    var out = document.querySelector(area.getAttribute('data-counter'));
    if (out) out.textContent = area.value.length + ' of ' + area.maxLength + ' characters';
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-note-editor]').forEach(syncEditor);
  });
  document.addEventListener('change', function (event) {
    if (event.target.matches && event.target.matches('[data-note-category]')) syncEditor(event.target.form);
  });
  document.addEventListener('input', function (event) {
    if (event.target.matches && event.target.matches('[data-counter]')) counter(event.target);
  });
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-template-insert]');
    if (!button) return;
    var editor = button.form;
    var category = editor.querySelector('[data-note-category]').value;
    var tpl = editor.querySelector('template[data-template="' + category + '"]');
    var body = editor.querySelector('#note-body');
    if (!tpl) return;
    if (body.value.trim() && !window.confirm('Inserting the template replaces the text of this note. Continue?'))
      return;
    if (body.richText) body.richText.setText(tpl.content.textContent);
    else body.value = tpl.content.textContent;
    (body.richText || body).focus();
  });

  // Autosave (DOMAIN.md §5.12.2): a non-empty editor is kept as a draft on the server at most every few
  // seconds while typing, and once more when the page is hidden or left, so a session timeout or a closed
  // tab loses nothing. The first save creates the draft; later ones overwrite it (draft_id).
  var AUTOSAVE_MS = 4000;
  function hasText(form) {
    return ['#note-body', '#note-next-action'].some(function (sel) {
      var el = form.querySelector(sel);
      return el && el.value.trim() !== '';
    });
  }
  function postDraft(form, data, leaving) {
    var token = document.querySelector('meta[name="csrf-token"]');
    return window
      .fetch(form.getAttribute('data-autosave'), {
        method: 'POST',
        body: data,
        credentials: 'same-origin',
        keepalive: Boolean(leaving),
        headers: { Accept: 'application/json', 'X-CSRF-Token': token ? token.content : '' },
      })
      .then(function (res) {
        return res.json().then(function (body) {
          return { ok: res.ok && Boolean(body.draftId), body: body };
        });
      });
  }
  var pending = Promise.resolve(null);
  function autosave(form, leaving) {
    if (form.dataset.submitting || !hasText(form)) return pending;
    var status = form.querySelector('[data-autosave-status]');
    pending = postDraft(form, new window.URLSearchParams(new window.FormData(form)), leaving)
      .then(function (result) {
        if (result.ok) {
          form.querySelector('[data-draft-id]').value = String(result.body.draftId);
          form.ftopKept = true;
          if (status) status.textContent = 'Draft kept automatically at ' + new Date().toLocaleTimeString() + '.';
        } else if (status && result.body.errors) {
          status.textContent = 'Not kept as a draft: ' + Object.values(result.body.errors).join(' ');
        }
        return result;
      })
      .catch(function () {
        return null; // offline: the next change tries again
      });
    return pending;
  }
  var timer = null;
  document.addEventListener('change', function (event) {
    var form = event.target.closest && event.target.closest('form[data-autosave]');
    if (form) form.ftopEdited = true;
  });
  document.addEventListener('input', function (event) {
    var form = event.target.closest && event.target.closest('form[data-autosave]');
    if (form) form.ftopEdited = true;
    if (!form || timer) return;
    timer = window.setTimeout(function () {
      timer = null;
      autosave(form, false);
    }, AUTOSAVE_MS);
  });
  document.addEventListener('submit', function (event) {
    if (event.target.matches && event.target.matches('form[data-autosave]')) event.target.dataset.submitting = '1';
  });
  // For the leave dialog (notes-leave.js): stop the pending autosave, wait for one in flight, save now.
  window.ftopNotes = {
    pause: function () {
      window.clearTimeout(timer);
      timer = null;
    },
    settled: function () {
      return pending;
    },
    keep: function (form) {
      return autosave(form, false);
    },
  };
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState !== 'hidden') return;
    document.querySelectorAll('form[data-autosave]').forEach(function (form) {
      autosave(form, true);
    });
  });
})();
