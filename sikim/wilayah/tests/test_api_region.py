from conftest import BANJARBARU, GUNTUNG_PAIKAT, login


def test_a_region_comes_with_its_path(client, regions):
    response = client.get(f"/api/v1/wilayah/{GUNTUNG_PAIKAT}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Guntung Paikat"
    assert body["full_name"] == "Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"
    assert [(item["code"], item["name"]) for item in body["path"]] == [
        ("63", "Kalimantan Selatan"),
        (BANJARBARU, "Kota Banjarbaru"),
        ("63.72.05", "Banjarbaru Selatan"),
    ]
    assert body["children_count"] == 0


def test_a_province_has_an_empty_path(client, regions):
    body = client.get("/api/v1/wilayah/63").json()

    assert body["path"] == []
    assert body["children_count"] == 13


def test_public_for_everyone(client, regions, outsider):
    login(client, outsider)

    assert client.get(f"/api/v1/wilayah/{BANJARBARU}").status_code == 200


def test_unknown_codes_are_404_json(client, regions, subtests):
    for code in ["99", "63.72.05.9999", "abc", "6" * 300, "%25", "🌾"]:
        with subtests.test(code=code[:40]):
            response = client.get(f"/api/v1/wilayah/{code}")
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"


def test_queries_are_bounded(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(f"/api/v1/wilayah/{GUNTUNG_PAIKAT}")
