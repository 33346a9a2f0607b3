/* Notes Library (DOMAIN.md §5.12). No inline scripts anywhere (the CSP forbids them). */
(function () {
  'use strict';

  // "Search Services and Tenants": narrows the Tenant Name and Service Name facets to the labels that
  // contain what is typed. It only shows and hides boxes, so it must not submit the facet form.
  function filterFacets(input) {
    var needle = input.value.trim().toLowerCase();
    document.querySelectorAll(input.getAttribute('data-facet-filter')).forEach(function (set) {
      set.querySelectorAll('label[data-facet-label]').forEach(function (label) {
        var box = label.querySelector('input');
        label.hidden =
          needle !== '' && !(box && box.checked) && label.getAttribute('data-facet-label').indexOf(needle) < 0;
      });
    });
  }
  document.addEventListener('input', function (event) {
    if (event.target.matches && event.target.matches('[data-facet-filter]')) filterFacets(event.target);
  });
  document.addEventListener(
    'change',
    function (event) {
      if (event.target.matches && event.target.matches('[data-facet-filter]')) event.stopPropagation();
    },
    true,
  );
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && event.target.matches && event.target.matches('[data-facet-filter]')) {
      event.preventDefault();
    }
  });
})();
