{% load static %}/* SIKIM service worker (scope /diseminasi/): shows a bulletin pushed by the web push channel
 * ({"title", "body", "url", "tag"}) with SIKIM's icon, and opens its link when it is tapped. */
"use strict";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("push", function (event) {
  var data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (error) {
      data = { body: event.data.text() };
    }
  }
  var options = {
    body: data.body || "",
    lang: "id",
    icon: "{% static 'img/sikim-192.png' %}",
    badge: "{% static 'img/sikim-badge-96.png' %}",
    data: { url: data.url || "{% url 'dissemination:feed' %}" }
  };
  if (data.tag) {
    options.tag = data.tag;
  }
  event.waitUntil(self.registration.showNotification(data.title || "SIKIM", options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "{% url 'dissemination:feed' %}";
  event.waitUntil(self.clients.openWindow(url));
});
