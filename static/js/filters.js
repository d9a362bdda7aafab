/*
 * The filter panel of the list pages (<details class="filter-disclosure">): open beside the results
 * on wide screens (1024 px and more), closed on narrower ones so that the results come first.
 * Without this script the panel stays as the server rendered it (closed, or open on a form error)
 * and its summary opens it. A panel marked data-keep-open (a form error to correct) stays open.
 */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 1024px)");
  function fit() {
    var panels = document.querySelectorAll("details.filter-disclosure");
    for (var i = 0; i < panels.length; i += 1) {
      panels[i].open = wide.matches || panels[i].hasAttribute("data-keep-open");
    }
  }
  fit();
  if (wide.addEventListener) {
    wide.addEventListener("change", fit);
  }
})();
