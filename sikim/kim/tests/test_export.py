"""Member export (CSV and XLSX): pengurus and pembina only, audited, safe to open in a spreadsheet."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from sikim.audit.models import AuditEvent
from sikim.kim.services.member_import import member_import_preview, member_import_preview_rows
from sikim.kim.tests.factories import KimMemberFactory, OrganisationMemberFactory, english, member_media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PHONE = "+6281355500001"


@pytest.fixture
def members(kim_guntung_paikat):
    return [
        KimMemberFactory(
            kim=kim_guntung_paikat,
            name="Siti Rahmawati",
            phone=PHONE,
            email="siti.r@example.id",
            gender="p",
            consent_sms=True,
        ),
        OrganisationMemberFactory(kim=kim_guntung_paikat, name='=HYPERLINK("http://evil")', phone=None),
        KimMemberFactory(kim=kim_guntung_paikat, name="Budi", is_active=False),
    ]


def _csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_ketua_downloads_csv_with_personal_data_and_it_is_audited(
    client, kim_guntung_paikat, ketua_guntung_paikat, members
):
    response = login(client, ketua_guntung_paikat).get(reverse("kim:member_export_csv", args=[kim_guntung_paikat.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    rows = {row["nama"]: row for row in _csv_rows(response)}
    siti = rows["Siti Rahmawati"]
    assert (siti["telepon"], siti["email"], siti["jenis_kelamin"], siti["setuju_sms"]) == (
        PHONE,
        "siti.r@example.id",
        "P",
        "ya",
    )
    assert rows["Budi"]["aktif"] == "tidak"
    # A cell a spreadsheet would run as a formula is defused.
    assert '\'=HYPERLINK("http://evil")' in rows
    event = AuditEvent.objects.get(action="kim.member_export")
    assert event.actor == ketua_guntung_paikat and event.after == {"format": "csv", "rows": 3}
    assert event.region_id == kim_guntung_paikat.region_id


def test_pembina_downloads_xlsx(client, kim_guntung_paikat, pembina_banjarbaru, members):
    response = login(client, pembina_banjarbaru).get(reverse("kim:member_export_xlsx", args=[kim_guntung_paikat.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("nama", "jenis", "jenis_organisasi", "telepon")
    siti = next(row for row in rows if row[0] == "Siti Rahmawati")
    assert siti[3] == PHONE  # a string, not a number that loses its +
    assert all(not str(row[0]).startswith("=") for row in rows)
    assert AuditEvent.objects.filter(action="kim.member_export", after__format="xlsx").count() == 1


@pytest.mark.usefixtures("member_media")
def test_an_export_can_be_imported_again_without_duplicates(client, kim_guntung_paikat, ketua_guntung_paikat, members):
    exported = login(client, ketua_guntung_paikat).get(
        reverse("kim:member_export_xlsx", args=[kim_guntung_paikat.slug])
    )
    member_import = member_import_preview(
        actor=ketua_guntung_paikat,
        kim=kim_guntung_paikat,
        upload=SimpleUploadedFile("anggota.xlsx", exported.content),
    )
    assert member_import.row_errors == []
    # Members with a phone number merge; only those without one would be added again.
    assert member_import.merged_count == 2
    rows = {row.name: row for row in member_import_preview_rows(member_import).actions}
    assert rows["Budi"].action == "merge_existing"


def test_anggota_gets_403(client, kim_guntung_paikat, anggota_guntung_paikat, members):
    login(client, anggota_guntung_paikat)
    for name in ("kim:member_export_csv", "kim:member_export_xlsx"):
        response = client.get(reverse(name, args=[kim_guntung_paikat.slug]))
        assert response.status_code == 403
        assert PHONE.encode() not in response.content
    assert not AuditEvent.objects.filter(action="kim.member_export").exists()


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "warga_guntung_paikat", "stranger"])
def test_others_get_404(client, request, kim_guntung_paikat, members, actor_name):
    login(client, request.getfixturevalue(actor_name))
    for name in ("kim:member_export_csv", "kim:member_export_xlsx"):
        response = client.get(reverse(name, args=[kim_guntung_paikat.slug]))
        assert response.status_code == 404
        assert PHONE.encode() not in response.content


def test_anonymous_is_sent_to_login(client, kim_guntung_paikat, members):
    response = client.get(reverse("kim:member_export_csv", args=[kim_guntung_paikat.slug]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
