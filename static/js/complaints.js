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
