// Renders every .vega-chart from the Vega-Lite spec in the JSON block its data-spec names.
// No inline script: the page's CSP allows our own files only.
(function () {
  function render() {
    if (!window.vegaEmbed) return;
    var rtl = document.documentElement.dir === "rtl";
    var font = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll(".vega-chart[data-spec]").forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-spec"));
      if (!block) return;
      var spec;
      try { spec = JSON.parse(block.textContent); } catch (e) { return; }
      spec.config = Object.assign({
        font: font,
        axis: { labelFont: font, titleFont: font, labelLimit: 220 },
        title: { font: font, anchor: rtl ? "end" : "start" },
        view: { stroke: null },
        bar: { color: "#206bc4" },
        line: { color: "#206bc4" },
        point: { color: "#206bc4" }
      }, spec.config || {});
      window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).catch(function (err) {
        el.textContent = String(err);
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
