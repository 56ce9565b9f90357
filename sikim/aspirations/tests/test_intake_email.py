"""Aspirations by email: the inbound endpoint (raw RFC 822 with a token) and the receive_email command."""

# ruff: noqa: F811 — the fake-server fixture is imported, then taken as a test argument by name

import io
import sys
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sikim.aspirations.models import Aspiration, Category, IntakeChannel, Visibility
from sikim.aspirations.services.intake import EMAIL_MAX_BYTES
from sikim.dissemination.tests.conftest import fake_smtp  # noqa: F401 (fixture; the tests take it by name: F811 below)

pytestmark = pytest.mark.django_db

URL = "/aspirasi/masuk/email/"
SECRET = "inbound-email-secret"
GUNTUNG_PAIKAT = "63.72.05.1004"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SIKIM_INBOUND_EMAIL_SECRET = SECRET


def raw_email(
    *,
    sender: str = "Budi Santoso <budi@example.id>",
    subject: str = "Jalan rusak di depan sekolah",
    text: str | None = "Jalan di depan SDN 2 berlubang besar, sudah ada yang jatuh.",
    html: str | None = None,
    message_id: str = "<abc123@mail.example.id>",
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "aspirasi@sikim.test"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return message.as_bytes()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def _post(raw: bytes, token: str | None = SECRET):
        headers = {"X-Sikim-Token": token} if token is not None else {}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, raw, content_type="message/rfc822", headers=headers)

    return _post


def test_known_account_village_and_reply_with_the_ticket(post, fake_smtp, warga_guntung_paikat, kim_guntung_paikat):
    response = post(raw_email(sender=f"Siti <{warga_guntung_paikat.email.upper()}>"))
    assert response.status_code == 200
    aspiration = Aspiration.objects.get()
    assert response.json() == {"result": "created", "code": aspiration.code}
    assert (aspiration.channel, aspiration.source_ref, aspiration.region_id, aspiration.category) == (
        IntakeChannel.EMAIL,
        "<abc123@mail.example.id>",
        GUNTUNG_PAIKAT,
        Category.INFRASTRUKTUR,
    )
    assert aspiration.title == "Jalan rusak di depan sekolah"
    assert aspiration.contact_email == warga_guntung_paikat.email
    assert aspiration.author is None  # a From header proves nothing
    assert aspiration.visibility == Visibility.PUBLIC_ANONYMOUS
    (mail,) = fake_smtp.messages
    assert mail.rcpt_tos == (warga_guntung_paikat.email,)
    assert aspiration.code in mail.body("plain")
    assert f"/aspirasi/lacak/{aspiration.code}/" in mail.body("plain")


def test_unknown_sender_with_village_code_in_subject(post, fake_smtp, kim_guntung_paikat):
    post(raw_email(subject=f"Banjir di {GUNTUNG_PAIKAT}", text="Air masuk ke rumah warga setiap hujan."))
    aspiration = Aspiration.objects.get()
    assert (aspiration.region_id, aspiration.category, aspiration.contact_email, aspiration.contact_name) == (
        GUNTUNG_PAIKAT,
        Category.LINGKUNGAN,
        "budi@example.id",
        "Budi Santoso",
    )
    assert [m.rcpt_tos for m in fake_smtp.messages] == [("budi@example.id",)]


def test_keyword_format_in_the_subject(post, fake_smtp, kim_guntung_paikat):
    post(
        raw_email(subject=f"ASPIRASI {GUNTUNG_PAIKAT} RAHASIA keamanan", text="Sering ada pencurian motor malam hari.")
    )
    aspiration = Aspiration.objects.get()
    assert (aspiration.category, aspiration.visibility) == (Category.KEAMANAN, Visibility.CONFIDENTIAL)
    assert aspiration.text == "Sering ada pencurian motor malam hari."


def test_html_only_mail_is_read_without_tags(post, fake_smtp, kim_guntung_paikat):
    html = f"<p>Desa {GUNTUNG_PAIKAT}: <b>lampu</b> jalan mati<script>alert(1)</script></p>"
    post(raw_email(text=None, html=html, subject="Lampu"))
    aspiration = Aspiration.objects.get()
    assert "<" not in aspiration.text
    assert "lampu jalan mati" in aspiration.text


def test_same_mail_twice_makes_one_aspiration_and_one_reply(post, fake_smtp, kim_guntung_paikat):
    raw = raw_email(subject=f"Jalan {GUNTUNG_PAIKAT}")
    assert post(raw).json()["result"] == "created"
    assert post(raw).json()["result"] == "duplicate"
    assert Aspiration.objects.count() == 1
    assert len(fake_smtp.messages) == 1


def test_unknown_sender_without_village_gets_help(post, fake_smtp, kim_guntung_paikat):
    assert post(raw_email()).json() == {"result": "help", "code": None}
    assert not Aspiration.objects.exists()
    (mail,) = fake_smtp.messages
    assert mail.rcpt_tos == ("budi@example.id",)
    assert "63.72.05.1004" in mail.body("plain")


def test_too_long_text_is_refused_with_a_reason(post, fake_smtp, kim_guntung_paikat):
    assert post(raw_email(subject=f"Jalan {GUNTUNG_PAIKAT}", text="x" * 20_000)).json()["result"] == "refused"
    assert not Aspiration.objects.exists()
    (mail,) = fake_smtp.messages
    assert "5.000" in mail.body("plain")


def test_auto_replies_are_not_answered(post, fake_smtp, kim_guntung_paikat):
    raw = raw_email(headers={"Auto-Submitted": "auto-replied"}, subject="Out of office")
    assert post(raw).json() == {"result": "ignored", "code": None}
    assert not fake_smtp.messages


@pytest.mark.parametrize("token", [None, "", "wrong"])
def test_bad_token_is_403(post, fake_smtp, kim_guntung_paikat, token):
    response = post(raw_email(subject=f"Jalan {GUNTUNG_PAIKAT}"), token=token)
    assert response.status_code == 403
    assert not Aspiration.objects.exists()


def test_empty_secret_closes_the_endpoint(post, settings, kim_guntung_paikat):
    settings.SIKIM_INBOUND_EMAIL_SECRET = ""
    assert post(raw_email(subject=f"Jalan {GUNTUNG_PAIKAT}"), token="").status_code == 403


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


def test_too_large_is_413(post, kim_guntung_paikat):
    raw = raw_email(subject=f"Jalan {GUNTUNG_PAIKAT}", text="y" * (EMAIL_MAX_BYTES + 10))
    assert post(raw).status_code == 413
    assert not Aspiration.objects.exists()


@pytest.mark.parametrize("raw", [b"", b"\x00\xff garbage", b"From: \r\n\r\nhi", b"From: <<<@>>>\r\n\r\nASPIRASI x"])
def test_garbage_is_ignored_not_500(post, raw):
    response = post(raw)
    assert response.status_code == 200
    assert response.json()["result"] == "ignored"


def run_command(monkeypatch, raw: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("receive_email", stdout=out)
    return out.getvalue()


def test_receive_email_command(monkeypatch, fake_smtp, kim_guntung_paikat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run_command(monkeypatch, raw_email(subject=f"Jalan rusak {GUNTUNG_PAIKAT}"))
    aspiration = Aspiration.objects.get()
    assert output.strip() == f"created {aspiration.code}"
    assert aspiration.channel == IntakeChannel.EMAIL
    assert aspiration.code in fake_smtp.messages[0].body("plain")


def test_receive_email_command_refuses_too_large(monkeypatch, kim_guntung_paikat):
    with pytest.raises(CommandError, match="larger"):
        run_command(monkeypatch, b"x" * (EMAIL_MAX_BYTES + 1))
    assert not Aspiration.objects.exists()
