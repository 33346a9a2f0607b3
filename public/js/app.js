/* FTOP Partner Portal — small helpers. No inline scripts anywhere (the CSP forbids them). */

/* What a dialog needs (src/http/page-assets.ts): the FRP list links only the shell's stylesheet and scripts, so
   a dialog names the others in data-css / data-js. Each is added once; the dialog opens when they have loaded,
   so it never shows unstyled. A script added this way starts on the content already in the page (ftopReady). */
(function () {
  'use strict';
  var parsed = false;
  document.addEventListener('DOMContentLoaded', function () {
    parsed = true;
  });
  // Runs `init` once the page is parsed: at DOMContentLoaded for the page's own scripts, at once for a later one.
  window.ftopReady = function (init) {
    if (parsed) init();
    else document.addEventListener('DOMContentLoaded', init);
  };

  var loads = {};
  function load(url, css) {
    if (!loads[url]) {
      loads[url] = new Promise(function (resolve) {
        if (document.querySelector(css ? 'link[href="' + url + '"]' : 'script[src="' + url + '"]')) return resolve();
        var el = document.createElement(css ? 'link' : 'script');
        if (css) {
          el.rel = 'stylesheet';
          el.href = url;
        } else {
          el.async = false; // in the listed order, like the page's own deferred scripts
          el.src = url;
        }
        // A file that fails to load leaves the dialog as plain HTML rather than never opening it.
        el.onload = el.onerror = function () {
          resolve();
        };
        document.head.appendChild(el);
      });
    }
    return loads[url];
  }
  function listed(elt, name) {
    return (elt.getAttribute(name) || '').split(' ').filter(Boolean);
  }
  window.ftopNeed = function (elt) {
    var css = listed(elt, 'data-css').map(function (url) {
      return load(url, true);
    });
    var js = listed(elt, 'data-js').map(function (url) {
      return load(url, false);
    });
    return Promise.all(css.concat(js));
  };
})();
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
      window.htmx
        .ajax('GET', row.getAttribute('data-pane-url'), { target: '#entitlements-pane', swap: 'innerHTML' })
        .then(function () {
          // On a phone the pane sits below the whole list: bring it into view.
          var pane = document.getElementById('entitlements-pane');
          if (pane && window.matchMedia('(max-width: 900px)').matches) pane.scrollIntoView({ block: 'start' });
        });
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
    window.ftopNeed(dialog).then(function () {
      if (!dialog.isConnected || dialog.open) return;
      dialog.showModal();
      var first = dialog.querySelector(
        'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])',
      );
      if (first) first.focus();
    });
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

  // Requests made inside a dialog show their errors (403, 404, 503) inside it: the page's #flash is under the
  // modal. The error handler retargets to #flash; a dialog with a [data-dialog-flash] region takes it instead.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var detail = event.detail;
    if (!detail.target || detail.target.id !== 'flash') return;
    var elt = detail.requestConfig && detail.requestConfig.elt;
    var dialog = elt && elt.closest && elt.closest('dialog');
    var region = dialog && dialog.querySelector('[data-dialog-flash]');
    if (!region) return;
    detail.target = region;
    detail.selectOverride = 'unset';
  });
  document.addEventListener('htmx:beforeRequest', function (event) {
    var dialog = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest('dialog');
    var region = dialog && dialog.querySelector('[data-dialog-flash]');
    if (region) region.innerHTML = '';
  });

  // The server announces `dialog:close` (HX-Trigger) when a dialog's work is done.
  document.body.addEventListener('dialog:close', function () {
    var dialog = document.querySelector('#dialog-root dialog[open]');
    if (dialog) dialog.close();
  });
})();
