import pytest
from django.urls import reverse

from conftest import GUNTUNG_PAIKAT, login
from sikim.accounts.models import Role, RoleGrant
from sikim.accounts.tests.factories import TEST_PASSWORD, UserFactory
from sikim.audit.models import AuditEvent

URL = reverse("accounts:profile")


def _data(user, **overrides):
    data = {
        "full_name": user.full_name,
        "email": user.email or "",
        "phone": user.phone or "",
        "home_region": user.home_region_id or "",
        "preferred_language": user.preferred_language,
        "current_password": "",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={URL}"
    assert client.post(URL, {"full_name": "x"}).status_code == 302


def test_it_shows_the_persons_own_details_and_roles_with_their_scope(client, pembina_banjarbaru, warga_guntung_paikat):
    login(client, pembina_banjarbaru)

    response = client.get(URL)

    assert response.status_code == 200
    assert "pembina.banjarbaru@sikim.test" in response.text
    assert "Pembina (Dinas Kominfo officer)" in response.text
    assert "Kota Banjarbaru" in response.text
    # Nobody else's details.
    assert "siti@sikim.test" not in response.text
    for field in ("full_name", "email", "phone", "home_region", "preferred_language", "current_password"):
        assert f'<label for="id_{field}">' in response.text


def test_the_outsider_sees_only_their_own_roles(client, outsider, pembina_banjarbaru):
    login(client, outsider)

    response = client.get(URL)

    assert "Jembrana" in response.text
    assert "Banjarbaru" not in response.text


def test_the_page_needs_few_queries_however_many_roles(client, national_admin, regions, django_assert_max_num_queries):
    for code in ["63.72.05.1001", "63.72.05.1002", "63.72.05.1003", "63.72.05.1004"]:
        RoleGrant.objects.create(user=national_admin, role=Role.WARGA, region_id=code)
    login(client, national_admin)

    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200


def test_editing_is_saved_and_audited_without_the_password(client, warga_guntung_paikat):
    login(client, warga_guntung_paikat)

    response = client.post(URL, _data(warga_guntung_paikat, full_name="Siti Aminah Rahman", preferred_language="en"))

    assert response.status_code == 302
    warga_guntung_paikat.refresh_from_db()
    assert warga_guntung_paikat.full_name == "Siti Aminah Rahman"
    assert response.cookies["django_language"].value == "en"
    event = AuditEvent.objects.get(action="accounts.user_update_profile")
    assert event.actor == warga_guntung_paikat
    assert event.before == {"full_name": "Siti Aminah", "preferred_language": "id"}
    assert event.after == {"full_name": "Siti Aminah Rahman", "preferred_language": "en"}
    assert "password" not in str(event.before) + str(event.after)
    assert TEST_PASSWORD not in str(event.after)


def test_changing_the_phone_needs_the_current_password_and_normalizes_it(client, warga_guntung_paikat):
    login(client, warga_guntung_paikat)

    refused = client.post(URL, _data(warga_guntung_paikat, phone="0813-5100-0009"))
    assert refused.status_code == 200
    assert "Enter your current password" in refused.text

    client.post(URL, _data(warga_guntung_paikat, phone="0813-5100-0009", current_password=TEST_PASSWORD))
    warga_guntung_paikat.refresh_from_db()
    assert warga_guntung_paikat.phone == "+6281351000009"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": "a" * 10_000}, "at most 150 characters"),
        ({"phone": "12ab", "current_password": TEST_PASSWORD}, "Enter an Indonesian phone number"),
        ({"home_region": "63.72"}, "desa or kelurahan"),
        ({"preferred_language": "xx"}, "Select a valid choice"),
        ({"email": "", "phone": "", "current_password": TEST_PASSWORD}, "Keep an email address or a phone number"),
    ],
)
def test_it_explains_bad_input(client, warga_guntung_paikat, overrides, message):
    login(client, warga_guntung_paikat)

    response = client.post(URL, _data(warga_guntung_paikat, **overrides))

    assert response.status_code == 200
    assert message in response.text
    warga_guntung_paikat.refresh_from_db()
    assert warga_guntung_paikat.full_name == "Siti Aminah"
    assert warga_guntung_paikat.home_region_id == GUNTUNG_PAIKAT
    assert not AuditEvent.objects.filter(action="accounts.user_update_profile").exists()


def test_it_refuses_someone_elses_email(client, warga_guntung_paikat):
    UserFactory(email="taken@contoh.id")
    login(client, warga_guntung_paikat)

    response = client.post(URL, _data(warga_guntung_paikat, email="taken@contoh.id", current_password=TEST_PASSWORD))

    assert "already exists" in response.text
    warga_guntung_paikat.refresh_from_db()
    assert warga_guntung_paikat.email == "siti@sikim.test"
