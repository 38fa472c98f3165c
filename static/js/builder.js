// The guide builder: reordering by drag or by the arrow buttons, and the state of saves.
(function () {
  function saveOrder(list) {
    var ids = Array.from(list.children)
      .filter(function (el) { return el.dataset.id; })
      .map(function (el) { return el.dataset.id; });
    htmx.ajax("POST", list.dataset.reorderUrl, {
      source: list, swap: "none", values: { order: ids.join(",") }
    });
  }

  function setUp(root) {
    root.querySelectorAll("ol.sortable").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      Sortable.create(list, {
        handle: ".drag-handle",
        draggable: ".item",
        animation: 120,
        onEnd: function (event) {
          if (event.oldIndex !== event.newIndex) saveOrder(list);
        }
      });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.move");
    if (!button) return;
    var item = button.closest(".item");
    var list = item.parentElement;
    var other = button.dataset.move === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (!other) return;
    if (button.dataset.move === "up") list.insertBefore(item, other);
    else list.insertBefore(other, item);
    button.focus();
    saveOrder(list);
  });

  // Alt+ArrowUp / Alt+ArrowDown move the item whose handle or arrow has the focus.
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    var bar = event.target.closest(".item-bar");
    if (!bar) return;
    event.preventDefault();
    bar.querySelector('button.move[data-move="' + (event.key === "ArrowUp" ? "up" : "down") + '"]').click();
  });

  // The latest state of each form's save, and a warning before leaving with one pending.
  var pending = new Set();
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form.part-form");
    if (!form) return;
    pending.add(form);
    var state = form.querySelector(".save-state");
    if (state) state.textContent = "Saving…";
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement)) return;
    var ok = event.detail.xhr && event.detail.xhr.status >= 200 && event.detail.xhr.status < 300;
    if (form.classList.contains("part-form") && ok) pending.delete(form);
    if (form.classList.contains("part-form") && event.detail.failed) {
      var state = form.querySelector(".save-state");
      if (state && !event.detail.xhr.status) state.textContent = "Not saved: no connection. Retrying…";
    }
    if (form.classList.contains("add-form") && ok) form.reset();
  });
  // A save that could not reach the server is sent again when the connection is back.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form instanceof HTMLFormElement && form.classList.contains("part-form")) {
      var state = form.querySelector(".save-state");
      if (state) state.textContent = "Not saved: no connection. Retrying…";
      setTimeout(function () { htmx.trigger(form, "change"); }, 3000);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (pending.size) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });
})();
