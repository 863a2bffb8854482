// Small additions to every page. Nothing here reads text from the data.
(function () {
  "use strict";

  // The theme's search dialog has no accessible name; screen readers announce it as "Search".
  var search = document.querySelector('.md-search[role="dialog"]');
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");

  // Folded quotes (<details>) open for printing and close again afterwards, so paper gets every
  // quote (print.css does the same where the browser supports ::details-content).
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.setAttribute("data-opened-for-print", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-opened-for-print]").forEach(function (d) {
      d.removeAttribute("open");
      d.removeAttribute("data-opened-for-print");
    });
  });
})();
