/* Notes Library (DOMAIN.md §5.12). No inline scripts anywhere (the CSP forbids them). */
(function () {
  'use strict';

  // "Search Services and Tenants": narrows the Tenant Name and Service Name facets to the labels that
  // contain what is typed. It only shows and hides boxes, so it must not submit the facet form.
  function filterFacets(input) {
    var needle = input.value.trim().toLowerCase();
    document.querySelectorAll(input.getAttribute('data-facet-filter')).forEach(function (set) {
      set.querySelectorAll('label[data-facet-label]').forEach(function (label) {
        var box = label.querySelector('input');
        label.hidden =
          needle !== '' && !(box && box.checked) && label.getAttribute('data-facet-label').indexOf(needle) < 0;
      });
    });
  }
  document.addEventListener('input', function (event) {
    if (event.target.matches && event.target.matches('[data-facet-filter]')) filterFacets(event.target);
  });
  document.addEventListener(
    'change',
    function (event) {
      if (event.target.matches && event.target.matches('[data-facet-filter]')) event.stopPropagation();
    },
    true,
  );
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && event.target.matches && event.target.matches('[data-facet-filter]')) {
      event.preventDefault();
    }
  });

  // Notes Editor (DOMAIN.md §5.12.1).
  // The tenant picker loads the editor for the chosen tenant (its services and owners) as soon as one is chosen.
  document.addEventListener('change', function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute('data-autosubmit') && event.target.value) form.requestSubmit();
  });

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
    body.focus();
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
  function autosave(form, leaving) {
    if (form.dataset.submitting || !hasText(form)) return;
    var data = new window.URLSearchParams(new window.FormData(form));
    var token = document.querySelector('meta[name="csrf-token"]');
    var status = form.querySelector('[data-autosave-status]');
    window
      .fetch(form.getAttribute('data-autosave'), {
        method: 'POST',
        body: data,
        credentials: 'same-origin',
        keepalive: Boolean(leaving),
        headers: { Accept: 'application/json', 'X-CSRF-Token': token ? token.content : '' },
      })
      .then(function (res) {
        return res.json().then(function (body) {
          if (res.ok && body.draftId) {
            form.querySelector('[data-draft-id]').value = String(body.draftId);
            if (status) status.textContent = 'Draft kept automatically at ' + new Date().toLocaleTimeString() + '.';
          } else if (status && body.errors) {
            status.textContent = 'Not kept as a draft: ' + Object.values(body.errors).join(' ');
          }
        });
      })
      .catch(function () {
        /* offline: the next change tries again */
      });
  }
  var timer = null;
  document.addEventListener('input', function (event) {
    var form = event.target.closest && event.target.closest('form[data-autosave]');
    if (!form || timer) return;
    timer = window.setTimeout(function () {
      timer = null;
      autosave(form, false);
    }, AUTOSAVE_MS);
  });
  document.addEventListener('submit', function (event) {
    if (event.target.matches && event.target.matches('form[data-autosave]')) event.target.dataset.submitting = '1';
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState !== 'hidden') return;
    document.querySelectorAll('form[data-autosave]').forEach(function (form) {
      autosave(form, true);
    });
  });

  // The rich-text body (Quill, served locally; docs/decisions.md). The textarea stays the form field: the
  // editor writes its HTML into it on every change and marks the body as HTML; the server sanitises it
  // with the §4.8 allow-list. Without the library the textarea is used as plain text.
  function richText(area) {
    if (!window.Quill || area.dataset.richReady) return;
    area.dataset.richReady = '1';
    var form = area.form;
    var format = form.querySelector('[data-body-format]');
    var host = document.createElement('div');
    host.className = 'rich-text-host';
    area.parentNode.insertBefore(host, area.nextSibling);
    var quill = new window.Quill(host, {
      theme: 'snow',
      formats: ['bold', 'italic', 'underline', 'list', 'link', 'blockquote'],
      modules: {
        toolbar: [
          ['bold', 'italic', 'underline'],
          [{ list: 'bullet' }, { list: 'ordered' }],
          ['link', 'blockquote'],
          ['clean'],
        ],
      },
    });
    if (format.value === 'html') quill.clipboard.dangerouslyPasteHTML(area.value);
    else quill.setText(area.value);
    // Quill's toolbar buttons carry only icons: give each an accessible name.
    var names = {
      bold: 'Bold',
      italic: 'Italic',
      underline: 'Underline',
      link: 'Link',
      blockquote: 'Quote',
      clean: 'Clear formatting',
    };
    form.querySelectorAll('.ql-toolbar button').forEach(function (button) {
      var kind = (button.className.match(/ql-(\w+)/) || [])[1];
      var label = kind === 'list' ? (button.value === 'bullet' ? 'Bulleted list' : 'Numbered list') : names[kind];
      if (label) button.setAttribute('aria-label', label);
    });
    var editable = host.querySelector('.ql-editor');
    editable.setAttribute('role', 'textbox');
    editable.setAttribute('aria-multiline', 'true');
    editable.setAttribute('aria-label', 'Note');
    editable.setAttribute('aria-describedby', area.getAttribute('aria-describedby') || '');
    if (area.getAttribute('aria-invalid')) editable.setAttribute('aria-invalid', 'true');
    document.querySelector('label[for="' + area.id + '"]').addEventListener('click', function () {
      quill.focus();
    });
    area.hidden = true;
    format.value = 'html';
    var sync = function () {
      // getSemanticHTML writes every space as &nbsp; (Quill 2), which would stop long lines from wrapping.
      area.value = quill.getText().trim() ? quill.getSemanticHTML().replace(/&nbsp;/g, ' ') : '';
      area.dispatchEvent(new window.Event('input', { bubbles: true }));
    };
    sync();
    quill.on('text-change', sync);
    area.richText = {
      setText: function (text) {
        quill.setText(text);
      },
    };
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('textarea[data-rich-text]').forEach(richText);
  });
})();
