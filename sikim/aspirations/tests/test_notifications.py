"""Every state change reaches the citizen on their channel; the office hears when a case is routed
to it, and never learns who wrote a confidential one. Real protocols against the fake servers."""

import pytest

from sikim.aspirations.models import Visibility
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_verify
from sikim.dissemination.models import TelegramLink
from sikim.dissemination.tests.conftest import fake_sms, fake_smtp, fake_telegram, fake_whatsapp  # noqa: F401 (fixtures)
from sikim.kim.models import KimMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(request):
    """The fake SMTP server (`fake_smtp` of the dissemination tests)."""
    return request.getfixturevalue("fake_smtp")


@pytest.fixture
def sms(request):
    """The fake SMS server (`fake_sms` of the dissemination tests)."""
    return request.getfixturevalue("fake_sms")


@pytest.fixture
def telegram(request):
    """The fake TELEGRAM server (`fake_telegram` of the dissemination tests)."""
    return request.getfixturevalue("fake_telegram")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the services' on-commit work (enqueueing; tasks run at once in tests) right away."""

    def _run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return _run


def _mails_to(server, address):
    return [m for m in server.messages if address in m.rcpt_tos]


def test_a_logged_in_author_gets_an_email_on_every_change(
    smtp,
    run_on_commit,
    submit,
    rules,
    ketua_guntung_paikat,
    petugas_pupr,
):
    aspiration = run_on_commit(submit)
    run_on_commit(aspiration_verify, actor=ketua_guntung_paikat, aspiration=aspiration)
    run_on_commit(aspiration_answer, actor=petugas_pupr, aspiration=aspiration, answer="Diperbaiki minggu depan.")
    mails = _mails_to(smtp, "siti@sikim.test")
    assert len(mails) == 3  # submitted, verified and forwarded (one message), answered
    for mail in mails:
        text, html = mail.body("plain"), mail.body("html")
        assert aspiration.code in text and aspiration.code in mail.message["Subject"]
        assert f"/{aspiration.code}/" in text and f"/{aspiration.code}/" in html
    assert len({m.message["Message-ID"] for m in mails}) == 3


def test_an_anonymous_contact_email_gets_the_mail(smtp, run_on_commit, submit, kim_guntung_paikat):
    aspiration = run_on_commit(submit, actor=None, contact_email="budi@contoh.id")
    [mail] = _mails_to(smtp, "budi@contoh.id")
    assert aspiration.code in mail.body("plain")


def test_a_phone_only_citizen_gets_an_sms(sms, run_on_commit, submit, kim_guntung_paikat, ketua_guntung_paikat):
    aspiration = run_on_commit(submit, actor=None, contact_phone="0812 5555 1234")
    run_on_commit(aspiration_verify, actor=ketua_guntung_paikat, aspiration=aspiration)
    handed = sms.handed_to_phones
    assert [sms.to for sms in handed] == ["+6281255551234", "+6281255551234"]
    assert all(aspiration.code in sms.text and f"/{aspiration.code}/" in sms.text for sms in handed)
    assert len({sms.reference for sms in handed}) == 2


def test_a_citizen_who_wrote_by_whatsapp_hears_back_on_whatsapp(
    request, sms, run_on_commit, submit, kim_guntung_paikat, ketua_guntung_paikat
):
    whatsapp = request.getfixturevalue("fake_whatsapp")
    aspiration = run_on_commit(
        submit, actor=None, contact_phone="081255551234", channel="whatsapp", source_ref="wamid.T1"
    )
    assert whatsapp.received == []  # the receipt is the intake's own WhatsApp reply, not a notice
    run_on_commit(aspiration_verify, actor=ketua_guntung_paikat, aspiration=aspiration)
    [sent] = whatsapp.received
    payload = sent.json()
    parameters = " ".join(p["text"] for p in payload["template"]["components"][0]["parameters"])
    assert payload["to"] == "6281255551234"
    assert aspiration.code in parameters and f"/{aspiration.code}/" in parameters
    assert sms.handed_to_phones == []  # not twice to the same number


def test_sms_switched_off_is_skipped_without_a_crash(run_on_commit, submit, kim_guntung_paikat, settings, caplog):
    settings.SIKIM_SMS_GATEWAY_URL = ""
    aspiration = run_on_commit(submit, actor=None, contact_phone="081255551234")
    assert aspiration.pk  # submitted; the notice was logged and skipped
    assert "switched off" in caplog.text


def test_a_kim_member_with_telegram_hears_there_too(
    smtp,
    telegram,
    run_on_commit,
    submit,
    kim_guntung_paikat,
    warga_guntung_paikat,
):
    member = KimMember.objects.create(
        kim=kim_guntung_paikat, name="Siti Aminah", user=warga_guntung_paikat, consent_telegram=True
    )
    TelegramLink.objects.create(member=member, chat_id="777001")
    aspiration = run_on_commit(submit)
    [(chat, text)] = telegram.sent_texts()
    assert chat == "777001" and aspiration.code in text
    assert _mails_to(smtp, "siti@sikim.test")


def test_no_telegram_without_consent(telegram, run_on_commit, submit, kim_guntung_paikat, warga_guntung_paikat):
    member = KimMember.objects.create(kim=kim_guntung_paikat, name="Siti", user=warga_guntung_paikat)
    TelegramLink.objects.create(member=member, chat_id="777002")
    run_on_commit(submit)
    assert telegram.sent_texts() == []


def test_the_office_is_told_without_the_confidential_identity(
    smtp,
    run_on_commit,
    submit,
    rules,
    ketua_guntung_paikat,
    petugas_pupr,
    pupr_banjarbaru,
):
    pupr_banjarbaru.email = "pupr@banjarbarukota.go.id"
    pupr_banjarbaru.save()
    aspiration = run_on_commit(
        submit,
        visibility=Visibility.CONFIDENTIAL,
        contact_phone="081277778888",
        text="Saya Siti Aminah, NIK 6372011234567890, jalan rusak.",
    )
    run_on_commit(aspiration_verify, actor=ketua_guntung_paikat, aspiration=aspiration)
    office_mails = _mails_to(smtp, "pupr@banjarbarukota.go.id") + _mails_to(smtp, "petugas.pupr@sikim.test")
    assert len(office_mails) == 2
    for mail in office_mails:
        whole = mail.data.decode("utf-8", "replace") + mail.body("plain") + mail.body("html")
        assert aspiration.code in whole and f"/aspirasi/meja/{aspiration.code}/" in mail.body("plain")
        for secret in ("Siti", "siti@sikim.test", "6281277778888", "81277778888", "6372011234567890", "jalan rusak"):
            assert secret not in whole, secret
