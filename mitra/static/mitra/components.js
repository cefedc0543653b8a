// Alpine.js components. Alpine runs in its CSP build (no eval): an expression in a
// template may read and assign data, compare and call methods, but anything more (arrow
// functions, DOM writes) lives here as a named component. Loaded before Alpine.
document.addEventListener("alpine:init", function () {
  // A Django formset that grows in the browser: x-data="formset(<total forms>)", a
  // <template x-ref="tpl"> holding the empty form (prefix __prefix__), rows in x-ref="body",
  // and the management form's TOTAL_FORMS bound with :value="n".
  Alpine.data("formset", function (total) {
    return {
      n: total,
      add: function () {
        var html = this.$refs.tpl.innerHTML.split("__prefix__").join(String(this.n));
        this.$refs.body.insertAdjacentHTML("beforeend", html);
        this.n++;
      },
    };
  });
  // A "select all" checkbox for the rows of a table: x-data="selectAll" on the wrapper,
  // @change="toggle" on the checkbox.
  Alpine.data("selectAll", function () {
    return {
      toggle: function (event) {
        var on = event.target.checked;
        this.$root.querySelectorAll("input[name=ids]").forEach(function (c) { c.checked = on; });
      },
    };
  });
});
