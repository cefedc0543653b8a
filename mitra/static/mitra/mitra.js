// Small behaviours shared by every page. No inline scripts: the CSP allows 'self' only.
(function () {
  // "/" focuses the global search box unless the user is typing somewhere already.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var box = document.getElementById("global-search");
    if (box) { e.preventDefault(); box.focus(); box.select(); }
  });
  // Top-bar search: live results in a dropdown under the box (htmx; the form still
  // submits to the search page without JavaScript), and on the search page itself the
  // results update in place. Arrow keys pick a result, Enter opens it, Escape closes.
  function setupSearch() {
    var box = document.getElementById("global-search");
    if (!box || !box.form || !window.htmx) return;
    var onPage = document.getElementById("search-results");
    var menu = null;
    if (!onPage) {
      box.form.classList.add("position-relative");
      menu = document.createElement("div");
      menu.id = "global-search-menu";
      menu.className = "dropdown-menu w-100 shadow";
      menu.setAttribute("role", "listbox");
      menu.style.maxHeight = "70vh";
      menu.style.overflowY = "auto";
      box.form.appendChild(menu);
      box.setAttribute("aria-controls", menu.id);
      box.setAttribute("aria-expanded", "false");
      box.setAttribute("role", "combobox");
    }
    box.setAttribute("hx-get", box.form.getAttribute("action"));
    box.setAttribute("hx-trigger", "input changed delay:200ms, search");
    box.setAttribute("hx-target", onPage ? "#search-results" : "#global-search-menu");
    box.setAttribute("hx-swap", onPage ? "outerHTML" : "innerHTML");
    box.setAttribute("hx-sync", "this:replace");
    if (onPage) box.setAttribute("hx-push-url", "true");
    htmx.process(box);

    function show(open) {
      if (!menu) return;
      open = open && menu.querySelector(".search-hit, .dropdown-item-text");
      menu.classList.toggle("show", !!open);
      box.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function hits() {
      var scope = menu && menu.classList.contains("show") ? menu : document.getElementById("search-results");
      return scope ? Array.prototype.slice.call(scope.querySelectorAll("a.search-hit")) : [];
    }
    function activate(list, index) {
      list.forEach(function (a, i) {
        a.classList.toggle("active", i === index);
        a.setAttribute("aria-selected", i === index ? "true" : "false");
        if (!a.id) a.id = "search-hit-" + i;
      });
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", list[index].id);
        list[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (menu && e.detail.target === menu) show(box.value.trim() !== "");
    });
    box.addEventListener("focus", function () { if (box.value.trim()) show(true); });
    document.addEventListener("click", function (e) {
      if (menu && !box.form.contains(e.target)) show(false);
    });
    box.addEventListener("keydown", function (e) {
      var list = hits();
      var current = list.findIndex(function (a) { return a.classList.contains("active"); });
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!list.length) return;
        e.preventDefault();
        var step = e.key === "ArrowDown" ? 1 : -1;
        var next = current < 0 ? (step > 0 ? 0 : list.length - 1) : current + step;
        activate(list, next < 0 || next >= list.length ? -1 : next);
      } else if (e.key === "Enter" && current >= 0) {
        e.preventDefault();
        window.location.href = list[current].href;
      } else if (e.key === "Escape") {
        activate(list, -1);
        show(false);
      }
    });
  }
  setupSearch();
  // Forms and buttons with data-confirm ask before a destructive action.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);
  // htmx: send the CSRF token on every request it makes.
  document.addEventListener("htmx:configRequest", function (e) {
    var el = document.querySelector("meta[name=csrf-token]");
    if (el) e.detail.headers["X-CSRFToken"] = el.content;
  });
})();
