"""Objections (keberatan), the atasan PPID's answer and the Komisi Informasi dispute, with their windows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sikim.kip.models import KiDispute, Objection, RequestState
from sikim.kip.services.objections import dispute_outcome, dispute_record, objection_answer, objection_file
from sikim.kip.services.requests import request_decide, request_extend
from sikim.kip.tests.conftest import end_of, wib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def decided(file, ppid_ekasari):
    """Extended on 1 April 2026, then granted in part on Wednesday 15 April 2026 at 10:00."""
    request = file()
    request_extend(
        actor=ppid_ekasari, request=request, reason="Dokumen perlu dipilah dari data pribadi.", now=wib(2026, 4, 1, 9)
    )
    request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="granted_partial",
        exemption_ground="h",
        consequence_test="Data penerima BLT memuat NIK warga.",
        response_text="APBDes 2026 terlampir tanpa daftar penerima BLT.",
        now=wib(2026, 4, 15, 10, 0),
    )
    request.refresh_from_db()
    return request


def test_objection_within_30_working_days_of_the_decision(decided, citizen):
    objection = objection_file(
        actor=citizen, request=decided, grounds=["e", "a"], statement="Mohon dibuka seluruhnya.", now=wib(2026, 5, 4, 9)
    )
    # 30 working days from 16 April 2026: 16–17, 20–24, 27–30 April; 4–8, 11–13, 18–22, 25–26, 29 May
    # (1 May, 14–15 May and 27–28 May off); 1 June is Pancasila, so 2, 3, 4 June.
    assert objection.window_closes == end_of(2026, 6, 4)
    assert objection.answer_due == end_of(2026, 6, 23)
    assert objection.grounds == "a,e"
    decided.refresh_from_db()
    assert decided.state == RequestState.KEBERATAN


def test_objection_after_its_window_is_refused(decided, citizen):
    with pytest.raises(ValidationError) as late:
        objection_file(actor=citizen, request=decided, grounds=["a"], statement="Terlambat.", now=wib(2026, 6, 5, 9))
    assert "ended on" in str(late.value) and "Pasal 36" in str(late.value)
    assert not Objection.objects.exists()
    decided.refresh_from_db()
    assert decided.state == RequestState.DIPUTUSKAN


def test_objection_needs_statutory_grounds(decided, citizen):
    for grounds in ([], ["z"], "x,y", None):
        with pytest.raises(ValidationError):
            objection_file(actor=citizen, request=decided, grounds=grounds, statement="Keberatan.", now=wib(2026, 5, 4))
    assert not Objection.objects.exists()


def test_objection_to_an_unanswered_request_waits_for_the_deadline(file, citizen):
    request = file()  # due 8 April 2026
    with pytest.raises(ValidationError, match="until"):
        objection_file(
            actor=citizen, request=request, grounds=["c"], statement="Belum dijawab.", now=wib(2026, 4, 8, 9)
        )
    objection = objection_file(
        actor=citizen, request=request, grounds=["c", "g"], statement="Tidak dijawab.", now=wib(2026, 4, 9, 9)
    )
    assert objection.window_closes == end_of(2026, 5, 25)  # 30 working days after 8 April


def test_only_the_requester_or_the_ppid_files_and_only_the_atasan_answers(
    decided, citizen, ppid_ekasari, ppid_dinkes, atasan_ekasari, outsider
):
    for actor in (ppid_dinkes, outsider, atasan_ekasari):
        with pytest.raises(PermissionDenied):
            objection_file(actor=actor, request=decided, grounds=["a"], statement="X", now=wib(2026, 5, 4, 9))
    objection = objection_file(actor=citizen, request=decided, grounds=["a"], statement="X", now=wib(2026, 5, 4, 9))
    for actor in (ppid_ekasari, ppid_dinkes, outsider, citizen):
        with pytest.raises(PermissionDenied):
            objection_answer(actor=actor, objection=objection, answer="Ditolak.", now=wib(2026, 5, 20, 9))
    answered = objection_answer(
        actor=atasan_ekasari,
        objection=objection,
        answer="Keberatan ditolak; data pribadi tetap dikecualikan.",
        now=wib(2026, 5, 20, 9),
    )
    assert answered.answered_by == atasan_ekasari
    with pytest.raises(ValidationError, match="already been answered"):
        objection_answer(actor=atasan_ekasari, objection=objection, answer="Lagi.", now=wib(2026, 5, 21, 9))


def test_dispute_within_14_working_days_of_the_answer(decided, citizen, atasan_ekasari, ppid_ekasari):
    objection = objection_file(actor=citizen, request=decided, grounds=["a"], statement="X", now=wib(2026, 5, 4, 9))
    with pytest.raises(ValidationError, match="until"):  # neither answered nor past its deadline
        dispute_record(
            actor=citizen, objection=objection, commission="Komisi Informasi Provinsi Bali", now=wib(2026, 5, 5)
        )
    objection_answer(actor=atasan_ekasari, objection=objection, answer="Ditolak.", now=wib(2026, 5, 20, 9))
    # 14 working days after Wednesday 20 May: 21, 22, 25, 26, 29 May, 2, 3, 4, 5, 8, 9, 10, 11, 12 June.
    with pytest.raises(ValidationError, match="Pasal 37"):
        dispute_record(
            actor=citizen, objection=objection, commission="Komisi Informasi Provinsi Bali", now=wib(2026, 6, 15, 9)
        )
    dispute = dispute_record(
        actor=citizen,
        objection=objection,
        commission="Komisi Informasi Provinsi Bali",
        reference_number="012/V/KIP-BALI-PS/2026",
        filed_at=wib(2026, 6, 12, 10),
        now=wib(2026, 6, 15, 9),
    )
    assert dispute.window_closes == end_of(2026, 6, 12)
    decided.refresh_from_db()
    assert decided.state == RequestState.SENGKETA
    dispute = dispute_outcome(
        actor=ppid_ekasari, dispute=dispute, outcome="mediated", notes="Mediasi berhasil.", outcome_at=wib(2026, 8, 3)
    )
    assert KiDispute.objects.get().outcome == "mediated"
