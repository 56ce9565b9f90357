"""The directory's map data: /kim/peta.geojson and /api/v1/kim/map, with the directory's filters."""

import pytest

from sikim.kim.models import KimStatus
from sikim.kim.selectors.directory import DirectoryFilters, kim_map_features
from sikim.kim.tests.factories import KimFactory

pytestmark = pytest.mark.django_db

URLS = ["/kim/peta.geojson", "/api/v1/kim/map"]


@pytest.fixture
def points(kim_guntung_paikat, kim_ekasari):
    kim_guntung_paikat.latitude, kim_guntung_paikat.longitude = -3.4583, 114.8347
    kim_guntung_paikat.save()
    kim_ekasari.latitude, kim_ekasari.longitude = -8.268, 114.522
    kim_ekasari.save()
    KimFactory(slug="kim-tanpa-titik", region_id="63.72.05.1001")  # no point: not on the map
    KimFactory(
        slug="kim-usulan", region_id="63.72.05.1001", status=KimStatus.DIUSULKAN, registration_number=None,
        latitude=-3.41, longitude=114.8,
    )  # fmt: skip


def slugs(data) -> set[str]:
    return {feature["properties"]["slug"] for feature in data["features"]}


@pytest.mark.parametrize("url", URLS)
def test_public_kims_with_a_point(client, points, url):
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert slugs(data) == {"kim-guntung-paikat", "kim-desa-ekasari"}
    guntung = next(f for f in data["features"] if f["properties"]["slug"] == "kim-guntung-paikat")
    assert guntung["geometry"] == {"type": "Point", "coordinates": [114.8347, -3.4583]}
    assert guntung["properties"]["name"] == "KIM Guntung Paikat"
    assert guntung["properties"]["village"] == "Guntung Paikat"


@pytest.mark.parametrize("url", URLS)
def test_same_filters_as_the_directory(client, points, url):
    assert slugs(client.get(url, {"wilayah": "63"}).json()) == {"kim-guntung-paikat"}
    assert slugs(client.get(url, {"wilayah": "51.01"}).json()) == {"kim-desa-ekasari"}
    assert slugs(client.get(url, {"q": "ekasari"}).json()) == {"kim-desa-ekasari"}
    assert slugs(client.get(url, {"status": "terdaftar"}).json()) == set()


def test_page_filters_work_on_the_geojson_too(client, points):
    data = client.get("/kim/peta.geojson", {"provinsi": "63", "kabupaten": "63.72"}).json()
    assert slugs(data) == {"kim-guntung-paikat"}


def test_the_page_geojson_is_cacheable_and_typed(client, points):
    response = client.get("/kim/peta.geojson")
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age" in response["Cache-Control"]


def test_bad_filters_on_the_page_geojson_are_ignored(client, points):
    assert client.get("/kim/peta.geojson", {"provinsi": "zz", "status": "x"}).status_code == 200


@pytest.mark.parametrize("query", [{"wilayah": "abc"}, {"status": "diusulkan"}, {"sector": "x"}, {"q": "a" * 101}])
def test_the_api_refuses_wrong_values_with_422(client, points, query):
    response = client.get("/api/v1/kim/map", query)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_many_kims_become_one_point_per_region(points):
    for n in range(6):
        KimFactory(slug=f"kim-bali-{n}", region_id="51.01.04.2004", latitude=-8.3, longitude=114.6)
    everywhere = kim_map_features(DirectoryFilters(), max_points=3)
    assert {f["properties"]["region"]: f["properties"]["count"] for f in everywhere["features"]} == {"51": 7, "63": 1}
    bali = next(f for f in everywhere["features"] if f["properties"]["region"] == "51")
    assert bali["properties"] == {"cluster": True, "count": 7, "region": "51", "name": "Bali"}
    in_bali = kim_map_features(DirectoryFilters(region_code="51"), max_points=3)
    assert [f["properties"]["region"] for f in in_bali["features"]] == ["51.01"]
    assert len(kim_map_features(DirectoryFilters(region_code="51"), max_points=10)["features"]) == 7


def test_the_map_takes_few_queries(client, points, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/kim/map")
