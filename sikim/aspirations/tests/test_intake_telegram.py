"""Aspirations by Telegram: a linked chat sends ASPIRASI… (or /aspirasi); the receipt goes back there."""

# ruff: noqa: F811 — the fake-server fixture is imported, then taken as a test argument by name

import json

import pytest

from sikim.aspirations.models import Aspiration, Category, IntakeChannel, Visibility
from sikim.dissemination.models import TelegramLink
from sikim.dissemination.tests.conftest import fake_telegram  # noqa: F401 (fixture; the tests take it by name: F811 below)
from sikim.kim.models import KimMember
from sikim.kim.tests.factories import KimMemberFactory

pytestmark = pytest.mark.django_db

URL = "/diseminasi/webhook/telegram/"
SECRET = "telegram-webhook-secret"
GUNTUNG_PAIKAT = "63.72.05.1004"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SIKIM_TELEGRAM_WEBHOOK_SECRET = SECRET


def update(chat_id: int, text: str, message_id: int = 5) -> dict:
    return {
        "update_id": 1000 + message_id,
        "message": {
            "message_id": message_id,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Siti"},
            "chat": {"id": chat_id, "type": "private"},
            "date": 1763900000,
            "text": text,
        },
    }


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(payload, secret=SECRET):
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)

    return _post


@pytest.fixture
def linked_member(kim_guntung_paikat) -> KimMember:
    member: KimMember = KimMemberFactory.create(kim=kim_guntung_paikat, email="", consent_telegram=False)
    TelegramLink.objects.create(member=member, chat_id="777")
    return member


def test_linked_member_makes_an_aspiration_and_gets_the_ticket(post, fake_telegram, linked_member):
    response = post(update(777, "/aspirasi pendidikan Atap kelas 3 SDN Guntung Paikat bocor"))
    assert response.json() == {"result": "aspiration_created"}
    aspiration = Aspiration.objects.get()
    assert (aspiration.channel, aspiration.source_ref, aspiration.region_id, aspiration.category) == (
        IntakeChannel.TELEGRAM,
        "777:5",
        GUNTUNG_PAIKAT,
        Category.PENDIDIKAN,
    )
    assert aspiration.text == "Atap kelas 3 SDN Guntung Paikat bocor"
    assert aspiration.contact_phone == linked_member.phone
    ((chat, text),) = fake_telegram.sent_texts()
    assert chat == "777"
    assert aspiration.code in text
    assert f"/aspirasi/lacak/{aspiration.code}/" in text


def test_member_with_account_is_the_author_and_hears_once(
    post, fake_telegram, kim_guntung_paikat, warga_guntung_paikat
):
    member = KimMemberFactory(kim=kim_guntung_paikat, user=warga_guntung_paikat, consent_telegram=True)
    TelegramLink.objects.create(member=member, chat_id="888")
    post(update(888, "ASPIRASI RAHASIA bansos belum cair untuk lansia di RT 4"))
    aspiration = Aspiration.objects.get()
    assert aspiration.author == warga_guntung_paikat
    assert (aspiration.category, aspiration.visibility) == (Category.SOSIAL, Visibility.CONFIDENTIAL)
    # The citizen's own notice goes to this chat already: it is the one receipt.
    texts = [text for chat, text in fake_telegram.sent_texts() if chat == "888"]
    assert len(texts) == 1
    assert aspiration.code in texts[0]


def test_same_update_twice_makes_one_aspiration_and_one_reply(post, fake_telegram, linked_member):
    first = post(update(777, "ASPIRASI jalan berlubang di jalan Trikora", message_id=9))
    second = post(update(777, "ASPIRASI jalan berlubang di jalan Trikora", message_id=9))
    assert (first.json(), second.json()) == ({"result": "aspiration_created"}, {"result": "aspiration_duplicate"})
    assert Aspiration.objects.count() == 1
    assert len(fake_telegram.sent_texts()) == 1


@pytest.mark.parametrize("secret", [None, "wrong"])
def test_bad_secret_is_403_and_creates_nothing(post, fake_telegram, linked_member, secret):
    response = post(update(777, "ASPIRASI jalan rusak"), secret=secret)
    assert response.status_code == 403
    assert not Aspiration.objects.exists()
    assert not fake_telegram.received


def test_unlinked_chat_is_told_how_to_send(post, fake_telegram, kim_guntung_paikat):
    response = post(update(555, f"ASPIRASI {GUNTUNG_PAIKAT} jalan rusak"))
    assert response.json() == {"result": "aspiration_refused"}
    assert not Aspiration.objects.exists()
    ((chat, text),) = fake_telegram.sent_texts()
    assert chat == "555"
    assert "SMS" in text


def test_bare_command_gets_help(post, fake_telegram, linked_member):
    assert post(update(777, "/aspirasi")).json() == {"result": "aspiration_help"}
    assert not Aspiration.objects.exists()
    ((_chat, text),) = fake_telegram.sent_texts()
    assert "ASPIRASI" in text


def test_too_long_text_is_refused_with_a_reason(post, fake_telegram, linked_member):
    post(update(777, "ASPIRASI jalan " + "x" * 20_000))
    assert not Aspiration.objects.exists()
    ((_chat, text),) = fake_telegram.sent_texts()
    assert "5.000" in text


def test_start_and_stop_still_work(post, fake_telegram, linked_member):
    assert post(update(777, "STOP")).json() == {"result": "unlinked"}
    assert post(update(777, "halo")).json() == {"result": "ignored"}
    assert not Aspiration.objects.exists()
