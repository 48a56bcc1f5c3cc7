// Live results on the search page (htmx swaps #results); this file only announces the
// new result count to screen readers, since the swapped heading is not a live region.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function () {
    var status = document.getElementById("live-status");
    var count = document.getElementById("results-count");
    if (status && count) {
      status.textContent = count.textContent.trim();
    }
  });
})();
