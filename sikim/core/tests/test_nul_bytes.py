"""NUL characters are refused up front: PostgreSQL would fail on them with a 500."""

import json

import pytest

from conftest import login

pytestmark = pytest.mark.django_db


def test_query_string_with_nul_is_a_clear_400_on_pages_and_api(client, regions, national_admin):
    assert client.get("/wilayah/", {"q": "guntung\x00"}).status_code == 400
    login(client, national_admin)
    response = client.get("/api/v1/audit/events", {"action": "\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_json_and_form_bodies_with_nul_are_refused(client, regions, national_admin):
    login(client, national_admin)
    response = client.post(
        "/api/v1/accounts/tokens", data=json.dumps({"name": "a\u0000b"}), content_type="application/json"
    )
    assert response.status_code == 400
    client.logout()
    response = client.post("/akun/masuk/", "username=%00&password=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_ordinary_requests_pass(client, regions):
    assert client.get("/wilayah/", {"q": "guntung"}).status_code == 200
