import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import login
from sikim.dissemination.models import KimInboxItem, OfflineReport
from sikim.dissemination.services.bulletins import bulletin_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_bulletin(pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat):
    bulletin = bulletin_create(
        actor=pembina_banjarbaru,
        publisher=pembina_office_banjarbaru,
        title="Vaksinasi",
        body_markdown="b",
        kims=[kim_guntung_paikat],
    )
    KimInboxItem.objects.create(bulletin=bulletin, kim=kim_guntung_paikat)
    return bulletin


def page_url(kim, bulletin):
    return reverse("dissemination:offline_report", kwargs={"slug": kim.slug, "bulletin_pk": bulletin.pk})


def form_data(**kwargs):
    return {
        "place_type": "posyandu",
        "place_name": "Posyandu Melati",
        "held_on": "2026-11-20",
        "people_reached": "45",
        "notes": "",
    } | kwargs


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("actor_name", ["ketua_guntung_paikat", "pembina_banjarbaru", "national_admin"])
def test_allowed_record_report(request, actor_name, kim_guntung_paikat, city_bulletin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(Client(), request.getfixturevalue(actor_name))
    url = page_url(kim_guntung_paikat, city_bulletin)
    assert client.get(url).status_code == 200
    data = form_data(photo=SimpleUploadedFile("f.jpg", jpeg(), content_type="image/jpeg"))
    response = client.post(url, data)
    assert response.status_code == 302
    report = OfflineReport.objects.get()
    assert (report.people_reached, report.kim, report.bulletin) == (45, kim_guntung_paikat, city_bulletin)
    assert report.photo
    assert "Posyandu Melati" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "actor_name", ["outsider", "ketua_ekasari", "anggota_guntung_paikat", "warga_guntung_paikat", "stranger"]
)
def test_others_get_404(request, actor_name, kim_guntung_paikat, city_bulletin):
    client = login(Client(), request.getfixturevalue(actor_name))
    url = page_url(kim_guntung_paikat, city_bulletin)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not OfflineReport.objects.exists()


def test_anonymous_redirected_to_login(kim_guntung_paikat, city_bulletin):
    assert Client().get(page_url(kim_guntung_paikat, city_bulletin)).status_code == 302


def test_bulletin_not_reaching_kim_is_404(ketua_ekasari, kim_ekasari, city_bulletin):
    client = login(Client(), ketua_ekasari)
    assert client.get(page_url(kim_ekasari, city_bulletin)).status_code == 404


def test_bad_input_shows_errors(ketua_guntung_paikat, kim_guntung_paikat, city_bulletin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(Client(), ketua_guntung_paikat)
    url = page_url(kim_guntung_paikat, city_bulletin)
    assert client.post(url, form_data(people_reached="0")).status_code == 200
    fake = SimpleUploadedFile("f.jpg", b"not a picture", content_type="image/jpeg")
    response = client.post(url, form_data(photo=fake))
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not OfflineReport.objects.exists()
