/* Charts of the real-name-rate report (Chart.js, served by the application): the rate by unit as bars with the
   target as a line, and the rate over time with the target in force on each day. The data comes from the page's
   json_script element; the labels of the datasets from the hidden #realname-chart-text element. No animation: the
   figures are read, not watched, and a chart that grows from zero misleads a screenshot or a printout. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("realname-chart-data");
    var text = document.getElementById("realname-chart-text");
    if (!source || !text || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var rateLabel = text.dataset.rate;
    var targetLabel = text.dataset.target;
    var percentAxis = { y: { min: 0, max: 100, ticks: { callback: function (value) { return value + "%"; } } } };

    var units = document.getElementById("chart-rate-by-unit");
    if (units && data.units.labels.length) {
      var datasets = [{ type: "bar", label: rateLabel, data: data.units.rates, backgroundColor: "#1d4e89" }];
      if (data.units.target !== null) {
        datasets.push({
          type: "line",
          label: targetLabel,
          data: data.units.labels.map(function () { return data.units.target; }),
          borderColor: "#c0392b",
          borderDash: [6, 4],
          pointRadius: 0,
          fill: false
        });
      }
      new window.Chart(units, {
        data: { labels: data.units.labels, datasets: datasets },
        options: { animation: false, maintainAspectRatio: false, scales: percentAxis }
      });
    }

    var series = document.getElementById("chart-rate-over-time");
    if (series && data.series.labels.length) {
      new window.Chart(series, {
        type: "line",
        data: {
          labels: data.series.labels,
          datasets: [
            { label: rateLabel, data: data.series.rates, borderColor: "#1d4e89", spanGaps: false, tension: 0 },
            { label: targetLabel, data: data.series.targets, borderColor: "#c0392b", borderDash: [6, 4], pointRadius: 0, stepped: true }
          ]
        },
        options: { animation: false, maintainAspectRatio: false, scales: percentAxis }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
