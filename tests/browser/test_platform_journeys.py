"""Main journeys of the platform foundation, walked in a phone-sized Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from sikim.accounts.tests.factories import TEST_PASSWORD
from sikim.audit.services import audit_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_guntung_paikat_with_its_full_path(page: Page):
    page.goto("/")
    search = page.get_by_role("searchbox").first
    search.fill("Guntung Paikat")
    search.press("Enter")
    result = page.get_by_role("link", name=re.compile("Guntung Paikat"))
    expect(result.first).to_contain_text("Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan")
    result.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Guntung Paikat")
    expect(page.get_by_role("navigation", name=re.compile("Breadcrumb|Jejak|Path|Lokasi", re.I))).to_contain_text(
        "Kota Banjarbaru"
    )


def test_autocomplete_answers_while_typing(page: Page):
    page.goto("/wilayah/")
    page.get_by_role("searchbox").first.press_sequentially("paikat", delay=30)
    expect(page.get_by_text("Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan")).to_be_visible()


def test_pembina_logs_in_and_sees_only_their_regions_audit_log(page: Page, pembina_banjarbaru, national_admin):
    audit_record(actor=national_admin, action="demo.banjarbaru_change", region_code="63.72.05.1004")
    audit_record(actor=national_admin, action="demo.jembrana_change", region_code="51.01.04.2004")

    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill("pembina.banjarbaru@sikim.test")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main form button").first.click()
    expect(page).not_to_have_url(re.compile("masuk"))
    page.goto("/audit/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("demo.banjarbaru_change")).to_be_visible()
    expect(page.get_by_text("demo.jembrana_change")).to_have_count(0)
