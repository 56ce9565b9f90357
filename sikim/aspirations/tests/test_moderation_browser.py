"""On a phone (Chromium at 360 px): a visitor without an account reports an abusive text from the
tracking page; the ketua of KIM Guntung Paikat hides it from the moderation queue. And a citizen
without an account opens the secret link from the receipt and confirms the answer."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from sikim.aspirations.models import AbuseReport
from sikim.aspirations.selectors.author_key import author_key_for
from sikim.aspirations.services.workflow import aspiration_answer, aspiration_verify
from sikim.core.tests.browser import fits_the_phone, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_and_hide_on_a_phone(page: Page, submit, ketua_guntung_paikat, warga_guntung_paikat):
    aspiration = aspiration_verify(
        actor=ketua_guntung_paikat,
        aspiration=submit(now=timezone.now(), title="Pak RT maling", text="Pak RT 05 maling dana desa."),
    )
    page.goto(f"/aspirasi/lacak/{aspiration.code}/")
    page.locator("#asp-report-link").click()
    expect(page.locator("#asp-report-form")).to_be_visible()
    assert fits_the_phone(page)
    page.locator("input[name=reason][value=penghinaan]").check()
    page.locator("#asp-report-form textarea[name=note]").fill("Menuduh tanpa bukti")
    page.locator("#asp-report-form button[type=submit]").click()
    expect(page).to_have_url(f"{page.url.split('/aspirasi/')[0]}/aspirasi/lacak/{aspiration.code}/")
    assert AbuseReport.objects.get().note == "Menuduh tanpa bukti"

    page.context.clear_cookies()
    log_in(page, ketua_guntung_paikat)
    page.goto("/aspirasi/meja/")
    page.locator("#asp-moderation-link").click()
    card = page.locator(f"#reported-{aspiration.code}")
    expect(card).to_contain_text("Menuduh tanpa bukti")
    assert fits_the_phone(page)
    card.locator("input[type=text]").fill("Menuduh tanpa bukti")
    card.locator("form").first.locator("button[type=submit]").click()
    expect(page.locator(f"#hidden-{aspiration.code}")).to_be_visible()
    aspiration.refresh_from_db()
    assert aspiration.is_hidden


def test_the_secret_link_on_a_phone(page: Page, submit, rules, ketua_guntung_paikat, petugas_pupr):
    aspiration = submit(actor=None, contact_phone="081234567890", now=timezone.now())
    aspiration_verify(actor=ketua_guntung_paikat, aspiration=aspiration)
    aspiration_answer(actor=petugas_pupr, aspiration=aspiration, answer="Sudah ditambal.")
    page.goto(f"/aspirasi/lacak/{aspiration.code}/?k={author_key_for(aspiration)}")
    assert fits_the_phone(page)
    expect(page.locator("#asp-author-link-notice")).to_be_visible()
    page.locator("#asp-rate input[name=rating][value='5']").check()
    page.locator("#asp-rate button[type=submit]").click()
    expect(page.locator("#asp-rate")).to_have_count(0)
    aspiration.refresh_from_db()
    assert aspiration.rating == 5
