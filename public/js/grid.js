/* Entitlement Status grid: row editing (DOMAIN.md §5.4 B1). No inline scripts anywhere (the CSP forbids them).
   The server decides everything (Edit, Update, Add, Remove and Cancel are plain form posts); this file only helps:
   it hides and disables the fields the chosen L1 cannot have, moves focus into a row that opens, asks before
   Cancel drops typed changes, and takes a "blocked" row message's links to the section it names. */
(function () {
  'use strict';

  // V-24 / V-25: what each L1 allows, rendered by the server from the taxonomy's rule flags (the same flags the
  // save checks): e.g. no target date for No Intent, no owner for In Progress. Hidden fields are also disabled,
  // so they are not posted; the server rule still applies to whatever is posted.
  function applyL1(editor) {
    var grid = editor.closest('[data-l1-fields]');
    var select = editor.querySelector('select[name$="[l1]"]');
    if (!grid || !select) return;
    var rules;
    try {
      rules = JSON.parse(grid.getAttribute('data-l1-fields'));
    } catch {
      return;
    }
    var allowed = rules[select.value];
    editor.querySelectorAll('[data-l1-field]').forEach(function (wrap) {
      var ok = !allowed || allowed[wrap.getAttribute('data-l1-field')] !== false;
      wrap.hidden = !ok;
      wrap.querySelectorAll('input, select, textarea').forEach(function (field) {
        field.disabled = !ok;
      });
    });
  }

  function applyAll(root) {
    if (!root || !root.querySelectorAll) return;
    var own = root.closest && root.closest('.row-editor');
    if (own) applyL1(own);
    root.querySelectorAll('.row-editor').forEach(applyL1);
  }

  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!select.name || !/\[l1\]$/.test(select.name)) return;
    var editor = select.closest('.row-editor');
    if (editor) applyL1(editor);
  });
  // htmx:load fires for every piece of content htmx adds (the section after Edit, the selects after Suggest).
  document.addEventListener('htmx:load', function (event) {
    applyAll(event.target);
  });
  window.ftopReady(function () {
    applyAll(document.body);
  });

  // Focus: a row that opens (Edit, Add Entitlement Status, Remove) takes the focus to its first field.
  var opening = false;
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-grid-action]');
    if (button) opening = button.getAttribute('data-grid-action') !== 'commit';
  });
  document.addEventListener('htmx:afterSettle', function () {
    if (!opening) return;
    opening = false;
    var field = document.querySelector(
      '.row-editor textarea:not([disabled]), .row-remove select:not([disabled]), [data-row-blocked]',
    );
    if (!field) return;
    field.scrollIntoView({ block: 'nearest' });
    field.focus({ preventScroll: true });
  });

  // Cancel drops what was typed in the open row: ask first when the row differs from how it opened (its
  // selects are swapped by Suggest and by an L1 change, so the rendered defaults cannot tell), or when the
  // form holds values a refused save sent back.
  function snapshot(row) {
    return Array.prototype.map
      .call(row.querySelectorAll('input[name], select[name], textarea[name]'), function (field) {
        return field.name + '=' + field.value;
      })
      .join('&');
  }
  function remember(root) {
    if (!root || !root.querySelectorAll) return;
    var rows = Array.prototype.slice.call(root.querySelectorAll('.row-editor'));
    if (root.matches && root.matches('.row-editor')) rows.push(root);
    rows.forEach(function (row) {
      if (row.gridOpened === undefined) row.gridOpened = snapshot(row);
    });
  }
  document.addEventListener('htmx:load', function (event) {
    remember(event.target);
  });
  window.ftopReady(function () {
    remember(document.body);
  });
  document.addEventListener(
    'click',
    function (event) {
      var cancel = event.target.closest('button[data-grid-cancel]');
      var row = cancel && cancel.closest('.row-editor');
      if (!row) return;
      var changed = row.gridOpened !== undefined && snapshot(row) !== row.gridOpened;
      var refused = cancel.form && cancel.form.hasAttribute('data-unsaved');
      if ((changed || refused) && !window.confirm('Discard your changes to this row?')) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  // "Answer Data Migration / the Engagement Scenario": go to that section and put the focus on its first field.
  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-section-link]');
    if (!link) return;
    var target = document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    event.preventDefault();
    var field = target.matches('input, select, textarea')
      ? target
      : target.querySelector(
          'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])',
        );
    target.scrollIntoView({ block: 'start' });
    if (field) field.focus({ preventScroll: true });
  });
})();

/* Suggest swaps new L1/L2/L3 selects into the open row: what they now show is a change the user has not
   committed, so the row counts as unsaved for the tab and dialog prompts (public/js/app.js). */
(function () {
  'use strict';
  document.addEventListener('htmx:afterSwap', function (event) {
    // The Suggest button that asked stays in the row (only the selects are replaced).
    var from = event.detail && event.detail.elt;
    var editor = from && from.closest && from.closest('tr.row-editor');
    if (editor) editor.setAttribute('data-unsaved', '');
  });
})();
