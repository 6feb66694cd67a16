/* csmgmt: small behaviours shared by every page. No inline scripts anywhere (CSP). */
(function () {
  "use strict";
  // Forms marked .js-autosubmit submit when a select in them changes (e.g. the language switcher).
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form.js-autosubmit");
    if (form && e.target.tagName === "SELECT") form.submit();
  });
  // Buttons with data-confirm ask before submitting.
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) e.preventDefault();
  });
  // Alt+<letter> opens the navigation entry marked data-hotkey="<letter>" (e.g. Alt+N: a new call).
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || !e.key || e.key.length !== 1) return;
    var link = document.querySelector('a[data-hotkey="' + e.key.toLowerCase() + '"]');
    if (link) { e.preventDefault(); window.location.href = link.href; }
  });
  // A table larger than its box scrolls: keyboard users reach it with Tab (axe: scrollable-region-focusable).
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls) { box.tabIndex = 0; } else { box.removeAttribute("tabindex"); }
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);
  document.body.addEventListener("htmx:afterSettle", focusableScrollers);
  // Print buttons.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest(".js-print")) { e.preventDefault(); window.print(); }
  });
  // Submitting a form disables its submit buttons (no double posts from impatient clicks).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.classList.contains("js-allow-resubmit")) return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
