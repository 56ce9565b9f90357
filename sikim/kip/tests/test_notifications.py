"""The requester hears on their channel when the request is registered, extended, decided and when
the objection is answered. Real protocols against the fake servers on 127.0.0.1."""

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from sikim.dissemination.models import TelegramLink
from sikim.dissemination.tests.conftest import fake_sms, fake_smtp, fake_telegram  # noqa: F401 (fixtures)
from sikim.kim.models import KimMember
from sikim.kip import deadlines
from sikim.kip.models import Decision
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.services.notifications import RequestEvent, notify_requester, request_notify
from sikim.kip.services.objections import objection_answer, objection_file
from sikim.kip.services.requests import request_decide, request_extend, request_file
from sikim.kip.tests.conftest import REQUEST_FIELDS, wib

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the services' on-commit work (enqueueing; tasks run at once in tests) right away."""

    def _run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return _run


def _day(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _mails_to(server, address):
    return [m for m in server.messages if address in m.rcpt_tos]


def test_the_requester_gets_an_email_at_every_step(
    fake_smtp,  # noqa: F811
    run_on_commit,
    desa_ekasari,
    citizen,
    ppid_ekasari,
    atasan_ekasari,
):
    now = timezone.now()
    filed = run_on_commit(request_file, actor=citizen, body=desa_ekasari, now=now, **REQUEST_FIELDS)
    run_on_commit(
        request_extend, actor=ppid_ekasari, request=filed, reason="Arsip sedang dipindahkan ke gedung baru.", now=now
    )
    run_on_commit(request_decide, actor=ppid_ekasari, request=filed, outcome="not_held", now=now)
    objection = run_on_commit(
        objection_file, actor=citizen, request=filed, grounds=["e"], statement="Dokumen itu wajib ada.", now=now
    )
    run_on_commit(objection_answer, actor=atasan_ekasari, objection=objection, answer="Sedang dicari.", now=now)
    mails = _mails_to(fake_smtp, "made.artana@sikim.test")
    assert len(mails) == 4  # registered, extended, decided, objection answered
    registered, extended, decided, answered = (m.body("plain") for m in mails)
    filed.refresh_from_db()
    assert filed.registration_number in registered and filed.tracking_code in registered
    assert f"/informasi/lacak/{filed.tracking_code}/" in registered
    assert "Arsip sedang dipindahkan ke gedung baru." in extended
    calendar = kip_calendar()
    decision = Decision.objects.get(request=filed)
    objection.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        assert str(decision.get_outcome_display()) in decided
        assert _day(deadlines.objection_window_after_decision(calendar, decision.decided_at)) in decided
        assert _day(deadlines.dispute_window_after_answer(calendar, objection.answered_at)) in answered
        assert _day(filed.extended_due) in extended
    for mail in mails:
        assert "5101041203850001" not in mail.body("plain")  # never the identity number
    assert len({m.message["Message-ID"] for m in mails}) == 4


def test_a_phone_only_requester_gets_an_sms(fake_sms, run_on_commit, desa_ekasari):  # noqa: F811
    fields = {**REQUEST_FIELDS, "requester_email": "", "delivery": "ambil"}
    filed = run_on_commit(request_file, actor=None, body=desa_ekasari, now=wib(2026, 3, 17, 10), **fields)
    [sms] = fake_sms.handed_to_phones
    assert sms.to == "+6281338000123"
    assert filed.registration_number in sms.text and filed.tracking_code in sms.text
    assert sms.reference == f"sikim-kip-request-{filed.pk}-registered"


def test_a_kim_member_with_telegram_hears_there_too(
    fake_smtp,  # noqa: F811
    fake_telegram,  # noqa: F811
    run_on_commit,
    desa_ekasari,
    citizen,
    kim_guntung_paikat,
):
    member = KimMember.objects.create(kim=kim_guntung_paikat, name="I Made Artana", user=citizen, consent_telegram=True)
    TelegramLink.objects.create(member=member, chat_id="888001")
    filed = run_on_commit(request_file, actor=citizen, body=desa_ekasari, now=timezone.now(), **REQUEST_FIELDS)
    [(chat, text)] = fake_telegram.sent_texts()
    assert chat == "888001" and filed.tracking_code in text
    assert _mails_to(fake_smtp, "made.artana@sikim.test")


def test_a_switched_off_channel_is_logged_not_raised(run_on_commit, desa_ekasari, settings):
    settings.SIKIM_SMS_GATEWAY_URL = ""
    fields = {**REQUEST_FIELDS, "requester_email": "", "delivery": "ambil"}
    filed = run_on_commit(request_file, actor=None, body=desa_ekasari, now=timezone.now(), **fields)
    assert notify_requester(filed, RequestEvent.REGISTERED) == []


def test_the_task_ignores_unknown_events_and_requests(desa_ekasari):
    assert request_notify.call(999999, "registered") == 0
    assert request_notify.call(1, "nonsense") == 0
