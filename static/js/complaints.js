/* complaints: the statistics charts (data from a json_script block; no inline scripts, CSP). */
(function () {
  "use strict";
  var holder = document.getElementById("complaint-chart-data");
  if (!holder || typeof window.Chart === "undefined") return;
  var data = JSON.parse(holder.textContent);
  function bar(id, labels, datasets, horizontal) {
    var el = document.getElementById(id);
    if (!el) return;
    new window.Chart(el, {
      type: "bar",
      data: { labels: labels, datasets: datasets.map(function (d) { d.maxBarThickness = 28; return d; }) },
      options: { indexAxis: horizontal ? "y" : "x", responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
  bar("chart-demand", data.demand.labels, [{ data: data.demand.values, backgroundColor: "#0d6efd" }], true);
  bar("chart-department", data.department.labels, [{ data: data.department.values, backgroundColor: "#6f42c1" }], true);
  bar("chart-clocks", data.clocks.labels, [
    { label: data.clocks.met_label, data: data.clocks.met, backgroundColor: "#198754" },
    { label: data.clocks.missed_label, data: data.clocks.missed, backgroundColor: "#dc3545" }
  ], false);
})();

/* complaints: the revisit form says, before saving, that these answers reopen the complaint ("Dissatisfied" = 2 or
   worse, for attitude or result; the server decides the same way: complaints.workflow.needs_reopen). */
(function () {
  "use strict";
  var form = document.querySelector("form.js-revisit-form");
  var warning = document.getElementById("revisit-reopen-warning");
  if (!form || !warning) return;
  var DISSATISFIED = 2;
  function update() {
    var reopens = Array.prototype.some.call(form.querySelectorAll("select[name$='satisfaction_attitude'], select[name$='satisfaction_result']"),
      function (el) { return el.value !== "" && parseInt(el.value, 10) <= DISSATISFIED; });
    warning.classList.toggle("d-none", !reopens);
  }
  form.addEventListener("change", update);
  update();
})();
