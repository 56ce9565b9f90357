from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import login
from sikim.accounts.models import ApiToken
from sikim.accounts.services import api_token_create, api_token_revoke

URL = "/api/v1/accounts/me"


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_anonymous_gets_401_json(client, db):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert set(response.json()) == {"code", "message", "details"}


def test_a_session_sees_its_own_profile_and_roles(client, pembina_banjarbaru):
    login(client, pembina_banjarbaru)

    body = client.get(URL).json()

    assert body["email"] == "pembina.banjarbaru@sikim.test"
    assert body["phone"] == "+6281351000001"
    assert body["roles"] == [
        {
            "role": "pembina",
            "role_label": "Pembina (Dinas Kominfo officer)",
            "region_code": "63.72",
            "region_name": pembina_banjarbaru.role_grants.get().region.full_name,
            "organisation_type": None,
            "organisation_id": None,
            "organisation_name": None,
        }
    ]


def test_a_token_works_as_bearer_and_records_its_use(client, warga_guntung_paikat):
    token, plain = api_token_create(actor=warga_guntung_paikat, name="a", scope="read")

    response = client.get(URL, headers=_bearer(plain))

    assert response.status_code == 200
    assert response.json()["id"] == warga_guntung_paikat.pk
    assert response.json()["home_region_code"] == "63.72.05.1004"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_refused(client, warga_guntung_paikat):
    token, plain = api_token_create(actor=warga_guntung_paikat, name="a", scope="read")
    api_token_revoke(actor=warga_guntung_paikat, token=token)

    response = client.get(URL, headers=_bearer(plain))

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_an_expired_token_is_refused(client, warga_guntung_paikat):
    token, plain = api_token_create(actor=warga_guntung_paikat, name="a", scope="read")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert client.get(URL, headers=_bearer(plain)).status_code == 401


def test_the_token_of_a_switched_off_account_is_refused(client, warga_guntung_paikat):
    _token, plain = api_token_create(actor=warga_guntung_paikat, name="a", scope="read")
    warga_guntung_paikat.is_active = False
    warga_guntung_paikat.save()

    assert client.get(URL, headers=_bearer(plain)).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer sikim_nope", "Bearer " + "x" * 10_000, "Basic dXNlcjpwYXNz", "Bearer sikim_\x00"]
)
def test_junk_credentials_are_401_not_500(client, db, header):
    response = client.get(URL, headers={"Authorization": header})

    assert response.status_code == 401
