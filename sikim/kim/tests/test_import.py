"""Member import: reading files (encodings, separators, XLSX, bad files), preview, confirm, apply."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sikim.accounts.models import RoleGrant
from sikim.audit.models import AuditEvent
from sikim.kim import tasks
from sikim.kim.models import ImportStatus, KimMember, MemberImport
from sikim.kim.services import member_import as service
from sikim.kim.services.member_import import (
    member_import_confirm,
    member_import_preview,
    member_import_preview_rows,
    parse_member_file,
)
from sikim.kim.tests.factories import KimMemberFactory, english, member_media  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "member_media")]

GOOD_CSV = (
    "nama,telepon,email,jenis_kelamin,kelompok_umur,pekerjaan,sektor,kanal\n"
    "Siti Rahmawati,0813-5550-0001,siti@example.id,P,30-44,Pedagang,umkm,whatsapp\n"
    "Budi Santoso,+62 813 5550 0002,,L,52,Nelayan,perikanan,sms\n"
)


def upload(content: bytes | str, name: str = "anggota.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    data = content.encode(encoding) if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def preview(actor, kim, content, name="anggota.csv", encoding="utf-8") -> MemberImport:
    return member_import_preview(actor=actor, kim=kim, upload=upload(content, name, encoding))


def confirm(actor, member_import, capture) -> MemberImport:
    with capture(execute=True):
        member_import_confirm(actor=actor, member_import=member_import)
    member_import.refresh_from_db()
    return member_import


# --- Reading files -------------------------------------------------------------------------------


def test_a_good_csv_is_read_with_every_field():
    rows = service.check_rows(parse_member_file(GOOD_CSV.encode()).rows)
    assert [row.errors for row in rows] == [[], []]
    siti, budi = (row.fields for row in rows)
    assert siti == {
        "name": "Siti Rahmawati",
        "phone": "+6281355500001",
        "email": "siti@example.id",
        "gender": "p",
        "age_group": "30_44",
        "occupation": "Pedagang",
        "sector": "umkm",
        "preferred_channel": "whatsapp",
    }
    assert budi["age_group"] == "45_59" and budi["gender"] == "l" and budi["preferred_channel"] == "sms"


def test_broken_rows_get_plain_row_numbered_messages():
    content = (
        b"nama,hp,email,gender,sektor,kanal\n"
        b"Siti,0813-5550-0001,,P,umkm,\n"
        b",0813-5550-0002,,,,\n"
        b"Budi,0812,budi@,X,astrologi,pos\n"
        b"Rina,,,,,sms\n"
    )
    rows = service.check_rows(parse_member_file(content).rows)
    assert rows[0].valid
    assert rows[1].errors == ["Row 3: the name is missing"]
    assert rows[2].errors == [
        "Row 4: the phone number '0812' is not a valid Indonesian number",
        "Row 4: the email address 'budi@' is not valid",
        "Row 4: the gender 'X' is not understood (use L or P)",
        "Row 4: the sector 'astrologi' is not one of the sectors SIKIM knows",
        "Row 4: the channel 'pos' is not understood (use web, email, telegram, whatsapp or sms)",
    ]
    assert rows[3].errors == ["Row 5: the channel is sms but there is no phone number"]


def test_a_cp1252_file_with_semicolons_is_read():
    content = "Nama;No. HP;Jenis Kelamin (L/P);Pekerjaan\r\nSiti Ma’rifah;081355500001;P;Penjahit – rumahan\r\n"
    rows = parse_member_file(content.encode("cp1252")).rows
    assert rows[0].values["name"] == "Siti Ma’rifah"
    assert rows[0].values["occupation"] == "Penjahit – rumahan"
    assert service.check_row(rows[0]).fields["gender"] == "p"


def test_a_latin1_file_is_read():
    content = "name;phone;occupation\nJosé Ñoño;081355500001;Agricultor\n"
    # 0x81 is undefined in cp1252: this file can only be latin-1.
    data = content.encode("latin-1").replace(b"Agricultor", b"Agricultor\x81")
    rows = parse_member_file(data).rows
    assert rows[0].values["name"] == "José Ñoño"


def test_a_utf8_bom_file_in_english_is_read():
    content = (
        "\ufeffName,Phone,Email,Gender,Age group,Occupation,Sector,Channel\n"
        "Dewi,0813 5550 0003,,F,18-29,Guru,Education,email\n"
    )
    rows = parse_member_file(content.encode("utf-8")).rows
    assert rows[0].values["name"] == "Dewi"
    checked = service.check_row(rows[0])
    assert checked.errors == ["Row 2: the channel is email but there is no email address"]
    assert checked.fields["sector"] == "pendidikan" and checked.fields["age_group"] == "18_29"


def test_a_title_row_above_the_header_and_unknown_columns_are_handled():
    content = "Daftar Anggota KIM Guntung Paikat,,\nNo,Nama,Alamat RT\n1,Siti,RT 03\n"
    parsed = parse_member_file(content.encode())
    assert parsed.rows[0].number == 3 and parsed.rows[0].values == {"name": "Siti"}
    assert parsed.ignored_columns == ["No", "Alamat RT"]


def test_an_xlsx_file_is_read_with_numbers_as_numbers():
    content = xlsx(
        [
            ["Nama", "Telepon", "Kelompok Umur", "Sektor", "Setuju SMS"],
            ["Siti", 81355500001, 34, "Pertanian", True],
            [None, None, None, None, None],
            ["Kelompok Tani Harapan", 6281355500002.0, None, "tani", "ya"],
        ]
    )
    rows = service.check_rows(parse_member_file(content).rows)
    assert [row.errors for row in rows] == [[], []]
    assert rows[0].fields["phone"] == "+6281355500001"
    assert rows[0].fields["age_group"] == "30_44" and rows[0].fields["consent_sms"] is True
    assert rows[1].number == 4 and rows[1].fields["phone"] == "+6281355500002"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV or Excel (.xlsx) file"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n", "not a CSV or Excel (.xlsx) file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file (.xls)"),
        (b"", "The file is empty."),
        (b"alamat,rt\nJl. Mawar,03\n", "no column for the name"),
        (b"nama,telepon\n", "no members below them"),
        (b'nama,telepon\n"Siti,0813\nBudi,0814\n', "cannot be read near line 2"),
        (b'nama\n"Siti" Rahma\n', "cannot be read near line 2"),
    ],
)
def test_files_that_are_not_member_lists_are_refused(content, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        parse_member_file(content)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError, match="not a CSV or Excel"):
        parse_member_file(out.getvalue())


def test_a_damaged_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not really a workbook")
    with pytest.raises(ValidationError, match="cannot be read"):
        parse_member_file(out.getvalue())


def test_an_oversized_file_is_refused(kim_guntung_paikat, ketua_guntung_paikat):
    big = "nama,telepon\n" + "Siti Rahmawati Panjang Sekali,081355500001\n" * 60_000
    with pytest.raises(ValidationError) as caught:
        preview(ketua_guntung_paikat, kim_guntung_paikat, big)
    assert caught.value.messages[0].replace("\xa0", " ") == "The file is too large (2.5 MB). The limit is 2.0 MB."
    assert not MemberImport.objects.exists()


def test_too_many_rows_are_refused():
    content = "nama\n" + "".join(f"A{n}\n" for n in range(20_001))
    assert len(content) < service.MAX_IMPORT_BYTES
    with pytest.raises(ValidationError, match="more than 20,000 rows"):
        parse_member_file(content.encode())


# --- Preview -------------------------------------------------------------------------------------


def test_preview_stores_errors_and_plans_but_imports_nothing(kim_guntung_paikat, ketua_guntung_paikat):
    KimMemberFactory(kim=kim_guntung_paikat, name="Siti Lama", phone="+6281355500001")
    content = GOOD_CSV + "Siti R.,+6281355500001,,,,,,\nTanpa Nomor,0812,,,,,,\n"
    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, content)

    assert member_import.status == ImportStatus.PREVIEW
    assert (member_import.total_rows, member_import.valid_rows) == (4, 3)
    assert (member_import.created_count, member_import.merged_count) == (1, 2)
    assert member_import.row_errors == [
        {"row": 5, "errors": ["Row 5: the phone number '0812' is not a valid Indonesian number"]}
    ]
    assert KimMember.objects.count() == 1
    assert member_import.file.name.startswith("kim/imports/") and "anggota" not in member_import.file.name
    rows = member_import_preview_rows(member_import)
    assert [(row.row, row.action, row.target) for row in rows.actions] == [
        (2, "merge_existing", "Siti Lama"),
        (3, "create", ""),
        (4, "merge_row", "2"),
    ]
    event = AuditEvent.objects.get(action="kim.member_import_preview")
    assert "5550" not in str(event.after)


@pytest.mark.parametrize("actor_name", ["ketua_ekasari", "outsider", "anggota_guntung_paikat", "warga_guntung_paikat"])
def test_others_may_not_import(request, kim_guntung_paikat, actor_name):
    with pytest.raises(PermissionDenied):
        preview(request.getfixturevalue(actor_name), kim_guntung_paikat, GOOD_CSV)


# --- Confirm and apply -----------------------------------------------------------------------------


def test_confirm_imports_in_the_background_and_deletes_the_file(
    kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks
):
    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, GOOD_CSV)
    stored = member_import.file.path
    member_import = confirm(ketua_guntung_paikat, member_import, django_capture_on_commit_callbacks)

    assert member_import.status == ImportStatus.DONE
    assert (member_import.created_count, member_import.merged_count, member_import.processed_rows) == (2, 0, 2)
    siti = KimMember.objects.get(phone="+6281355500001")
    assert siti.name == "Siti Rahmawati" and siti.kim == kim_guntung_paikat and siti.preferred_channel == "whatsapp"
    assert not member_import.file
    import os

    assert not os.path.exists(stored)
    assert AuditEvent.objects.filter(action="kim.member_import_apply").count() == 1


def test_duplicate_phones_are_merged_and_blank_cells_erase_nothing(
    kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks
):
    existing = KimMemberFactory(
        kim=kim_guntung_paikat, name="Siti", phone="+6281355500001", email="lama@example.id", sector="pertanian"
    )
    content = (
        "nama;telepon;email;sektor;pekerjaan\n"
        "Siti Rahmawati;0813-5550-0001;;umkm;\n"
        "Budi;081355500002;;;Nelayan\n"
        "Budi Santoso;+62 813-5550-0002;budi@example.id;perikanan;\n"
    )
    member_import = confirm(
        ketua_guntung_paikat,
        preview(ketua_guntung_paikat, kim_guntung_paikat, content),
        django_capture_on_commit_callbacks,
    )
    assert (member_import.created_count, member_import.merged_count) == (1, 2)
    assert KimMember.objects.filter(kim=kim_guntung_paikat).count() == 2
    existing.refresh_from_db()
    assert (existing.name, existing.email, existing.sector) == ("Siti Rahmawati", "lama@example.id", "umkm")
    budi = KimMember.objects.get(phone="+6281355500002")
    assert (budi.name, budi.email, budi.occupation, budi.sector) == (
        "Budi Santoso",
        "budi@example.id",
        "Nelayan",
        "perikanan",
    )


def test_active_status_changes_only_through_an_aktif_column(
    kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks
):
    former = KimMemberFactory(kim=kim_guntung_paikat, name="Siti", phone="+6281355500001", is_active=False)
    active = KimMemberFactory(kim=kim_guntung_paikat, name="Budi", phone="+6281355500002")
    confirm(
        ketua_guntung_paikat,
        preview(ketua_guntung_paikat, kim_guntung_paikat, "nama,telepon\nSiti,081355500001\nBudi,081355500002\n"),
        django_capture_on_commit_callbacks,
    )
    former.refresh_from_db()
    assert former.is_active is False
    content = "nama,telepon,aktif\nSiti,081355500001,ya\nBudi,081355500002,tidak\nRina,081355500003,\n"
    confirm(
        ketua_guntung_paikat,
        preview(ketua_guntung_paikat, kim_guntung_paikat, content),
        django_capture_on_commit_callbacks,
    )
    former.refresh_from_db()
    active.refresh_from_db()
    assert former.is_active is True and active.is_active is False
    assert KimMember.objects.get(name="Rina").is_active is True


def test_confirming_twice_imports_once(kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks):
    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, GOOD_CSV)
    confirm(ketua_guntung_paikat, member_import, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = member_import_confirm(actor=ketua_guntung_paikat, member_import=member_import)
    assert callbacks == []  # nothing enqueued the second time
    assert again.status == ImportStatus.DONE
    assert KimMember.objects.count() == 2
    assert AuditEvent.objects.filter(action="kim.member_import_confirm").count() == 1


def test_running_the_task_again_does_nothing(
    kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks
):
    member_import = confirm(
        ketua_guntung_paikat,
        preview(ketua_guntung_paikat, kim_guntung_paikat, GOOD_CSV),
        django_capture_on_commit_callbacks,
    )
    KimMember.objects.filter(phone="+6281355500001").update(name="Diubah sesudahnya")
    assert tasks.member_import_run.call(member_import.pk, ketua_guntung_paikat.pk) == "done"
    assert tasks.member_import_run.call(999_999, ketua_guntung_paikat.pk) == "missing"
    assert KimMember.objects.count() == 2
    assert KimMember.objects.get(phone="+6281355500001").name == "Diubah sesudahnya"
    assert AuditEvent.objects.filter(action="kim.member_import_apply").count() == 1


def test_a_failure_while_applying_rolls_everything_back(
    kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks, monkeypatch
):
    existing = KimMemberFactory(kim=kim_guntung_paikat, name="Siti", phone="+6281355500001")
    real_check = service.check_member_consistency

    def failing_check(member):
        if member.name == "Budi Santoso":
            raise ValidationError({"phone": "The number was taken in the meantime."})
        real_check(member)

    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, GOOD_CSV + "Rina,081355500009,,,,,,\n")
    monkeypatch.setattr(service, "check_member_consistency", failing_check)
    member_import = confirm(ketua_guntung_paikat, member_import, django_capture_on_commit_callbacks)

    assert member_import.status == ImportStatus.FAILED
    assert member_import.error_message == "Nothing was imported. Row 3: The number was taken in the meantime."
    assert KimMember.objects.count() == 1  # Rina was not created either
    existing.refresh_from_db()
    assert existing.name == "Siti"  # the merge was rolled back too
    assert not member_import.file
    assert AuditEvent.objects.filter(action="kim.member_import_fail").count() == 1


def test_an_import_fails_cleanly_if_the_confirmer_lost_their_role(
    kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks
):
    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, GOOD_CSV)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member_import_confirm(actor=ketua_guntung_paikat, member_import=member_import)
    RoleGrant.objects.filter(user=ketua_guntung_paikat).delete()
    for callback in callbacks:
        callback()
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.FAILED
    assert "may no longer manage" in member_import.error_message
    assert not KimMember.objects.exists()


def test_progress_is_written_while_rows_are_checked(
    kim_guntung_paikat, ketua_guntung_paikat, django_capture_on_commit_callbacks, monkeypatch
):
    content = "nama,telepon\n" + "".join(f"Anggota {n},0813{n:08d}\n" for n in range(1200))
    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, content)
    seen = []
    real = service._set_progress
    monkeypatch.setattr(service, "_set_progress", lambda pk, n: (seen.append(n), real(pk, n)))
    member_import = confirm(ketua_guntung_paikat, member_import, django_capture_on_commit_callbacks)
    assert seen == [500, 1000]
    assert member_import.status == ImportStatus.DONE
    assert member_import.processed_rows == member_import.created_count == 1200


def test_a_file_without_valid_rows_cannot_be_confirmed(kim_guntung_paikat, ketua_guntung_paikat):
    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, "nama,telepon\nSiti,0812\n")
    with pytest.raises(ValidationError, match="nothing to import"):
        member_import_confirm(actor=ketua_guntung_paikat, member_import=member_import)
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.PREVIEW


def test_ketua_of_another_kim_may_not_confirm(kim_guntung_paikat, ketua_guntung_paikat, ketua_ekasari):
    member_import = preview(ketua_guntung_paikat, kim_guntung_paikat, GOOD_CSV)
    with pytest.raises(PermissionDenied):
        member_import_confirm(actor=ketua_ekasari, member_import=member_import)
