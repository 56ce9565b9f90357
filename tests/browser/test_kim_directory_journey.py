"""A visitor finds KIM Guntung Paikat in the directory, on the map, and opens its public page."""

import re

import pytest
from playwright.sync_api import Page, expect

from sikim.kim.models import KimSector, Sector
from sikim.kim.tests.factories import KimMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER_PHONE = "+6281351000099"
MEMBER_EMAIL = "rahasia.anggota@example.id"


@pytest.fixture
def guntung_paikat(kim_guntung_paikat, kim_ekasari):
    kim_guntung_paikat.latitude, kim_guntung_paikat.longitude = -3.4583, 114.8347
    kim_guntung_paikat.save()
    KimSector.objects.create(kim=kim_guntung_paikat, sector=Sector.TEKNOLOGI)
    KimMemberFactory(kim=kim_guntung_paikat, name="Siti Anggota", phone=MEMBER_PHONE, email=MEMBER_EMAIL)
    return kim_guntung_paikat


def test_visitor_searches_sees_the_marker_and_opens_the_profile(page: Page, guntung_paikat):
    # No map tiles from the internet in tests: the markers do not need them.
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda route: route.abort())
    page.goto("/kim/")
    search = page.get_by_role("searchbox")
    search.fill("Guntung Paikat")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q=Guntung\+Paikat"))

    results = page.locator("ul.kim-list")
    expect(results.get_by_role("link", name="KIM Guntung Paikat")).to_be_visible()
    expect(results).not_to_contain_text("KIM Desa Ekasari")

    # The map appears (progressive enhancement) with the KIM's marker.
    map_section = page.locator("#kim-map")
    expect(map_section).to_be_visible()
    expect(map_section).to_have_attribute("data-markers", "1")
    marker = page.locator("#kim-map .leaflet-marker-icon").first
    expect(marker).to_be_visible()

    results.get_by_role("link", name="KIM Guntung Paikat").click()
    expect(page).to_have_url(re.compile(r"/kim/kim-guntung-paikat/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("KIM Guntung Paikat")
    path = page.locator("nav.breadcrumb")
    for place in ("Kalimantan Selatan", "Kota Banjarbaru", "Banjarbaru Selatan", "Guntung Paikat"):
        expect(path).to_contain_text(place)
    expect(path.get_by_role("link", name="Kota Banjarbaru")).to_have_attribute("href", "/wilayah/63.72/")

    content = page.content()
    assert MEMBER_PHONE not in content and MEMBER_EMAIL not in content
    assert "Siti Anggota" not in content


def test_region_selects_narrow_down_with_htmx(page: Page, guntung_paikat):
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda route: route.abort())
    page.goto("/kim/")
    selects = page.locator("#region-selects")
    # htmx swaps the whole fieldset; wait until it has settled (its triggers are wired) before
    # the next choice, as a person would see the new list before picking from it.
    settled = re.compile(r"htmx-(request|swapping|settling)")
    page.locator("select[name=provinsi]").select_option("63")
    kabupaten = page.locator("select[name=kabupaten]")
    expect(kabupaten.locator("option[value='63.72']")).to_have_count(1)
    expect(selects).not_to_have_class(settled)
    kabupaten.select_option("63.72")
    kecamatan = page.locator("select[name=kecamatan]")
    expect(kecamatan.locator("option[value='63.72.05']")).to_have_count(1)
    expect(selects).not_to_have_class(settled)
    kecamatan.select_option("63.72.05")
    page.get_by_role("searchbox").press("Enter")
    expect(page).to_have_url(re.compile(r"kecamatan=63\.72\.05"))
    expect(page.locator("ul.kim-list").get_by_role("link", name="KIM Guntung Paikat")).to_be_visible()
    expect(page.locator("ul.kim-list")).not_to_contain_text("KIM Desa Ekasari")
