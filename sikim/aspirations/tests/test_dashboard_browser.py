"""The dashboard on a 360 px phone: figures, inline-SVG charts, no sideways scrolling, downloads."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sikim.accounts.tests.factories import TEST_PASSWORD
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_verify
from sikim.core.tests.browser import fits_the_phone

from .conftest import MONDAY

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pembina_reads_the_dashboard_on_a_phone(
    page, submit, rules, ketua_guntung_paikat, petugas_pupr, pembina_banjarbaru
):
    answered = aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit(), now=MONDAY)
    aspiration_answer(actor=petugas_pupr, aspiration=answered, answer="Sudah.", now=MONDAY + timedelta(hours=25))
    waiting = aspiration_verify(actor=ketua_guntung_paikat, aspiration=submit(), now=MONDAY)
    page.goto("/akun/masuk/")
    page.get_by_label("Email atau nomor HP").fill(pembina_banjarbaru.email)
    page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    expect(page).not_to_have_url(re.compile("/akun/masuk/"))
    page.goto("/aspirasi/dasbor/")
    expect(page.locator("#figure-total strong")).to_have_text("2")
    expect(page.locator("#figure-overdue strong")).to_have_text("1")
    expect(page.locator("#chart-states svg").first).to_be_visible()
    expect(page.locator(f"#overdue-{waiting.code}")).to_be_visible()
    assert fits_the_phone(page)
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.screenshot(path="/tmp/aspirations-dashboard.png", full_page=True)  # noqa: S108 (for people to look at)
