// Tells the user when an HTMX request failed, so that nothing fails silently.
(function () {
  function flash(text) {
    var box = document.getElementById("flash");
    if (!box) return;
    var p = document.createElement("p");
    p.className = "message error";
    p.textContent = text;
    box.replaceChildren(p);
  }
  window.rubricFlash = flash;
  // The scorecard's autosave says itself what failed, next to the field (kit.js).
  function ownReport(event) {
    return event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("[data-autosave]");
  }
  // A form marked data-swap-errors answers every refusal with its own part, message
  // included (the packet's "the task queue cannot be reached", a 503): show it in place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (event.detail.xhr.status >= 400 && elt && elt.closest && elt.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    if (ownReport(event)) return;
    var status = event.detail.xhr.status;
    if (status === 403) flash("You are not allowed to do that.");
    else if (status === 404) flash("That no longer exists. Reload the page.");
    else flash("Something went wrong (" + status + "). Nothing was changed; please try again.");
  });
  document.addEventListener("htmx:sendError", function (event) {
    if (ownReport(event)) return;
    flash("Rubric could not be reached. Check your connection and try again.");
  });
})();

// Buttons that print the page, and that copy a passage (no inline handlers: the CSP forbids
// them).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
  var copy = event.target.closest("[data-copy]");
  var passage = copy && document.querySelector(copy.dataset.copy);
  if (!passage) return;
  function done() {
    copy.textContent = "Copied";
    setTimeout(function () { copy.textContent = "Copy"; }, 2000);
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(passage.innerText.trim()).then(done);
  } else {
    var range = document.createRange();
    range.selectNodeContents(passage);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    if (document.execCommand("copy")) done();
  }
});

// Times are written in the organization's time zone; where the viewer's differs, their own
// time is added beside it.
(function () {
  var own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Written as the page writes times ("Tue 1 Dec, 04:00"), whatever the browser's language.
  var format = new Intl.DateTimeFormat("en-GB", {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23", timeZone: own,
  });
  function localize(root) {
    root.querySelectorAll("time[data-zone]:not([data-localized])").forEach(function (el) {
      el.setAttribute("data-localized", "");
      if (!own || el.dataset.zone === own) return;
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) return;
      var note = document.createElement("small");
      note.className = "local-time";
      var until = new Date(el.dataset.until || "");
      var text = isNaN(until) ? format.format(when) : format.formatRange(when, until);
      note.textContent = " (" + text + " your time)";
      el.after(note);
      el.title = "In " + el.dataset.zone;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localize(document); });
  document.addEventListener("htmx:afterSettle", function (event) { localize(event.target); });
})();

// A file larger than the form accepts is let go at once, with the reason, rather than after
// the upload; what else was typed stays.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
  var note = input.parentElement.querySelector(".file-too-large");
  if (note) note.remove();
  var file = input.files && input.files[0];
  if (!file || file.size <= Number(input.dataset.maxBytes)) return;
  input.value = "";
  note = document.createElement("p");
  note.className = "error-text file-too-large";
  note.setAttribute("role", "alert");
  note.textContent = "“" + file.name + "” is " + (file.size / 1048576).toFixed(1) +
    " MB; " + input.dataset.maxText;
  input.after(note);
});

// The schedule form takes times in the organization's zone; a viewer elsewhere sees, as they
// type, when that is for them.
(function () {
  function offsetAt(ms, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(new Date(ms)).forEach(function (p) { parts[p.type] = p.value; });
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute) - ms;
  }
  // The moment a wall-clock time names in a zone: of the two offsets around it (a day before
  // and after), those that give back that wall time; the earlier when the clocks go back, as
  // the server takes it; none when they skip it.
  function instant(day, clock, zone) {
    if (!day || !clock) return null;
    var d = day.split("-"), t = clock.split(":");
    var wall = Date.UTC(+d[0], +d[1] - 1, +d[2], +t[0], +t[1]);
    var found = [-86400000, 86400000].map(function (shift) {
      return wall - offsetAt(wall + shift, zone);
    }).filter(function (moment) {
      return offsetAt(moment, zone) === wall - moment;
    });
    return found.length ? new Date(Math.min.apply(null, found)) : null;
  }
  function preview(form) {
    var out = form.querySelector("[data-zone-preview]");
    var zone = out.dataset.zonePreview;
    var own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var field = function (name) { var el = form.elements[name]; return el ? el.value : ""; };
    var start = instant(field("date"), field("start"), zone);
    var end = instant(field("end_date") || field("date"), field("end"), zone);
    if (!own || own === zone || !start || !end || end <= start) {
      out.textContent = "";
      return;
    }
    var format = new Intl.DateTimeFormat("en-GB", {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZone: own,
    });
    out.textContent = "In your time (" + own + "): " + format.formatRange(start, end);
  }
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.querySelector("[data-zone-preview]")) preview(form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-zone-preview]").forEach(function (out) { preview(out.closest("form")); });
  });
})();

// The header's search box: "/" focuses it (unless one is typing in a field); its suggestions
// are a listbox that the arrow keys move through, Enter opens and Escape closes. Enter with no
// suggestion chosen sends the form: the full results page.
(function () {
  function input() { return document.getElementById("site-search"); }
  function popup() { return document.getElementById("site-search-popup"); }
  function options() { return Array.prototype.slice.call(popup().querySelectorAll("[role=option]")); }
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function choose(option) {
    options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    if (option) {
      input().setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input().removeAttribute("aria-activedescendant");
    }
  }
  function close() {
    var box = popup();
    if (!box) return;
    box.hidden = true;
    input().setAttribute("aria-expanded", "false");
    choose(null);
  }
  document.addEventListener("keydown", function (event) {
    var field = input();
    if (!field) return;
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
      event.preventDefault();
      field.focus();
      field.select();
      return;
    }
    if (event.target !== field) return;
    var all = options();
    var current = all.indexOf(popup().querySelector("[aria-selected=true]"));
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !popup().hidden && all.length) {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      choose(all[(current + step + all.length + (current < 0 && step < 0 ? 1 : 0)) % all.length]);
    } else if (event.key === "Enter" && current >= 0 && !popup().hidden) {
      event.preventDefault();
      window.location.assign(all[current].href);
    } else if (event.key === "Escape" && !popup().hidden) {
      event.preventDefault();
      close();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var box = popup();
    if (event.target !== box) return;
    var shown = box.textContent.trim() !== "" && input().value.trim() !== "";
    box.hidden = !shown;
    input().setAttribute("aria-expanded", shown && options().length ? "true" : "false");
    choose(null);
  });
  document.addEventListener("click", function (event) {
    if (popup() && !event.target.closest(".site-search")) close();
  });
  document.addEventListener("focusin", function (event) {
    if (popup() && !event.target.closest(".site-search")) close();
  });
})();

// On a phone the header's menus fold into one behind the "Menu" button (a disclosure: the
// button says whether it is open; Escape closes it and gives the focus back to the button).
(function () {
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  button.hidden = false;
  function set(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () {
    set(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;  // the search's own Escape
    if (button.getAttribute("aria-expanded") !== "true") return;
    if (!menu.contains(document.activeElement) && document.activeElement !== button) return;
    set(false);
    button.focus();
  });
})();
