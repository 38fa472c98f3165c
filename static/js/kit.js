// Forms that save as one types (form[data-autosave]): the scorecard in the interview kit, a
// reference call, one's notes in a debrief; and the amend page (form[data-warn-unsaved]). htmx posts each field on its own as it changes (see the hx-*
// attributes in kit.html), one save at a time (hx-sync on the form) so that each carries the
// revision the one before it returned (two at once would look like another window). This
// script says when it last saved, retries what did not reach the server, warns before leaving
// with unsaved input, and adds the scoring keys.
(function () {
  var form = document.querySelector("form[data-autosave], form[data-warn-unsaved]");
  if (!form) return;
  var autosave = form.hasAttribute("data-autosave");
  var status = form.querySelector("[data-save-status]");
  var revision = form.querySelector("input[name=revision]");
  var unsaved = new Set(); // fields changed and not yet saved as they now read
  var sent = {}; // field name -> the value its latest save sent
  var saved = {}; // field name -> the value the server holds, as far as this page knows
  var retryDelay = {}; // field name -> milliseconds before the next retry
  var inFlight = 0;
  var submitting = false;
  var otherWindow = false;

  function say(text, state) {
    if (!status) return;
    // While Ctrl+Enter's question stands, a save landing only changes what the status shows once
    // the question is answered or withdrawn; errors show at once.
    if (armed && state === "saved") {
      armed.status = text;
      armed.state = state;
      return;
    }
    status.textContent = text;
    status.parentElement.dataset.state = state || "";
  }
  function clock() {
    // HH:MM, as the page writes times (rubric.js), whatever the browser's language.
    return new Date().toLocaleTimeString("en-GB", {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
  }
  function valueOf(name) {
    var field = form.elements[name];
    return field ? field.value : null;
  }
  Array.prototype.forEach.call(form.elements, function (field) {
    if (field.name) saved[field.name] = valueOf(field.name);
  });
  function track(event) {
    var name = event.target.name;
    if (!name || name === "revision" || name === "csrfmiddlewaretoken") return;
    // Typed and undone before a save went out: nothing is unsaved.
    if (valueOf(name) === saved[name] && !inFlight) unsaved.delete(name);
    else unsaved.add(name);
  }
  form.addEventListener("input", track);
  form.addEventListener("change", track);

  window.addEventListener("beforeunload", function (event) {
    if (submitting || (!unsaved.size && !inFlight)) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // A field's error sits next to it: below the textarea, or at the end of the radios' fieldset.
  function showError(name, text) {
    var field = form.elements[name];
    var anchor = field instanceof RadioNodeList ? field[0].closest("fieldset") : field;
    if (!anchor) return;
    var box = form.querySelector('[data-error-for="' + name + '"]');
    if (!text) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("p");
      box.className = "error-text";
      box.setAttribute("role", "alert");
      box.dataset.errorFor = name;
      if (anchor.tagName === "FIELDSET") anchor.append(box);
      else anchor.after(box);
    }
    box.textContent = text;
  }

  function retry(name) {
    var field = form.elements[name];
    if (!field) return;
    var target = field instanceof RadioNodeList
      ? Array.prototype.find.call(field, function (radio) { return radio.checked; })
      : field;
    if (target) htmx.trigger(target, "retry");
  }

  if (autosave) {
    form.addEventListener("htmx:beforeRequest", function (event) {
      // Submitting sends every field itself; a save landing meanwhile would make it look stale.
      if (submitting) event.preventDefault();
    });
    form.addEventListener("htmx:configRequest", function (event) {
      var name = event.detail.elt.name;
      sent[name] = valueOf(name);
      // What this page last knew the field to hold: the server refuses the save if another
      // window has changed it since, rather than overwrite that.
      event.detail.parameters["base"] = saved[name] == null ? "" : saved[name];
    });
    form.addEventListener("htmx:beforeSend", function () {
      inFlight += 1;
      say("Saving…", "saving");
    });
    form.addEventListener("htmx:afterRequest", function (event) {
      inFlight = Math.max(0, inFlight - 1);
      var name = event.detail.elt.name;
      var xhr = event.detail.xhr;
      var code = xhr ? xhr.status : 0;
      var answer = code === 200 &&
        JSON.parse(xhr.getResponseHeader("HX-Trigger") || "{}")["autosaved"];
      if (code === 200 && !answer) {
        // Sent to the login page: the session has ended and nothing was saved.
        say("Not saved: your session has ended. Copy what you typed last, then log in " +
            "again and reload.", "error");
      } else if (answer) {
        // The debrief's notes carry no revision: there is no whole form to submit stale.
        if (revision) {
          if (answer.inStep && !otherWindow) revision.value = answer.revision;
          else otherWindow = true;
        }
        saved[name] = sent[name];
        if (valueOf(name) === sent[name]) unsaved.delete(name);
        delete retryDelay[name];
        showError(name, "");
        if (otherWindow) {
          say("Saved at " + clock() + ". This page was also changed in another window: " +
              "reload to see those changes before you submit.", "warn");
        } else if (!unsaved.size && !inFlight) {
          say("All changes saved at " + clock() + ".", "saved");
        }
      } else if (code === 400 || code === 409) {
        showError(name, xhr.responseText);
        say("Not saved: " + xhr.responseText, "error");
      } else if (code === 403) {
        say("Not saved: your session has ended. Copy what you typed last, then log in " +
            "again and reload.", "error");
      } else if (code === 404 || code === 410) {
        say("Not saved: this is no longer yours to fill in (it was changed, cancelled or " +
            "removed). Copy what you typed, then reload.", "error");
      } else {
        var delay = Math.min((retryDelay[name] || 1000) * 2, 30000);
        retryDelay[name] = delay;
        say("Not saved yet: Rubric could not be reached. Retrying in " + delay / 1000 +
            " s; keep this page open.", "error");
        setTimeout(function () { retry(name); }, delay);
      }
    });
    window.addEventListener("online", function () { unsaved.forEach(retry); });
  }

  form.addEventListener("submit", function (event) {
    disarm();
    if (inFlight > 0) {
      // Let the saves under way land first, so that the page's revision is current.
      event.preventDefault();
      var submitter = event.submitter;
      say("Saving before sending…", "saving");
      var waited = 0;
      var timer = setInterval(function () {
        waited += 100;
        if (inFlight === 0 || waited > 10000) {
          clearInterval(timer);
          form.requestSubmit(submitter);
        }
      }, 100);
      return;
    }
    submitting = true;
    // Should the page not unload after all (the user stopped it), saving goes on.
    setTimeout(function () { submitting = false; }, 15000);
  });
  window.addEventListener("pageshow", function () { submitting = false; });

  // Ctrl+Enter on a button whose data-submit holds a question ("Submit now?") asks it first: the
  // button says it for a few seconds, focused, so that Ctrl+Enter again, Enter or a click sends
  // and Escape or waiting leaves the form as it was. Nothing is sent by one stray keystroke.
  var armed = null; // {button, label, status, state, timer} while the question stands
  function disarm() {
    if (!armed) return;
    var was = armed;
    armed = null;
    clearTimeout(was.timer);
    was.button.textContent = was.label;
    was.button.removeAttribute("data-armed");
    if (status && status.textContent === was.asked) say(was.status, was.state);
  }
  function arm(button) {
    var asked = button.dataset.submit + " Press Ctrl+Enter again, or Enter, to send it; " +
      "Escape to go on writing.";
    armed = {
      button: button,
      from: document.activeElement,
      label: button.textContent,
      asked: asked,
      status: status ? status.textContent : "",
      state: status ? status.parentElement.dataset.state : "",
      timer: setTimeout(disarm, 6000),
    };
    button.textContent = button.dataset.submit;
    button.setAttribute("data-armed", "");
    button.focus();
    say(asked, "warn");
  }
  form.addEventListener("focusout", function (event) {
    if (armed && event.target === armed.button) disarm();
  });

  // Keys: 0-4 pick a score in the focused criterion (1-4 the recommendation), Ctrl+Enter submits.
  form.addEventListener("keydown", function (event) {
    var submit = form.querySelector("[data-submit]");
    if (event.key === "Escape" && armed) {
      var from = armed.from;
      disarm();
      if (from && from.focus) from.focus();
      return;
    }
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && submit) {
      event.preventDefault();
      if (submit.dataset.submit && !armed) arm(submit);
      else form.requestSubmit(submit);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || !/^[0-4]$/.test(event.key)) return;
    if (event.target.matches("textarea, input[type=text]")) return;
    var group = event.target.closest("[data-score-group]");
    var radio = group && group.querySelector('input[type=radio][value="' + event.key + '"]');
    if (!radio) return;
    event.preventDefault();
    radio.focus();
    if (!radio.checked) {
      radio.checked = true;
      radio.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  var errors = document.getElementById("form-errors");
  if (errors) errors.focus();
})();
