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
