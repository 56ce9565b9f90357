"""The autocomplete partial htmx fetches while someone types."""

from django.urls import reverse

from conftest import BANJARBARU, GUNTUNG_PAIKAT
from sikim.wilayah.tests.bad_input import BAD_QUERIES

URL = reverse("wilayah:search")
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_htmx_gets_only_the_results(client, regions):
    response = client.get(URL, {"q": "paikat"}, **HTMX)

    assert response.status_code == 200
    assert "<html" not in response.text
    full_name = "Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"
    assert f'<a href="/wilayah/{GUNTUNG_PAIKAT}/">{full_name}</a>' in response.text


def test_the_city_is_the_first_answer_for_its_name(client, regions):
    body = client.get(URL, {"q": "banjarbaru"}, **HTMX).text

    assert body.index(f'href="/wilayah/{BANJARBARU}/"') < body.index('href="/wilayah/63.72.05/"')


def test_an_empty_query_clears_the_results(client, regions):
    response = client.get(URL, {"q": ""}, **HTMX)

    assert response.status_code == 200
    assert response.text.strip() == ""


def test_without_htmx_it_sends_people_to_the_full_page(client, regions):
    response = client.get(URL, {"q": "guntung paikat"})

    assert response.status_code == 302
    assert response.url == "/wilayah/?q=guntung+paikat"
    assert client.get(URL).url == "/wilayah/"


def test_odd_queries_never_break_the_partial(client, regions, subtests):
    for query in BAD_QUERIES:
        with subtests.test(query=query[:40]):
            assert client.get(URL, {"q": query}, **HTMX).status_code == 200


def test_one_query_per_keystroke(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get(URL, {"q": "sungai"}, **HTMX)
