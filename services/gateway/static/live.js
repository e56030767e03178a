// Live parts of a page: an element with data-live (the events' address) and data-part (where to
// fetch its new content) is fetched again whenever the server says something changed. Without
// JavaScript the page still works: it is simply not live.
(function () {
  document.querySelectorAll("[data-live]").forEach(function (region) {
    var source = new EventSource(region.getAttribute("data-live"));
    var busy = false, again = false;
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(region.getAttribute("data-part"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) { region.innerHTML = html; region.setAttribute("data-updated", String(Date.now())); })
        .catch(function () {})
        .finally(function () { busy = false; if (again) { again = false; refresh(); } });
    }
    source.addEventListener("change", function (event) {
      if (region.hasAttribute("data-append")) {
        var data = JSON.parse(event.data), item = document.createElement("li");
        item.textContent = data.subject + " " + JSON.stringify(data.body);
        region.querySelector("ul").prepend(item);
      } else { refresh(); }
    });
    source.addEventListener("open", function () {
      // What changed between the page's rendering and this (re)connection is fetched once now.
      if (region.hasAttribute("data-part")) { refresh(); }
      region.setAttribute("data-listening", "yes");
    });
  });
})();
