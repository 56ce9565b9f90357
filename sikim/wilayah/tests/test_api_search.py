from conftest import BANJARBARU, GUNTUNG_PAIKAT
from sikim.wilayah.tests.bad_input import BAD_QUERIES

URL = "/api/v1/wilayah/search"


def test_guntung_paikat_is_found_with_its_full_path(client, regions):
    response = client.get(URL, {"q": "Guntung Paikat"})

    assert response.status_code == 200
    first = response.json()[0]
    assert first["code"] == GUNTUNG_PAIKAT
    assert first["full_name"] == "Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"
    assert first["kind"] == "kelurahan"
    assert first["parent_code"] == "63.72.05"
    assert first["postal_code"] == "70713"


def test_a_later_word_finds_it_and_the_city_comes_first(client, regions):
    assert GUNTUNG_PAIKAT in [item["code"] for item in client.get(URL, {"q": "paikat"}).json()]
    assert client.get(URL, {"q": "banjarbaru"}).json()[0]["code"] == BANJARBARU


def test_level_within_and_limit_narrow_the_answer(client, regions):
    response = client.get(URL, {"q": "s", "level": 4, "within": BANJARBARU, "limit": 5})

    items = response.json()
    assert response.status_code == 200
    assert len(items) == 5
    assert all(item["level"] == 4 and item["code"].startswith(f"{BANJARBARU}.") for item in items)


def test_wrong_types_and_ranges_are_422_json(client, regions, subtests):
    for params in [
        {"q": "x", "limit": "abc"},
        {"q": "x", "limit": 0},
        {"q": "x", "limit": 51},
        {"q": "x", "level": 5},
        {"q": "x", "level": "desa"},
        {"q": "x", "within": "63.7"},
        {"q": "x", "within": "'; DROP TABLE wilayah_region; --"},
    ]:
        with subtests.test(params=params):
            response = client.get(URL, params)
            assert response.status_code == 422
            assert response["Content-Type"].startswith("application/json")
            assert response.json()["code"] == "invalid"


def test_odd_queries_answer_200_with_a_list(client, regions, subtests):
    for query in BAD_QUERIES:
        with subtests.test(query=query[:40]):
            response = client.get(URL, {"q": query})
            assert response.status_code == 200
            assert isinstance(response.json(), list)


def test_without_q_the_answer_is_empty(client, regions):
    assert client.get(URL).json() == []


def test_one_query(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get(URL, {"q": "sungai", "limit": 50})
