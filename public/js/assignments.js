/* Edit Assignments (DOMAIN.md §5.5): the Services/Workloads pane's check boxes, the dialog opened over the Edit
   Tenant dialog, and error messages inside the dialog. No inline scripts anywhere (the CSP forbids them). */
(function () {
  'use strict';
  // With this script running, Primary boxes show only where Assignment is ticked (CSS: html.js .asg-row …);
  // without it every box stays visible and the server checks V-63.
  document.documentElement.classList.add('js');

  function reveal(root) {
    (root || document).querySelectorAll('.asg-bulk[hidden]').forEach(function (el) {
      el.hidden = false;
    });
  }
  window.ftopReady(function () {
    reveal(document);
  });
  document.addEventListener('htmx:load', function (event) {
    reveal(event.detail.elt);
  });

  function rowOf(input) {
    return input.closest('tr[data-scope]');
  }
  function primaryOf(row) {
    return row.querySelector('input[name="primary"]');
  }

  // V-63: unticking a scope clears its primary flag. A-17: ticking Tenant ticks every service too; the user
  // may then untick services and the Tenant scope stays.
  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains('asg-scope')) return;
    var pane = input.closest('.asg-pane');
    var row = rowOf(input);
    if (!input.checked && row && primaryOf(row)) primaryOf(row).checked = false;
    if (input.checked && input.value === 'TENANT' && pane) {
      pane.querySelectorAll('.asg-scope').forEach(function (box) {
        box.checked = true;
      });
    }
  });

  // Check All / Uncheck All for the Assignment and Primary columns (primaries only where assigned).
  document.addEventListener('click', function (event) {
    var button = event.target.closest('.asg-pane button[data-check]');
    if (!button) return;
    event.preventDefault();
    var pane = button.closest('.asg-pane');
    var on = button.getAttribute('data-to') === 'on';
    pane.querySelectorAll('tr[data-scope]').forEach(function (row) {
      var scope = row.querySelector('.asg-scope');
      var primary = primaryOf(row);
      if (button.getAttribute('data-check') === 'scopes') {
        scope.checked = on;
        if (!on && primary) primary.checked = false;
      } else if (primary) {
        primary.checked = on && scope.checked;
      }
    });
  });

  // After the panel is swapped, focus what was opened (the pane, a removal question) or the current tab,
  // unless app.js has already focused an outcome (saved, refused, conflict) inside it.
  document.addEventListener('htmx:afterSettle', function (event) {
    var target = event.detail.target;
    if (!target || target.id !== 'assignments-panel') return;
    var panel = document.getElementById('assignments-panel');
    if (!panel || panel.contains(document.activeElement)) return;
    var focus = panel.querySelector('[data-autofocus]') || panel.querySelector('.tab[aria-current]');
    if (focus) focus.focus();
  });
})();

/* Edit Assignments over another dialog: the Primary Assignments pen of the Edit Tenant dialog swaps the dialog
   into the .dialog-stack after it. It opens as a modal on top; closing it empties the stack and gives focus back
   to the pen, and the Edit Tenant dialog below is still there (its Primary Assignments reload on tenant:changed). */
(function () {
  'use strict';
  var opener = null;
  document.addEventListener('htmx:beforeRequest', function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains('dialog-stack')) opener = event.detail.elt;
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    var stack = event.detail.target;
    if (!stack || !stack.classList || !stack.classList.contains('dialog-stack')) return;
    var dialog = stack.querySelector('dialog[data-open]');
    if (!dialog || dialog.open) return;
    var back = opener;
    dialog.addEventListener('close', function () {
      stack.innerHTML = '';
      // The pen may have been re-rendered meanwhile (its section reloads on tenant:changed).
      var pen = back && back.isConnected ? back : stack.previousElementSibling;
      if (pen && !pen.matches('a, button')) pen = pen.querySelector('[hx-target="next .dialog-stack"]');
      if (pen) pen.focus();
    });
    dialog.showModal();
    var first = dialog.querySelector('input:not([type=hidden]):not([disabled]), [data-autofocus]');
    if (first) first.focus();
  });

  // A plain link to the assignments page marked data-assignments-link (the tenant page) opens the dialog with htmx.
  document.addEventListener('click', function (event) {
    var link = event.target.closest('a[data-assignments-link]:not([hx-get])');
    if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var root = document.getElementById('dialog-root');
    if (!root) return;
    event.preventDefault();
    window.htmx.ajax('GET', link.getAttribute('href'), { target: '#dialog-root', source: link }).then(function () {
      var dialog = root.querySelector('dialog[open]');
      if (dialog)
        dialog.addEventListener('close', function () {
          if (link.isConnected) link.focus();
        });
    });
  });
})();
