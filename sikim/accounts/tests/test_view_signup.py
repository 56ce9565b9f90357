import pytest
from django.urls import reverse

from conftest import BANJARBARU, GUNTUNG_PAIKAT, login
from sikim.accounts.models import User
from sikim.accounts.tests.factories import TEST_PASSWORD, UserFactory

URL = reverse("accounts:signup")


def _data(**overrides):
    data = {
        "full_name": "Budi Santoso",
        "email": "",
        "phone": "",
        "password": TEST_PASSWORD,
        "password_confirm": TEST_PASSWORD,
        "home_region": "",
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_with_labels(client, db):
    response = client.get(URL)

    assert response.status_code == 200
    for field in ("full_name", "email", "phone", "password", "password_confirm", "home_region"):
        assert f'<label for="id_{field}">' in response.text


def test_it_signs_up_with_email_and_logs_in(client, db):
    response = client.post(URL, _data(email="Budi@Contoh.ID"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get(email="budi@contoh.id")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_signs_up_with_a_phone_number_stored_as_plus_62(client, db):
    response = client.post(URL, _data(phone="0812-3456-7890"))

    assert response.status_code == 302
    assert User.objects.get().phone == "+6281234567890"


def test_it_accepts_a_home_village_code(client, regions):
    client.post(URL, _data(email="budi@contoh.id", home_region=GUNTUNG_PAIKAT))

    assert User.objects.get(email="budi@contoh.id").home_region_id == GUNTUNG_PAIKAT


@pytest.mark.parametrize("code", [BANJARBARU, "99.99.99.9999", "bukan-kode"])
def test_it_rejects_a_home_region_that_is_not_a_village(client, regions, code):
    response = client.post(URL, _data(email="budi@contoh.id", home_region=code))

    assert response.status_code == 200
    assert "desa or kelurahan" in response.text
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Enter an email address or a phone number"),
        ({"phone": "12ab"}, "Enter an Indonesian phone number"),
        ({"email": "budi@contoh.id", "password_confirm": "lain-sekali-999"}, "The two passwords are not the same"),
        ({"email": "budi@contoh.id", "full_name": "a" * 10_000}, "at most 150 characters"),
        ({"email": "bukan email"}, "valid email"),
        ({"email": "budi@contoh.id", "password": "12345678", "password_confirm": "12345678"}, "too common"),
    ],
)
def test_it_explains_bad_input(client, db, overrides, message):
    response = client.post(URL, _data(**overrides))

    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.exists()


def test_it_says_when_the_email_is_taken(client, db):
    UserFactory(email="budi@contoh.id")

    response = client.post(URL, _data(email="BUDI@contoh.id"))

    assert response.status_code == 200
    assert "already exists" in response.text
    assert User.objects.count() == 1


def test_it_sends_a_logged_in_user_to_their_profile(client, db):
    login(client, UserFactory())

    assert client.get(URL).url == reverse("accounts:profile")
