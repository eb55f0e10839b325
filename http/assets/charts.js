// Draws the promise page's chart from the JSON the server embedded:
// delivered per period, its 95% interval as a band, the objective dashed,
// and the promise's actions as labelled vertical lines.
(function () {
  "use strict";
  var el = document.getElementById("chart");
  var src = document.getElementById("chart-data");
  if (!el || !src || typeof uPlot === "undefined") return;
  var d = JSON.parse(src.textContent);
  if (!d.x || d.x.length === 0) { el.textContent = "No data yet."; return; }
  var obj = d.x.map(function () { return d.objective; });
  var fmt = function (v) {
    if (v == null) return "—";
    return d.is_mean ? v.toPrecision(4) : (v * 100).toFixed(1) + "%";
  };
  function size() { return { width: Math.max(280, el.clientWidth), height: Math.min(320, Math.max(200, el.clientWidth * 0.45)) }; }
  var s = size();
  var opts = {
    width: s.width, height: s.height,
    scales: { x: { time: true } },
    axes: [{}, { values: function (u, vals) { return vals.map(fmt); }, size: 60 }],
    // The legend shows the server's wording of each period (the same
    // figures as the tables): the hovered period, else the latest.
    series: [
      { label: "Period", value: function (u, v, si, i) { return i == null ? "—" : (d.labels ? d.labels[i] : new Date(v * 1000).toISOString().slice(0, 10)); } },
      { label: "delivered", stroke: "#1f5fbf", width: 2, value: function (u, v, si, i) { return i == null || !d.delivered_text ? fmt(v) : d.delivered_text[i]; } },
      { label: "95% CI", stroke: "rgba(31,95,191,0.25)", value: function (u, v, si, i) { return i == null || !d.ci_text ? fmt(v) : d.ci_text[i]; } },
      { label: "", stroke: "rgba(31,95,191,0.25)", show: true, value: function () { return ""; } },
      { label: "objective", stroke: "#b42318", dash: [6, 4], value: function () { return d.objective_text || fmt(d.objective); } }
    ],
    bands: [{ series: [3, 2], fill: "rgba(31,95,191,0.12)" }],
    hooks: {
      draw: [drawActions],
      // Away from the chart, the legend shows the latest period with data.
      setCursor: [function (u) { if (u.cursor.idx == null && lastIdx >= 0) u.setLegend({ idx: lastIdx }); }]
    }
  };
  var lastIdx = -1;
  // The latest complete period (a partial one is drawn but not the headline).
  for (var k = d.delivered.length - 1; k >= 0; k--) { if (d.delivered[k] != null && !(d.partial && d.partial[k])) { lastIdx = k; break; } }
  // Actions are marked where they took effect: a grey line and their id.
  function drawActions(u) {
    if (!d.actions) return;
    var ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = "#666";
    ctx.fillStyle = "#333";
    ctx.setLineDash([2, 3]);
    ctx.font = Math.round(11 * devicePixelRatio) + "px sans-serif";
    var drawn = 0;
    d.actions.forEach(function (a) {
      var x = u.valToPos(a.x, "x", true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      drawn++;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillText(a.label, x + 4, u.bbox.top + 12 * devicePixelRatio);
    });
    ctx.restore();
    el.setAttribute("data-actions", String(drawn));
  }
  var u = new uPlot(opts, [d.x, d.delivered, d.lo, d.hi, obj], el);
  if (lastIdx >= 0) u.setLegend({ idx: lastIdx });
  window.addEventListener("resize", function () { u.setSize(size()); });
  el.setAttribute("data-ready", "1");
})();
