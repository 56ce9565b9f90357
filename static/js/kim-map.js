/* SIKIM: the KIM directory map. Progressive enhancement: without this script the page is a
 * plain list. Leaflet and its marker clusters are loaded only here, after the list shows. */
(function () {
  "use strict";

  function loadCss(href) {
    return new Promise(function (resolve) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = resolve;
      link.onerror = resolve; // the map still works, only less pretty
      document.head.appendChild(link);
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function popup(feature, base) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = base + encodeURIComponent(feature.properties.slug) + "/";
    link.textContent = feature.properties.name;
    var place = document.createElement("div");
    place.textContent = feature.properties.village || "";
    box.appendChild(link);
    box.appendChild(place);
    return box;
  }

  function regionPopup(feature, base) {
    var link = document.createElement("a");
    link.href = base + "?wilayah=" + encodeURIComponent(feature.properties.region);
    link.textContent = feature.properties.name + " (" + feature.properties.count + " KIM)";
    return link;
  }

  /* Beyond a few thousand KIMs the server sends one point per region with its count. */
  function regionMarker(L, feature, base) {
    var c = feature.geometry.coordinates;
    var count = feature.properties.count;
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = document.createElement("div");
    var label = document.createElement("span");
    label.textContent = String(count);
    inner.appendChild(label);
    var icon = L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
    return L.marker([c[1], c[0]], { icon: icon, title: feature.properties.name }).bindPopup(regionPopup(feature, base));
  }

  function start() {
    var element = document.getElementById("kim-map");
    if (!element || !window.fetch || !window.Promise) return;
    var data = element.dataset;
    document.getElementById("kim-map-section").hidden = false;
    // Styles first: Leaflet finds its marker images through its stylesheet.
    Promise.all([loadCss(data.leafletCss), loadCss(data.clusterCss), loadCss(data.clusterDefaultCss)])
      .then(function () { return loadScript(data.leafletJs); })
      .then(function () { return loadScript(data.clusterJs); })
      .then(function () { return fetch(data.geojsonUrl, { headers: { Accept: "application/geo+json" } }); })
      .then(function (response) { return response.json(); })
      .then(function (collection) {
        var L = window.L;
        // Indonesia, from Sabang to Merauke.
        var map = L.map(element, { scrollWheelZoom: false }).fitBounds([[-11, 95], [6, 141]]);
        L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.tileAttribution }).addTo(map);
        var cluster = L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true });
        var regions = L.featureGroup();
        var markers = [];
        collection.features.forEach(function (feature) {
          if (feature.properties.cluster) {
            regions.addLayer(regionMarker(L, feature, data.profileBase));
            return;
          }
          var c = feature.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], { title: feature.properties.name, alt: feature.properties.name });
          marker.bindPopup(popup(feature, data.profileBase));
          markers.push(marker);
        });
        cluster.addLayers(markers);
        map.addLayer(cluster);
        map.addLayer(regions);
        var bounds = markers.length ? cluster.getBounds() : regions.getBounds();
        if (bounds.isValid()) {
          map.fitBounds(bounds, { maxZoom: 13, padding: [20, 20] });
        }
        element.dataset.markers = String(markers.length);
      })
      .catch(function () {
        element.textContent = element.getAttribute("data-error") || "";
        document.getElementById("kim-map-section").hidden = true;
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
