/* SIKIM: switch web notifications on or off on a member's personal page
 * (dissemination/push_subscribe.html). Registers the service worker, subscribes with the VAPID
 * public key and sends the subscription to the server with the page's CSRF token. Without this
 * script (or without browser support) the page says so plainly. */
(function () {
  "use strict";

  var root = document.getElementById("webpush");
  if (!root || !root.dataset.publicKey) {
    return;
  }

  function show(state, detail) {
    root.querySelectorAll("[data-state]").forEach(function (element) {
      element.hidden = element.dataset.state !== state;
    });
    root.querySelector("[data-action=enable]").hidden = state === "on" || state === "unsupported" || state === "denied";
    root.querySelector("[data-action=disable]").hidden = state !== "on";
    var slot = root.querySelector("[data-error-detail]");
    if (slot) {
      slot.textContent = detail || "";
    }
  }

  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported || !window.isSecureContext) {
    show("unsupported");
    return;
  }
  if (Notification.permission === "denied") {
    show("denied");
    return;
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function post(url, body) {
    var token = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          throw new Error(data.message || "HTTP " + response.status);
        }
        return data;
      });
    });
  }

  var ready = navigator.serviceWorker.register(root.dataset.workerUrl, { scope: root.dataset.scope }).then(function () {
    return navigator.serviceWorker.ready;
  });

  ready.then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) {
    show(subscription && Notification.permission === "granted" ? "on" : "off");
  }).catch(function (error) {
    show("error", error.message);
  });

  root.querySelector("[data-action=enable]").addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        show("denied");
        return null;
      }
      return ready.then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(root.dataset.publicKey)
        });
      }).then(function (subscription) {
        return post(root.dataset.saveUrl, subscription.toJSON());
      }).then(function () {
        show("on");
      });
    }).catch(function (error) {
      show("error", error.message);
    });
  });

  root.querySelector("[data-action=disable]").addEventListener("click", function () {
    ready.then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) {
        return null;
      }
      return post(root.dataset.deleteUrl, { endpoint: subscription.endpoint }).then(function () {
        return subscription.unsubscribe();
      });
    }).then(function () {
      show("off");
    }).catch(function (error) {
      show("error", error.message);
    });
  });
}());
