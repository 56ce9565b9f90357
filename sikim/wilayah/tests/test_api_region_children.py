from conftest import BANJARBARU, login


def url(code: str) -> str:
    return f"/api/v1/wilayah/{code}/children"


def test_children_with_their_own_counts(client, regions):
    response = client.get(url(BANJARBARU))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5
    codes = [item["code"] for item in body["items"]]
    assert codes == sorted(codes)
    selatan = next(item for item in body["items"] if item["code"] == "63.72.05")
    assert selatan["children_count"] == 4
    assert selatan["full_name"] == "Banjarbaru Selatan — Kota Banjarbaru, Kalimantan Selatan"


def test_villages_have_no_children(client, regions):
    body = client.get(url("63.72.05.1004")).json()

    assert body == {"items": [], "count": 0}


def test_pages_of_100(client, regions):
    first = client.get(url("51.06.04")).json()
    beyond = client.get(url("51.06.04"), {"page": 2})

    assert first["count"] == 48
    assert len(first["items"]) == 48
    assert beyond.status_code == 200
    assert beyond.json() == {"items": [], "count": 48}


def test_public_for_everyone(client, regions, outsider):
    login(client, outsider)

    assert client.get(url(BANJARBARU)).status_code == 200


def test_unknown_code_is_404_json_and_bad_page_is_422(client, regions):
    missing = client.get(url("99.99"))
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"

    bad_page = client.get(url(BANJARBARU), {"page": "abc"})
    assert bad_page.status_code == 422
    assert bad_page.json()["code"] == "invalid"


def test_queries_are_bounded(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(url("63"))
