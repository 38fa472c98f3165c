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
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) flash("You are not allowed to do that.");
    else if (status === 404) flash("That no longer exists. Reload the page.");
    else flash("Something went wrong (" + status + "). Nothing was changed; please try again.");
  });
  document.addEventListener("htmx:sendError", function () {
    flash("Rubric could not be reached. Check your connection and try again.");
  });
})();

// Buttons that print the page (no inline handlers: the CSP forbids them).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
