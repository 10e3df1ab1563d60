/* The request form and its confirmation page (the citizen's and the desk's), as progressive enhancement: every page
   works without this file. */
(function () {
  "use strict";

  function copyFields(form) {
    var box = form.querySelector("#copy-fields");
    var delivery = form.querySelector("#id_delivery_method");
    var emailHelp = form.querySelector("#id_email_helptext");
    if (!box) return;
    function sync() {
      var chosen = form.querySelector("input[name=obtain_method]:checked");
      var viewing = chosen && chosen.value === "view";
      box.hidden = viewing;
      // Viewing happens at the OPD's office: nothing is sent, so an e-mail delivery chosen earlier must not
      // demand an e-mail address.
      if (viewing && delivery && delivery.value === "email") delivery.value = "pickup";
      if (emailHelp) emailHelp.hidden = !delivery || viewing || delivery.value !== "email";
    }
    form.addEventListener("change", sync);
    sync();
  }

  function copyButtons() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      var status = button.parentNode.querySelector(".copy-status");
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) status.textContent = button.getAttribute("data-copied");
        });
      });
    });
  }

  // The desk receipt's "print" button (without JavaScript the browser's own print command does the same).
  function printButtons() {
    var buttons = document.querySelectorAll("button[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form #copy-fields");
    if (form) copyFields(form.closest("form"));
    copyButtons();
    printButtons();
  });
})();
