"""The statistics and the annual report on a 360 px phone, in Indonesian, without logging in."""

import pytest
from playwright.sync_api import expect

from sikim.core.tests.browser import fits_the_phone
from sikim.kip.tests.test_stats import dataset  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_reads_the_statistics_and_the_annual_report_on_a_phone(page, dataset):  # noqa: F811
    page.goto("/informasi/statistik/?region=51.01&year=2026")
    expect(page.locator("#figure-received strong")).to_have_text("8")
    expect(page.locator("#chart-outcomes svg").first).to_be_visible()
    assert fits_the_phone(page)
    page.locator("#id_region").select_option("51.01.04")
    page.locator("#stats-filter button").click()
    expect(page.locator("#figure-received strong")).to_have_text("7")
    page.locator("#body-pemerintah-desa-ekasari a").first.click()
    expect(page.locator("#figure-median strong")).to_contain_text("7,5")
    assert fits_the_phone(page)
    page.screenshot(path="/tmp/kip-stats-body.png", full_page=True)  # noqa: S108 (for people to look at)
    page.locator("#annual-report").click()
    expect(page.locator("h1")).to_contain_text("2026")
    expect(page.locator("#report-overview")).to_contain_text("Pemerintah Desa Ekasari")
    expect(page.locator("#report-refusals")).to_be_visible()
    assert fits_the_phone(page)
    with page.expect_download() as download:
        page.locator("#report-xlsx").click()
    assert download.value.suggested_filename == "laporan-ppid-pemerintah-desa-ekasari-2026.xlsx"
    page.screenshot(path="/tmp/kip-annual-report.png", full_page=True)  # noqa: S108 (for people to look at)
