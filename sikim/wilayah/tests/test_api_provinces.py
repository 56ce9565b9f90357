from conftest import login

URL = "/api/v1/wilayah/"


def test_anyone_lists_the_provinces_with_their_kabupaten_counts(client, regions):
    response = client.get(URL)

    assert response.status_code == 200
    provinces = {item["code"]: item for item in response.json()}
    assert set(provinces) == {"51", "63"}  # the test data holds two
    assert provinces["63"]["name"] == "Kalimantan Selatan"
    assert provinces["63"]["children_count"] == 13
    assert provinces["63"]["level"] == 1
    assert provinces["63"]["parent_code"] is None


def test_a_token_is_not_needed_nor_in_the_way(client, regions, outsider):
    login(client, outsider)

    assert client.get(URL).status_code == 200


def test_one_query(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get(URL)
