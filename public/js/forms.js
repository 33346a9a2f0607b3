/* Editing forms (the Edit Tenant dialog and page, Edit Assignments, the tenant view, the Notes Library): running
   totals, forecast autosave, save outcomes, the unsaved-edits guard and the Data Migration question. Pages with
   forms link it; the FRP list loads it with its first dialog (src/http/page-assets.ts). No inline scripts (the CSP
   forbids them). */

/* Live running totals under the entitlement status grid and the migration lines (V-26, V-41): the
   server recomputes them on every re-render; this keeps them current while the user types. */
(function () {
  'use strict';
  function sum(inputs) {
    var total = 0;
    inputs.forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (!isNaN(n)) total += n;
    });
    return total;
  }
  function update(form) {
    var rows = form.querySelector('[data-total="statuses"]');
    if (rows)
      rows.textContent =
        sum(form.querySelectorAll('input[name$="[entitlements]"][name^="statuses"]')) +
        ' of ' +
        rows.getAttribute('data-of');
    var lines = document.querySelector('[data-total="migration_lines"]');
    if (!lines) return;
    var basis = lines.getAttribute('data-of');
    if (lines.getAttribute('data-basis') === 'in_progress') {
      basis = 0;
      form.querySelectorAll('select[name$="[l1]"]').forEach(function (select) {
        if (select.value !== 'In Progress') return;
        var input = form.querySelector('input[name="' + select.name.replace('[l1]', '[entitlements]') + '"]');
        basis += input ? parseInt(input.value, 10) || 0 : 0;
      });
    }
    lines.textContent =
      sum(document.querySelectorAll('input[name$="[entitlements]"][name^="migration_lines"]')) + ' of ' + basis;
  }
  document.addEventListener('input', function (event) {
    var field = event.target;
    if (!field.name || !/\[entitlements\]$/.test(field.name)) return;
    var form = field.form || field.closest('form');
    if (form) update(form);
  });
  document.addEventListener('change', function (event) {
    var field = event.target;
    if (field.name && /\[l1\]$/.test(field.name) && field.form) update(field.form);
  });
})();

/* Forecast dates save themselves (DOMAIN.md §5.4 B2) only with a complete value, when the user leaves the
   field or presses Enter: a date typed digit by digit (0002-…, 0020-…, 0202-…) is never posted, and a
   half-typed date (the browser reports badInput, value '') never clears the stored one. An emptied field
   is posted on purpose (it clears an optional date). htmx posts on the `forecast:commit` event. */
(function () {
  'use strict';
  function commit(input) {
    if (input.validity && input.validity.badInput) return;
    var unchanged = input.value === (input.getAttribute('data-stored') || '');
    if (unchanged && input.getAttribute('aria-invalid') !== 'true') return;
    if (window.htmx) window.htmx.trigger(input, 'forecast:commit');
  }
  document.addEventListener('focusout', function (event) {
    var input = event.target;
    if (input.matches && input.matches('input[data-autosave]')) commit(input);
  });
  document.addEventListener('keydown', function (event) {
    var input = event.target;
    if (event.key !== 'Enter' || !input.matches || !input.matches('input[data-autosave]')) return;
    event.preventDefault();
    commit(input);
  });
})();

/* After a save the outcome is in view, announced (role=status/alert in the markup) and focused: the server
   marks it data-outcome (success line, 422 summary, 409 conflict). A summary link focuses its field. */
(function () {
  'use strict';
  function showOutcome() {
    var outcome = document.querySelector('[data-outcome]:not([data-outcome-shown])');
    if (!outcome) return;
    outcome.setAttribute('data-outcome-shown', '');
    outcome.scrollIntoView({ block: 'nearest' });
    outcome.focus({ preventScroll: true });
  }
  document.addEventListener('htmx:afterSettle', showOutcome);
  window.ftopReady(showOutcome);

  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-field-link]');
    if (!link) return;
    var scope = link.closest('section, form, dialog') || document;
    var name = link.getAttribute('data-field-link');
    var field = Array.prototype.find.call(document.getElementsByName(name), function (el) {
      return !el.disabled && el.type !== 'hidden';
    });
    if (!field || !scope) return;
    event.preventDefault();
    field.scrollIntoView({ block: 'center' });
    field.focus();
  });
})();

/* Unsaved edits are not lost silently (DOMAIN.md §5.4 "discard changes?"): a form marked data-guard is
   dirty when a field differs from what the server rendered, or when it or a part of it is marked
   data-unsaved (a refused or stale save shows the user's values; a grid row changed by Suggest). Switching a dialog tab, closing the dialog (Esc or
   ✕) and leaving the page ask first. */
(function () {
  'use strict';
  function changed(el) {
    if (el.disabled || !el.name || el.type === 'hidden' || el.type === 'submit' || el.type === 'button') return false;
    if (el.type === 'checkbox' || el.type === 'radio') return el.checked !== el.defaultChecked;
    if (el.tagName === 'SELECT') {
      if (el.multiple)
        return Array.prototype.some.call(el.options, function (o) {
          return o.selected !== o.defaultSelected;
        });
      // With no option marked selected, a single select starts on its first option.
      var initial = Array.prototype.findIndex.call(el.options, function (o) {
        return o.defaultSelected;
      });
      return el.selectedIndex !== Math.max(initial, 0);
    }
    return el.value !== el.defaultValue;
  }
  function dirty(root) {
    return Array.prototype.some.call((root || document).querySelectorAll('form[data-guard]'), function (form) {
      return (
        form.hasAttribute('data-unsaved') ||
        !!form.querySelector('[data-unsaved]') ||
        Array.prototype.some.call(form.elements, changed)
      );
    });
  }
  var MESSAGE = 'You have unsaved changes. Discard them?';
  window.ftopHasUnsavedChanges = dirty;

  // A tab or link that swaps the dialog's panel replaces the forms in it.
  document.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail.elt;
    var target = event.detail.target;
    if (!elt || !target || !elt.matches('[data-tab], [data-reload]')) return;
    if (dirty(target) && !window.confirm(MESSAGE)) event.preventDefault();
  });

  // Esc fires `cancel` on a modal dialog; the ✕ and Cancel buttons are [data-close-dialog].
  document.addEventListener(
    'cancel',
    function (event) {
      if (event.target.tagName === 'DIALOG' && dirty(event.target) && !window.confirm(MESSAGE)) event.preventDefault();
    },
    true,
  );
  document.addEventListener(
    'click',
    function (event) {
      var closer = event.target.closest('[data-close-dialog]');
      var dialog = closer && closer.closest('dialog');
      if (dialog && dirty(dialog) && !window.confirm(MESSAGE)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  // A plain form post (no htmx) navigates on purpose; htmx posts are prevented by htmx itself.
  var submitting = false;
  document.addEventListener('submit', function (event) {
    if (!event.defaultPrevented) submitting = true;
  });
  window.addEventListener('beforeunload', function (event) {
    if (submitting || !dirty(document)) return;
    event.preventDefault();
    event.returnValue = '';
  });
})();

/* Data Migration (V-42): answering "No" drops the service's migration lines on save, so with lines on the
   page it asks first; declining keeps "Yes" and sends nothing. */
(function () {
  'use strict';
  document.addEventListener(
    'change',
    function (event) {
      var radio = event.target;
      if (radio.name !== 'ms_performing_migration' || radio.value !== 'no' || !radio.checked) return;
      var fieldset = radio.closest('fieldset');
      var lines = fieldset ? fieldset.querySelectorAll('tr[data-line]').length : 0;
      if (lines === 0) return;
      var question =
        'Choosing No removes the ' +
        (lines === 1 ? 'migration line' : lines + ' migration lines') +
        ' of this service when you save. Continue?';
      if (window.confirm(question)) return;
      event.stopImmediatePropagation();
      radio.checked = false;
      var yes = fieldset.querySelector('input[name="ms_performing_migration"][value="yes"]');
      if (yes) yes.checked = true;
    },
    true,
  );
})();
