"""A KIM from proposal to registration, walked in a phone-sized Chromium.

A citizen proposes a KIM for a Banjarbaru kelurahan on the public form; the pembina of Kota
Banjarbaru records its formation with the decree (SK) as a PDF, registers it and sees its
registration number.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from sikim.accounts.tests.factories import TEST_PASSWORD
from sikim.kim.models import DocumentKind, Kim, KimStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SK_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_citizen_proposes_and_pembina_forms_and_registers(
    page: Page, media_root, pembina_banjarbaru, pembina_office_banjarbaru
):
    # A citizen without an account proposes a KIM for Kelurahan Sungai Besar.
    page.goto("/kim/usulkan/")
    page.locator("input[name=name]").fill("KIM Sungai Besar Bersatu")
    page.locator("input[name=village]").fill("63.72.05.1001")
    page.locator("textarea[name=about]").fill("Warga Sungai Besar ingin punya KIM.")
    page.locator("input[name=sectors][value=umkm]").check()
    page.locator("input[name=proposer_name]").fill("Budi Santoso")
    page.locator("input[name=proposer_contact]").fill("budi@example.id")
    page.locator("main form button").first.click()
    expect(page).to_have_url(re.compile("/kim/usulkan/terkirim/"))
    kim = Kim.objects.get(name="KIM Sungai Besar Bersatu")
    assert kim.status == KimStatus.DIUSULKAN

    # The pembina of Kota Banjarbaru logs in and finds it on their worklist.
    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill("pembina.banjarbaru@sikim.test")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main form button").first.click()
    expect(page).not_to_have_url(re.compile("masuk"))
    page.goto("/kim/kelola/")
    page.get_by_role("link", name="KIM Sungai Besar Bersatu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("KIM Sungai Besar Bersatu")

    # They record the formation meeting, uploading the SK as a PDF.
    page.locator(f"a[href='/kim/kelola/{kim.slug}/pembentukan/']").click()
    page.locator("input[name=held_on]").fill("2024-07-27")
    page.locator("input[name=place]").fill("Aula Kelurahan Sungai Besar")
    page.locator("input[name=attendees_count]").fill("35")
    page.locator("input[name=facilitators]").first.check()
    page.locator("input[name=decree_number]").fill("188.45/012/SB/2024")
    page.locator("input[name=decree_date]").fill("2024-07-29")
    page.locator("input[name=decree_issued_by]").fill("Lurah Sungai Besar")
    page.locator("input[name=decree_pdf]").set_input_files(
        files=[{"name": "sk-kim-sungai-besar.pdf", "mimeType": "application/pdf", "buffer": SK_PDF}]
    )
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"/kim/kelola/{kim.slug}/$"))
    kim.refresh_from_db()
    assert kim.status == KimStatus.DIBENTUK
    assert kim.documents.get().kind == DocumentKind.SK

    # They register it and see its registration number.
    page.locator(f"form[action='/kim/kelola/{kim.slug}/daftarkan/'] button").click()
    expect(page.locator("#registration-number")).to_have_text("KIM-63.72-0001")
    kim.refresh_from_db()
    assert kim.status == KimStatus.TERDAFTAR
    assert kim.registration_number == "KIM-63.72-0001"
