"""The Daftar Informasi Publik: the body's PPID keeps it; exempted entries carry a reason and no
document; published responses are redacted of personal data."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from sikim.kip.models import RegisterCategory, RegisterEntry
from sikim.kip.selectors.register import register_public
from sikim.kip.services.register import redact, register_entry_save, register_publish_response
from sikim.kip.services.requests import request_decide
from sikim.kip.tests.conftest import wib

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = b"%PDF-1.4\n%%EOF\n"


def test_ppid_publishes_periodic_information_with_a_document(desa_ekasari, ppid_ekasari, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    entry = register_entry_save(
        actor=ppid_ekasari,
        entry=RegisterEntry(
            body=desa_ekasari,
            category=RegisterCategory.BERKALA,
            title="APBDes Desa Ekasari 2026",
            summary="Anggaran desa 2026. Hubungi operator di 0812-3456-7890.",
            year=2026,
            is_published=True,
        ),
        document=SimpleUploadedFile("apbdes.pdf", PDF, content_type="application/pdf"),
    )
    assert entry.published_at is not None and entry.document.name.endswith(".pdf")
    assert "0812-3456-7890" not in entry.summary and "90" in entry.summary
    assert list(register_public(body=desa_ekasari, search="apbdes 2026")) == [entry]
    assert list(register_public(category=RegisterCategory.DIKECUALIKAN)) == []


def test_exempted_information_needs_a_ground_and_never_a_document(desa_ekasari, ppid_ekasari):
    exempted = RegisterEntry(
        body=desa_ekasari, category=RegisterCategory.DIKECUALIKAN, title="Data penerima BLT", year=2026
    )
    with pytest.raises(ValidationError):
        register_entry_save(actor=ppid_ekasari, entry=exempted)
    exempted.exemption_ground, exempted.exemption_reason = "h", "Memuat NIK dan keadaan ekonomi warga."
    with pytest.raises(ValidationError):
        register_entry_save(
            actor=ppid_ekasari,
            entry=exempted,
            document=SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf"),
        )
    register_entry_save(actor=ppid_ekasari, entry=exempted)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEntry.objects.filter(pk=exempted.pk).update(exemption_reason="")


def test_only_the_bodys_ppid_keeps_its_register(desa_ekasari, ppid_dinkes, outsider, petugas_ekasari):
    for actor in (ppid_dinkes, outsider, petugas_ekasari):
        with pytest.raises(PermissionDenied):
            register_entry_save(
                actor=actor,
                entry=RegisterEntry(body=desa_ekasari, category=RegisterCategory.BERKALA, title="X", year=2026),
            )


def test_a_published_response_is_redacted(file, ppid_ekasari):
    request = file()
    decision = request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="granted_full",
        response_text=(
            "Yth. I Made Artana (NIK 5101041203850001, made.artana@sikim.test, 0813 3800 0123): "
            "APBDes 2026 berjumlah Rp 1.250.000.000."
        ),
        now=wib(2026, 3, 26, 10),
    )
    entry = register_publish_response(actor=ppid_ekasari, decision=decision, title="APBDes 2026 (jawaban permohonan)")
    assert entry.category == RegisterCategory.SETIAP_SAAT and entry.is_published
    for secret in ("I Made Artana", "5101041203850001", "made.artana@sikim.test", "3800 0123"):
        assert secret not in entry.summary
    assert "I M*** A*****" in entry.summary and "Rp 1.250.000.000" in entry.summary


def test_a_refusal_is_not_published(file, ppid_ekasari):
    request = file()
    decision = request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="refused",
        exemption_ground="h",
        consequence_test="Rahasia pribadi.",
        now=wib(2026, 3, 26, 10),
    )
    with pytest.raises(ValidationError):
        register_publish_response(actor=ppid_ekasari, decision=decision, title="X")


def test_redact_keeps_ordinary_text():
    assert redact("APBDes 2026 Rp 1.250.000.000") == "APBDes 2026 Rp 1.250.000.000"
