"""The aspiration journey of issue #5, walked on a phone (Chromium at 360 px) on the live server.

A citizen of Guntung Paikat reports a damaged road; the ketua of KIM Guntung Paikat verifies it;
the routing rule sends it to the public-works office of Kota Banjarbaru; an officer there answers;
the citizen opens the tracking page by ticket code, reads the answer and rates it.

Elements are found by their ids and names, not their words, so the test holds in either language.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from sikim.accounts.tests.factories import UserFactory
from sikim.aspirations.models import Aspiration, AspirationState, Category, RoutingRule
from sikim.aspirations.services.routing import routing_rule_save
from sikim.core.tests.browser import fits_the_phone, log_in, log_out
from sikim.offices.models import GovernmentOffice, OfficeKind
from sikim.offices.services import office_officer_add, office_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path("/tmp/aspirasi-track.png")  # noqa: S108 (asked for by the issue; read by people)
TEXT = "Jalan Guntung Paikat depan SDN berlubang besar sejak hujan minggu lalu, motor sering jatuh."
ANSWER = "Tim Dinas PUPR sudah menambal lubang di depan SDN Guntung Paikat pada hari ini."


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def public_works(pembina_banjarbaru):
    """Dinas PUPR Kota Banjarbaru, the rule "roads in 63.72 go there", and one of its officers."""
    office = office_save(
        actor=pembina_banjarbaru,
        office=GovernmentOffice(
            name="Dinas Pekerjaan Umum dan Penataan Ruang Kota Banjarbaru",
            short_name="Dinas PUPR Kota Banjarbaru",
            kind=OfficeKind.DINAS,
            region_id="63.72",
        ),
    )
    routing_rule_save(
        actor=pembina_banjarbaru,
        rule=RoutingRule(category=Category.INFRASTRUKTUR, region_id="63.72", office=office),
    )
    officer = UserFactory(full_name="Muhammad Rizky", email="petugas.pupr@sikim.test")
    office_officer_add(actor=pembina_banjarbaru, office=office, user=officer)
    return office, officer


def settled(page: Page) -> None:
    """Wait until htmx has no request in flight and has finished swapping."""
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def test_a_damaged_road_from_report_to_rated_answer(
    page: Page, media_root, warga_guntung_paikat, ketua_guntung_paikat, public_works
):
    office, officer = public_works

    # 1. The citizen reports the road; SIKIM already knows her village.
    log_in(page, warga_guntung_paikat)
    page.goto("/aspirasi/baru/")
    assert fits_the_phone(page)
    expect(page.locator("#id_desa")).to_have_value("63.72.05.1004")
    page.locator("#id_text").fill(TEXT)
    page.locator("#id_category").select_option(Category.INFRASTRUKTUR)
    page.locator("#id_title").fill("Jalan rusak di depan SDN Guntung Paikat")
    page.locator("#asp-submit-form > button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aspirasi/lacak/ASP-\d{4}-[0-9A-Z]{6}/terkirim/$"))
    code = page.locator("#asp-ticket-code").inner_text().strip()
    assert fits_the_phone(page)
    aspiration = Aspiration.objects.get(code=code)
    assert aspiration.state == AspirationState.DIAJUKAN and aspiration.author_id == warga_guntung_paikat.pk
    log_out(page)

    # 2. The ketua of KIM Guntung Paikat verifies it from the desk; the rule forwards it.
    log_in(page, ketua_guntung_paikat)
    page.goto("/aspirasi/meja/")
    page.locator(f"a[href='/aspirasi/meja/{code}/']").click()
    expect(page.locator("#action-verify")).to_be_visible()
    assert fits_the_phone(page)
    page.locator("#action-verify button[type=submit]").click()
    expect(page.locator(".notice-success")).to_contain_text(office.name)
    aspiration.refresh_from_db()
    assert aspiration.state == AspirationState.DITERUSKAN and aspiration.office_id == office.pk
    log_out(page)

    # 3. The officer of Dinas PUPR answers.
    log_in(page, officer)
    page.goto("/aspirasi/meja/")
    page.locator(f"a[href='/aspirasi/meja/{code}/']").click()
    page.locator("#action-answer summary").click()
    page.locator("#id_answer-answer").fill(ANSWER)
    page.locator("#action-answer button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    aspiration.refresh_from_db()
    assert aspiration.state == AspirationState.DIJAWAB
    log_out(page)

    # 4. The citizen follows the ticket code, reads the answer and rates it.
    log_in(page, warga_guntung_paikat)
    page.goto("/aspirasi/lacak/")
    page.locator("#id_kode").fill(code.lower())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/aspirasi/lacak/{code}/$"))
    expect(page.locator("#asp-answer")).to_have_text(ANSWER)
    page.locator("#asp-rate input[name=rating][value='5']").check()
    page.locator("#asp-rate button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    assert fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    aspiration.refresh_from_db()
    assert aspiration.rating == 5


def test_htmx_narrows_the_place_suggests_similar_and_the_map_shows_points(
    page: Page, media_root, warga_guntung_paikat, ketua_guntung_paikat, national_admin
):
    from sikim.aspirations.services.submission import aspiration_submit
    from sikim.aspirations.services.workflow import aspiration_verify

    existing = aspiration_submit(
        actor=warga_guntung_paikat,
        region="63.72.05.1004",
        category=Category.INFRASTRUKTUR,
        title="Jalan berlubang depan sekolah",
        text="Lubang besar di jalan depan sekolah.",
        latitude="-3.4431",
        longitude="114.8123",
    )
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=existing)

    # An anonymous visitor picks the place step by step; htmx fills each next select.
    page.goto("/aspirasi/baru/")
    for select, value, next_select, next_value in [
        ("#id_provinsi", "63", "#id_kabupaten", "63.72"),
        ("#id_kabupaten", "63.72", "#id_kecamatan", "63.72.05"),
        ("#id_kecamatan", "63.72.05", "#id_desa", "63.72.05.1004"),
    ]:
        settled(page)
        page.locator(select).select_option(value)
        expect(page.locator(f"{next_select} option[value='{next_value}']")).to_have_count(1)
    settled(page)
    page.locator("#id_desa").select_option("63.72.05.1004")
    page.locator("#id_category").select_option(Category.INFRASTRUKTUR)
    page.locator("#id_text").fill("Jalan berlubang di depan sekolah, bahaya")
    page.locator("#id_text").blur()
    expect(page.locator("#asp-similar")).to_contain_text("Jalan berlubang depan sekolah")
    assert fits_the_phone(page)

    # The public list draws the aspirations that have a point on the map.
    page.goto("/aspirasi/")
    expect(page.locator("#asp-map")).to_have_attribute("data-markers", "1")
    expect(page.locator(f"a[href='/aspirasi/lacak/{existing.code}/']")).to_be_visible()
    assert fits_the_phone(page)
