"""The statistics API: /api/v1/kip/stats and /api/v1/kip/reports/{slug}/{year} (public, counts only)."""

import json

import pytest

from config.api import api
from sikim.kip.tests.test_stats import dataset  # noqa: F401 (fixture)
from sikim.kip.tests.test_stats_views import assert_anonymous

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_region_statistics_as_json(client, dataset):  # noqa: F811
    response = client.get("/api/v1/kip/stats", {"region": "51.01", "year": 2026})
    assert response.status_code == 200
    data = response.json()
    total = data["total"]
    assert (data["scope"], data["region_code"], data["year"]) == ("region", "51.01", 2026)
    assert (total["received"], total["registered"], total["decided"], total["decided_on_time"]) == (8, 7, 5, 3)
    assert total["on_time_rate"] == 0.6 and total["median_working_days"] == 12
    assert total["refused_by_ground"]["h"] == 1 and total["granted_partial_by_ground"]["h"] == 1
    assert total["objections_by_ground"] == {"a": 1, "b": 0, "c": 1, "d": 0, "e": 0, "f": 0, "g": 1}
    assert total["disputes_by_outcome"]["mediated"] == 1
    regions = {line["code"]: line for line in data["regions"]}
    assert regions["51.01"]["own_level"] and regions["51.01.04"]["figures"]["received"] == 7
    assert [b["slug"] for b in data["bodies"]] == ["pemerintah-desa-ekasari", "dinkes-jembrana"]
    assert [y["year"] for y in data["years"]] == [2026, 2025]
    assert_anonymous(response.content.decode(), dataset)


def test_body_statistics_and_the_annual_report(client, dataset):  # noqa: F811
    data = client.get("/api/v1/kip/stats", {"body": "pemerintah-desa-ekasari", "year": 2026}).json()
    assert data["scope"] == "body" and data["total"]["median_working_days"] == 7.5
    response = client.get("/api/v1/kip/reports/pemerintah-desa-ekasari/2026")
    assert response.status_code == 200
    report = response.json()
    assert report["body_name"] == "Pemerintah Desa Ekasari"
    assert report["figures"]["received"] == 7 and report["figures"]["decided_late"] == 1
    assert report["months"][2] == {
        "month": 3,
        "received": 7,
        "decided": 4,
        "granted": 1,
        "refused": 2,
        "decided_on_time": 3,
    }
    assert {c["key"]: c["count"] for c in report["service_time"]}["within_extension"] == 2
    assert_anonymous(response.content.decode(), dataset)


@pytest.mark.parametrize(
    "query",
    [
        {"region": "51.x"},
        {"year": "abc"},
        {"year": 2009},
        {"year": 2999},
        {"body": "bukan slug!"},
        {"region": "51.01", "body": "dinkes-jembrana"},
    ],
)
def test_a_malformed_query_is_a_422(client, regions, query):
    response = client.get("/api/v1/kip/stats", query)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/kip/stats?region=51.99",
        "/api/v1/kip/stats?body=tidak-ada",
        "/api/v1/kip/reports/tidak-ada/2026",
        "/api/v1/kip/reports/pemerintah-desa-ekasari/2009",
        "/api/v1/kip/reports/pemerintah-desa-ekasari/2999",
    ],
)
def test_unknown_things_are_a_404(client, desa_ekasari, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["code"]


def test_a_malformed_report_path_is_a_4xx(client, desa_ekasari):
    assert client.get("/api/v1/kip/reports/pemerintah-desa-ekasari/tahun").status_code in (404, 422)
    assert client.get("/api/v1/kip/reports/bukan%20slug/2026").status_code in (404, 422)


def test_the_operations_are_in_the_openapi_schema():
    schema = json.loads(json.dumps(api.get_openapi_schema()))
    assert "get" in schema["paths"]["/api/v1/kip/stats"]
    assert "get" in schema["paths"]["/api/v1/kip/reports/{slug}/{year}"]
    assert "StatsOut" in schema["components"]["schemas"] and "AnnualReportOut" in schema["components"]["schemas"]
