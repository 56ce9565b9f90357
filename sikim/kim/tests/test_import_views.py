"""The import pages: upload → preview page → confirm → progress, and who may use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login
from sikim.kim.models import ImportStatus, KimMember, MemberImport
from sikim.kim.tests.factories import english, member_media  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "member_media")]

CSV = (
    "nama;telepon;sektor\n"
    "Siti Rahmawati;0813-5550-0001;umkm\n"
    "Budi;0812;perikanan\n"
    "Siti R.;+6281355500001;\n"
    "Dewi Lestari;0813 5550 0003;pendidikan\n"
)


def _file(content=CSV, name="anggota.csv"):
    data = content.encode("utf-8-sig") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def _upload(client, kim, content=CSV, name="anggota.csv"):
    return client.post(reverse("kim:member_import", args=[kim.slug]), {"file": _file(content, name)})


def test_upload_shows_a_preview_with_errors_and_planned_rows(client, kim_guntung_paikat, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    assert client.get(reverse("kim:member_import", args=[kim_guntung_paikat.slug])).status_code == 200
    response = _upload(client, kim_guntung_paikat)
    member_import = MemberImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("kim:member_import_detail", args=[kim_guntung_paikat.slug, member_import.pk])

    body = client.get(response["Location"]).content.decode()
    assert "Row 3: the phone number &#x27;0812&#x27; is not a valid Indonesian number" in body
    assert "4 rows read, 3 without errors." in body
    assert "merged with row 2" in body and "new member" in body
    assert "Import 3 rows" in body
    assert not KimMember.objects.exists()


def test_confirm_imports_and_the_page_shows_the_result(
    client, kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks
):
    login(client, ketua_guntung_paikat)
    _upload(client, kim_guntung_paikat)
    member_import = MemberImport.objects.get()
    confirm_url = reverse("kim:member_import_confirm", args=[kim_guntung_paikat.slug, member_import.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url)
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "Import finished. New members: 2. Rows merged into existing members: 1." in body
    assert "hx-trigger" not in body
    assert KimMember.objects.filter(kim=kim_guntung_paikat).count() == 2

    # A second click (or a replayed request) imports nothing more.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(confirm_url, follow=True)
    assert callbacks == []
    assert KimMember.objects.count() == 2


def test_while_running_the_progress_box_polls_every_2_seconds(client, kim_guntung_paikat, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    _upload(client, kim_guntung_paikat)
    member_import = MemberImport.objects.get()
    MemberImport.objects.update(status=ImportStatus.RUNNING, processed_rows=2)
    detail = client.get(reverse("kim:member_import_detail", args=[kim_guntung_paikat.slug, member_import.pk]))
    progress_url = reverse("kim:member_import_progress", args=[kim_guntung_paikat.slug, member_import.pk])
    body = detail.content.decode()
    assert f'hx-get="{progress_url}"' in body and 'hx-trigger="every 2s"' in body
    fragment = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert "Importing… 2 of 4 rows checked." in fragment and "<html" not in fragment
    MemberImport.objects.update(status=ImportStatus.DONE, created_count=3)
    fragment = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert "New members: 3." in fragment and "hx-trigger" not in fragment


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "foto.csv", "This file is not a CSV or Excel (.xlsx) file."),
        (b"nama\n" + b"Siti Rahmawati Panjang\n" * 100_000, "besar.csv", "The file is too large"),
        (b"alamat\nJl. Mawar\n", "alamat.csv", "The file has no column for the name."),
    ],
)
def test_bad_files_are_explained_on_the_form(client, kim_guntung_paikat, ketua_guntung_paikat, content, name, message):
    response = _upload(login(client, ketua_guntung_paikat), kim_guntung_paikat, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MemberImport.objects.exists()


def test_the_example_file_can_be_imported(client, kim_guntung_paikat, ketua_guntung_paikat):
    login(client, ketua_guntung_paikat)
    example = client.get(reverse("kim:member_import_template", args=[kim_guntung_paikat.slug]))
    assert example.status_code == 200 and example["Content-Type"].startswith("text/csv")
    _upload(client, kim_guntung_paikat, example.content, "contoh.csv")
    member_import = MemberImport.objects.get()
    assert member_import.valid_rows == 1 and member_import.row_errors == []


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "warga_guntung_paikat", "stranger"])
def test_others_get_404(client, request, kim_guntung_paikat, ketua_guntung_paikat, actor_name):
    login(client, ketua_guntung_paikat)
    _upload(client, kim_guntung_paikat)
    member_import = MemberImport.objects.get()
    client.logout()
    login(client, request.getfixturevalue(actor_name))
    slug = kim_guntung_paikat.slug
    assert client.get(reverse("kim:member_import", args=[slug])).status_code == 404
    assert _upload(client, kim_guntung_paikat).status_code == 404
    assert client.get(reverse("kim:member_import_detail", args=[slug, member_import.pk])).status_code == 404
    assert client.get(reverse("kim:member_import_progress", args=[slug, member_import.pk])).status_code == 404
    assert client.get(reverse("kim:member_import_template", args=[slug])).status_code == 404
    assert client.post(reverse("kim:member_import_confirm", args=[slug, member_import.pk])).status_code == 404
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.PREVIEW and MemberImport.objects.count() == 1


def test_an_import_of_another_kim_is_404_even_for_a_ketua(client, kim_ekasari, ketua_ekasari, ketua_guntung_paikat):
    login(client, ketua_ekasari)
    _upload(client, kim_ekasari)
    member_import = MemberImport.objects.get()
    client.logout()
    login(client, ketua_guntung_paikat)
    url = reverse("kim:member_import_detail", args=["kim-guntung-paikat", member_import.pk])
    assert client.get(url).status_code == 404


def test_anggota_gets_403_and_anonymous_logs_in(client, kim_guntung_paikat, anggota_guntung_paikat):
    url = reverse("kim:member_import", args=[kim_guntung_paikat.slug])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    assert login(client, anggota_guntung_paikat).get(url).status_code == 403
