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
