"""Intake limits. Anonymous intake is limited per address and hour: the web form and the API
answer 429, keep what was written, and create nothing. The web form takes as many photos as
the service (MAX_PHOTOS), one constant."""

import json

import pytest
from django.core.cache import cache

from conftest import login
from sikim.aspirations.forms import MAX_FORM_PHOTOS
from sikim.aspirations.models import Aspiration
from sikim.aspirations.services.submission import MAX_PHOTOS
from sikim.aspirations.tests.test_pages_public import form_data, jpeg, media  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SUBMIT = "/aspirasi/baru/"
API = "/api/v1/aspirations/"


@pytest.fixture(autouse=True)
def limit(settings):
    settings.SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR = 2
    cache.clear()
    yield
    cache.clear()


def anonymous_form(**overrides):
    return form_data(contact_name="Budi", contact_phone="0812 3456 7890", confirmed="on", **overrides)


def test_the_web_form_refuses_the_third_anonymous_submission(client, kim_guntung_paikat):
    for n in range(2):
        response = client.post(SUBMIT, anonymous_form(title=f"Jalan rusak nomor {n}"))
        assert response.status_code == 302
    text = "Lampu jalan mati sejak seminggu di gang Melati, gelap sekali malam hari."
    refused = client.post(SUBMIT, anonymous_form(title="Lampu jalan mati", text=text))
    body = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many aspirations were sent from your connection" in body
    assert text in body and "Lampu jalan mati" in body  # what was written is kept
    assert Aspiration.objects.count() == 2


def test_a_logged_in_citizen_is_not_limited(client, warga_guntung_paikat, kim_guntung_paikat):
    login(client, warga_guntung_paikat)
    for n in range(4):
        assert client.post(SUBMIT, form_data(title=f"Jalan rusak {n}", confirmed="on")).status_code == 302
    assert Aspiration.objects.count() == 4


def test_invalid_posts_do_not_count(client, kim_guntung_paikat):
    for _ in range(3):
        assert client.post(SUBMIT, anonymous_form(text="")).status_code == 400
    assert client.post(SUBMIT, anonymous_form()).status_code == 302


def anonymous_body(**overrides):
    body = {
        "region": "63.72.05.1004",
        "category": "infrastruktur",
        "text": "Jalan berlubang di depan sekolah.",
        "contact_phone": "081234567890",
    }
    body.update(overrides)
    return body


def test_the_api_answers_429_with_the_error_format(client, kim_guntung_paikat):
    for _ in range(2):
        created = client.post(API, data=json.dumps(anonymous_body()), content_type="application/json")
        assert created.status_code == 201
    refused = client.post(API, data=json.dumps(anonymous_body()), content_type="application/json")
    assert refused.status_code == 429
    error = refused.json()
    assert error["code"] == "too_many_requests" and "Too many submissions" in error["message"]
    assert Aspiration.objects.count() == 2


def test_the_api_is_not_limited_for_a_logged_in_caller(client, warga_guntung_paikat, kim_guntung_paikat):
    login(client, warga_guntung_paikat)
    for _ in range(3):
        body = json.dumps(anonymous_body(contact_phone=""))
        assert client.post(API, data=body, content_type="application/json").status_code == 201


def test_zero_switches_the_limit_off(client, kim_guntung_paikat, settings):
    settings.SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR = 0
    for _ in range(4):
        assert client.post(API, data=json.dumps(anonymous_body()), content_type="application/json").status_code == 201


# --- photos ------------------------------------------------------------------------------------
def test_the_form_takes_as_many_photos_as_the_service(client, warga_guntung_paikat, kim_guntung_paikat):
    assert MAX_FORM_PHOTOS == MAX_PHOTOS == 5
    login(client, warga_guntung_paikat)
    page = client.get(SUBMIT).content.decode()
    assert f"Photos (up to {MAX_PHOTOS})" in page
    photos = [jpeg(f"foto{n}.jpg") for n in range(MAX_PHOTOS)]
    assert client.post(SUBMIT, {**form_data(confirmed="on"), "photos": photos}).status_code == 302
    assert Aspiration.objects.get().photos.count() == MAX_PHOTOS
    too_many = [jpeg(f"foto{n}.jpg") for n in range(MAX_PHOTOS + 1)]
    refused = client.post(SUBMIT, {**form_data(title="Lagi", confirmed="on"), "photos": too_many})
    assert refused.status_code == 400 and f"At most {MAX_PHOTOS} photos" in refused.content.decode()
    assert Aspiration.objects.count() == 1
