"""A member on a phone (Chromium at 360 px) turns web notifications on and off with their link.

Chromium's own push service (FCM) is out of reach in tests, so the page's PushManager is replaced
by a stand-in that answers with a subscription at the fake push service on 127.0.0.1 — everything
else is real: the service worker registration, the permission, static/js/webpush.js posting the
subscription with the CSRF token, and the channel then pushing an encrypted message to it.
"""

import json

import pytest
from playwright.sync_api import expect

from sikim.core.tests.browser import fits_the_phone
from sikim.dissemination.channels.base import OutgoingMessage
from sikim.dissemination.channels.webpush import WebPushChannel
from sikim.dissemination.models import PushSubscription
from sikim.dissemination.services.push import push_token
from sikim.dissemination.tests.fakes import wait_until
from sikim.dissemination.tests.fakes.webpush import b64url_decode
from sikim.kim.tests.factories import KimMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAND_IN = """
(() => {
  const subscription = %s;
  let current = null;
  window.pushKeyUsed = null;
  PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
  PushManager.prototype.subscribe = function (options) {
    window.pushKeyUsed = Array.from(new Uint8Array(options.applicationServerKey));
    current = {
      endpoint: subscription.endpoint,
      toJSON: () => subscription,
      unsubscribe: () => { current = null; return Promise.resolve(true); },
    };
    return Promise.resolve(current);
  };
})();
"""


def test_a_member_turns_notifications_on_and_off(page, fake_webpush, kim_guntung_paikat):
    member = KimMemberFactory(kim=kim_guntung_paikat)
    subscription = fake_webpush.subscribe()
    page.context.grant_permissions(["notifications"])
    page.add_init_script(STAND_IN % json.dumps(subscription))

    page.goto(f"/diseminasi/notifikasi/{push_token(member)}/")
    enable = page.locator("[data-action=enable]")
    expect(enable).to_be_visible()
    assert fits_the_phone(page)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)").endswith("/diseminasi/")

    enable.click()
    expect(page.locator("[data-state=on]")).to_be_visible()
    assert bytes(page.evaluate("window.pushKeyUsed")) == b64url_decode(fake_webpush.application_server_key)
    assert wait_until(lambda: PushSubscription.objects.filter(member=member).exists())

    WebPushChannel().send(
        OutgoingMessage(address=str(member.pk), subject="Uji", text="Uji coba notifikasi", link="http://x.test/l/1")
    )
    assert fake_webpush.payloads()[0]["body"] == "Uji coba notifikasi"

    page.locator("[data-action=disable]").click()
    expect(enable).to_be_visible()
    assert wait_until(lambda: not PushSubscription.objects.filter(member=member).exists())


def test_a_browser_without_push_is_told_plainly(page, fake_webpush, kim_guntung_paikat):
    member = KimMemberFactory(kim=kim_guntung_paikat)
    page.add_init_script("delete window.PushManager;")
    page.goto(f"/diseminasi/notifikasi/{push_token(member)}/")
    expect(page.locator("[data-state=unsupported]")).to_be_visible()
    expect(page.locator("[data-action=enable]")).to_be_hidden()
