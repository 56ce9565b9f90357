"""Filing, registering, extending and deciding requests: the law's rules and clear refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from sikim.audit.models import AuditEvent
from sikim.kip.models import Decision, InformationRequest, RequestState
from sikim.kip.services.requests import request_decide, request_extend, request_register, request_submit
from sikim.kip.tests.conftest import BEFORE_LEBARAN, REQUEST_FIELDS, end_of, wib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_filing_registers_at_once_with_number_and_deadline(file, desa_ekasari, citizen):
    request = file()
    assert request.state == RequestState.DITERIMA
    assert request.registration_number == f"PPID-{desa_ekasari.pk:04d}-2026-000001"
    assert request.tracking_code.startswith("KIP-2026-")
    assert request.received_at == BEFORE_LEBARAN
    assert request.decision_due == end_of(2026, 4, 8)
    assert request.requester_user == citizen and request.filed_by is None
    assert request.requester_phone == "+6281338000123"
    second = file()
    assert second.registration_number.endswith("-2026-000002")
    events = AuditEvent.objects.filter(object_id=str(request.pk), object_type="kip.informationrequest")
    assert {e.action for e in events} == {"kip.request.submit", "kip.request.register"}
    for event in events:  # the audit log never holds the requester's identity
        assert "Artana" not in str(event.after) and "5101041203850001" not in str(event.after)


def test_numbers_run_per_body_and_year(file, dinkes_jembrana):
    file()
    other = file(body=dinkes_jembrana)
    assert other.registration_number == f"PPID-{dinkes_jembrana.pk:04d}-2026-000001"
    next_year = file(now=wib(2027, 1, 4, 9, 0))
    assert next_year.registration_number.endswith("-2027-000001")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requester_name", "  "),
        ("requester_id_number", ""),
        ("requester_id_number", "<script>"),
        ("requester_address", ""),
        ("requester_phone", "12345"),
        ("requester_email", "not-an-email"),
        ("information", ""),
        ("purpose", ""),
        ("access_form", "telepati"),
        ("delivery", "merpati"),
        ("copy_format", ""),  # a copy needs soft or hard copy
        ("information", "x" * 5001),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(file, field, value):
    with pytest.raises(ValidationError) as refused:
        file(**{field: value})
    assert refused.value.message_dict
    assert InformationRequest.objects.count() == 0


def test_email_delivery_needs_an_email_and_someone_to_reach(file):
    with pytest.raises(ValidationError, match="email"):
        file(requester_email="", delivery="email")
    with pytest.raises(ValidationError, match="phone number or an email"):
        file(requester_email="", requester_phone="", delivery="ambil")


def test_ppid_extends_once_with_a_reason_before_the_deadline(file, ppid_ekasari):
    request = file()
    with pytest.raises(ValidationError, match="reason"):
        request_extend(actor=ppid_ekasari, request=request, reason=" ", now=wib(2026, 4, 1, 9))
    request = request_extend(
        actor=ppid_ekasari,
        request=request,
        reason="Dokumen APBDes masih dalam evaluasi kecamatan dan perlu disalin dari arsip.",
        now=wib(2026, 4, 1, 9),
    )
    assert request.state == RequestState.DIPERPANJANG
    assert request.extended_due == end_of(2026, 4, 17)  # 9, 10, 13, 14, 15, 16, 17 April
    assert request.due_at == end_of(2026, 4, 17)
    with pytest.raises(ValidationError) as twice:
        request_extend(actor=ppid_ekasari, request=request, reason="Sekali lagi, mohon maaf.", now=wib(2026, 4, 2, 9))
    assert "already extended once" in str(twice.value) and "Pasal 22 ayat (8)" in str(twice.value)
    assert InformationRequest.objects.get(pk=request.pk).extended_due == end_of(2026, 4, 17)


def test_no_extension_after_the_deadline(file, ppid_ekasari):
    request = file()
    with pytest.raises(ValidationError, match="before the deadline"):
        request_extend(actor=ppid_ekasari, request=request, reason="Terlambat memperpanjang.", now=wib(2026, 4, 9, 9))


def test_the_database_allows_one_extension_with_a_reason_only(file):
    request = file()
    with pytest.raises(IntegrityError), transaction.atomic():
        InformationRequest.objects.filter(pk=request.pk).update(extended=True, extended_at=request.received_at)


def test_decision_before_registration_is_refused(desa_ekasari, citizen, ppid_ekasari):
    request = request_submit(actor=citizen, body=desa_ekasari, now=BEFORE_LEBARAN, **REQUEST_FIELDS)
    assert request.state == RequestState.DIAJUKAN and request.registration_number is None
    with pytest.raises(ValidationError) as refused:
        request_decide(actor=ppid_ekasari, request=request, outcome="granted_full", now=wib(2026, 3, 25, 9))
    assert "not been registered yet" in str(refused.value)
    assert not Decision.objects.exists()
    # Registered later by the PPID: the clock still runs from when it was received.
    request = request_register(actor=ppid_ekasari, request=request, now=wib(2026, 3, 25, 9))
    assert request.received_at == BEFORE_LEBARAN and request.decision_due == end_of(2026, 4, 8)
    with pytest.raises(ValidationError, match="already registered"):
        request_register(actor=ppid_ekasari, request=request)


def test_refusal_needs_a_pasal_17_ground_and_the_consequence_test(file, ppid_ekasari):
    request = file()
    with pytest.raises(ValidationError) as no_ground:
        request_decide(actor=ppid_ekasari, request=request, outcome="refused", now=wib(2026, 3, 26, 9))
    assert "Pasal 17" in str(no_ground.value)
    with pytest.raises(ValidationError, match="consequence test"):
        request_decide(
            actor=ppid_ekasari, request=request, outcome="refused", exemption_ground="h", now=wib(2026, 3, 26, 9)
        )
    with pytest.raises(ValidationError):
        request_decide(
            actor=ppid_ekasari,
            request=request,
            outcome="granted_full",
            exemption_ground="h",
            now=wib(2026, 3, 26, 9),
        )
    assert not Decision.objects.exists()
    assert InformationRequest.objects.get(pk=request.pk).state == RequestState.DITERIMA
    decision = request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="refused",
        exemption_ground="h",
        consequence_test="Dokumen memuat NIK dan keadaan ekonomi warga; membukanya mengungkap rahasia pribadi.",
        now=wib(2026, 3, 26, 9),
    )
    assert decision.exemption_ground == "h"
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(exemption_ground="")


def test_partial_grant_with_documents(file, ppid_ekasari, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request = file()
    decision = request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="granted_partial",
        exemption_ground="h",
        consequence_test="Lampiran daftar penerima BLT memuat data pribadi; bagian itu dihitamkan.",
        response_text="Terlampir APBDes 2026 tanpa lampiran data penerima BLT.",
        documents=[SimpleUploadedFile("apbdes-2026.pdf", PDF, content_type="application/pdf")],
        now=wib(2026, 4, 8, 15, 0),
    )
    request.refresh_from_db()
    assert request.state == RequestState.DIPUTUSKAN
    assert [d.title for d in decision.documents.all()] == ["apbdes-2026.pdf"]
    with pytest.raises(ValidationError, match="already been decided"):
        request_decide(actor=ppid_ekasari, request=request, outcome="granted_full", now=wib(2026, 4, 9, 9))


def test_a_document_that_is_not_a_pdf_is_refused(file, ppid_ekasari):
    request = file()
    with pytest.raises(ValidationError, match="PDF"):
        request_decide(
            actor=ppid_ekasari,
            request=request,
            outcome="granted_full",
            documents=[SimpleUploadedFile("apbdes.pdf", b"MZ\x90\x00", content_type="application/pdf")],
            now=wib(2026, 3, 26, 9),
        )
    assert not Decision.objects.exists()


def test_only_the_bodys_own_ppid_extends_and_decides(
    file, ppid_dinkes, petugas_ekasari, outsider, national_admin, atasan_ekasari, citizen
):
    request = file()
    for actor in (ppid_dinkes, petugas_ekasari, outsider, atasan_ekasari, citizen):
        with pytest.raises(PermissionDenied):
            request_decide(actor=actor, request=request, outcome="granted_full", now=wib(2026, 3, 26, 9))
        with pytest.raises(PermissionDenied):
            request_extend(actor=actor, request=request, reason="Alasan yang cukup panjang.", now=wib(2026, 3, 26, 9))
    with pytest.raises(PermissionDenied):  # not even a national admin: the decision is the body's
        request_decide(actor=national_admin, request=request, outcome="granted_full", now=wib(2026, 3, 26, 9))
    assert not Decision.objects.exists()


def test_kim_pengurus_files_for_a_citizen(desa_ekasari, ketua_ekasari, stranger):
    from sikim.kip.services.requests import request_file

    request = request_file(actor=ketua_ekasari, body=desa_ekasari, on_behalf=True, now=BEFORE_LEBARAN, **REQUEST_FIELDS)
    assert request.filed_by == ketua_ekasari and request.requester_user is None
    with pytest.raises(PermissionDenied):
        request_file(actor=stranger, body=desa_ekasari, on_behalf=True, now=BEFORE_LEBARAN, **REQUEST_FIELDS)


def test_a_citizen_without_an_account_can_file(desa_ekasari):
    from sikim.kip.services.requests import request_file

    request = request_file(actor=None, body=desa_ekasari, now=BEFORE_LEBARAN, **REQUEST_FIELDS)
    assert request.requester_user is None and request.registration_number


def test_an_inactive_body_takes_no_requests(file, desa_ekasari):
    desa_ekasari.is_active = False
    desa_ekasari.save()
    with pytest.raises(ValidationError, match="active public body"):
        file()
