"""The hourly work: auto-close, escalation of overdue cases (once per deadline) and the daily
digest from 07:00 WIB (once a day). Run twice, it does nothing twice."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sikim.aspirations.models import Aspiration, AspirationState
from sikim.aspirations.services.notifications import (
    DIGEST_ACTION,
    ESCALATION_ACTION,
    aspirations_daily_digest,
    aspirations_escalate,
)
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_verify
from sikim.aspirations.tasks import aspirations_hourly, aspirations_hourly_work
from sikim.audit.models import AuditEvent
from sikim.core.models import DurableTask
from sikim.dissemination.tests.conftest import fake_smtp  # noqa: F401 (fixture)

from .conftest import MONDAY

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def smtp(request):
    """The fake SMTP server (`fake_smtp` of the dissemination tests)."""
    return request.getfixturevalue("fake_smtp")


@pytest.fixture
def overdue_at_office(submit, rules, ketua_guntung_paikat, petugas_pupr, pupr_banjarbaru, django_user_model):
    """A case with Dinas PUPR since Monday 2 Feb 2026, never answered; the office has a head."""
    head = django_user_model.objects.create_user(email="kadis.pupr@sikim.test", full_name="Kepala Dinas PUPR")
    pupr_banjarbaru.head = head
    pupr_banjarbaru.save()
    return aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit(), now=MONDAY)


def test_autoclose_runs_from_the_hourly_task(submit, rules, ketua_guntung_paikat, petugas_pupr):
    aspiration = aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit(), now=MONDAY)
    aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Selesai diperbaiki.", now=MONDAY)
    first = aspirations_hourly_work()
    second = aspirations_hourly_work()
    aspiration.refresh_from_db()
    assert aspiration.state == AspirationState.SELESAI
    assert first["closed"] == 1 and second["closed"] == 0
    assert aspiration.events.filter(kind="auto_closed").count() == 1


def test_escalation_is_sent_once_per_deadline(
    smtp,
    django_capture_on_commit_callbacks,
    overdue_at_office,
    pembina_banjarbaru,
):
    now = MONDAY + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert aspirations_escalate(now=now) == 1
        assert aspirations_escalate(now=now) == 0
        assert aspirations_escalate(now=now + timedelta(hours=1)) == 0
    assert AuditEvent.objects.filter(action=ESCALATION_ACTION).count() == 1
    recipients = sorted(address for mail in smtp.messages for address in mail.rcpt_tos)
    assert recipients == ["kadis.pupr@sikim.test", "pembina.banjarbaru@sikim.test"]
    body = smtp.messages[0].body("plain")
    assert overdue_at_office.code in body and "Siti" not in body


def test_an_escalation_of_a_case_deleted_meanwhile_sends_nothing_and_is_done(
    smtp, django_capture_on_commit_callbacks, overdue_at_office
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert aspirations_escalate(now=MONDAY + timedelta(days=30)) == 1
    Aspiration.objects.filter(pk=overdue_at_office.pk).delete()  # before a worker runs the escalation
    for callback in callbacks:
        callback()
    assert smtp.messages == []
    assert not DurableTask.objects.filter(task_path__endswith="aspiration_escalation_send").exists()  # done


def test_a_new_deadline_is_escalated_again(overdue_at_office, petugas_pupr):
    from sikim.aspirations.services.workflow import aspiration_reopen

    now = MONDAY + timedelta(days=30)
    assert aspirations_escalate(now=now) == 1
    aspiration_answer(actor=petugas_pupr, aspiration=overdue_at_office, answer="Sudah.", now=now)
    aspiration_reopen(actor=overdue_at_office.author, aspiration=overdue_at_office, reason="Belum diperbaiki", now=now)
    assert aspirations_escalate(now=now + timedelta(days=30)) == 1  # the reopened case's new deadline
    assert aspirations_escalate(now=now + timedelta(days=31)) == 0


def test_the_hourly_task_escalates_once(overdue_at_office):
    aspirations_hourly.call_local()
    aspirations_hourly.call_local()
    assert AuditEvent.objects.filter(action=ESCALATION_ACTION).count() == 1


def test_the_daily_digest_goes_once_a_day_from_seven_wib(
    smtp,
    django_capture_on_commit_callbacks,
    overdue_at_office,
    pembina_banjarbaru,
    pembina_office_banjarbaru,
):
    pembina_office_banjarbaru.email = "diskominfo@banjarbarukota.go.id"
    pembina_office_banjarbaru.save()
    early = datetime(2026, 3, 2, 6, 30, tzinfo=JAKARTA)
    assert aspirations_daily_digest(now=early) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert aspirations_daily_digest(now=early.replace(hour=7)) == 2  # the Dinas Kominfo and Dinas PUPR
        assert aspirations_daily_digest(now=early.replace(hour=9)) == 0
    assert AuditEvent.objects.filter(action=DIGEST_ACTION).count() == 2
    kominfo = [m for m in smtp.messages if "diskominfo@banjarbarukota.go.id" in m.rcpt_tos]
    assert len(kominfo) == 1 and overdue_at_office.code in kominfo[0].body("plain")
    office = [m for m in smtp.messages if "petugas.pupr@sikim.test" in m.rcpt_tos]
    assert len(office) == 1 and overdue_at_office.code in office[0].body("plain")
    assert all("Siti" not in m.body("plain") for m in smtp.messages)
    with django_capture_on_commit_callbacks(execute=True):
        assert aspirations_daily_digest(now=early.replace(hour=7) + timedelta(days=1)) == 2  # the next day
