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
  document.addEventListener('DOMContentLoaded', showOutcome);

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
