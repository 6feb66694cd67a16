/* Attendance pages. The roster grid saves each cell through htmx as soon as it changes; the
   "Save" button stays for browsers without JavaScript. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var cell = event.detail.target;
    if (cell && cell.classList && cell.classList.contains("roster-cell")) {
      cell.classList.add("saved");
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      document.querySelectorAll(".js-htmx-hide").forEach(function (el) { el.classList.add("d-none"); });
    }
  });
})();
