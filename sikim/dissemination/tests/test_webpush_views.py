"""The member's personal subscribe page, saving and removing a browser, and the service worker."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from sikim.audit.models import AuditEvent
from sikim.dissemination.models import PushSubscription
from sikim.dissemination.services.push import (
    MAX_SUBSCRIPTIONS_PER_MEMBER,
    push_subscribe_url,
    push_subscription_save,
    push_token,
    push_token_read,
    subscription_clean,
)
from sikim.kim.tests.factories import KimMemberFactory, english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def member(kim_guntung_paikat):
    return KimMemberFactory(kim=kim_guntung_paikat, name="Siti Rahmawati")


def urls(member) -> dict[str, str]:
    token = push_token(member)
    return {
        "page": reverse("dissemination:push_subscribe", args=[token]),
        "save": reverse("dissemination:push_save", args=[token]),
        "delete": reverse("dissemination:push_delete", args=[token]),
    }


def post_json(client, url: str, payload: object):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json")


# --- the token -------------------------------------------------------------------------------------
def test_the_token_names_the_member_and_cannot_be_forged(member):
    token = push_token(member)
    assert push_token_read(token) == member.pk
    assert push_token_read(token.replace(str(member.pk), str(member.pk + 1), 1)) is None
    assert push_token_read("garbage") is None
    assert push_subscribe_url(member).endswith(f"/diseminasi/notifikasi/{token}/")


# --- the page --------------------------------------------------------------------------------------
def test_the_page_offers_the_button_to_anyone_with_the_link(client, fake_webpush, member):
    response = client.get(urls(member)["page"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "Turn on notifications" in body
    assert f'data-public-key="{fake_webpush.application_server_key}"' in body
    assert 'data-save-url="' + urls(member)["save"] in body
    assert "js/webpush.js" in body
    assert "<noscript>" in body  # says plainly that notifications need JavaScript
    assert "KIM Guntung Paikat" in body


def test_without_vapid_keys_the_page_says_not_available(client, settings, member):
    settings.SIKIM_VAPID_PUBLIC_KEY = ""
    settings.SIKIM_VAPID_PRIVATE_KEY = ""
    response = client.get(urls(member)["page"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "not available yet" in body
    assert "Turn on notifications" not in body and "webpush.js" not in body
    assert post_json(client, urls(member)["save"], {}).status_code == 409


@pytest.mark.parametrize("token", ["garbage", "1:forged-signature"])
def test_a_bad_token_is_404_everywhere(client, fake_webpush, token):
    assert client.get(reverse("dissemination:push_subscribe", args=[token])).status_code == 404
    sub = fake_webpush.subscribe()
    assert post_json(client, reverse("dissemination:push_save", args=[token]), sub).status_code == 404
    assert client.post(reverse("dissemination:push_delete", args=[token])).status_code == 404
    assert PushSubscription.objects.count() == 0


def test_a_former_member_gets_404(client, fake_webpush, member):
    member.is_active = False
    member.save()
    assert client.get(urls(member)["page"]).status_code == 404


def test_wrong_methods_are_refused(client, fake_webpush, member):
    assert client.post(urls(member)["page"]).status_code == 405
    assert client.get(urls(member)["save"]).status_code == 405
    assert client.get(urls(member)["delete"]).status_code == 405
    assert client.post(reverse("dissemination:push_service_worker")).status_code == 405


# --- saving ----------------------------------------------------------------------------------------
def test_saving_a_subscription_anonymously_with_the_token(client, fake_webpush, member):
    sub = fake_webpush.subscribe()
    response = client.post(
        urls(member)["save"], json.dumps(sub), content_type="application/json", headers={"User-Agent": "Chrome/130"}
    )
    assert response.status_code == 201
    assert response.json()["subscribed"] is True
    [saved] = member.push_subscriptions.all()
    assert (saved.endpoint, saved.p256dh, saved.auth) == (sub["endpoint"], sub["keys"]["p256dh"], sub["keys"]["auth"])
    assert saved.user_agent == "Chrome/130"
    assert AuditEvent.objects.filter(action="dissemination.push_subscribed").count() == 1
    # The same browser again: updated, not duplicated, not audited twice.
    assert post_json(client, urls(member)["save"], sub).status_code == 201
    assert PushSubscription.objects.count() == 1
    assert AuditEvent.objects.filter(action="dissemination.push_subscribed").count() == 1


def test_saving_needs_the_csrf_token(fake_webpush, member):
    client = Client(enforce_csrf_checks=True)
    assert post_json(client, urls(member)["save"], fake_webpush.subscribe()).status_code == 403
    client.get(urls(member)["page"])
    token = client.cookies["csrftoken"].value
    response = client.post(
        urls(member)["save"],
        json.dumps(fake_webpush.subscribe()),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_a_browser_moves_to_the_membership_that_subscribed_it_last(client, fake_webpush, member):
    sub = fake_webpush.subscribe()
    other = KimMemberFactory(kim=member.kim)
    post_json(client, urls(other)["save"], sub)
    post_json(client, urls(member)["save"], sub)
    assert list(PushSubscription.objects.values_list("member_id", flat=True)) == [member.pk]


def test_a_member_keeps_at_most_ten_browsers(client, fake_webpush, member):
    for _ in range(MAX_SUBSCRIPTIONS_PER_MEMBER + 2):
        assert post_json(client, urls(member)["save"], fake_webpush.subscribe()).status_code == 201
    assert member.push_subscriptions.count() == MAX_SUBSCRIPTIONS_PER_MEMBER


def _with(sub: dict, **changes) -> dict:
    keys = {**sub["keys"], **changes.pop("keys", {})}
    return {**sub, **changes, "keys": keys}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: "not json{", "as JSON"),
        (lambda s: [s], "JSON object"),
        (lambda s: _with(s, endpoint=""), "no endpoint"),
        (lambda s: _with(s, endpoint="javascript:alert(1)"), "not a valid URL"),
        (lambda s: _with(s, endpoint="http://push.example.com/x"), "must use https"),
        (lambda s: _with(s, endpoint="https://evil.example.com/x"), "not a known push service"),
        (lambda s: _with(s, endpoint="https://fcm.googleapis.com/" + "a" * 1000), "too long"),
        (lambda s: {"endpoint": s["endpoint"]}, "no keys"),
        (lambda s: _with(s, keys={"p256dh": "short"}), "keys are not valid"),
        (lambda s: _with(s, keys={"auth": "!!!!"}), "keys are not valid"),
        (lambda s: _with(s, keys={"p256dh": "B" + "A" * 86}), "keys are not valid"),  # not a point on P-256
        (lambda s: _with(s, keys={"auth": 5}), "keys are not valid"),
    ],
)
def test_bad_input_is_a_400_with_a_clear_message(client, fake_webpush, member, change, message):
    response = post_json(client, urls(member)["save"], change(fake_webpush.subscribe()))
    assert response.status_code == 400
    assert message in response.json()["message"]
    assert PushSubscription.objects.count() == 0


def test_a_known_push_service_over_https_is_accepted(client, fake_webpush, member):
    sub = _with(fake_webpush.subscribe(), endpoint="https://fcm.googleapis.com/fcm/send/abc:APA91b")
    assert post_json(client, urls(member)["save"], sub).status_code == 201


def test_debug_accepts_any_endpoint(client, settings, fake_webpush, member):
    settings.DEBUG = True
    sub = _with(fake_webpush.subscribe(), endpoint="http://push.example.com/x")
    assert post_json(client, urls(member)["save"], sub).status_code == 201


def test_a_huge_body_is_refused(client, fake_webpush, member):
    sub = _with(fake_webpush.subscribe(), padding="x" * 5000)
    assert post_json(client, urls(member)["save"], sub).status_code == 400


# --- removing --------------------------------------------------------------------------------------
def test_turning_off_this_browser_removes_only_it(client, fake_webpush, member):
    first, second = fake_webpush.subscribe(), fake_webpush.subscribe()
    post_json(client, urls(member)["save"], first)
    post_json(client, urls(member)["save"], second)
    response = post_json(client, urls(member)["delete"], {"endpoint": first["endpoint"]})
    assert response.status_code == 200 and response.json()["removed"] == 1
    assert list(member.push_subscriptions.values_list("endpoint", flat=True)) == [second["endpoint"]]
    assert post_json(client, urls(member)["delete"], {"nope": 1}).status_code == 400
    assert post_json(client, urls(member)["delete"], "not json").status_code == 400


def test_another_members_browser_cannot_be_removed_with_my_link(client, fake_webpush, member):
    other = KimMemberFactory(kim=member.kim)
    sub = fake_webpush.subscribe()
    post_json(client, urls(other)["save"], sub)
    assert post_json(client, urls(member)["delete"], {"endpoint": sub["endpoint"]}).json()["removed"] == 0
    assert other.push_subscriptions.count() == 1


def test_without_javascript_the_form_turns_off_every_device(client, fake_webpush, member):
    post_json(client, urls(member)["save"], fake_webpush.subscribe())
    post_json(client, urls(member)["save"], fake_webpush.subscribe())
    page = client.get(urls(member)["page"]).content.decode()
    assert "Notifications are on for 2 devices." in page
    response = client.post(urls(member)["delete"], follow=True)
    assert response.redirect_chain[-1][0] == urls(member)["page"]
    assert "Notifications are off on all your devices." in response.content.decode()
    assert member.push_subscriptions.count() == 0
    assert AuditEvent.objects.filter(action="dissemination.push_unsubscribed").count() == 1


# --- the service worker ----------------------------------------------------------------------------
def test_the_service_worker_is_javascript_not_cached_and_opens_the_link(client):
    response = client.get("/diseminasi/sw.js")
    assert reverse("dissemination:push_service_worker") == "/diseminasi/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'addEventListener("push"' in body and "showNotification" in body
    assert 'addEventListener("notificationclick"' in body and "openWindow(url)" in body
    # The notification shows SIKIM's icon, and the one-colour badge on Android's status bar.
    assert 'icon: "/static/img/sikim-192.png"' in body and 'badge: "/static/img/sikim-badge-96.png"' in body


# --- the links on the member's page ----------------------------------------------------------------
def test_pengurus_see_the_members_links(client, settings, fake_webpush, member, ketua_guntung_paikat):
    settings.SIKIM_TELEGRAM_BOT_USERNAME = "SikimBot"
    edit = reverse("kim:member_edit", args=[member.kim.slug, member.pk])
    body = login(client, ketua_guntung_paikat).get(edit).content.decode()
    assert push_subscribe_url(member) in body
    assert "https://t.me/SikimBot?start=" in body
    assert "Send these links to the member" in body


def test_pembina_sees_the_links_and_unconfigured_channels_are_said(client, settings, member, pembina_banjarbaru):
    settings.SIKIM_TELEGRAM_BOT_USERNAME = ""
    settings.SIKIM_VAPID_PUBLIC_KEY = ""
    edit = reverse("kim:member_edit", args=[member.kim.slug, member.pk])
    body = login(client, pembina_banjarbaru).get(edit).content.decode()
    assert "Telegram is not set up on this server yet." in body
    assert "Web notifications are not set up on this server yet." in body
    assert push_token(member) not in body


@pytest.mark.parametrize("actor_name", ["outsider", "ketua_ekasari", "anggota_guntung_paikat", "stranger"])
def test_others_never_see_the_links(client, request, fake_webpush, member, actor_name):
    edit = reverse("kim:member_edit", args=[member.kim.slug, member.pk])
    response = login(client, request.getfixturevalue(actor_name)).get(edit)
    assert response.status_code in (403, 404)
    assert push_token(member) not in response.content.decode()


# --- the admin -------------------------------------------------------------------------------------
def test_admin_lists_subscriptions_in_the_staff_members_scope(
    client, fake_webpush, member, kim_ekasari, pembina_banjarbaru, national_admin, outsider, stranger
):
    wayan = KimMemberFactory(kim=kim_ekasari, name="I Wayan Sudi")
    push_subscription_save(member=member, data=subscription_clean(fake_webpush.subscribe()))
    push_subscription_save(member=wayan, data=subscription_clean(fake_webpush.subscribe()))
    changelist = reverse("admin:dissemination_pushsubscription_changelist")
    for user in (pembina_banjarbaru, national_admin, outsider, stranger):
        user.is_staff = True
        user.save()
    body = login(client, pembina_banjarbaru).get(changelist).content.decode()
    assert "Siti Rahmawati" in body and "I Wayan Sudi" not in body
    body = login(client, outsider).get(changelist).content.decode()
    assert "Siti Rahmawati" not in body and "I Wayan Sudi" in body
    assert login(client, stranger).get(changelist).status_code == 403
    body = login(client, national_admin).get(changelist).content.decode()
    assert "Siti Rahmawati" in body and "I Wayan Sudi" in body
