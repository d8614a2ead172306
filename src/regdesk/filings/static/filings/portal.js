/* The owner portal's small behaviours: the cascade of divisions, the "same person" switch, copying the footer
   code and its live preview. The pages work without them (the server does the same on save). */
(function () {
  "use strict";

  function blankOption(select) {
    var first = select.querySelector("option");
    return first ? first.outerHTML : '<option value=""></option>';
  }

  // Choosing a province loads its cities; choosing a city its counties. The levels below are emptied.
  document.addEventListener("change", function (event) {
    var select = event.target.closest ? event.target.closest("select[data-division-child]") : null;
    if (!select) return;
    var child = document.getElementById(select.dataset.divisionChild);
    if (!child) return;
    var grandchild = child.dataset.divisionChild ? document.getElementById(child.dataset.divisionChild) : null;
    if (grandchild) grandchild.innerHTML = blankOption(grandchild);
    if (!select.value) {
      child.innerHTML = blankOption(child);
      return;
    }
    var requested = select.value;
    fetch(select.dataset.divisionUrl + "?parent=" + encodeURIComponent(requested), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        // An answer for an earlier choice is dropped; a choice made below while the answer travelled is kept.
        if (select.value !== requested || !html) return;
        var chosen = child.value;
        child.innerHTML = html;
        if (chosen && Array.prototype.some.call(child.options, function (option) { return option.value === chosen; })) {
          child.value = chosen;
        }
        child.dispatchEvent(new Event("input", {bubbles: true}));
      });
  });

  // "The owner's person in charge is also this website's": hide the website's own fields.
  function syncHidden(checkbox) {
    var target = document.getElementById(checkbox.dataset.hides);
    if (target) target.hidden = checkbox.checked;
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[data-hides]")) syncHidden(event.target);
  });

  // Copy the footer code.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) return;
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    var done = function () {
      var label = button.textContent;
      button.textContent = button.dataset.copied || label;
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done, function () { source.select(); });
    } else {
      source.select();
      try { document.execCommand("copy"); done(); } catch (error) { /* the text stays selected */ }
    }
  });

  // The footer's live preview: a sandboxed frame (no scripts) shows the code as the homepage would.
  function preview(textarea) {
    var frame = document.getElementById(textarea.dataset.preview);
    if (!frame) return;
    frame.srcdoc = '<!doctype html><body style="margin:0;font:14px sans-serif;color:#555;background:#f5f6f8">' +
      '<div style="padding:12px 8px">' + textarea.value + "</div></body>";
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-preview]")) preview(event.target);
  });

  // The owner's nature leaves only the certificate types of that kind of organisation (data-natures: the natures
  // that may present a type; empty: any). A chosen type that no longer fits is cleared.
  function filterCertificates(nature) {
    var select = document.getElementById(nature.dataset.certificateTypes);
    if (!select) return;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      var natures = (option.dataset.natures || "").split(" ").filter(Boolean);
      var fits = !nature.value || natures.length === 0 || natures.indexOf(nature.value) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) select.value = "";
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-certificate-types]")) {
      filterCertificates(event.target);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-hides]").forEach(syncHidden);
    document.querySelectorAll("select[data-certificate-types]").forEach(filterCertificates);
  });
})();
