// The guide builder: reordering by drag or by the arrow buttons, and the state of saves.
(function () {
  function idsOf(list) {
    return Array.from(list.children)
      .filter(function (el) { return el.dataset.id; })
      .map(function (el) { return el.dataset.id; });
  }

  // Saves the list's order; if the server refuses it, says why and puts the items back.
  function saveOrder(list) {
    var before = list.savedOrder || idsOf(list);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", list.dataset.reorderUrl);
    xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    xhr.setRequestHeader("X-CSRFToken", JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]);
    xhr.setRequestHeader("HX-Request", "true");
    list.classList.add("htmx-request");
    xhr.onloadend = function () {
      list.classList.remove("htmx-request");
      if (xhr.status >= 200 && xhr.status < 300) {
        list.savedOrder = idsOf(list);
        return;
      }
      // Our refusals (400) say why in plain text; anything else gets a message of its own.
      var plain = (xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0;
      window.rubricFlash(
        xhr.status === 400 && plain ? xhr.responseText :
        xhr.status === 404 ? "This draft has changed since the page was loaded. Reload the page." :
        xhr.status ? "The new order was not saved (" + xhr.status + "). Reload the page and try again." :
        "Rubric could not be reached; the new order was not saved.");
      before.forEach(function (id) {
        var item = list.querySelector(':scope > [data-id="' + id + '"]');
        if (item) list.appendChild(item);
      });
    };
    xhr.send("order=" + encodeURIComponent(idsOf(list).join(",")));
  }

  function setUp(root) {
    root.querySelectorAll("ol.sortable").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      list.savedOrder = idsOf(list);
      Sortable.create(list, {
        handle: ".drag-handle",
        draggable: ".item",
        animation: 120,
        // Browsers start no native drag from a <button>, which the handle is (for the keyboard).
        forceFallback: true,
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
    if (form.classList.contains("add-form") && ok) {
      form.reset();
      form.querySelectorAll(".error-text").forEach(function (el) { el.remove(); });
    }
    if (form.classList.contains("part-form")) markInvalid(form);
  });

  // Fields whose message slot holds an error are marked for the eye and the screen reader.
  function markInvalid(form) {
    form.querySelectorAll("[aria-describedby]").forEach(function (field) {
      var slot = document.getElementById(field.getAttribute("aria-describedby"));
      if (slot && slot.textContent.trim()) field.setAttribute("aria-invalid", "true");
      else field.removeAttribute("aria-invalid");
    });
  }

  // After a delete, the keyboard goes on from the next item (or the list's add field), as
  // soon as the item is gone; a delete that fails leaves the focus where it is.
  var FOCUSABLE = "input:not([type=hidden]), textarea, select, button";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!(form instanceof HTMLFormElement) || !form.closest(".item-bar")) return;
    var item = form.closest(".item");
    var next = item.nextElementSibling || item.previousElementSibling;
    var addForm = item.parentElement.nextElementSibling;
    var target = next ? next.querySelector(FOCUSABLE) :
      addForm && addForm.querySelector(FOCUSABLE);
    var tries = 0;
    (function focusWhenGone() {
      if (!document.body.contains(item)) {
        if (target && document.body.contains(target)) target.focus();
      } else if (++tries < 100) {
        setTimeout(focusWhenGone, 50);
      }
    })();
  });
  // A reload asked for by the server (HX-Refresh) follows a save: nothing is left pending.
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status >= 200 && status < 300) pending.delete(event.detail.elt);
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
