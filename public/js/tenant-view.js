/* Detailed tenant view (DOMAIN.md §5.6): keyboard tabs, focus after a tab switch, unsaved-edit guard, row toggles.
   No inline scripts anywhere (the CSP forbids them). */
(function () {
  'use strict';

  // Tabs follow the WAI-ARIA tabs pattern with manual activation: one tab of a row is in the Tab order;
  // Left/Right (and Home/End) move focus along the row, Enter or Space opens the focused tab (its own URL).
  function rove(root) {
    (root || document).querySelectorAll('[role="tablist"]').forEach(function (list) {
      var tabs = list.querySelectorAll('[role="tab"]');
      var selected = list.querySelector('[role="tab"][aria-selected="true"]') || tabs[0];
      tabs.forEach(function (tab) {
        tab.setAttribute('tabindex', tab === selected ? '0' : '-1');
      });
    });
  }
  window.ftopReady(function () {
    rove(document);
  });
  document.addEventListener('htmx:load', function (event) {
    rove(event.detail.elt.parentElement || document);
  });

  document.addEventListener('keydown', function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    if (!tab) return;
    var tabs = Array.prototype.slice.call(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
    var i = tabs.indexOf(tab);
    var next = null;
    if (event.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (event.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (event.key === 'Home') next = tabs[0];
    else if (event.key === 'End') next = tabs[tabs.length - 1];
    else if (event.key === ' ') {
      event.preventDefault();
      tab.click();
      return;
    }
    if (!next) return;
    event.preventDefault();
    tabs.forEach(function (t) {
      t.setAttribute('tabindex', t === next ? '0' : '-1');
    });
    next.focus();
  });

  // A tab switch replaces the whole view: ask before discarding unsaved edits, and put focus back on the
  // tab the user chose once the new view is in place.
  var chosen = null;
  document.addEventListener('htmx:beforeRequest', function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.matches || !elt.matches('[data-view-tab]')) return;
    var view = document.getElementById('tenant-view');
    var dirty = window.ftopHasUnsavedChanges && view && window.ftopHasUnsavedChanges(view);
    if (dirty && !window.confirm('You have unsaved changes. Discard them?')) {
      event.preventDefault();
      return;
    }
    chosen = elt.getAttribute('data-view-tab');
  });
  document.addEventListener('htmx:afterSettle', function () {
    if (!chosen) return;
    var tab = document.querySelector('[data-view-tab="' + chosen + '"]');
    chosen = null;
    if (tab) tab.focus();
  });

  // Services tab: a service row opens to its L1 breakdown. Without JavaScript the link reloads the tab
  // with that row open; here it only shows or hides the row below.
  function toggle(link) {
    var row = document.getElementById(link.getAttribute('aria-controls'));
    if (!row) return;
    var open = link.getAttribute('aria-expanded') !== 'true';
    link.setAttribute('aria-expanded', open ? 'true' : 'false');
    row.hidden = !open;
  }
  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-expand]');
    if (!link) return;
    event.preventDefault();
    toggle(link);
  });
  document.addEventListener('keydown', function (event) {
    var link = event.target.closest && event.target.closest('a[data-expand]');
    if (!link || event.key !== ' ') return;
    event.preventDefault();
    toggle(link);
  });
})();
