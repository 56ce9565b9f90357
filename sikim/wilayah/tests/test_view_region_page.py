from django.urls import reverse

from conftest import BANJARBARU, GUNTUNG_PAIKAT, login
from sikim.wilayah import views
from sikim.wilayah.models import Region


def url(code: str) -> str:
    return reverse("wilayah:region", args=[code])


def test_a_village_page_shows_its_path_codes_and_postal_code(client, regions, english):
    response = client.get(url(GUNTUNG_PAIKAT))

    assert response.status_code == 200
    body = response.text
    assert "<h1>Guntung Paikat</h1>" in body
    start = body.index('aria-label="Breadcrumb"')
    breadcrumb = body[start : body.index("</nav>", start)]
    assert (
        breadcrumb.index("Kalimantan Selatan")
        < breadcrumb.index("Kota Banjarbaru")
        < breadcrumb.index("Banjarbaru Selatan")
    )
    assert 'href="/wilayah/63.72/"' in breadcrumb
    assert "Kelurahan" in body
    assert f"<code>{GUNTUNG_PAIKAT}</code>" in body
    assert "70713" in body
    assert 'id="children-heading"' not in body


def test_a_kabupaten_page_lists_its_kecamatan_with_their_village_counts(client, regions, english):
    response = client.get(url(BANJARBARU))

    body = response.text
    assert response.status_code == 200
    assert "<h1>Kota Banjarbaru</h1>" in body
    assert "Districts" in body
    assert 'href="/wilayah/63.72.05/">Banjarbaru Selatan</a>' in body
    row = body[body.index('href="/wilayah/63.72.05/"') :]
    assert "<td>4</td>" in row[: row.index("</tr>")]  # Banjarbaru Selatan has 4 kelurahan
    assert "Postal code" not in body


def test_children_come_100_a_page(client, regions):
    response = client.get(url("51.06.04"))  # the kecamatan with the most villages in the test data: 48

    page = response.context["children"]
    assert page.paginator.per_page == 100
    assert page.paginator.count == 48
    assert len(page.object_list) == 48


def test_further_children_are_on_the_next_pages(client, regions, monkeypatch):
    monkeypatch.setattr(views, "CHILDREN_PAGE_SIZE", 20)

    second = client.get(url("51.06.04"), {"page": "2"})

    assert [child.code for child in second.context["children"]] == [
        child.code for child in Region.objects.filter(parent_id="51.06.04").order_by("code")[20:40]
    ]
    assert 'href="?page=3"' in second.text
    assert 'href="?page=1"' in second.text


def test_a_second_page_and_a_wrong_page_number_still_answer(client, regions):
    assert client.get(url("63"), {"page": "2"}).status_code == 200
    assert client.get(url("63"), {"page": "abc"}).status_code == 200
    assert client.get(url("63"), {"page": "-1"}).status_code == 200


def test_a_region_page_is_public_for_outsiders_too(client, regions, outsider):
    login(client, outsider)

    assert client.get(url(GUNTUNG_PAIKAT)).status_code == 200


def test_unknown_or_malformed_codes_are_404(client, regions, subtests):
    for code in ["99", "63.72.05.9999", "abc", "63..72", "6" * 300, "'; DROP TABLE wilayah_region; --", "%25", "🌾"]:
        with subtests.test(code=code[:40]):
            response = client.get(f"/wilayah/{code}/")
            assert response.status_code == 404
            assert "<!doctype html>" in response.text.lower()


def test_queries_are_bounded(client, regions, django_assert_max_num_queries):
    # The region itself and its children, plus the KIMs inside (a count and a page).
    with django_assert_max_num_queries(6):
        response = client.get(url("63"))
    assert response.status_code == 200
    with django_assert_max_num_queries(4):
        client.get(url(GUNTUNG_PAIKAT))
