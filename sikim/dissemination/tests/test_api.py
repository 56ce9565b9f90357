"""The dissemination API, mounted in a test URLconf until the lead adds the router."""

import pytest
from django.urls import path
from ninja import NinjaAPI

from conftest import login
from sikim.accounts.api_auth import ApiTokenAuth, SessionAuth
from sikim.core.api_errors import install_error_handlers
from sikim.dissemination.api import router
from sikim.dissemination.tests.bulletin_fixtures import member

api = NinjaAPI(auth=[ApiTokenAuth(), SessionAuth()], urls_namespace="dissemination_test_api")
install_error_handlers(api)
api.add_router("/dissemination/", router)
urlpatterns = [path("api/v1/", api.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_create_preview_publish_reach_and_deliveries(
    client, ketua_guntung_paikat, kim_guntung_paikat, django_capture_on_commit_callbacks
):
    member(kim_guntung_paikat, mail=True, sms=True)
    login(client, ketua_guntung_paikat)
    created = client.post(
        "/api/v1/dissemination/bulletins",
        {"publisher_type": "kim", "publisher_id": kim_guntung_paikat.pk, "title": "Gotong royong",
         "body_markdown": "Minggu <script>x()</script>", "kim_slugs": [kim_guntung_paikat.slug]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert "<script" not in created.json()["body_html"]
    audience = client.get(f"/api/v1/dissemination/bulletins/{pk}/audience").json()
    assert audience == {"total": 1, "email": 1, "sms": 1, "whatsapp": 0, "telegram": 0, "webpush": 0}
    with django_capture_on_commit_callbacks(execute=True):
        published = client.post(f"/api/v1/dissemination/bulletins/{pk}/publish", {}, content_type="application/json")
    assert published.json()["status"] == "published"
    reach = client.get(f"/api/v1/dissemination/bulletins/{pk}/reach").json()
    assert reach["email"]["total"] == 1
    deliveries = client.get(f"/api/v1/dissemination/bulletins/{pk}/deliveries?channel=sms").json()
    assert deliveries["count"] == 1
    assert client.get("/api/v1/dissemination/bulletins").json()["count"] == 1


def test_errors(client, ketua_guntung_paikat, kim_guntung_paikat, ketua_ekasari, kim_ekasari):
    login(client, ketua_guntung_paikat)
    outside = client.post(
        "/api/v1/dissemination/bulletins",
        {"publisher_type": "kim", "publisher_id": kim_guntung_paikat.pk, "title": "x", "body_markdown": "x",
         "kim_slugs": [kim_ekasari.slug]},
        content_type="application/json",
    )  # fmt: skip
    assert outside.status_code == 403
    draft = client.post(
        "/api/v1/dissemination/bulletins",
        {"publisher_type": "kim", "publisher_id": kim_guntung_paikat.pk, "title": "x", "body_markdown": "x",
         "kim_slugs": [kim_guntung_paikat.slug]},
        content_type="application/json",
    ).json()  # fmt: skip
    empty = client.post(f"/api/v1/dissemination/bulletins/{draft['id']}/publish", {}, content_type="application/json")
    assert empty.status_code == 422
    login(client, ketua_ekasari)
    assert client.get(f"/api/v1/dissemination/bulletins/{draft['id']}").status_code == 404
