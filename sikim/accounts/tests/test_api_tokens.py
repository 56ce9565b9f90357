import hashlib
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login
from sikim.accounts.models import ApiToken
from sikim.accounts.services import api_token_create
from sikim.accounts.tests.factories import UserFactory

URL = "/api/v1/accounts/tokens"


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def user(db):
    return UserFactory()


def _post(client, payload, **kwargs):
    return client.post(URL, json.dumps(payload), content_type="application/json", **kwargs)


def test_anonymous_gets_401_everywhere(client, user):
    token, _ = api_token_create(actor=user, name="a", scope="read")

    assert client.get(URL).status_code == 401
    assert _post(client, {"name": "x"}).status_code == 401
    assert client.delete(f"{URL}/{token.pk}").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_lists_only_the_callers_tokens_without_secrets(client, user):
    mine, _ = api_token_create(actor=user, name="Punyaku", scope="read")
    api_token_create(actor=UserFactory(), name="Orang lain", scope="read")
    login(client, user)

    body = client.get(URL).json()

    assert [t["name"] for t in body] == ["Punyaku"]
    assert body[0]["prefix"] == mine.prefix
    assert "token" not in body[0] and "token_hash" not in body[0]


def test_creating_returns_the_token_once_and_it_works(client, user):
    login(client, user)

    response = _post(client, {"name": "Skrip", "scope": "write"})

    assert response.status_code == 201
    body = response.json()
    plain = body["token"]
    assert ApiToken.objects.get(pk=body["id"]).token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert not ApiToken.objects.filter(token_hash=plain).exists()
    client.logout()
    me = client.get("/api/v1/accounts/me", headers=_bearer(plain))
    assert me.status_code == 200
    assert me.json()["id"] == user.pk


def test_a_read_token_cannot_create_or_delete(client, user):
    read, plain = api_token_create(actor=user, name="baca", scope="read")

    created = _post(client, {"name": "x", "scope": "write"}, headers=_bearer(plain))
    deleted = client.delete(f"{URL}/{read.pk}", headers=_bearer(plain))

    assert created.status_code in (401, 403)
    assert created.json()["code"] in ("unauthenticated", "forbidden")
    assert deleted.status_code in (401, 403)
    assert ApiToken.objects.count() == 1
    read.refresh_from_db()
    assert read.revoked_at is None


def test_a_write_token_can_create(client, user):
    _write, plain = api_token_create(actor=user, name="tulis", scope="write")

    response = _post(client, {"name": "anak"}, headers=_bearer(plain))

    assert response.status_code == 201
    assert response.json()["scope"] == "read"


def test_it_accepts_a_future_expiry(client, user):
    login(client, user)
    expires = (timezone.now() + timedelta(days=10)).isoformat()

    response = _post(client, {"name": "x", "expires_at": expires})

    assert response.status_code == 201
    assert response.json()["expires_at"] is not None


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": 123},
        {"name": ""},
        {"name": "a" * 10_000},
        {"name": "x", "scope": "admin"},
        {"name": "x", "scope": ["read"]},
        {"name": "x", "expires_at": "besok"},
        {"name": "x", "expires_at": "2030-01-01T00:00:00"},  # no time zone
        {"name": "x", "expires_at": "2001-01-01T00:00:00+07:00"},  # in the past
        {"name": "x", "owner": 1},
        [1, 2],
        "name",
    ],
)
def test_wrong_input_is_422_json(client, user, payload):
    login(client, user)

    response = _post(client, payload)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["details"]
    assert not ApiToken.objects.exists()


def test_a_body_that_is_not_json_is_a_4xx_json(client, user):
    login(client, user)

    response = client.post(URL, "{not json", content_type="application/json")

    assert 400 <= response.status_code < 500
    assert "code" in response.json()


def test_deleting_an_own_token_revokes_it(client, user):
    token, plain = api_token_create(actor=user, name="a", scope="read")
    login(client, user)

    response = client.delete(f"{URL}/{token.pk}")

    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/v1/accounts/me", headers=_bearer(plain)).status_code == 401


def test_a_write_token_can_revoke_itself(client, user):
    token, plain = api_token_create(actor=user, name="a", scope="write")

    assert client.delete(f"{URL}/{token.pk}", headers=_bearer(plain)).status_code == 204
    assert client.get(URL, headers=_bearer(plain)).status_code == 401


def test_deleting_someone_elses_token_is_404(client, user):
    other_token, _ = api_token_create(actor=UserFactory(), name="a", scope="read")
    login(client, user)

    response = client.delete(f"{URL}/{other_token.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    other_token.refresh_from_db()
    assert other_token.revoked_at is None


@pytest.mark.parametrize("token_id", ["abc", "1.5", str(10**30), "-1"])
def test_a_bad_id_is_a_4xx_json(client, user, token_id):
    login(client, user)

    response = client.delete(f"{URL}/{token_id}")

    assert response.status_code in (404, 422)
    assert "code" in response.json()


def test_the_endpoints_are_in_the_openapi_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {"/api/v1/accounts/me", "/api/v1/accounts/tokens", "/api/v1/accounts/tokens/{token_id}"} <= set(paths)


def test_a_session_post_without_the_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    login(client, user)

    response = _post(client, {"name": "x"})

    assert response.status_code in (401, 403)
    assert not ApiToken.objects.exists()
