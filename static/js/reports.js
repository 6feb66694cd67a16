/* reports: the weekly revisit analysis chart (data from a json_script block; no inline scripts, CSP). */
(function () {
  "use strict";
  var holder = document.getElementById("revisit-chart-data");
  var canvas = document.getElementById("chart-revisit-satisfaction");
  if (!holder || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(holder.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.attitude_label, data: data.attitude, backgroundColor: "#0d6efd" },
        { label: data.result_label, data: data.result, backgroundColor: "#20c997" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false,
               scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
