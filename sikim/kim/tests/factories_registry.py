"""Helpers and fixtures for the KIM lifecycle tests: tiny PDFs and pictures, KIMs at each step."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from sikim.kim.models import Kim, KimStatus
from sikim.kim.services.lifecycle import kim_propose, kim_record_formation

SUNGAI_BESAR = "63.72.05.1001"  # another kelurahan of Kecamatan Banjarbaru Selatan
BANJARBARU_SELATAN = "63.72.05"  # a kecamatan: never a KIM's place
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "sk.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def big_pdf(megabytes: int = 50) -> SimpleUploadedFile:
    """A real PDF signature followed by padding: refused for its size, not its kind."""
    return pdf("besar.pdf", PDF_BYTES + b"0" * (megabytes * 1024 * 1024))


def not_a_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("sk.pdf", b"PK\x03\x04 this is a zip, not a PDF", content_type="application/pdf")


def jpeg(name: str = "foto.jpg", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def propose(actor=None, *, name: str = "KIM Sungai Besar", village: str = SUNGAI_BESAR, **kwargs) -> Kim:
    kwargs.setdefault("proposer_name", "Siti Aminah")
    kwargs.setdefault("proposer_contact", "siti.usul@example.id")
    return kim_propose(actor=actor, name=name, village=village, **kwargs)


def formation_kwargs(**overrides) -> dict:
    values = {
        "held_on": date(2024, 7, 27),
        "place": "Aula Kelurahan Sungai Besar",
        "facilitators": [],
        "facilitator_names": "Kabid IKP",
        "attendees_count": 35,
        "minutes": "Rapat pembentukan KIM.",
        "decree_number": "188.45/012/SB/2024",
        "decree_date": date(2024, 7, 29),
        "decree_issued_by": "Lurah Sungai Besar",
        "decree_pdf": pdf(),
    }
    values.update(overrides)
    return values


def formed(pembina, kim: Kim | None = None, **overrides) -> Kim:
    kim = kim or propose()
    kim_record_formation(actor=pembina, kim=kim, **formation_kwargs(**overrides))
    kim.refresh_from_db()
    return kim


def registered_kim(number: str, *, name: str, village: str = SUNGAI_BESAR) -> Kim:
    """A KIM already registered (made directly, as data imported from before SIKIM would be)."""
    from django.utils.text import slugify

    return Kim.objects.create(
        name=name, slug=slugify(name), region_id=village, status=KimStatus.AKTIF, registration_number=number
    )


@pytest.fixture
def tmp_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english(settings):
    """Read the English texts, so the tests keep passing once Indonesian is translated."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
