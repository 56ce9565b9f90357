import json

import pytest
from django.core import signing
from django.urls import reverse

from sikim.audit.models import AuditEvent
from sikim.dissemination.models import TelegramLink
from sikim.dissemination.services.optout import (
    telegram_link_token,
    telegram_link_token_read,
    telegram_link_url,
)
from sikim.kim.tests.factories import KimMemberFactory

pytestmark = pytest.mark.django_db

URL = "/diseminasi/webhook/telegram/"
SECRET = "telegram-webhook-secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SIKIM_TELEGRAM_WEBHOOK_SECRET = SECRET


def message(chat_id: int, text: str) -> dict:
    return {
        "update_id": 1,
        "message": {
            "message_id": 5,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Siti", "username": "siti"},
            "chat": {"id": chat_id, "type": "private"},
            "date": 1763900000,
            "text": text,
        },
    }


def kicked(chat_id: int) -> dict:
    return {
        "update_id": 2,
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id},
            "date": 1763900000,
            "old_chat_member": {"status": "member", "user": {"id": 1}},
            "new_chat_member": {"status": "kicked", "user": {"id": 1}},
        },
    }


def post(client, update: dict, secret: str | None = SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post(URL, json.dumps(update), content_type="application/json", headers=headers)


@pytest.fixture
def member(kim_guntung_paikat):
    return KimMemberFactory(kim=kim_guntung_paikat, consent_telegram=False)


def test_url_name():
    assert reverse("dissemination:webhook_telegram") == URL


def test_token_fits_telegram_start_parameter(member):
    token = telegram_link_token(member)
    assert len(token) <= 64
    assert all(c.isalnum() or c in "_-" for c in token)
    assert telegram_link_token_read(token) == member.pk


def test_forged_and_expired_tokens_are_refused(member):
    token = telegram_link_token(member)
    assert telegram_link_token_read(token[:-2] + "xx") is None
    assert telegram_link_token_read("1_abc") is None
    assert telegram_link_token_read(token, max_age=-1) is None
    other_salt = signing.TimestampSigner(salt="other").sign(str(member.pk)).replace(":", "_", 2)
    assert telegram_link_token_read(other_salt) is None


def test_link_url(settings, member):
    settings.SIKIM_TELEGRAM_BOT_USERNAME = "@SikimBot"
    url = telegram_link_url(member)
    assert url.startswith("https://t.me/SikimBot?start=")
    assert telegram_link_token_read(url.split("start=", 1)[1]) == member.pk


def test_link_url_needs_bot_username(settings, member):
    settings.SIKIM_TELEGRAM_BOT_USERNAME = ""
    with pytest.raises(ValueError, match="SIKIM_TELEGRAM_BOT_USERNAME"):
        telegram_link_url(member)


@pytest.mark.parametrize("secret", [None, "wrong"])
def test_bad_secret_is_403_and_changes_nothing(client, member, secret):
    response = post(client, message(777, f"/start {telegram_link_token(member)}"), secret=secret)
    assert response.status_code == 403
    assert not TelegramLink.objects.exists()


def test_start_links_chat_and_replies(client, fake_telegram, member):
    response = post(client, message(777, f"/start {telegram_link_token(member)}"))
    assert response.status_code == 200
    assert response.json() == {"result": "linked"}
    link = TelegramLink.objects.get()
    assert (link.member, link.chat_id) == (member, "777")
    member.refresh_from_db()
    assert member.consent_telegram
    assert AuditEvent.objects.filter(action="dissemination.telegram_linked", object_id=str(member.pk)).exists()
    [(chat_id, text)] = fake_telegram.sent_texts()
    assert chat_id == "777"
    assert member.kim.name in text
    # Following the same link again keeps one link.
    post(client, message(777, f"/start {telegram_link_token(member)}"))
    assert TelegramLink.objects.count() == 1
    assert AuditEvent.objects.filter(action="dissemination.telegram_linked").count() == 1


def test_start_with_bad_token_links_nothing(client, fake_telegram, member):
    response = post(client, message(777, "/start forged_token_value"))
    assert response.json() == {"result": "invalid_token"}
    assert not TelegramLink.objects.exists()
    assert len(fake_telegram.sent_texts()) == 1  # tells the person the link is not valid


def test_start_works_when_telegram_reply_fails(client, settings, member):
    settings.SIKIM_TELEGRAM_BOT_TOKEN = ""  # channel switched off: no reply, still linked
    assert post(client, message(777, f"/start {telegram_link_token(member)}")).status_code == 200
    assert TelegramLink.objects.filter(member=member).exists()


def test_chat_moves_to_the_member_of_the_newest_link(client, fake_telegram, member, kim_guntung_paikat):
    other = KimMemberFactory(kim=kim_guntung_paikat)
    post(client, message(777, f"/start {telegram_link_token(member)}"))
    post(client, message(777, f"/start {telegram_link_token(other)}"))
    assert list(TelegramLink.objects.values_list("member_id", "chat_id")) == [(other.pk, "777")]


@pytest.mark.parametrize("update", [message(777, "STOP"), message(777, "/stop"), kicked(777)])
def test_stop_or_block_unlinks_and_withdraws_consent(client, fake_telegram, member, update):
    post(client, message(777, f"/start {telegram_link_token(member)}"))
    response = post(client, update)
    assert response.json() == {"result": "unlinked"}
    assert not TelegramLink.objects.exists()
    member.refresh_from_db()
    assert not member.consent_telegram
    assert AuditEvent.objects.filter(action="dissemination.consent_withdrawn", object_id=str(member.pk)).exists()
    # Again: nothing left to do.
    assert post(client, update).json() == {"result": "ignored"}


def test_unknown_chat_stop_is_ignored(client):
    assert post(client, message(999, "STOP")).json() == {"result": "ignored"}
    assert post(client, {"nonsense": True}).json() == {"result": "ignored"}
