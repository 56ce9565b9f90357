"""A bulletin's picture and PDF: uploaded through the page, re-encoded, public only once published."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from conftest import login
from sikim.dissemination.models import Bulletin
from sikim.dissemination.services.bulletins import bulletin_publish
from sikim.dissemination.tests.bulletin_fixtures import member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPSInfo: latitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _create(client, office) -> Bulletin:
    response = client.post(
        f"/diseminasi/kelola/baru/?publisher=office:{office.pk}",
        {
            "title": "Jadwal posyandu",
            "body_markdown": "Datang ya",
            "category": "kesehatan",
            "priority": "normal",
            "regions": "63.72",
            "attachment": SimpleUploadedFile("jadwal.pdf", PDF, "application/pdf"),
            "image": SimpleUploadedFile("foto.jpg", _jpeg_with_gps(), "image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Bulletin.objects.get(title="Jadwal posyandu")


def test_files_are_for_managers_until_published_then_public(
    client, pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, outsider
):
    member(kim_guntung_paikat)
    login(client, pembina_banjarbaru)
    bulletin = _create(client, pembina_office_banjarbaru)
    assert bulletin.image and bulletin.attachment
    stored = Image.open(bulletin.image.open("rb"))
    assert not stored.getexif().get(0x8825)  # the GPS position is gone

    assert client.get(f"/diseminasi/buletin/{bulletin.pk}/gambar/").status_code == 200
    anonymous, other = Client(), Client()
    login(other, outsider)
    for visitor in (anonymous, other):
        assert visitor.get(f"/diseminasi/buletin/{bulletin.pk}/gambar/").status_code == 404
        assert visitor.get(f"/diseminasi/buletin/{bulletin.pk}/lampiran/").status_code == 404

    bulletin_publish(actor=pembina_banjarbaru, bulletin=bulletin)
    picture = anonymous.get(f"/diseminasi/buletin/{bulletin.pk}/gambar/")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    pdf = anonymous.get(f"/diseminasi/buletin/{bulletin.pk}/lampiran/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    page = anonymous.get(f"/diseminasi/buletin/{bulletin.pk}/").content.decode()
    assert f"/diseminasi/buletin/{bulletin.pk}/gambar/" in page
    assert f"/diseminasi/buletin/{bulletin.pk}/lampiran/" in page


def test_a_picture_that_is_not_one_is_refused_and_nothing_is_saved(
    client, pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat
):
    member(kim_guntung_paikat)
    login(client, pembina_banjarbaru)
    response = client.post(
        f"/diseminasi/kelola/baru/?publisher=office:{pembina_office_banjarbaru.pk}",
        {
            "title": "Foto palsu",
            "body_markdown": "x",
            "category": "kesehatan",
            "priority": "normal",
            "regions": "63.72",
            "image": SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not a picture", "image/jpeg"),
        },
    )
    assert response.status_code == 200, response.status_code
    assert "bukan gambar yang dapat kami baca" in response.content.decode()
    assert not Bulletin.objects.filter(title="Foto palsu").exists()
