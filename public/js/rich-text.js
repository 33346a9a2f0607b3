/* Rich-text note bodies (DOMAIN.md §4.8; docs/decisions.md 67 and 80): the Notes Editor, the Engagement
   Management note of the Edit Tenant dialog and the Status tab. One init for all of them, run on page load
   and on every htmx swap (htmx:load), so a form swapped into a dialog gets the editor too. Quill is served
   locally and loaded on first use where the page did not load it. No inline scripts (the CSP forbids them). */
(function () {
  'use strict';
  var SCRIPT = '/vendor/quill.js';
  var STYLE = '/vendor/quill.snow.css';
  var waiting = null;

  function withQuill(done) {
    if (window.Quill) return done();
    if (waiting) return waiting.push(done);
    waiting = [done];
    if (!document.querySelector('link[href="' + STYLE + '"]')) {
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = STYLE;
      document.head.appendChild(link);
    }
    var script = document.createElement('script');
    script.src = SCRIPT;
    script.onload = function () {
      var queue = waiting;
      waiting = null;
      queue.forEach(function (fn) {
        fn();
      });
    };
    script.onerror = function () {
      waiting = null; // the textareas stay plain text (format `text`)
    };
    document.head.appendChild(script);
  }

  var NAMES = {
    bold: 'Bold',
    italic: 'Italic',
    underline: 'Underline',
    link: 'Link',
    blockquote: 'Quote',
    clean: 'Clear formatting',
  };

  // The textarea stays the form field: the editor writes its HTML into it on every change and the format
  // field says `html`; the server sanitises it with the §4.8 allow-list. The server always renders readable
  // text (format `text`) and the HTML to restore in data-rich-html (views/partials/_rich_text.ejs).
  function richText(area) {
    if (area.dataset.richReady || !area.isConnected) return;
    area.dataset.richReady = '1';
    var field = area.parentNode;
    var format = area.form.querySelector('[data-body-format]');
    var pristine = area.value === area.defaultValue;
    var host = document.createElement('div');
    host.className = 'rich-text-host';
    field.insertBefore(host, area.nextSibling);
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
    var html = area.getAttribute('data-rich-html');
    if (html) quill.clipboard.dangerouslyPasteHTML(html);
    else if (format.value === 'html') quill.clipboard.dangerouslyPasteHTML(area.value);
    else quill.setText(area.value);
    // Quill's toolbar buttons carry only icons: give each an accessible name.
    quill
      .getModule('toolbar')
      .container.querySelectorAll('button')
      .forEach(function (button) {
        var kind = (button.className.match(/ql-(\w+)/) || [])[1];
        var label = kind === 'list' ? (button.value === 'bullet' ? 'Bulleted list' : 'Numbered list') : NAMES[kind];
        if (label) button.setAttribute('aria-label', label);
      });
    var label = document.querySelector('label[for="' + area.id + '"]');
    var editable = host.querySelector('.ql-editor');
    editable.setAttribute('role', 'textbox');
    editable.setAttribute('aria-multiline', 'true');
    editable.setAttribute('aria-label', label ? label.textContent.trim() : 'Note');
    editable.setAttribute('aria-describedby', area.getAttribute('aria-describedby') || '');
    if (area.getAttribute('aria-invalid')) editable.setAttribute('aria-invalid', 'true');
    if (label)
      label.addEventListener('click', function () {
        quill.focus();
      });
    field.querySelectorAll('[data-plain-only]').forEach(function (el) {
      el.hidden = true;
    });
    area.hidden = true;
    format.value = 'html';
    function sync() {
      // getSemanticHTML writes every space as &nbsp; (Quill 2), which would stop long lines from wrapping.
      area.value = quill.getText().trim() ? quill.getSemanticHTML().replace(/&nbsp;/g, ' ') : '';
    }
    sync();
    // The unsaved-edit guard (app.js) compares a field with its default: the editor's own rendering of what
    // the server sent is the starting point, so only typing makes the form dirty.
    if (pristine) area.defaultValue = area.value;
    quill.on('text-change', function () {
      sync();
      area.dispatchEvent(new window.Event('input', { bubbles: true }));
    });
    area.richText = {
      setText: function (text) {
        quill.setText(text);
      },
      focus: function () {
        quill.focus();
      },
    };
    area.dispatchEvent(new window.CustomEvent('richtext:ready', { bubbles: true }));
  }

  function init(root) {
    var areas = [];
    if (root.matches && root.matches('textarea[data-rich-text]')) areas.push(root);
    if (root.querySelectorAll) areas = areas.concat([].slice.call(root.querySelectorAll('textarea[data-rich-text]')));
    areas = areas.filter(function (area) {
      return !area.disabled && !area.dataset.richReady;
    });
    if (areas.length)
      withQuill(function () {
        areas.forEach(richText);
      });
  }
  window.ftopReady(function () {
    init(document);
  });
  document.addEventListener('htmx:load', function (event) {
    init(event.detail.elt);
  });
})();
