"""The ketua of KIM Guntung Paikat imports the member list from a spreadsheet, on a phone.

Upload → a preview with the rows that have problems → confirm → the result, then the members
and their counts by sector. Walked in a 360 px wide Chromium on the live server.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from sikim.accounts.tests.factories import TEST_PASSWORD
from sikim.core.tests.browser import fits_the_phone
from sikim.kim.models import KimMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "Nama;No. HP;Jenis Kelamin (L/P);Sektor;Kanal\n"
    "Siti Rahmawati;0813-5550-0001;P;umkm;whatsapp\n"
    "Budi Santoso;0812;L;perikanan;sms\n"
    "Dewi Lestari;0813 5550 0003;P;pertanian;web\n"
    "Siti R.;+62 813 5550 0001;;;\n"
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_ketua_imports_members_from_a_file(page: Page, media_root, ketua_guntung_paikat, kim_guntung_paikat):
    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill("ketua.guntungpaikat@sikim.test")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main form button").first.click()
    expect(page).not_to_have_url(re.compile("masuk"))

    page.goto("/kim/kim-guntung-paikat/anggota/impor/")
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "anggota.csv", "mimeType": "text/csv", "buffer": CSV.encode("cp1252")}]
    )
    page.locator("main form[enctype] button[type=submit]").click()

    # The preview names the bad row and what happens to the others; nothing is saved yet.
    expect(page).to_have_url(re.compile(r"/anggota/impor/\d+/$"))
    expect(page.get_by_text(re.compile("0812"))).to_be_visible()
    expect(page.locator("table")).to_contain_text("Siti R.")
    assert KimMember.objects.count() == 0

    page.locator("form[action$='/konfirmasi/'] button").click()
    expect(page.locator("#import-progress")).to_contain_text(re.compile("2"))
    expect(page.locator("#import-progress a[href$='/anggota/']")).to_be_visible()
    assert KimMember.objects.count() == 2

    page.locator("#import-progress a[href$='/anggota/']").click()
    # The two rows with the same number became one member; the later row's name won.
    expect(page.locator("main table").last).to_contain_text("Siti R.")
    expect(page.locator("main table").last).to_contain_text("+6281355500001")
    assert fits_the_phone(page)
