/* FTOP Partner Portal — small helpers. No inline scripts anywhere (the CSP forbids them). */
(function () {
  'use strict';

  // FRP view: selecting a row (click outside its links/buttons, or Enter/Space) loads the Tenant Entitlements pane.
  function selectRow(row) {
    var table = row.closest('table');
    table.querySelectorAll('tr[aria-selected="true"]').forEach(function (r) {
      r.setAttribute('aria-selected', 'false');
    });
    row.setAttribute('aria-selected', 'true');
    if (window.htmx) {
      window.htmx.ajax('GET', row.getAttribute('data-pane-url'), { target: '#entitlements-pane', swap: 'innerHTML' });
    } else {
      window.location.href = row.getAttribute('data-pane-url');
    }
  }

  document.addEventListener('click', function (event) {
    var row = event.target.closest('tr[data-pane-url]');
    if (!row || event.target.closest('a, button, input, select, label')) return;
    selectRow(row);
  });

  document.addEventListener('keydown', function (event) {
    var row = event.target.closest && event.target.closest('tr[data-pane-url]');
    if (!row || event.target !== row) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      selectRow(row);
    } else if (event.key === 'ArrowDown' && row.nextElementSibling) {
      event.preventDefault();
      row.nextElementSibling.focus();
    } else if (event.key === 'ArrowUp' && row.previousElementSibling) {
      event.preventDefault();
      row.previousElementSibling.focus();
    }
  });

  // Maximize: the list takes the full height and the lower pane is hidden.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('#maximize');
    if (!button) return;
    var frp = document.getElementById('frp');
    var on = !frp.classList.contains('is-maximized');
    frp.classList.toggle('is-maximized', on);
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.textContent = on ? 'Restore' : 'Maximize';
  });

  // After the tenant list is swapped, keep the search box in step with the URL the server answered for
  // (e.g. "clear the search" links), without stealing focus from the user typing in it.
  document.addEventListener('htmx:afterSettle', function (event) {
    if (!event.detail.target || event.detail.target.id !== 'tenant-list') return;
    var q = document.getElementById('q');
    if (!q || document.activeElement === q) return;
    var url = new URL(event.detail.pathInfo.finalRequestPath || window.location.href, window.location.origin);
    q.value = url.searchParams.get('q') || '';
  });
})();

/* Guidance menu: collapsed by default; the choice is remembered in this browser. */
(function () {
  'use strict';
  var nav = document.getElementById('sidenav');
  var toggle = document.getElementById('sidenav-toggle');
  if (!nav || !toggle) return;
  function apply(expanded) {
    nav.classList.toggle('is-expanded', expanded);
    toggle.setAttribute('aria-expanded', expanded ? 'true' : 'false');
  }
  var stored;
  try {
    stored = window.localStorage.getItem('ftop.menu');
  } catch {
    stored = null;
  }
  apply(stored === 'expanded');
  toggle.addEventListener('click', function () {
    var expanded = !nav.classList.contains('is-expanded');
    apply(expanded);
    try {
      window.localStorage.setItem('ftop.menu', expanded ? 'expanded' : 'collapsed');
    } catch {
      /* storage unavailable: the menu still toggles for this page */
    }
  });
})();

/* Dialogs (STYLE.md › htmx dialog flow): a <dialog data-open> swapped into #dialog-root opens as a modal;
   Esc or a [data-close-dialog] button closes it; focus goes to its first field and back to the opener. */
(function () {
  'use strict';
  var opener = null;

  // The opener may be re-rendered while the dialog is open (the list refreshes after a save),
  // so it is found again by its hx-get when focus goes back.
  document.addEventListener('htmx:beforeRequest', function (event) {
    var target = event.detail.target;
    if (target && target.id === 'dialog-root') opener = event.detail.elt.getAttribute('hx-get');
  });

  document.addEventListener('htmx:afterSwap', function (event) {
    var target = event.detail.target;
    if (!target || target.id !== 'dialog-root') return;
    var dialog = target.querySelector('dialog[data-open]');
    if (!dialog) return;
    dialog.addEventListener('close', function () {
      target.innerHTML = '';
      var back = opener && document.querySelector('[hx-get="' + opener + '"]');
      if (back) back.focus();
      opener = null;
    });
    dialog.showModal();
    var first = dialog.querySelector(
      'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])',
    );
    if (first) first.focus();
  });

  document.addEventListener('click', function (event) {
    var closer = event.target.closest('[data-close-dialog]');
    if (!closer) return;
    var dialog = closer.closest('dialog');
    if (!dialog) return; // on the full page a Cancel link simply navigates
    event.preventDefault();
    dialog.close();
  });

  // Tabs inside a dialog: mark the chosen tab as current.
  document.addEventListener('click', function (event) {
    var tab = event.target.closest('[data-tab]');
    if (!tab) return;
    tab.parentElement.querySelectorAll('[data-tab]').forEach(function (t) {
      t.removeAttribute('aria-current');
    });
    tab.setAttribute('aria-current', 'page');
  });

  // The server announces `dialog:close` (HX-Trigger) when a dialog's work is done.
  document.body.addEventListener('dialog:close', function () {
    var dialog = document.querySelector('#dialog-root dialog[open]');
    if (dialog) dialog.close();
  });
})();

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
