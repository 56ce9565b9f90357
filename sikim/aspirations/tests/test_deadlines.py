"""Service levels in working days on real calendars; overdue cases; closing after the waiting period."""

from datetime import datetime, timedelta

import pytest

from sikim.aspirations.models import AspirationState, ServiceLevel
from sikim.aspirations.selectors.deadlines import aspirations_overdue, is_overdue
from sikim.aspirations.selectors.routing import service_level_for
from sikim.aspirations.services.workflow import (
    aspiration_answer,
    aspiration_confirm,
    aspiration_reopen,
    aspiration_verify,
    aspirations_autoclose,
)
from sikim.aspirations.workdays import JAKARTA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = AspirationState


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=JAKARTA)


def test_a_case_submitted_before_lebaran_2026_is_due_after_the_holidays(
    submit, rules, ketua_guntung_paikat, petugas_pupr
):
    # Tuesday 17 March 2026; 18–24 March are Nyepi, Idul Fitri and cuti bersama.
    aspiration = submit(now=wib(2026, 3, 17, 11, 0))
    assert aspiration.verify_due == wib(2026, 3, 27, 23, 59, 59)
    # Verified and forwarded on Wednesday 25 March: the office has until Wednesday 1 April.
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, now=wib(2026, 3, 25, 8, 0))
    assert aspiration.followup_due == wib(2026, 4, 1, 23, 59, 59)
    # Answered on Thursday 2 April: closes after 10 working days, Good Friday (3 April) skipped.
    aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Sudah ditambal.", now=wib(2026, 4, 2, 10, 0))
    assert aspiration.autoclose_at == wib(2026, 4, 17, 23, 59, 59)


def test_service_levels_are_configurable_by_region(submit, regions):
    assert (service_level_for("63.72.05.1004").verify_days, service_level_for("63.72.05.1004").pk) == (3, None)
    ServiceLevel.objects.create(verify_days=4)
    ServiceLevel.objects.create(region_id="63.72", verify_days=2, followup_days=7)
    assert service_level_for("63.72.05.1004").verify_days == 2
    assert service_level_for("51.01.04.2004").verify_days == 4
    aspiration = submit(now=wib(2026, 2, 2, 9, 0))  # Monday
    assert aspiration.verify_due == wib(2026, 2, 4, 23, 59, 59)


def test_overdue_cases(submit, rules, ketua_guntung_paikat, petugas_pupr):
    waiting = submit(now=wib(2026, 2, 2, 9, 0))  # due Thursday 5 February
    forwarded = submit(now=wib(2026, 2, 2, 9, 0))
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=forwarded, now=wib(2026, 2, 3, 9, 0))  # office: 10 Feb
    answered = submit(now=wib(2026, 2, 2, 9, 0))
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=answered, now=wib(2026, 2, 3, 9, 0))
    aspiration_answer(actor=petugas_pupr, aspiration=answered, answer="Selesai.", now=wib(2026, 2, 3, 10, 0))

    assert list(aspirations_overdue(wib(2026, 2, 5, 23, 0))) == []
    assert list(aspirations_overdue(wib(2026, 2, 6, 0, 0))) == [waiting]
    assert set(aspirations_overdue(wib(2026, 2, 11, 0, 0))) == {waiting, forwarded}
    assert is_overdue(forwarded, wib(2026, 2, 11, 0, 0)) and not is_overdue(answered, wib(2026, 3, 1, 0, 0))


def test_auto_close_after_the_waiting_period_is_idempotent(submit, rules, ketua_guntung_paikat, petugas_pupr):
    aspiration = submit(now=wib(2026, 2, 2, 9, 0))
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, now=wib(2026, 2, 2, 10, 0))
    aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Sudah.", now=wib(2026, 2, 2, 11, 0))
    # 10 working days after Monday 2 February (Imlek cuti bersama 16–17 February): Wednesday 18 February.
    assert aspiration.autoclose_at == wib(2026, 2, 18, 23, 59, 59)
    assert aspirations_autoclose(now=wib(2026, 2, 18, 12, 0)) == 0
    assert aspirations_autoclose(now=wib(2026, 2, 19, 0, 0)) == 1
    assert aspirations_autoclose(now=wib(2026, 2, 19, 0, 0)) == 0  # the task runs twice: nothing more
    aspiration.refresh_from_db()
    assert aspiration.state == S.SELESAI and aspiration.closed_at == wib(2026, 2, 19, 0, 0)
    closed = aspiration.events.get(kind="auto_closed")
    assert (closed.actor, closed.from_state, closed.to_state) == (None, S.DIJAWAB, S.SELESAI)


def test_confirmed_or_reopened_cases_are_not_auto_closed(
    submit, rules, ketua_guntung_paikat, petugas_pupr, warga_guntung_paikat
):
    start = wib(2026, 2, 2, 9, 0)
    first, second = submit(now=start), submit(now=start)
    for aspiration in (first, second):
        aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration, now=start + timedelta(hours=1))
        aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Sudah.", now=start + timedelta(hours=2))
    aspiration_confirm(actor=warga_guntung_paikat, aspiration=first, now=start + timedelta(days=1))
    aspiration_reopen(actor=warga_guntung_paikat, aspiration=second, reason="Belum.", now=start + timedelta(days=1))
    assert aspirations_autoclose(now=wib(2026, 3, 1, 0, 0)) == 0
    second.refresh_from_db()
    assert second.state == S.DITERUSKAN
