"""The reach API: offline reports (list, record), reach per region of a bulletin, and the region
dashboard's figures."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from conftest import BANJARBARU, GUNTUNG_PAIKAT, JEMBRANA, login
from sikim.audit.models import AuditEvent
from sikim.dissemination.models import DeliveryStatus, OfflineReport
from sikim.dissemination.tests import bulletin_fixtures
from sikim.dissemination.tests.test_reach_dashboard import GP_KECAMATAN, _deliver, _published, _report, scene

kim_landasan = bulletin_fixtures.kim_landasan  # shared fixtures
__all__ = ["scene"]

pytestmark = pytest.mark.django_db

API = "/api/v1/dissemination"


def _post_report(client, bulletin_pk, **kwargs):
    body = {
        "kim": "kim-guntung-paikat",
        "place_type": "posyandu",
        "place_name": "Posyandu Melati",
        "held_on": "2026-11-20",
        "people_reached": 45,
        "notes": "Bersama kader",
    } | kwargs
    return client.post(f"{API}/bulletins/{bulletin_pk}/offline-reports", body, content_type="application/json")


@pytest.mark.parametrize("actor_name", ["ketua_guntung_paikat", "pembina_banjarbaru", "national_admin"])
def test_record_an_offline_report(client, request, actor_name, scene):
    login(client, request.getfixturevalue(actor_name))
    response = _post_report(client, scene.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kim"], body["people_reached"], body["place_type"], body["has_photo"]) == (
        "kim-guntung-paikat",
        45,
        "posyandu",
        False,
    )
    report = OfflineReport.objects.get(pk=body["id"])
    assert report.bulletin == scene and report.notes == "Bersama kader"
    assert AuditEvent.objects.filter(action="dissemination.offline_report", object_id=str(report.pk)).exists()
    # the report counts in the reach
    pembina = login(Client(), request.getfixturevalue("pembina_banjarbaru"))
    regions = pembina.get(f"{API}/bulletins/{scene.pk}/reach/regions").json()
    assert next(r for r in regions if r["code"] == GP_KECAMATAN)["figures"]["offline_people"] == 165


@pytest.mark.parametrize("actor_name", ["outsider", "ketua_ekasari", "anggota_guntung_paikat", "stranger"])
def test_others_cannot_record(client, request, actor_name, scene):
    before = OfflineReport.objects.count()
    login(client, request.getfixturevalue(actor_name))
    assert _post_report(client, scene.pk).status_code in (403, 404)
    assert OfflineReport.objects.count() == before


def test_anonymous_gets_401(scene):
    assert _post_report(Client(), scene.pk).status_code == 401
    assert Client().get(f"{API}/reach/regions/{BANJARBARU}").status_code == 401


@pytest.mark.parametrize(
    "bad",
    [
        {"people_reached": 0},
        {"people_reached": 100_001},
        {"people_reached": "banyak"},
        {"place_type": "casino"},
        {"place_name": ""},
        {"held_on": "kemarin"},
        {"held_on": "9999-12-31"},
        {"kim": "../etc"},
        {"notes": "x" * 2001},
    ],
)
def test_bad_report_input_is_422(client, ketua_guntung_paikat, scene, bad):
    before = OfflineReport.objects.count()
    login(client, ketua_guntung_paikat)
    response = _post_report(client, scene.pk, **bad)
    assert response.status_code == 422, response.content
    assert set(response.json()) >= {"code", "message", "details"}
    assert OfflineReport.objects.count() == before


def test_blank_place_name_from_the_service_is_422(client, ketua_guntung_paikat, scene):
    login(client, ketua_guntung_paikat)
    response = _post_report(client, scene.pk, place_name="   ")
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "place_name"


def test_unknown_kim_or_bulletin_or_one_that_did_not_reach_it_is_404(
    client, ketua_ekasari, pembina_banjarbaru, national_admin, kim_ekasari, scene
):
    login(client, national_admin)
    assert _post_report(client, scene.pk, kim="tidak-ada").status_code == 404
    assert _post_report(client, 999_999).status_code == 404
    assert _post_report(client, scene.pk, kim=kim_ekasari.slug).status_code == 404  # never reached Ekasari


def test_list_reports(client, pembina_banjarbaru, ketua_guntung_paikat, outsider, scene):
    login(client, pembina_banjarbaru)
    listed = client.get(f"{API}/bulletins/{scene.pk}/offline-reports").json()
    assert listed["count"] == 2
    assert sorted(r["people_reached"] for r in listed["items"]) == [30, 120]
    # the ketua lists his own KIM's reports; without ?kim he manages no such bulletin
    login(client, ketua_guntung_paikat)
    own = client.get(f"{API}/bulletins/{scene.pk}/offline-reports", {"kim": "kim-guntung-paikat"}).json()
    assert [r["people_reached"] for r in own["items"]] == [120]
    assert client.get(f"{API}/bulletins/{scene.pk}/offline-reports").status_code == 404
    assert client.get(f"{API}/bulletins/{scene.pk}/offline-reports", {"kim": "kim-landasan-ulin"}).status_code == 404
    login(client, outsider)
    assert client.get(f"{API}/bulletins/{scene.pk}/offline-reports").status_code == 404
    assert client.get(f"{API}/bulletins/{scene.pk}/offline-reports", {"kim": "kim-guntung-paikat"}).status_code == 404


def test_bulletin_reach_per_region(client, pembina_banjarbaru, outsider, ketua_guntung_paikat, kim_landasan, scene):
    login(client, pembina_banjarbaru)
    response = client.get(f"{API}/bulletins/{scene.pk}/reach/regions")
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.json()}
    assert all(len(code) == 8 for code in rows)
    gp = rows[GP_KECAMATAN]["figures"]
    assert gp["statuses"]["read"] == 1 and gp["statuses"]["queued"] == 1
    assert (gp["reached_online"], gp["offline_people"], gp["total_reached"]) == (3, 120, 123)
    assert rows[kim_landasan.region_id[:8]]["figures"]["total_reached"] == 32
    for actor in (outsider, ketua_guntung_paikat):
        login(client, actor)
        assert client.get(f"{API}/bulletins/{scene.pk}/reach/regions").status_code == 404


def test_region_dashboard_figures(client, pembina_banjarbaru, scene):
    login(client, pembina_banjarbaru)
    response = client.get(f"{API}/reach/regions/{BANJARBARU}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["region_code"], body["bulletin_count"], body["category"]) == (BANJARBARU, 1, "")
    assert body["date_to"] == timezone.localdate().isoformat()
    assert body["totals"]["total_reached"] == 155 and body["totals"]["deliveries"] == 7
    assert body["channels"]["email"]["failed"] == 1
    assert {r["code"][:5] for r in body["regions"]} == {BANJARBARU}
    assert [b["id"] for b in body["bulletins"]] == [scene.pk]
    village = client.get(f"{API}/reach/regions/{GUNTUNG_PAIKAT}").json()
    assert [r["code"] for r in village["regions"]] == [GUNTUNG_PAIKAT]
    assert village["totals"]["total_reached"] == 123
    other = client.get(f"{API}/reach/regions/{BANJARBARU}", {"category": "pertanian"}).json()
    assert other["bulletin_count"] == 0 and other["totals"]["total_reached"] == 0


def test_region_dashboard_period(client, pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, scene):
    from sikim.dissemination.services.bulletins import bulletin_create

    old = _published(
        bulletin_create(
            actor=pembina_banjarbaru,
            publisher=pembina_office_banjarbaru,
            title="Lama",
            body_markdown="x",
            kims=[kim_guntung_paikat],
        ),
        days_ago=45,
    )
    _deliver(old, kim_guntung_paikat, ("email", DeliveryStatus.READ))
    login(client, pembina_banjarbaru)
    since = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    assert client.get(f"{API}/reach/regions/{BANJARBARU}").json()["bulletin_count"] == 1
    wide = client.get(f"{API}/reach/regions/{BANJARBARU}", {"date_from": since}).json()
    assert (wide["bulletin_count"], wide["totals"]["deliveries"]) == (2, 8)
    until = (timezone.localdate() - datetime.timedelta(days=40)).isoformat()
    early = client.get(f"{API}/reach/regions/{BANJARBARU}", {"date_from": since, "date_to": until}).json()
    assert [b["id"] for b in early["bulletins"]] == [old.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-02-01", "date_to": "2026-01-01"},
        {"date_from": "kemarin"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"category": "casino"},
    ],
)
def test_region_dashboard_bad_input_is_422(client, pembina_banjarbaru, scene, query):
    login(client, pembina_banjarbaru)
    response = client.get(f"{API}/reach/regions/{BANJARBARU}", query)
    assert response.status_code == 422, response.content
    assert set(response.json()) >= {"code", "message"}


@pytest.mark.parametrize("code", ["99.99", "6372", "63.72.05.1004.1", "x", "63.72'--"])
def test_region_dashboard_unknown_region_is_404(client, national_admin, code):
    login(client, national_admin)
    assert client.get(f"{API}/reach/regions/{code}").status_code == 404


def test_region_dashboard_scope(client, outsider, ketua_guntung_paikat, stranger, national_admin, scene):
    for actor in (outsider, ketua_guntung_paikat, stranger):
        login(client, actor)
        assert client.get(f"{API}/reach/regions/{BANJARBARU}").status_code in (403, 404)
    login(client, outsider)
    own = client.get(f"{API}/reach/regions/{JEMBRANA}").json()
    assert own["bulletin_count"] == 0 and own["totals"]["deliveries"] == 0
    login(client, national_admin)
    assert client.get(f"{API}/reach/regions/63").json()["totals"]["total_reached"] == 155


def test_region_dashboard_queries_are_bounded(
    client, pembina_banjarbaru, pembina_office_banjarbaru, kim_guntung_paikat, scene, django_assert_max_num_queries
):
    from sikim.dissemination.models import KimInboxItem
    from sikim.dissemination.services.bulletins import bulletin_create

    login(client, pembina_banjarbaru)
    with django_assert_max_num_queries(14):
        client.get(f"{API}/reach/regions/{BANJARBARU}")
    for i in range(4):
        more = _published(
            bulletin_create(
                actor=pembina_banjarbaru,
                publisher=pembina_office_banjarbaru,
                title=f"B{i}",
                body_markdown="x",
                kims=[kim_guntung_paikat],
            )
        )
        KimInboxItem.objects.create(bulletin=more, kim=kim_guntung_paikat)
        _deliver(more, kim_guntung_paikat, ("sms", DeliveryStatus.DELIVERED))
        _report(pembina_banjarbaru, more, kim_guntung_paikat, 7)
    with django_assert_max_num_queries(14):
        body = client.get(f"{API}/reach/regions/{BANJARBARU}").json()
    assert body["bulletin_count"] == 5
    assert body["totals"]["offline_people"] == 150 + 28
