/* Draws every dashboard chart from the JSON the page carries (<script type="application/json">). */
(function () {
  "use strict";
  var palette = ["#0d6efd", "#198754", "#ffc107", "#dc3545", "#6f42c1", "#20c997", "#fd7e14", "#6c757d"];
  document.querySelectorAll("canvas.js-chart").forEach(function (canvas) {
    var key = canvas.getAttribute("data-chart").replace(/^chart-/, "");
    var source = document.getElementById(key);
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var datasets = spec.series.map(function (s, i) {
      // a panel that gives colours by meaning (attendance: late is amber, absent red) keeps them
      var colours = spec.colours && spec.colours.length ? spec.colours : palette;
      var colour = spec.kind === "doughnut" ? colours : colours[i % colours.length];
      return { label: s.label, data: s.values, backgroundColor: colour, borderColor: colour, tension: 0.25 };
    });
    new Chart(canvas, {
      type: spec.kind,
      data: { labels: spec.labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: datasets.length > 1 || spec.kind === "doughnut" } },
                 scales: spec.kind === "doughnut" ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
})();
