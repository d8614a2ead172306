/* Charts of the real-name-rate report (Chart.js, served by the application): the rate of every unit of the unit
   table as horizontal bars with the target as a line, and the rate over time with the target in force on each day. The data comes from the page's
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
      // A bar for every unit of the table, top to bottom in the table's order; the deeper the unit, the lighter its
      // bar. The box grows with the units so that no label is dropped.
      var box = units.parentElement;
      if (box) {
        box.style.height = Math.max(18, 4 + 1.8 * data.units.labels.length) + "rem";
      }
      var shades = ["#1d4e89", "#3f72af", "#6f9bd1", "#9dbde3"];
      var colours = data.units.depths.map(function (depth) { return shades[Math.min(depth, shades.length - 1)]; });
      var datasets = [{ type: "bar", label: rateLabel, data: data.units.rates, backgroundColor: colours }];
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
      var valueAxis = { min: 0, max: 100, ticks: { callback: function (value) { return value + "%"; } } };
      new window.Chart(units, {
        data: { labels: data.units.labels, datasets: datasets },
        options: {
          indexAxis: "y",
          animation: false,
          maintainAspectRatio: false,
          scales: { x: valueAxis, y: { ticks: { autoSkip: false } } }
        }
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
