// Renders every .vega-chart from the Vega-Lite spec in the JSON block its data-spec names.
// No inline script: the page's CSP allows our own files only.
(function () {
  // Right-to-left pages read charts from the right: bars grow leftwards from an axis on the
  // right, and time runs from right to left. The SVG itself stays LTR (set on the element)
  // so Vega's text anchors are not flipped a second time by the page's direction.
  function mirror(spec) {
    var enc = spec.encoding || {};
    var x = enc.x || {}, y = enc.y || {};
    if (y.type === "nominal") {
      y.axis = Object.assign({}, y.axis, { orient: "right" });
      x.scale = Object.assign({}, x.scale, { reverse: true });
    } else if (x.type === "ordinal" || x.type === "temporal") {
      x.scale = Object.assign({}, x.scale, { reverse: true });
      y.axis = Object.assign({}, y.axis, { orient: "right" });
    }
  }
  function render() {
    if (!window.vegaEmbed) return;
    var rtl = document.documentElement.dir === "rtl";
    var font = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll(".vega-chart[data-spec]").forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-spec"));
      el.setAttribute("dir", "ltr");
      if (!block) return;
      var spec;
      try { spec = JSON.parse(block.textContent); } catch (e) { return; }
      if (rtl) mirror(spec);
      spec.config = Object.assign({
        font: font,
        axis: { labelFont: font, titleFont: font, labelLimit: 220 },
        title: { font: font, anchor: rtl ? "end" : "start" },
        view: { stroke: null },
        bar: { color: "#206bc4" },
        line: { color: "#206bc4" },
        point: { color: "#206bc4" }
      }, spec.config || {});
      // Vega's own expression compiler uses Function(), which the CSP forbids: interpret
      // expressions instead (vendor/vega/vega-interpreter.js).
      var options = { actions: false, renderer: "svg", ast: true, expr: window.vega.expressionInterpreter };
      window.vegaEmbed(el, spec, options).catch(function (err) {
        el.textContent = String(err);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
