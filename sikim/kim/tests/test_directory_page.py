"""The public KIM directory at /kim/: filters, search, pages, counts, no login, bounded queries."""

import gzip
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from conftest import GUNTUNG_PAIKAT, login
from sikim.kim.models import KimSector, KimStatus, Sector
from sikim.kim.tests.factories import KimFactory, english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/kim/"
SUNGAI_BESAR = "63.72.05.1001"  # another kelurahan of Banjarbaru Selatan
BANJARMASIN_VILLAGE = "63.71.01.1001"


def names(response) -> list[str]:
    return re.findall(r'<a href="/kim/[^"]+/"><strong>([^<]+)</strong></a>', response.content.decode())


@pytest.fixture
def kims(kim_guntung_paikat, kim_ekasari):
    KimSector.objects.create(kim=kim_guntung_paikat, sector=Sector.TEKNOLOGI)
    KimSector.objects.create(kim=kim_ekasari, sector=Sector.PERKEBUNAN)
    sungai_besar = KimFactory(
        name="KIM Sungai Besar", slug="kim-sungai-besar", region_id=SUNGAI_BESAR, status=KimStatus.TERDAFTAR
    )
    proposed = KimFactory(
        name="KIM Usulan Rahasia",
        slug="kim-usulan",
        region_id=SUNGAI_BESAR,
        status=KimStatus.DIUSULKAN,
        registration_number=None,
    )
    dissolved = KimFactory(name="KIM Bubar", slug="kim-bubar", region_id=SUNGAI_BESAR, status=KimStatus.DIBUBARKAN)
    return {"gp": kim_guntung_paikat, "ekasari": kim_ekasari, "sb": sungai_besar, "p": proposed, "d": dissolved}


def test_anyone_sees_the_public_kims_only(client, kims):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["KIM Desa Ekasari", "KIM Guntung Paikat", "KIM Sungai Besar"]
    body = response.content.decode()
    assert "KIM Usulan Rahasia" not in body and "KIM Bubar" not in body
    assert "3 KIMs found" in body
    assert "Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan" in body


def test_logged_in_outsider_sees_the_same_public_list(client, kims, outsider):
    login(client, outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert "KIM Usulan Rahasia" not in response.content.decode()


def test_filter_by_province(client, kims):
    assert names(client.get(URL, {"provinsi": "63"})) == ["KIM Guntung Paikat", "KIM Sungai Besar"]
    assert names(client.get(URL, {"provinsi": "51"})) == ["KIM Desa Ekasari"]


def test_filter_by_kabupaten_and_kecamatan(client, kims):
    assert names(client.get(URL, {"provinsi": "63", "kabupaten": "63.72"})) == [
        "KIM Guntung Paikat",
        "KIM Sungai Besar",
    ]
    assert names(client.get(URL, {"provinsi": "63", "kabupaten": "63.71"})) == []
    response = client.get(URL, {"provinsi": "63", "kabupaten": "63.72", "kecamatan": "63.72.05"})
    assert names(response) == ["KIM Guntung Paikat", "KIM Sungai Besar"]


def test_a_region_code_from_a_region_page_fills_the_selects(client, kims):
    response = client.get(URL, {"wilayah": GUNTUNG_PAIKAT})
    assert names(response) == ["KIM Guntung Paikat"]
    body = response.content.decode()
    assert '<option value="63.72.05" selected>' in body
    assert '<option value="63.72" selected>' in body
    assert names(client.get(URL, {"wilayah": "51.01"})) == ["KIM Desa Ekasari"]


def test_a_kabupaten_of_another_province_is_ignored(client, kims):
    """Without JavaScript the visitor may change the province but keep the old kabupaten."""
    response = client.get(URL, {"provinsi": "51", "kabupaten": "63.72"})
    assert names(response) == ["KIM Desa Ekasari"]


def test_filter_by_status_and_sector(client, kims):
    assert names(client.get(URL, {"status": "terdaftar"})) == ["KIM Sungai Besar"]
    assert names(client.get(URL, {"sektor": "perkebunan"})) == ["KIM Desa Ekasari"]
    assert names(client.get(URL, {"sektor": "teknologi", "provinsi": "63"})) == ["KIM Guntung Paikat"]


def test_hidden_statuses_cannot_be_asked_for(client, kims):
    for status in ("diusulkan", "dibubarkan"):
        response = client.get(URL, {"status": status})
        assert response.status_code == 200
        assert "KIM Usulan Rahasia" not in response.content.decode()
        assert "KIM Bubar" not in response.content.decode()
        assert "Some filters were not understood" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"q": "Guntung Paikat"},
        {"q": "guntung"},
        {"q": "paikat banjarbaru"},
        {"q": "Banjarbaru Selatan"},
        {"q": "27 Juli 2018"},
    ],
)
def test_search_over_name_about_and_places(client, kims, query):
    assert "KIM Guntung Paikat" in names(client.get(URL, query))


def test_search_by_kecamatan_finds_every_kim_there(client, kims):
    assert names(client.get(URL, {"q": "Melaya"})) == ["KIM Desa Ekasari"]
    assert names(client.get(URL, {"q": "Banjarbaru Selatan"})) == ["KIM Guntung Paikat", "KIM Sungai Besar"]


def test_search_for_nothing_says_so(client, kims):
    response = client.get(URL, {"q": "tidak ada yang cocok"})
    assert names(response) == []
    assert "No KIM matches these filters." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"provinsi": "xx"},
        {"provinsi": "99"},
        {"kabupaten": "63.72", "provinsi": "<script>"},
        {"wilayah": "63.72.05.1004.9"},
        {"page": "abc"},
        {"page": "99999"},
        {"q": "a" * 500},
        {"sektor": "nope"},
    ],
)
def test_bad_input_never_breaks_the_page(client, kims, query):
    response = client.get(URL, query)
    assert response.status_code == 200


def test_status_counts_follow_the_other_filters(client, kims):
    body = client.get(URL, {"provinsi": "63"}).content.decode()
    counts = dict(re.findall(r'>\s*(Active|Registered|Formed|Inactive) <span class="count">(\d+)</span>', body))
    assert counts == {"Formed": "0", "Registered": "1", "Active": "1", "Inactive": "0"}


def test_pages_of_25(client, regions):
    for n in range(30):
        KimFactory(name=f"KIM Halaman {n:02d}", slug=f"kim-halaman-{n:02d}")
    first = client.get(URL)
    assert len(names(first)) == 25
    assert "30 KIMs found" in first.content.decode()
    assert "page=2" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert names(second) == [f"KIM Halaman {n:02d}" for n in range(25, 30)]


def test_pages_keep_the_filters(client, regions):
    for n in range(30):
        KimFactory(name=f"KIM Halaman {n:02d}", slug=f"kim-halaman-{n:02d}")
    body = client.get(URL, {"provinsi": "63", "q": "Halaman"}).content.decode()
    assert "wilayah=63&amp;q=Halaman&amp;page=2" in body


def test_the_directory_takes_a_bounded_number_of_queries(client, regions, django_assert_max_num_queries):
    for n in range(40):
        kim = KimFactory(name=f"KIM Q {n:02d}", slug=f"kim-q-{n:02d}")
        KimSector.objects.create(kim=kim, sector=Sector.UMKM)
        KimSector.objects.create(kim=kim, sector=Sector.TEKNOLOGI)
    with django_assert_max_num_queries(7):
        response = client.get(URL, {"provinsi": "63", "kabupaten": "63.72", "kecamatan": "63.72.05"})
    assert len(names(response)) == 25


def test_region_selects_for_htmx(client, regions):
    response = client.get(reverse("kim:region_selects"), {"provinsi": "63"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<option value="63.72">Kota Banjarbaru</option>' in body
    assert "<html" not in body
    response = client.get(reverse("kim:region_selects"), {"provinsi": "63", "kabupaten": "63.72"})
    assert '<option value="63.72.05">Banjarbaru Selatan</option>' in response.content.decode()


def test_the_page_is_light_and_every_field_labelled(client, kims):
    from sikim.core.tests.test_page_quality import _AssetsAndFields

    response = client.get(URL, {"provinsi": "63"})
    parser = _AssetsAndFields()
    parser.feed(response.content.decode())
    size = len(response.content)
    for asset in parser.assets:
        path = finders.find(re.sub(r"^/static/", "", asset.split("?")[0]))
        assert path, asset
        size += len(gzip.compress(Path(path).read_bytes()))
    assert size < 100 * 1024
    for field in parser.fields:
        assert field.get("id") in parser.labels_for or field.get("aria-label"), field


def test_the_map_is_progressive_enhancement(client, kims):
    body = client.get(URL, {"provinsi": "63"}).content.decode()
    assert 'id="kim-map-section"' in body and "hidden" in body
    assert 'data-geojson-url="/kim/peta.geojson?wilayah=63"' in body
    assert "js/kim-map.js" in body


def test_only_get(client, regions):
    assert client.post(URL).status_code == 405
