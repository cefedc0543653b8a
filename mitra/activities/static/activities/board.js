// The task board: drag a card to another column and its status changes (htmx POST to the
// card's data-status-url). The small form on each card does the same without JavaScript.
(function () {
  function setup() {
    if (!window.Sortable || !window.htmx) return;
    document.querySelectorAll(".task-column").forEach(function (column) {
      window.Sortable.create(column, {
        group: "tasks",
        handle: ".task-handle",
        animation: 150,
        direction: "vertical",
        ghostClass: "opacity-50",
        onAdd: function (evt) {
          var card = evt.item;
          var status = evt.to.getAttribute("data-status");
          // The version the card was drawn at: a task changed meanwhile is not moved (409).
          window.htmx.ajax("POST", card.getAttribute("data-status-url"), {
            target: card,
            swap: "outerHTML",
            values: { status: status, version: card.getAttribute("data-version") || "" }
          });
          updateCounts();
        }
      });
    });
    // The small forms are a fallback; with drag and drop they only clutter the cards.
    document.querySelectorAll(".task-status-form").forEach(function (f) { f.classList.add("d-none"); });
    document.body.addEventListener("htmx:afterSwap", function (e) {
      var form = e.detail.target && e.detail.target.querySelector && e.detail.target.querySelector(".task-status-form");
      if (form) form.classList.add("d-none");
    });
    // Refused because the task changed meanwhile: the answer is the card as it is now,
    // with the reason on it; show it in the column of its current status.
    document.body.addEventListener("htmx:beforeSwap", function (e) {
      if (e.detail.xhr.status === 409 && e.detail.target.classList.contains("task-card")) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (e) {
      if (!e.detail.xhr || e.detail.xhr.status !== 409) return;
      document.querySelectorAll(".task-card .task-stale").forEach(function (note) {
        var card = note.closest(".task-card");
        var column = document.querySelector('.task-column[data-status="' + card.getAttribute("data-current-status") + '"]');
        if (column && card.parentElement !== column) column.insertBefore(card, column.firstChild);
        var form = card.querySelector(".task-status-form");
        if (form) form.classList.add("d-none");
      });
      updateCounts();
    });
    document.body.addEventListener("htmx:responseError", function () { window.location.reload(); });
  }
  function updateCounts() {
    document.querySelectorAll(".task-column").forEach(function (column) {
      var badge = column.parentElement.querySelector(".card-header .badge");
      if (badge) badge.textContent = column.querySelectorAll(".task-card").length;
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
