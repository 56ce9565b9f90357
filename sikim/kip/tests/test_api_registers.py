"""The register API: the public, searchable Daftar Informasi Publik, and the PPID's entries."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from sikim.kip.models import RegisterCategory, RegisterEntry
from sikim.kip.services.register import register_entry_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

API = "/api/v1/kip/registers"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="apbdes.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def entries(desa_ekasari, ppid_ekasari):
    def save(**fields):
        entry = RegisterEntry(body=desa_ekasari, year=2026, is_published=True, **fields)
        return register_entry_save(actor=ppid_ekasari, entry=entry)

    return {
        "apbdes": save(category=RegisterCategory.BERKALA, title="APBDes Desa Ekasari 2026", summary="Anggaran."),
        "banjir": save(category=RegisterCategory.SERTA_MERTA, title="Peringatan banjir Sungai Ekasari"),
        "blt": save(
            category=RegisterCategory.DIKECUALIKAN,
            title="Data penerima BLT",
            exemption_ground="h",
            exemption_reason="Memuat NIK dan keadaan ekonomi warga.",
        ),
        "draft": RegisterEntry.objects.create(
            body=desa_ekasari, category=RegisterCategory.SETIAP_SAAT, title="Draf SOP", year=2026
        ),
    }


def test_public_list_with_search_and_category(client, entries, desa_ekasari):
    response = client.get(f"{API}/pemerintah-desa-ekasari/entries")
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert titles == {"APBDes Desa Ekasari 2026", "Peringatan banjir Sungai Ekasari", "Data penerima BLT"}
    found = client.get(f"{API}/pemerintah-desa-ekasari/entries", {"q": "banjir"}).json()["items"]
    assert [item["title"] for item in found] == ["Peringatan banjir Sungai Ekasari"]
    exempted = client.get(f"{API}/pemerintah-desa-ekasari/entries", {"category": "dikecualikan"}).json()["items"]
    assert exempted[0]["exemption_reason"] == "Memuat NIK dan keadaan ekonomi warga."
    assert exempted[0]["document_url"] == ""
    assert client.get(f"{API}/pemerintah-desa-ekasari/entries", {"category": "rahasia"}).status_code == 422
    assert client.get(f"{API}/no-such-body/entries").status_code == 404
    bodies = client.get(API).json()["items"]
    assert [(b["slug"], b["entries"]) for b in bodies] == [("pemerintah-desa-ekasari", 3)]
    assert client.get(API, {"region": "63"}).json()["items"] == []


def test_entry_detail_has_the_download_url(client, entries, ppid_ekasari):
    entry = register_entry_save(actor=ppid_ekasari, entry=entries["apbdes"], document=pdf())
    response = client.get(f"{API}/pemerintah-desa-ekasari/entries/{entry.pk}")
    assert response.status_code == 200
    url = response.json()["document_url"]
    assert url == f"/informasi/daftar/pemerintah-desa-ekasari/{entry.pk}/dokumen/"
    assert client.get(url).status_code == 200
    assert client.get(f"{API}/pemerintah-desa-ekasari/entries/{entries['draft'].pk}").status_code == 404


def test_ppid_creates_an_entry_with_a_pdf(client, desa_ekasari, ppid_ekasari):
    login(client, ppid_ekasari)
    response = client.post(
        f"{API}/pemerintah-desa-ekasari/entries",
        {
            "category": "berkala",
            "title": "LPJ APBDes 2025",
            "summary": "Operator: 0812-3456-7890",
            "year": "2025",
            "exemption_ground": "",  # an HTML form's empty choice
            "document": pdf(),
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["is_published"] and data["document_url"]
    assert "0812-3456-7890" not in data["summary"]


@pytest.mark.parametrize(
    "form",
    [
        {"category": "dikecualikan", "title": "BLT", "year": "2026"},  # no ground nor reason
        {
            "category": "dikecualikan",
            "title": "BLT",
            "year": "2026",
            "exemption_ground": "h",
            "exemption_reason": "NIK warga.",
            "document": "pdf",
        },  # fmt: skip
        {"category": "berkala", "title": "LPJ", "year": "2026", "document": "html"},
        {"category": "berkala", "title": "LPJ", "year": "tahun ini"},
        {"category": "berkala", "title": "", "year": "2026"},
        {"category": "berkala", "title": "LPJ", "year": "2026", "document": "a text, not a file"},
        {"category": "rahasia", "title": "LPJ", "year": "2026"},
    ],
)
def test_bad_entries_are_refused_and_nothing_is_saved(client, desa_ekasari, ppid_ekasari, form):
    login(client, ppid_ekasari)
    form = dict(form)
    if form.get("document") == "pdf":
        form["document"] = pdf()
    elif form.get("document") == "html":
        form["document"] = pdf("lpj.pdf", b"<html>not a pdf</html>")
    response = client.post(f"{API}/pemerintah-desa-ekasari/entries", form)
    assert response.status_code == 422, response.content
    assert response.json()["message"]
    assert not RegisterEntry.objects.exists()


def test_only_the_bodys_ppid_writes(client, entries, ppid_dinkes, outsider, petugas_ekasari, citizen):
    entry = entries["apbdes"]
    form = {"category": "berkala", "title": "LPJ", "year": "2026"}
    assert client.post(f"{API}/pemerintah-desa-ekasari/entries", form).status_code == 401
    for user in (ppid_dinkes, outsider, petugas_ekasari, citizen):
        login(client, user)
        assert client.post(f"{API}/pemerintah-desa-ekasari/entries", form).status_code == 403
        patch = client.patch(
            f"{API}/pemerintah-desa-ekasari/entries/{entry.pk}",
            data=json.dumps({"title": "Diubah"}),
            content_type="application/json",
        )
        assert patch.status_code == 404
        assert client.post(f"{API}/pemerintah-desa-ekasari/entries/{entry.pk}/withdraw").status_code == 404
        assert client.get(f"{API}/pemerintah-desa-ekasari/manage").status_code == 403
    entry.refresh_from_db()
    assert entry.title == "APBDes Desa Ekasari 2026" and entry.is_published
    assert RegisterEntry.objects.count() == 4


def test_ppid_changes_replaces_the_document_and_withdraws(client, entries, ppid_ekasari):
    entry = entries["apbdes"]
    base = f"{API}/pemerintah-desa-ekasari/entries/{entry.pk}"
    login(client, ppid_ekasari)
    manage = client.get(f"{API}/pemerintah-desa-ekasari/manage").json()["items"]
    assert "Draf SOP" in {item["title"] for item in manage}
    wrong = client.patch(base, data=json.dumps({"year": "soon"}), content_type="application/json")
    assert wrong.status_code == 422
    assert client.patch(base, data=json.dumps([1]), content_type="application/json").status_code == 422
    response = client.patch(
        base, data=json.dumps({"title": "APBDes 2026 (perubahan)"}), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["title"] == "APBDes 2026 (perubahan)"
    exempt = client.patch(base, data=json.dumps({"category": "dikecualikan"}), content_type="application/json")
    assert exempt.status_code == 422 and exempt.json()["details"][0]["field"] == "exemption_reason"
    assert client.post(f"{base}/document", {"document": pdf("x.pdf", b"GIF89a")}).status_code == 422
    response = client.post(f"{base}/document", {"document": pdf()})
    assert response.status_code == 200 and response.json()["document_url"]
    response = client.post(f"{base}/withdraw")
    assert response.status_code == 200 and response.json()["is_published"] is False
    assert client.get(base).status_code == 404
    assert client.get(f"/informasi/daftar/pemerintah-desa-ekasari/{entry.pk}/dokumen/").status_code == 404
    entry.refresh_from_db()
    assert entry.category == RegisterCategory.BERKALA and not entry.is_published
