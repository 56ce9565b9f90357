"""The Daftar Informasi Publik pages: the public registers, the document download, and the PPID's
page to keep their body's register."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from sikim.core.public_cache import CACHE_ALIAS, MARKER
from sikim.core.uploads import MAX_PDF_BYTES
from sikim.kip import views_register
from sikim.kip.models import RegisterCategory, RegisterEntry
from sikim.kip.services.register import register_entry_save, register_publish_response
from sikim.kip.services.requests import request_decide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BODY = "/informasi/daftar/pemerintah-desa-ekasari/"
MANAGE = "/informasi/kelola-daftar/pemerintah-desa-ekasari/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def register(desa_ekasari, dinkes_banjarbaru, ppid_ekasari):
    def save(body=desa_ekasari, document=None, **fields):
        entry = RegisterEntry(body=body, year=2026, is_published=True, **fields)
        return register_entry_save(actor=ppid_ekasari, entry=entry, document=document)

    pdf = SimpleUploadedFile("apbdes.pdf", PDF, content_type="application/pdf")
    return {
        "apbdes": save(category=RegisterCategory.BERKALA, title="APBDes Desa Ekasari 2026", document=pdf),
        "banjir": save(category=RegisterCategory.SERTA_MERTA, title="Peringatan banjir Sungai Ekasari"),
        "perdes": save(category=RegisterCategory.SETIAP_SAAT, title="Peraturan Desa tentang pasar desa"),
        "blt": save(
            category=RegisterCategory.DIKECUALIKAN,
            title="Data penerima BLT",
            exemption_ground="h",
            exemption_reason="Memuat NIK dan keadaan ekonomi warga.",
        ),
        "draft": RegisterEntry.objects.create(
            body=desa_ekasari, category=RegisterCategory.BERKALA, title="Draf LPJ rahasia", year=2026
        ),
        "banjarbaru": RegisterEntry.objects.create(
            body=dinkes_banjarbaru,
            category=RegisterCategory.BERKALA,
            title="Profil kesehatan Banjarbaru",
            year=2026,
            is_published=True,
            published_at=timezone.now(),
        ),
    }


def test_public_pages_are_cacheable_and_the_manage_pages_are_not():
    for view in (views_register.register_index, views_register.register_body):
        assert getattr(view, MARKER, False)
    for view in (views_register.register_manage_body, views_register.register_document):
        assert not getattr(view, MARKER, False)


@pytest.mark.parametrize("path", ["/informasi/daftar/?q=banjir", BODY])
def test_anonymous_visitors_get_a_stored_copy(settings, client, register, path, django_assert_num_queries):
    settings.SIKIM_PUBLIC_CACHE_SECONDS = 60
    caches[CACHE_ALIAS].clear()
    first = client.get(path)
    assert first.status_code == 200 and b"csrfmiddlewaretoken" not in first.content
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.content == first.content
    caches[CACHE_ALIAS].clear()


def test_a_new_entry_shows_at_once_on_a_stored_register_page(settings, client, register, ppid_ekasari, desa_ekasari):
    settings.SIKIM_PUBLIC_CACHE_SECONDS = 60
    caches[CACHE_ALIAS].clear()
    assert "Laporan realisasi APBDes semester I" not in client.get(BODY).content.decode()
    register_entry_save(
        actor=ppid_ekasari,
        entry=RegisterEntry(
            body=desa_ekasari,
            category=RegisterCategory.BERKALA,
            title="Laporan realisasi APBDes semester I",
            year=2026,
            is_published=True,
        ),
    )
    assert "Laporan realisasi APBDes semester I" in client.get(BODY).content.decode()
    caches[CACHE_ALIAS].clear()


def test_index_lists_bodies_and_searches_across_entries(client, register):
    assert reverse("kip:register_index") == "/informasi/daftar/"
    page = client.get("/informasi/daftar/").content.decode()
    assert "Pemerintah Desa Ekasari" in page and "Dinas Kesehatan Kota Banjarbaru" in page
    assert "Draf LPJ" not in page
    found = client.get("/informasi/daftar/", {"q": "banjir"}).content.decode()
    assert "Peringatan banjir Sungai Ekasari" in found and "APBDes" not in found
    by_region = client.get("/informasi/daftar/", {"q": "a", "region": "63.72"}).content.decode()
    assert "Profil kesehatan Banjarbaru" in by_region and "APBDes" not in by_region
    exempted = client.get("/informasi/daftar/", {"category": "dikecualikan"}).content.decode()
    assert "Data penerima BLT" in exempted and "Memuat NIK dan keadaan ekonomi warga." in exempted
    assert "Peringatan banjir" not in exempted
    bodies = client.get("/informasi/daftar/", {"region": "51"}).content.decode()
    assert "Pemerintah Desa Ekasari" in bodies and "Dinas Kesehatan Kota Banjarbaru" not in bodies
    # The region filter offers the provinces and kabupaten/kota that have a register.
    assert all(f'<option value="{code}">' in page for code in ("51", "51.01", "63", "63.72"))
    for odd in ({"region": "<script>"}, {"category": "rahasia"}, {"page": "999"}, {"q": "x" * 500}):
        assert client.get("/informasi/daftar/", odd).status_code == 200


def test_body_page_shows_the_four_categories(client, register):
    response = client.get(BODY)
    assert response.status_code == 200
    page = response.content.decode()
    for heading in ("berkala", "serta-merta", "setiap saat", "dikecualikan"):
        assert f"({heading})" in page
    assert "Memuat NIK dan keadaan ekonomi warga." in page and "h. reveal personal secrets" in page
    assert "Draf LPJ rahasia" not in page and "Profil kesehatan Banjarbaru" not in page
    assert f"/informasi/daftar/pemerintah-desa-ekasari/{register['apbdes'].pk}/dokumen/" in page
    assert "Manage this register" not in page
    searched = client.get(BODY, {"q": "pasar"}).content.decode()
    assert "Peraturan Desa tentang pasar desa" in searched and "APBDes" not in searched
    assert client.get("/informasi/daftar/no-such-body/").status_code == 404


def test_body_page_queries_do_not_grow_with_entries(client, register, desa_ekasari, ppid_ekasari):
    with CaptureQueriesContext(connection) as before:
        client.get(BODY)
    for number in range(10):
        register_entry_save(
            actor=ppid_ekasari,
            entry=RegisterEntry(
                body=desa_ekasari, category=RegisterCategory.BERKALA, title=f"Laporan {number}", year=2025,
                is_published=True,
            ),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as after:
        client.get(BODY)
    assert len(after) == len(before)


def test_document_download_is_an_attachment_only_for_published_open_entries(client, register, ppid_ekasari):
    url = reverse("kip:register_document", args=["pemerintah-desa-ekasari", register["apbdes"].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="pemerintah-desa-ekasari-{register["apbdes"].pk}.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF
    for entry in ("blt", "draft", "banjir"):
        assert client.get(f"{BODY}{register[entry].pk}/dokumen/").status_code == 404
    # An entry of another body is not found under this body's address.
    assert client.get(f"{BODY}{register['banjarbaru'].pk}/dokumen/").status_code == 404
    assert client.get(f"{BODY}99999999999999999999/dokumen/").status_code == 404


def test_published_responses_appear_redacted(client, file, ppid_ekasari):
    request = file()
    decision = request_decide(
        actor=ppid_ekasari,
        request=request,
        outcome="granted_full",
        response_text="Kepada I Made Artana, 0813 3800 0123: realisasi APBDes terlampir.",
        now=request.received_at + timedelta(days=2),
    )
    register_publish_response(actor=ppid_ekasari, decision=decision, title="Realisasi APBDes untuk I Made Artana")
    page = client.get(BODY).content.decode()
    assert "realisasi APBDes terlampir" in page
    assert "I Made Artana" not in page and "0813 3800 0123" not in page


def test_ppid_adds_an_entry_with_a_pdf(client, desa_ekasari, ppid_ekasari):
    login(client, ppid_ekasari)
    assert client.get("/informasi/kelola-daftar/").content.decode().count("Pemerintah Desa Ekasari") >= 1
    assert client.get(f"{MANAGE}baru/").status_code == 200
    response = client.post(
        f"{MANAGE}baru/",
        {
            "category": "berkala",
            "title": "LPJ APBDes 2025",
            "summary": "Hubungi 0812-3456-7890",
            "year": "2025",
            "is_published": "on",
            "document": SimpleUploadedFile("lpj.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302 and response["Location"] == MANAGE
    entry = RegisterEntry.objects.get()
    assert entry.is_published and entry.document and "0812-3456-7890" not in entry.summary
    assert "LPJ APBDes 2025" in client.get(BODY).content.decode()
    assert "LPJ APBDes 2025" in client.get(MANAGE).content.decode()


@pytest.mark.parametrize(
    "form, field_error",
    [
        ({"category": "berkala", "title": "LPJ", "year": "2025", "document": "html"}, "not a PDF"),
        ({"category": "berkala", "title": "LPJ", "year": "2025", "document": "huge"}, "too large"),
        ({"category": "dikecualikan", "title": "BLT", "year": "2025"}, "Pasal 17 ground"),
        (
            {
                "category": "dikecualikan",
                "title": "BLT",
                "year": "2025",
                "exemption_ground": "h",
                "exemption_reason": "NIK warga.",
                "document": "pdf",
            },
            "without its document",
        ),  # fmt: skip
        ({"category": "berkala", "title": "", "year": "2025"}, "required"),
    ],
)
def test_bad_entries_show_the_reason_and_save_nothing(client, desa_ekasari, ppid_ekasari, form, field_error):
    login(client, ppid_ekasari)
    uploads = {
        "html": SimpleUploadedFile("x.pdf", b"<html></html>", content_type="application/pdf"),
        "huge": SimpleUploadedFile("x.pdf", PDF + b"0" * MAX_PDF_BYTES, content_type="application/pdf"),
        "pdf": SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf"),
    }
    form = {**form, **({"document": uploads[form["document"]]} if "document" in form else {})}
    response = client.post(f"{MANAGE}baru/", form)
    assert response.status_code == 422
    assert field_error in response.content.decode()
    assert not RegisterEntry.objects.exists()


def test_ppid_edits_and_withdraws(client, register, ppid_ekasari):
    entry = register["banjir"]
    login(client, ppid_ekasari)
    assert "Manage this register" in client.get(BODY).content.decode()
    response = client.post(
        f"{MANAGE}{entry.pk}/ubah/",
        {"category": "serta_merta", "title": "Peringatan banjir (diperbarui)", "year": "2026", "is_published": "on"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Peringatan banjir (diperbarui)"
    assert client.get(f"{MANAGE}{entry.pk}/tarik/").status_code == 405
    response = client.post(f"{MANAGE}{entry.pk}/tarik/")
    assert response.status_code == 302
    entry.refresh_from_db()
    assert not entry.is_published and entry.published_at is None
    client.logout()
    assert "Peringatan banjir" not in client.get(BODY).content.decode()


def test_others_cannot_keep_the_register(client, register, ppid_dinkes, outsider, petugas_ekasari, citizen):
    entry = register["banjir"]
    for path in ("/informasi/kelola-daftar/", MANAGE, f"{MANAGE}baru/", f"{MANAGE}{entry.pk}/ubah/"):
        response = client.get(path)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    for user in (ppid_dinkes, outsider, petugas_ekasari, citizen):
        login(client, user)
        assert client.get(MANAGE).status_code == 403
        assert client.post(f"{MANAGE}baru/", {"category": "berkala", "title": "X", "year": "2026"}).status_code == 403
        assert (
            client.post(f"{MANAGE}{entry.pk}/ubah/", {"category": "berkala", "title": "X", "year": "2026"}).status_code
            == 403
        )
        assert client.post(f"{MANAGE}{entry.pk}/tarik/").status_code == 403
    entry.refresh_from_db()
    assert entry.title == "Peringatan banjir Sungai Ekasari" and entry.is_published
    login(client, ppid_dinkes)
    page = client.get("/informasi/kelola-daftar/").content.decode()
    assert "Dinas Kesehatan Kabupaten Jembrana" in page and "Pemerintah Desa Ekasari" not in page
