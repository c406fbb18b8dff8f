// The briefing pack's page follows the PDF while a worker makes it: every two seconds
// it reads the page again and puts the new status in place, until the PDF is ready or
// has failed. Without JavaScript the page has a "Refresh now" link instead.
(function () {
  "use strict";
  var region = document.querySelector("[data-pack-state]");
  if (!region) return;
  function waiting(state) {
    return state === "queued" || state === "running";
  }
  function poll() {
    fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-pack-state]");
        if (!fresh) return;
        region.innerHTML = fresh.innerHTML;
        region.dataset.packState = fresh.dataset.packState;
        if (waiting(fresh.dataset.packState)) window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (waiting(region.dataset.packState)) window.setTimeout(poll, 2000);
})();
