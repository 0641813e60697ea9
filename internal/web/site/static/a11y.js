// Wide tables scroll inside their own box on narrow screens (style.css).
// A box that scrolls must be reachable by keyboard (WCAG 2.1.1), so a table
// that overflows gets a tab stop, and loses it when it fits again.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table").forEach(function (t) {
      if (t.scrollWidth > t.clientWidth + 1) {
        t.tabIndex = 0;
      } else {
        t.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
