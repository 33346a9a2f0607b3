/* Leaving the Notes Editor (DOMAIN.md §5.12.1: "navigating away from a non-empty editor offers to keep it
   as a draft"; docs/decisions.md 83). A link that would leave an editor the user has typed in opens the
   page's <dialog data-leave-dialog>: Keep as draft saves through the draft endpoint and goes on, Discard
   leaves the server as the page found it and goes on, Cancel stays. Closing the tab is covered by the
   autosave on page hide (notes.js). No inline scripts (the CSP forbids them). */
(function () {
  'use strict';
  var opened = new WeakMap(); // form → its fields as the page opened them (after the rich-text editor started)

  function snapshot(form) {
    if (!form.ftopEdited) opened.set(form, new window.URLSearchParams(new window.FormData(form)));
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-autosave]').forEach(snapshot);
  });
  document.addEventListener('richtext:ready', function (event) {
    var form = event.target.form;
    if (form && form.matches('form[data-autosave]')) snapshot(form);
  });

  function unsaved(form) {
    var body = form.querySelector('#note-body');
    var next = form.querySelector('#note-next-action');
    var text = (body && body.value.trim()) || (next && next.value.trim());
    return Boolean(form.ftopEdited && text && !form.dataset.submitting);
  }

  document.addEventListener('click', function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest('a[href]');
    if (!link || (link.target && link.target !== '_self') || link.hasAttribute('download')) return;
    if (link.closest('.rich-text-host, .ql-toolbar')) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    if (url.hash && url.pathname + url.search === window.location.pathname + window.location.search) return;
    var form = document.querySelector('form[data-autosave]');
    var dialog = document.querySelector('dialog[data-leave-dialog]');
    if (!form || !dialog || !unsaved(form)) return;
    event.preventDefault();
    dialog.ftopForm = form;
    dialog.ftopHref = url.href;
    dialog.querySelector('[data-leave-error]').hidden = true;
    window.ftopNotes.pause();
    dialog.showModal();
  });

  function post(url, body) {
    var token = document.querySelector('meta[name="csrf-token"]');
    return window.fetch(url, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { Accept: 'application/json', 'X-CSRF-Token': token ? token.content : '' },
    });
  }

  // Discard: a draft this page's autosave created is deleted; a restored draft that the autosave changed
  // gets the values it was restored with back. Either way the user leaves.
  function discard(form) {
    var before = opened.get(form);
    var id = form.querySelector('[data-draft-id]').value;
    if (!id || !form.ftopKept) return Promise.resolve(true);
    var request =
      before && before.get('draft_id')
        ? post(form.getAttribute('data-autosave'), before)
        : post('/notes/drafts/' + encodeURIComponent(id) + '/delete', new window.URLSearchParams());
    return request.then(
      function () {
        return true;
      },
      function () {
        return true;
      },
    );
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-leave]');
    var dialog = button && button.closest('dialog[data-leave-dialog]');
    if (!dialog) return;
    var choice = button.getAttribute('data-leave');
    if (choice === 'cancel') return dialog.close();
    var form = dialog.ftopForm;
    var buttons = dialog.querySelectorAll('button');
    buttons.forEach(function (b) {
      b.disabled = true;
    });
    window.ftopNotes
      .settled()
      .then(function () {
        return choice === 'keep' ? window.ftopNotes.keep(form) : discard(form);
      })
      .then(function (result) {
        if (result === true || (result && result.ok)) {
          form.dataset.submitting = '1'; // no autosave on the way out
          window.location.href = dialog.ftopHref;
          return;
        }
        var error = dialog.querySelector('[data-leave-error]');
        error.textContent =
          result && result.body && result.body.errors
            ? 'Not kept as a draft: ' + Object.values(result.body.errors).join(' ')
            : 'The draft could not be saved. Try again, or cancel and save the note.';
        error.hidden = false;
        buttons.forEach(function (b) {
          b.disabled = false;
        });
      });
  });
})();
