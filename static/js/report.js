/* Complaint pages: small enhancements only. Every page works without this file.
   - the facility list shows only the facilities of the chosen region;
   - the receipt page gets "copy the code" and "print" buttons. */
(function () {
  "use strict";

  function filterFacilities() {
    var region = document.getElementById("region");
    var facility = document.getElementById("facility");
    if (!region || !facility) { return; }
    var groups = Array.prototype.slice.call(facility.querySelectorAll("optgroup"));
    var placeholders = Array.prototype.filter.call(facility.options, function (option) {
      return option.parentNode === facility;
    });
    function update() {
      var chosen = facility.value;
      var keep = false;
      groups.forEach(function (group) {
        var match = !region.value || group.getAttribute("data-region") === region.value;
        if (match) {
          if (group.parentNode !== facility) { facility.appendChild(group); }
          if (group.querySelector('option[value="' + chosen + '"]')) { keep = true; }
        } else if (group.parentNode === facility) {
          facility.removeChild(group);
        }
      });
      placeholders.forEach(function (option) { if (option.value === chosen) { keep = true; } });
      if (!keep) { facility.value = ""; }
    }
    region.addEventListener("change", update);
    update();
  }

  function receiptButtons() {
    var copy = document.getElementById("copy-code");
    var print = document.getElementById("print-page");
    var status = document.getElementById("copy-status");
    if (copy) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var code = document.getElementById(copy.getAttribute("data-code-target")).textContent.trim();
        function done() { if (status) { status.textContent = copy.getAttribute("data-copied"); } }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(code).then(done, function () {});
        } else {
          var range = document.createRange();
          range.selectNodeContents(document.getElementById("receipt-code"));
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          try { if (document.execCommand("copy")) { done(); } } catch (ignored) { /* keep the selection */ }
        }
      });
    }
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  filterFacilities();
  receiptButtons();
}());
