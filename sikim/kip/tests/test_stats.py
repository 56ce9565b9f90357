"""Statistics per body and per region, in the reader's scope, without personal data."""

import pytest

from sikim.kip.selectors.stats import body_stats, region_stats, stats_by_body, stats_for_region
from sikim.kip.services.requests import request_decide, request_extend
from sikim.kip.tests.conftest import BEFORE_LEBARAN, wib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def history(file, ppid_ekasari, ppid_dinkes, dinkes_jembrana, dinkes_banjarbaru):
    on_time = file()
    request_decide(actor=ppid_ekasari, request=on_time, outcome="granted_full", now=wib(2026, 3, 27, 10))  # 3 days
    extended = file()
    request_extend(actor=ppid_ekasari, request=extended, reason="Perlu dipilah dari arsip.", now=wib(2026, 4, 1))
    request_decide(  # 14 working days, inside the extension
        actor=ppid_ekasari,
        request=extended,
        outcome="refused",
        exemption_ground="h",
        consequence_test="Rahasia pribadi.",
        now=wib(2026, 4, 14, 10),
    )
    late = file(body=dinkes_jembrana)
    request_decide(
        actor=ppid_dinkes,
        request=late,
        outcome="granted_partial",
        exemption_ground="h",
        consequence_test="Rahasia pribadi.",
        now=wib(2026, 4, 10, 10),
    )  # 12 days, not extended: late
    file()  # undecided
    file(body=dinkes_banjarbaru)  # another province


def test_stats_for_a_pembina_of_the_kabupaten(history, outsider):
    total = stats_for_region(outsider, "51.01", year=2026)
    assert (total.requests, total.decided, total.undecided) == (4, 3, 1)
    assert (total.granted, total.refused, total.not_held) == (2, 1, 0)
    assert total.on_time == 2 and total.on_time_rate == pytest.approx(2 / 3)
    assert total.median_days == 12
    lines = {body.name: stats for body, stats in stats_by_body(outsider, year=2026)}
    assert set(lines) == {"Pemerintah Desa Ekasari", "Dinas Kesehatan Kabupaten Jembrana"}
    assert lines["Pemerintah Desa Ekasari"].requests == 3
    assert lines["Pemerintah Desa Ekasari"].on_time_rate == 1.0


def test_stats_stay_in_scope(history, ppid_ekasari, pembina_banjarbaru, national_admin, stranger):
    assert [body.name for body, _ in stats_by_body(ppid_ekasari)] == ["Pemerintah Desa Ekasari"]
    assert [body.name for body, _ in stats_by_body(pembina_banjarbaru)] == ["Dinas Kesehatan Kota Banjarbaru"]
    assert stats_for_region(pembina_banjarbaru, "51.01").requests == 0
    assert len(stats_by_body(national_admin)) == 3
    assert stats_by_body(stranger) == []
    assert stats_for_region(national_admin, "51", year=2027).requests == 0


# --- the public figures on a constructed data set ------------------------------------------------------------
@pytest.fixture
def dataset(file, citizen, desa_ekasari, ppid_ekasari, ppid_dinkes, dinkes_jembrana, dinkes_banjarbaru, atasan_ekasari):
    """Pemerintah Desa Ekasari in 2026 (all received Tue 17 March 2026, before Nyepi and Lebaran):

    on_time   granted in full on 27 March: 3 working days, on time
    extended  extended on 1 April, refused (ground h) on 14 April: 14 working days, on time
    late      refused (ground a) on 10 April, not extended: 12 working days, late; objection
              (grounds a, g) answered on time, dispute settled by mediation
    not_held  information not held, 27 March: 3 working days, on time
    objected  never decided; objection (ground c) after the deadline passed
    waiting   never decided, no objection: overdue now
    unfiled   submitted, never registered

    Dinas Kesehatan Kabupaten Jembrana: one granted in part (ground h) on 10 April, late. Dinas Kesehatan
    Kota Banjarbaru (another province): one granted in full. Ekasari in 2025: one granted in full.
    """
    from sikim.kip.services.objections import dispute_outcome, dispute_record, objection_answer, objection_file
    from sikim.kip.services.requests import request_submit
    from sikim.kip.tests.conftest import REQUEST_FIELDS

    made = {}
    made["on_time"] = file()
    request_decide(actor=ppid_ekasari, request=made["on_time"], outcome="granted_full", now=wib(2026, 3, 27, 10))
    made["extended"] = file()
    request_extend(actor=ppid_ekasari, request=made["extended"], reason="Arsip dipilah.", now=wib(2026, 4, 1))
    request_decide(
        actor=ppid_ekasari,
        request=made["extended"],
        outcome="refused",
        exemption_ground="h",
        consequence_test="Rahasia pribadi.",
        now=wib(2026, 4, 14, 10),
    )
    made["late"] = file()
    request_decide(
        actor=ppid_ekasari,
        request=made["late"],
        outcome="refused",
        exemption_ground="a",
        consequence_test="Menghambat penegakan hukum.",
        now=wib(2026, 4, 10, 10),
    )
    objection = objection_file(
        actor=citizen, request=made["late"], grounds=["a", "g"], statement="Keberatan.", now=wib(2026, 4, 20, 9)
    )
    objection_answer(actor=atasan_ekasari, objection=objection, answer="Tetap ditolak.", now=wib(2026, 5, 4, 9))
    dispute = dispute_record(
        actor=citizen, objection=objection, commission="Komisi Informasi Provinsi Bali", now=wib(2026, 5, 6, 9)
    )
    dispute_outcome(
        actor=citizen,
        dispute=dispute,
        outcome="mediated",
        reference_number="001/KI-BALI/2026",
        outcome_at=wib(2026, 6, 1),
    )
    made["not_held"] = file()
    request_decide(actor=ppid_ekasari, request=made["not_held"], outcome="not_held", now=wib(2026, 3, 27, 11))
    made["objected"] = file()
    objection_file(
        actor=citizen, request=made["objected"], grounds=["c"], statement="Tidak dijawab.", now=wib(2026, 4, 20, 9)
    )
    made["waiting"] = file()
    made["unfiled"] = request_submit(actor=citizen, body=desa_ekasari, now=BEFORE_LEBARAN, **REQUEST_FIELDS)
    made["dinkes"] = file(body=dinkes_jembrana)
    request_decide(
        actor=ppid_dinkes,
        request=made["dinkes"],
        outcome="granted_partial",
        exemption_ground="h",
        consequence_test="Rahasia pribadi.",
        now=wib(2026, 4, 10, 10),
    )
    made["banjarbaru"] = file(body=dinkes_banjarbaru)
    made["last_year"] = file(now=wib(2025, 6, 2, 10))
    request_decide(actor=ppid_ekasari, request=made["last_year"], outcome="granted_full", now=wib(2025, 6, 4, 10))
    for request in made.values():
        request.refresh_from_db()
    return made


def test_a_body_figures_are_exactly_right(dataset, desa_ekasari):
    page = body_stats(desa_ekasari, 2026, now=wib(2026, 11, 24, 9))
    s = page.total
    assert (s.received, s.requests, s.decided, s.undecided) == (7, 6, 4, 2)
    assert (s.granted_full, s.granted_partial, s.refused, s.not_held) == (1, 0, 2, 1)
    assert (s.on_time, s.late, s.extended, s.overdue) == (3, 1, 1, 1)
    assert s.on_time_rate == 0.75 and s.on_time_percent == 75
    assert sorted(s.working_days or []) == [3, 3, 12, 14]
    assert s.median_days == 7.5
    assert s.refused_by_ground == {**dict.fromkeys("abcdefghij", 0), "a": 1, "h": 1}
    assert sum(s.partial_by_ground.values()) == 0
    assert (s.objections, s.objections_answered, s.objections_answered_on_time) == (2, 1, 1)
    assert s.objections_by_ground == {**dict.fromkeys("abcdefg", 0), "a": 1, "c": 1, "g": 1}
    assert s.disputes == 1 and s.disputes_by_outcome["mediated"] == 1 and s.disputes_by_outcome["pending"] == 0
    years = [(line.year, line.stats.received, line.stats.requests, line.stats.decided) for line in page.years]
    assert years == [(2026, 7, 6, 4), (2025, 1, 1, 1)]  # the unregistered request counts where it was submitted


def test_a_region_adds_up_its_bodies_and_regions_one_level_down(dataset, regions):
    jembrana = regions.get(code="51.01")
    page = region_stats(jembrana, 2026, now=wib(2026, 11, 24, 9))
    s = page.total
    assert (s.received, s.requests, s.decided, s.on_time) == (8, 7, 5, 3)
    assert (s.granted_full, s.granted_partial, s.refused, s.not_held) == (1, 1, 2, 1)
    assert s.on_time_rate == pytest.approx(0.6)
    assert s.median_days == 12
    assert s.partial_by_ground["h"] == 1 and s.refused_by_ground["h"] == 1
    lines = {line.code: line for line in page.regions}
    assert lines["51.01"].own_level and lines["51.01"].stats.received == 1  # the kabupaten's dinas
    assert lines["51.01.04"].stats.received == 7  # Kecamatan Melaya: Desa Ekasari
    assert sum(line.stats.received for line in page.regions) == s.received
    assert all(line.stats.received == 0 for code, line in lines.items() if code not in {"51.01", "51.01.04"})
    assert [line.body.name for line in page.bodies] == ["Pemerintah Desa Ekasari", "Dinas Kesehatan Kabupaten Jembrana"]
    indonesia = region_stats(None, 2026, now=wib(2026, 11, 24, 9))
    assert indonesia.total.received == 9
    assert {line.code: line.stats.received for line in indonesia.regions} == {"51": 8, "63": 1}
    assert region_stats(jembrana, 2025).total.received == 1


def test_a_village_has_no_lines_below_it(dataset, regions):
    page = region_stats(regions.get(code="51.01.04.2004"), 2026)
    assert page.regions == [] and page.total.received == 7


def test_the_median_counts_working_days_on_the_kip_calendar(dataset, desa_ekasari, national_admin):
    """A day the administrator adds off inside the span makes every decision after it a day shorter."""
    from sikim.kip.models import CalendarOverride, OverrideKind

    CalendarOverride.objects.create(date="2026-04-09", kind=OverrideKind.DAY_OFF, reason="Uji")
    s = body_stats(desa_ekasari, 2026).total
    assert sorted(s.working_days or []) == [3, 3, 11, 13]


def test_the_working_day_counter_agrees_with_the_calendar(dataset):
    from sikim.kip.selectors.calendar import kip_calendar
    from sikim.kip.selectors.stats import WorkingDayCounter

    calendar = kip_calendar()
    spans = [(wib(2026, 3, 17, 10), wib(2026, 4, 14, 10)), (wib(2025, 12, 30, 17), wib(2026, 1, 9, 9))]
    spans += [(wib(2026, 3, 17, 10), wib(2026, 3, 17, 15)), (wib(2026, 3, 21, 10), wib(2026, 3, 30, 10))]
    counter = WorkingDayCounter(calendar, spans)
    assert [counter.between(a, b) for a, b in spans] == [calendar.working_days_between(a, b) for a, b in spans]
