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
    series: [
      {},
      { label: "delivered", stroke: "#1f5fbf", width: 2, value: function (u, v) { return fmt(v); } },
      { label: "95% low", stroke: "rgba(31,95,191,0.25)", value: function (u, v) { return fmt(v); } },
      { label: "95% high", stroke: "rgba(31,95,191,0.25)", value: function (u, v) { return fmt(v); } },
      { label: "objective", stroke: "#b42318", dash: [6, 4], value: function (u, v) { return fmt(v); } }
    ],
    bands: [{ series: [3, 2], fill: "rgba(31,95,191,0.12)" }],
    hooks: { draw: [drawActions] }
  };
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
  window.addEventListener("resize", function () { u.setSize(size()); });
  el.setAttribute("data-ready", "1");
})();
