// Map of results or of a service's places, drawn with Leaflet from a JSON data block.
// Progressive enhancement: without JavaScript (or without tiles) the list stays complete.
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function initMap(container) {
    var source = document.getElementById(container.getAttribute("data-map-source"));
    if (!source || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var fallback = container.querySelector(".map__fallback");
    if (fallback) {
      fallback.remove();
    }
    var map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(data.tileUrl, {
      attribution: escapeHtml(data.attribution),
      maxZoom: 18,
    }).addTo(map);

    var linkLabel = container.getAttribute("data-marker-label") || "";
    var bounds = [];
    (data.points || []).forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], {
        title: point.name,
        alt: point.name,
        keyboard: true,
      });
      var popup = "<strong>" + escapeHtml(point.name) + "</strong><br>" + escapeHtml(point.address);
      if (point.url) {
        popup += '<br><a href="' + escapeHtml(point.url) + '">' + escapeHtml(linkLabel) + "</a>";
      }
      marker.bindPopup(popup);
      marker.addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 13);
    } else {
      map.setView(data.centre, 10);
    }
    container.classList.add("map--ready");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map-source]").forEach(initMap);
  });
})();
