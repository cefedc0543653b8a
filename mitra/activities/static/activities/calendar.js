// Calendar: drag an appointment onto a day (month) or an hour (week, day) to move it;
// click an empty part of a month day to make an appointment there. The server does the
// moving (calendar_move) and answers with the redrawn grid, warning about clashes.
(function () {
  var dragged = null;

  function slotOf(target) {
    return target && target.closest ? target.closest("#calendar [data-slot]") : null;
  }
  function clear() {
    document.querySelectorAll("#calendar .cal-drop").forEach(function (el) {
      el.classList.remove("cal-drop");
    });
  }

  document.addEventListener("dragstart", function (e) {
    var el = e.target && e.target.closest ? e.target.closest("#calendar [data-move-url]") : null;
    if (!el) return;
    dragged = el;
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", el.getAttribute("data-move-url"));
    el.classList.add("cal-dragging");
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("cal-dragging");
    dragged = null;
    clear();
  });
  document.addEventListener("dragover", function (e) {
    if (!dragged) return;
    var slot = slotOf(e.target);
    if (!slot) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    if (!slot.classList.contains("cal-drop")) {
      clear();
      slot.classList.add("cal-drop");
    }
  });
  document.addEventListener("drop", function (e) {
    if (!dragged) return;
    var slot = slotOf(e.target);
    if (!slot) return;
    e.preventDefault();
    var cal = document.getElementById("calendar");
    var url = dragged.getAttribute("data-move-url");
    var values = {
      start: slot.getAttribute("data-slot"),
      view: cal.dataset.view,
      date: cal.dataset.date,
      who: cal.dataset.who,
      user: cal.dataset.user || "",
      // The version the grid was drawn at: an appointment changed meanwhile is not moved.
      version: dragged.getAttribute("data-version") || ""
    };
    dragged.classList.remove("cal-dragging");
    dragged = null;
    clear();
    if (window.htmx) {
      htmx.ajax("POST", url, { target: "#calendar", swap: "outerHTML", values: values });
      return;
    }
    // Without htmx: an ordinary form post, answered with a redirect back here.
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    var token = document.querySelector("meta[name=csrf-token]");
    values.csrfmiddlewaretoken = token ? token.content : "";
    Object.keys(values).forEach(function (k) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = k;
      input.value = values[k];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  });

  // Refused (409) because the appointment changed meanwhile: the answer is the grid as it
  // is now, with the reason at its top.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.xhr.status === 409 && e.detail.target && e.detail.target.id === "calendar") {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  document.addEventListener("click", function (e) {
    var cell = e.target && e.target.closest ? e.target.closest("#calendar [data-create-url]") : null;
    if (!cell || e.target.closest("a, button, form, input, select")) return;
    window.location.href = cell.getAttribute("data-create-url");
  });
})();
