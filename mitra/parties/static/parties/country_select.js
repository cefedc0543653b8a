// Country selects (<select data-country-select>): a box above the list finds a country by
// any of its names (English, Thai, Persian) or its code, as one types. Without JavaScript
// the plain <select> still works. Rows added later (the address form's "Add") are found too.
(function () {
  var LETTERS = {
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u0647",
    "\u06c0": "\u0647", "\u06be": "\u0647", "\u06d5": "\u0647", "\u0678": "\u06cc",
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    "\u0624": "\u0648", "\u0626": "\u06cc"
  };
  // The same folding as the server's `normalize` for what matters here.
  function fold(text) {
    text = (text || "").normalize("NFKC").replace(/[\u064a\u0649\u0643\u0629\u06c0\u06be\u06d5\u0678\u0623\u0625\u0622\u0671\u0624\u0626]/g, function (c) { return LETTERS[c]; });
    text = text.replace(/[\u0640\u200b-\u200f\ufeff]/g, "").replace(/[\u064b-\u065f\u0670]/g, "");
    text = text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");
    return text.replace(/\s+/g, " ").trim();
  }

  function enhance(select) {
    if (select.dataset.countryReady) return;
    select.dataset.countryReady = "1";
    var all = Array.prototype.slice.call(select.options).map(function (o) {
      return { option: o, text: o.dataset.search || fold(o.textContent) };
    });
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1 country-filter";
    box.placeholder = select.dataset.filterLabel || "";
    box.setAttribute("aria-label", select.dataset.filterLabel || "");
    box.setAttribute("autocomplete", "off");
    if (select.id) box.id = select.id + "-filter";
    select.parentNode.insertBefore(box, select);

    box.addEventListener("input", function () {
      var q = fold(box.value);
      var current = select.value;
      var first = null;
      all.forEach(function (item) {
        var hit = !q || item.option.value === "" || item.text.indexOf(q) !== -1;
        item.option.hidden = !hit;
        item.option.disabled = !hit && item.option.value !== current;
        if (hit && item.option.value && !first) first = item.option;
      });
      // The first country that matches is chosen, so typing "ไทย" and moving on is enough.
      if (q && first) select.value = first.value;
    });
    // Enter in the box chooses, it does not submit the whole form.
    box.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); select.focus(); }
    });
  }

  function scan(root) {
    if (!root.querySelectorAll) return;
    if (root.matches && root.matches("select[data-country-select]")) enhance(root);
    root.querySelectorAll("select[data-country-select]").forEach(enhance);
  }

  function start() {
    scan(document);
    new MutationObserver(function (records) {
      records.forEach(function (r) { r.addedNodes.forEach(scan); });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
