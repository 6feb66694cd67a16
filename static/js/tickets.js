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
  // A recognised number fills name, form of address and organisation from the customer profile (editable): a field
  // is filled when it is empty or still holds what the last fill put there, never over what the agent typed.
  function autofill() {
    var profile = document.getElementById("history-customer");
    var pairs = [["id_caller_name", "name"], ["id_address_form", "addressForm"], ["id_organisation", "organisation"]];
    pairs.forEach(function (pair) {
      var field = document.getElementById(pair[0]);
      if (!field) return;
      var value = profile ? (profile.dataset[pair[1]] || "") : "";
      var filled = field.dataset.autofilled;
      if (field.value === "" || (filled !== undefined && field.value === filled)) {
        if (!profile && filled === undefined) return;
        field.value = value;
        if (profile && value) { field.dataset.autofilled = value; } else { delete field.dataset.autofilled; }
      }
    });
  }
  (function markServerFill() {
    var profile = document.getElementById("history-customer");
    if (!profile) return;
    [["id_caller_name", "name"], ["id_address_form", "addressForm"], ["id_organisation", "organisation"]]
      .forEach(function (pair) {
        var field = document.getElementById(pair[0]);
        var value = profile.dataset[pair[1]] || "";
        if (field && value && field.value === value) field.dataset.autofilled = value;
      });
  })();
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "history-panel") autofill();
  });
  // After a refused save the server puts autofocus on the first field with an error; inside the folded
  // "channel, direction ..." group the group is open. Focus it again in case the browser kept the phone's.
  if (form) {
    var invalid = form.querySelector("[autofocus]");
    if (invalid && form.querySelector(".is-invalid")) { invalid.focus(); }
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
