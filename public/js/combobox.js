/* Type-ahead comboboxes (WAI-ARIA APG: combobox with a listbox popup, manual selection): an
   input[role=combobox] whose listbox (aria-controls) htmx fills with [role=option] items while the user
   types. Down/Up move through the options, Enter chooses, Escape closes (or clears), a click chooses.
   Choosing fires a cancelable `combobox:choose` on the input; unless a listener handles it, the browser
   goes to the option's data-href. No inline scripts (the CSP forbids them). */
(function () {
  'use strict';
  function listbox(input) {
    return document.getElementById(input.getAttribute('aria-controls'));
  }
  function options(input) {
    var list = listbox(input);
    return list ? [].slice.call(list.querySelectorAll('[role="option"]:not([aria-disabled="true"])')) : [];
  }
  function setOpen(input, open) {
    var list = listbox(input);
    if (!list) return;
    list.hidden = !open;
    input.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (!open) setActive(input, null);
  }
  function setActive(input, option) {
    options(input).forEach(function (o) {
      o.setAttribute('aria-selected', o === option ? 'true' : 'false');
    });
    if (option) {
      input.setAttribute('aria-activedescendant', option.id);
      option.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }
  function choose(input, option) {
    var event = new window.CustomEvent('combobox:choose', {
      bubbles: true,
      cancelable: true,
      detail: { option: option },
    });
    setOpen(input, false);
    if (input.dispatchEvent(event) && option.getAttribute('data-href'))
      window.location.href = option.getAttribute('data-href');
  }
  function comboboxOf(el) {
    var list = el.closest && el.closest('[role="listbox"]');
    return list && document.querySelector('[role="combobox"][aria-controls="' + list.id + '"]');
  }

  document.addEventListener('keydown', function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('input[role="combobox"]')) return;
    var list = options(input);
    var open = input.getAttribute('aria-expanded') === 'true';
    var current = list.indexOf(document.getElementById(input.getAttribute('aria-activedescendant') || ''));
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!list.length) return;
      event.preventDefault();
      if (!open) setOpen(input, true);
      var step = event.key === 'ArrowDown' ? 1 : -1;
      var next = current < 0 ? (step > 0 ? 0 : list.length - 1) : (current + step + list.length) % list.length;
      setActive(input, list[next]);
    } else if (event.key === 'Enter' && open && current >= 0) {
      event.preventDefault();
      choose(input, list[current]);
    } else if (event.key === 'Escape' && (open || input.value)) {
      // Escape closes the list, then clears the field; only then does it reach a dialog around it.
      if (open) setOpen(input, false);
      else input.value = '';
      event.preventDefault();
      event.stopPropagation();
    }
  });

  // An option is chosen with the mouse; pressing it must not blur the input first (which closes the list).
  document.addEventListener('mousedown', function (event) {
    var option = event.target.closest && event.target.closest('[role="option"]');
    if (option && comboboxOf(option)) event.preventDefault();
  });
  document.addEventListener('click', function (event) {
    var option = event.target.closest && event.target.closest('[role="option"]');
    var input = option && comboboxOf(option);
    if (input && option.getAttribute('aria-disabled') !== 'true') choose(input, option);
  });
  document.addEventListener('focusout', function (event) {
    var input = event.target;
    if (input.matches && input.matches('input[role="combobox"]')) setOpen(input, false);
  });

  // New options arrived: show them (or the "nothing found" line) while the user is still in the field,
  // and say how many there are.
  document.addEventListener('htmx:afterSwap', function (event) {
    var list = event.detail.target;
    var input = list && list.id && document.querySelector('[role="combobox"][aria-controls="' + list.id + '"]');
    if (!input) return;
    setOpen(input, document.activeElement === input && input.value.trim() !== '');
    var status = document.getElementById(input.getAttribute('data-combobox-status') || '');
    var count = options(input).length;
    if (status) status.textContent = count === 1 ? '1 match.' : count + ' matches.';
  });
})();
