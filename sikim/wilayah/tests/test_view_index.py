from django.urls import reverse

from conftest import GUNTUNG_PAIKAT, login
from sikim.wilayah.tests.bad_input import BAD_QUERIES

URL = reverse("wilayah:index")
GUNTUNG_PAIKAT_FULL = "Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"


def test_anyone_sees_the_search_box_and_the_provinces(client, regions):
    response = client.get(URL)

    assert response.status_code == 200
    body = response.text
    assert 'type="search"' in body
    assert 'hx-get="/wilayah/cari/"' in body
    assert 'href="/wilayah/63/">Kalimantan Selatan</a>' in body
    assert 'href="/wilayah/51/">Bali</a>' in body


def test_the_provinces_show_their_number_of_kabupaten_kota(client, regions, english):
    body = client.get(URL).text

    assert "13 regencies/cities" in body  # Kalimantan Selatan
    assert "9 regencies/cities" in body  # Bali


def test_a_search_without_javascript_lists_results_with_their_path(client, regions):
    response = client.get(URL, {"q": "Guntung Paikat"})

    assert response.status_code == 200
    assert f'<a href="/wilayah/{GUNTUNG_PAIKAT}/">{GUNTUNG_PAIKAT_FULL}</a>' in response.text
    assert 'value="Guntung Paikat"' in response.text


def test_no_result_says_so(client, regions, english):
    response = client.get(URL, {"q": "zzzzqq"})

    assert "No region matches “zzzzqq”." in response.text


def test_logged_in_people_and_outsiders_see_the_same_public_page(client, regions, outsider):
    login(client, outsider)

    response = client.get(URL, {"q": "paikat"})

    assert response.status_code == 200
    assert GUNTUNG_PAIKAT_FULL in response.text


def test_odd_queries_never_break_the_page(client, regions, subtests):
    for query in BAD_QUERIES:
        with subtests.test(query=query[:40]):
            response = client.get(URL, {"q": query})
            assert response.status_code == 200
    assert "<script>" not in client.get(URL, {"q": "<script>alert(1)</script>"}).text.split("</header>")[1]


def test_only_get_is_allowed(client, regions):
    assert client.post(URL, {"q": "paikat"}).status_code == 405


def test_queries_are_bounded(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(URL, {"q": "selatan"})
