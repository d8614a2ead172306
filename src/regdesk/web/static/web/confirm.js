// Irreversible actions ask first. A form, or the button that submits it, carrying data-confirm shows that text
// (what will happen) and is sent only when the user agrees. One file for every page: the Content-Security-Policy
// allows no inline script. Listening in the capture phase stops the event before htmx or the browser act on it.
document.addEventListener(
  "submit",
  function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message =
      (submitter && submitter.getAttribute("data-confirm")) || (form && form.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
