// The admin for staff who use assistive technology (issue 11, item 9): names for the autocomplete
// widgets (select2 leaves its combobox, its text and its search box unnamed), a name for the change
// list's search box, and list markup that holds only list items. Select2 redraws its markup on every
// change, so the names are given again whenever the form's markup changes.
(function () {
  "use strict";

  function labelText(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:\s]+$/, "").trim() : select.name;
  }

  function name(element, text) {
    if (element && element.getAttribute("aria-label") !== text) {
      element.setAttribute("aria-label", text);
    }
  }

  function fix() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var widget = select.nextElementSibling;
      if (!widget || !widget.classList.contains("select2")) {
        return;
      }
      var text = labelText(select);
      widget.querySelectorAll(".select2-selection, span.select2-selection__rendered, .select2-search__field").forEach(function (element) {
        name(element, text);
      });
      widget.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach(function (element) {
        if (element.getAttribute("role") !== "listitem") {
          element.setAttribute("role", "listitem");
        }
      });
    });
    var search = document.getElementById("searchbar");
    if (search) {
      var button = search.form && search.form.querySelector("input[type=submit]");
      name(search, button ? button.value : "Search");
    }
  }

  function start() {
    fix();
    new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
