/* Call intake: keyboard-first behaviour (no inline scripts: CSP). */
(function () {
  "use strict";
  var form = document.getElementById("intake-form") || document.getElementById("edit-form");
  if (form) {
    form.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.isComposing) return;
      var t = e.target;
      if (t.tagName === "TEXTAREA") {
        // Ctrl+Enter (or Cmd+Enter) in the details box saves; plain Enter is a new line.
        if (e.ctrlKey || e.metaKey) { e.preventDefault(); form.requestSubmit(); }
        return;
      }
      if (t.tagName === "SELECT" || t.tagName === "INPUT") {
        if (t.type === "submit" || t.type === "button") return;
        // Enter in any single-line field or list saves the form (the last field included).
        e.preventDefault();
        form.requestSubmit();
      }
    });
  }
  // Alt+N (a new call) works on every page: the navigation entry carries data-hotkey (static/js/app.js).
  // Outcome drives which fields matter: department for a transfer.
  var outcome = document.getElementById("id_outcome");
  var dept = document.getElementById("id_department");
  function sync() {
    if (!outcome || !dept) return;
    dept.closest("div").classList.toggle("opacity-50", outcome.value !== "transferred");
  }
  if (outcome) { outcome.addEventListener("change", sync); sync(); }
})();
