"""In the browser, on a phone: the PPID adds an entry with its PDF, and the public sees it in the
body's register with its download link."""

import pytest
from django.urls import reverse

from sikim.kip.models import RegisterCategory, RegisterEntry
from sikim.kip.services.register import register_entry_save

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ppid_keeps_the_register_on_a_phone(page, desa_ekasari, ppid_ekasari, settings, tmp_path):
    from playwright.sync_api import expect

    from sikim.core.tests.browser import fits_the_phone, log_in

    settings.MEDIA_ROOT = tmp_path
    register_entry_save(
        actor=ppid_ekasari,
        entry=RegisterEntry(
            body=desa_ekasari,
            category=RegisterCategory.DIKECUALIKAN,
            title="Data penerima BLT",
            exemption_ground="h",
            exemption_reason="Memuat NIK dan keadaan ekonomi warga.",
            year=2026,
            is_published=True,
        ),
    )
    log_in(page, ppid_ekasari)
    page.goto(reverse("kip:register_entry_create", args=[desa_ekasari.slug]))
    assert fits_the_phone(page), page.evaluate("document.documentElement.scrollWidth")
    page.locator("select[name=category]").select_option("berkala")
    page.locator("input[name=title]").fill("APBDes Desa Ekasari 2026")
    page.locator("textarea[name=summary]").fill("Anggaran pendapatan dan belanja desa tahun 2026.")
    page.locator("input[name=year]").fill("2026")
    page.locator("input[name=document]").set_input_files(
        {"name": "apbdes.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(reverse("kip:register_manage_body", args=[desa_ekasari.slug]))
    expect(page.locator("main")).to_contain_text("APBDes Desa Ekasari 2026")

    page.goto(reverse("kip:register_body", args=[desa_ekasari.slug]))
    assert fits_the_phone(page), page.evaluate("document.documentElement.scrollWidth")
    berkala = page.locator("section#berkala")
    expect(berkala).to_contain_text("APBDes Desa Ekasari 2026")
    entry = RegisterEntry.objects.get(title="APBDes Desa Ekasari 2026")
    link = berkala.locator(f"a[href='{reverse('kip:register_document', args=[desa_ekasari.slug, entry.pk])}']")
    expect(link).to_be_visible()
    expect(page.locator("section#dikecualikan")).to_contain_text("Memuat NIK dan keadaan ekonomi warga.")

    page.goto(reverse("kip:register_index"))
    assert fits_the_phone(page), page.evaluate("document.documentElement.scrollWidth")
    page.locator("input[name=q]").fill("apbdes")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("APBDes Desa Ekasari 2026")
    assert fits_the_phone(page), page.evaluate("document.documentElement.scrollWidth")
