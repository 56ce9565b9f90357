"""Importing members from a CSV or XLSX file: upload → preview → confirm → apply.

1. `member_import_preview` reads the file (2 MB, 20,000 rows at most), checks every row and
   stores a `MemberImport` in status "preview" with the per-row errors and how many members
   will be created or merged. Nothing is written to the member list yet.
2. `member_import_confirm` moves it to "running" and enqueues `sikim.kim.tasks.member_import_run`.
3. The task calls `member_import_apply`, which checks the rows again (writing progress as it
   goes, so the page can show it) and then writes every member in ONE transaction: if anything
   fails, nothing is imported and the import is "failed" with a message. Running it again once
   it is done does nothing.

Files are read by content, not by name: a ZIP with a workbook is XLSX; anything else must be
text (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252, else latin-1) separated by
semicolons, commas or tabs. Column names may be Indonesian or English (nama/name,
telepon/hp/phone, email, jenis_kelamin/gender, kelompok_umur/age_group, pekerjaan/occupation,
sektor/sector, kanal/channel, …; an export's columns too). Rows with the same phone number — in
the file, or already in the KIM — are merged into one member: values in the file win, blank
cells never erase, and a member's active status changes only through an `aktif` column.
The uploaded file holds personal data: it is stored under a random name and deleted once the
import is done or failed.
"""

import codecs
import csv
import functools
import io
import logging
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from sikim.accounts.authz import AnyUser, can, require
from sikim.accounts.models import User
from sikim.accounts.phone import normalize_phone
from sikim.audit.services import audit_record
from sikim.kim import tasks as kim_tasks
from sikim.kim.models import (
    AgeGroup,
    Channel,
    Gender,
    ImportStatus,
    Kim,
    KimMember,
    MemberImport,
    MemberKind,
    OrganisationType,
    Sector,
)
from sikim.kim.permissions import KimAction
from sikim.kim.services.members import NAME_MAX_LENGTH, OCCUPATION_MAX_LENGTH, check_member_consistency

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES: Final = 2 * 1024 * 1024
MAX_IMPORT_ROWS: Final = 20_000
# A 2 MB workbook that unpacks to more than this is a "zip bomb", not a member list.
MAX_UNPACKED_BYTES: Final = 60 * 1024 * 1024
# Rows read in all (blank ones too) before giving up on a sheet.
MAX_SCANNED_ROWS: Final = 200_000
MAX_COLUMNS: Final = 60
HEADER_SEARCH_ROWS: Final = 10
MAX_STORED_ERROR_ROWS: Final = 500
PREVIEW_ROWS: Final = 100
PROGRESS_EVERY: Final = 500
SHOWN_VALUE_LENGTH: Final = 40

# Canonical field → the column names that mean it (after `_normalise_header`).
HEADER_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "name": ("nama", "name", "nama_lengkap", "full_name", "nama_anggota", "nama_kelompok"),
    "phone": (
        "telepon",
        "hp",
        "phone",
        "no_hp",
        "nomor_hp",
        "no_telepon",
        "nomor_telepon",
        "telp",
        "no_telp",
        "no_telp_hp",
        "telp_hp",
        "handphone",
        "ponsel",
        "phone_number",
        "mobile",
        "no_wa",
        "nomor_wa",
        "nomor_whatsapp",
    ),
    "email": ("email", "e_mail", "surel", "alamat_email", "email_address"),
    "gender": ("jenis_kelamin", "gender", "jk", "sex", "kelamin"),
    "age_group": ("kelompok_umur", "age_group", "umur", "usia", "age", "kelompok_usia"),
    "occupation": ("pekerjaan", "occupation", "profesi", "job"),
    "sector": ("sektor", "sector", "bidang"),
    "channel": ("kanal", "channel", "saluran", "preferred_channel"),
    "kind": ("jenis", "kind", "jenis_anggota", "member_kind"),
    "organisation_type": ("jenis_organisasi", "organisation_type", "organization_type", "jenis_kelompok"),
    "consent_email": ("setuju_email", "consent_email"),
    "consent_sms": ("setuju_sms", "consent_sms"),
    "consent_whatsapp": ("setuju_whatsapp", "consent_whatsapp", "setuju_wa"),
    "consent_telegram": ("setuju_telegram", "consent_telegram"),
    "joined_on": ("bergabung", "tanggal_bergabung", "joined_on", "joined"),
    "is_active": ("aktif", "active", "is_active", "masih_anggota"),
}
_FIELD_BY_HEADER: Final = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


def _key(value: str) -> str:
    """A cell value made comparable: lower case, separators as single spaces."""
    return re.sub(r"[\s_\-–—/.]+", " ", value.strip().lower()).strip()


GENDER_VALUES: Final = {
    **dict.fromkeys(("l", "lk", "laki laki", "laki", "pria", "male", "m"), Gender.MALE.value),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "female", "f", "w"), Gender.FEMALE.value),
}


def _labels_in_every_language(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """The choices' labels in English and Indonesian (and any other configured language)."""
    labels: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            labels.update({_key(str(label)): code for code, label in choices})
    return labels


AGE_GROUP_VALUES: Final = {
    **{_key(code): code for code in AgeGroup.values},
    **dict.fromkeys(
        ("<18", "< 18", "under 18", "di bawah 18", "dibawah 18", "kurang dari 18"), AgeGroup.UNDER_18.value
    ),
    **dict.fromkeys(
        ("60+", "60 +", ">60", "> 60", ">=60", "≥60", "60 plus", "60 ke atas", "60 keatas", "60 and over", "lansia"),
        AgeGroup.AGE_60_PLUS.value,
    ),
}
SECTOR_VALUES: Final = {
    **{_key(code): code for code in Sector.values},
    "tani": Sector.PERTANIAN.value,
    "kebun": Sector.PERKEBUNAN.value,
    "nelayan": Sector.PERIKANAN.value,
    "ternak": Sector.PETERNAKAN.value,
    "ukm": Sector.UMKM.value,
    "usaha kecil": Sector.UMKM.value,
    "wisata": Sector.PARIWISATA.value,
    "sosial": Sector.SOSIAL_BUDAYA.value,
    "budaya": Sector.SOSIAL_BUDAYA.value,
    "sosial dan budaya": Sector.SOSIAL_BUDAYA.value,
    "ti": Sector.TEKNOLOGI.value,
    "it": Sector.TEKNOLOGI.value,
    "teknologi informasi": Sector.TEKNOLOGI.value,
    "lain lain": Sector.LAINNYA.value,
    "lain": Sector.LAINNYA.value,
}
CHANNEL_VALUES: Final = {
    **{_key(code): code for code in Channel.values},
    "e mail": Channel.EMAIL.value,
    "surel": Channel.EMAIL.value,
    "tg": Channel.TELEGRAM.value,
    "wa": Channel.WHATSAPP.value,
}
KIND_VALUES: Final = {
    **dict.fromkeys(("orang", "person", "perorangan", "perseorangan", "individu", "pribadi"), MemberKind.PERSON.value),
    **dict.fromkeys(
        ("organisasi", "organisation", "organization", "kelompok", "lembaga", "group"), MemberKind.ORGANISATION.value
    ),
}
ORGANISATION_TYPE_VALUES: Final = {
    **{_key(code): code for code in OrganisationType.values},
    "poktan": OrganisationType.KELOMPOK_TANI.value,
    "gapoktan": OrganisationType.KELOMPOK_TANI.value,
    "tani": OrganisationType.KELOMPOK_TANI.value,
    "kelompok nelayan": OrganisationType.NELAYAN.value,
    "ukm": OrganisationType.UMKM.value,
    "usaha": OrganisationType.UMKM.value,
    "lain lain": OrganisationType.LAINNYA.value,
    "other": OrganisationType.LAINNYA.value,
}


@functools.cache
def _choice_labels() -> dict[str, dict[str, str]]:
    """Built on first use (translations must be ready), then kept."""
    return {
        "age_group": {**_labels_in_every_language(AgeGroup.choices), **AGE_GROUP_VALUES},
        "sector": {**_labels_in_every_language(Sector.choices), **SECTOR_VALUES},
    }


YES_VALUES: Final = frozenset({"ya", "y", "yes", "1", "true", "benar", "setuju", "x", "v", "✓"})
NO_VALUES: Final = frozenset({"tidak", "tdk", "no", "n", "0", "false", "salah", "-"})

MEMBER_WRITE_FIELDS: Final = [
    "name",
    "kind",
    "organisation_type",
    "phone",
    "email",
    "gender",
    "age_group",
    "occupation",
    "sector",
    "preferred_channel",
    "consent_email",
    "consent_sms",
    "consent_whatsapp",
    "consent_telegram",
    "joined_on",
    "is_active",
    "updated_at",
]


# --- Reading the file ------------------------------------------------------------------------


def _not_a_spreadsheet() -> ValidationError:
    return ValidationError(
        _("This file is not a CSV or Excel (.xlsx) file. Save your list as CSV or .xlsx and upload it again."),
        code="not_spreadsheet",
    )


def _unreadable_workbook() -> ValidationError:
    return ValidationError(
        _(
            "This Excel file cannot be read. Open it in your spreadsheet program, save it again as .xlsx "
            "or CSV, and upload it again."
        ),
        code="unreadable",
    )


def _too_many_rows() -> ValidationError:
    limit = number_format(MAX_IMPORT_ROWS, force_grouping=True)
    return ValidationError(
        _("The file has more than %(max)s rows. Split it into files of at most %(max)s rows each.") % {"max": limit},
        code="too_many_rows",
    )


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        _("The file is too large (%(size)s). The limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(MAX_IMPORT_BYTES)},
        code="too_large",
    )


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_a_spreadsheet() from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _looks_binary(content: bytes) -> bool:
    head = content[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 13))
    return controls > max(4, len(head) // 100)


BINARY_SIGNATURES: Final = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf", b"BM")


def _csv_rows(content: bytes) -> list[list[str]]:
    if content.startswith(BINARY_SIGNATURES) or _looks_binary(content):
        raise _not_a_spreadsheet()
    text = _decode(content)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    rows: list[list[str]] = []
    # Strict: a stray quote is reported, rather than silently swallowing the rows after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    record_starts = 1
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row[:MAX_COLUMNS]])
            if len(rows) > MAX_SCANNED_ROWS:
                raise _too_many_rows()
            record_starts = reader.line_num + 1
    except csv.Error:
        raise ValidationError(
            _(
                'This CSV file cannot be read near line %(line)d: check the quotes (") there. '
                "Save the file again from your spreadsheet program and upload it."
            )
            % {"line": record_starts},
            code="bad_csv",
        ) from None
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_spreadsheet() from None
    if "xl/workbook.xml" not in names:
        raise _not_a_spreadsheet()
    if unpacked > MAX_UNPACKED_BYTES:
        raise _too_large(unpacked)
    rows: list[list[str]] = []
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds of errors on a damaged file
        raise _unreadable_workbook() from None
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # trust the rows present, not a sheet's claimed size
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_SCANNED_ROWS:
                raise _too_many_rows()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — as above, while reading the cells
        raise _unreadable_workbook() from None
    finally:
        workbook.close()
    return rows


def _normalise_header(value: str) -> str:
    text = value.replace("\ufeff", "").strip().lower()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


@dataclass(frozen=True)
class RawRow:
    number: int  # the row number the spreadsheet shows (the header is usually row 1)
    values: dict[str, str]


@dataclass(frozen=True)
class ParsedFile:
    file_type: str
    rows: list[RawRow]
    ignored_columns: list[str]


def detect_file_type(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _("This is an old Excel file (.xls) or a protected workbook. Save it as .xlsx or CSV and upload it again."),
            code="old_excel",
        )
    return "csv"


def parse_member_file(content: bytes, *, limit: int | None = None) -> ParsedFile:
    """The data rows of a member file, keyed by canonical field. ValidationError for a bad file.

    `limit` stops after that many data rows (for showing a preview without reading everything).
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise _too_large(len(content))
    if not content.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    file_type = detect_file_type(content)
    table = _xlsx_rows(content) if file_type == "xlsx" else _csv_rows(content)

    header_index = None
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        if any(_FIELD_BY_HEADER.get(_normalise_header(cell)) == "name" for cell in row):
            header_index = index
            break
    if header_index is None:
        if not any(any(cell for cell in row) for row in table):
            raise ValidationError(_("The file is empty."), code="empty")
        raise ValidationError(
            _(
                "The file has no column for the name. Put the column names in the first row, for example: "
                "nama, telepon, email, jenis_kelamin, kelompok_umur, pekerjaan, sektor, kanal."
            ),
            code="no_name_column",
        )
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for position, cell in enumerate(table[header_index]):
        canonical = _FIELD_BY_HEADER.get(_normalise_header(cell))
        if canonical is None or canonical in columns:
            if cell.strip():
                ignored.append(cell.strip()[:SHOWN_VALUE_LENGTH])
            continue
        columns[canonical] = position

    rows: list[RawRow] = []
    for offset, row in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(row):
            continue
        values = {name: row[position] for name, position in columns.items() if position < len(row) and row[position]}
        rows.append(RawRow(number=offset, values=values))
        if limit is None and len(rows) > MAX_IMPORT_ROWS:
            raise _too_many_rows()
        if limit is not None and len(rows) >= limit:
            break
    if not rows and limit is None:
        raise ValidationError(_("The file has column names but no members below them."), code="no_rows")
    return ParsedFile(file_type=file_type, rows=rows, ignored_columns=ignored)


# --- Checking each row ------------------------------------------------------------------------


@dataclass
class CheckedRow:
    number: int
    fields: dict[str, Any]
    errors: list[str]

    @property
    def valid(self) -> bool:
        return not self.errors


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOWN_VALUE_LENGTH else value[: SHOWN_VALUE_LENGTH - 1] + "…"


def _parse_date(value: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 — a calendar date, no time
        except ValueError:
            continue
    return None


def _age_group(value: str) -> str | None:
    key = _key(value)
    if key.isdigit():
        age = int(key)
        if age > 120:
            return None
        if age < 18:
            return AgeGroup.UNDER_18.value
        if age < 30:
            return AgeGroup.AGE_18_29.value
        if age < 45:
            return AgeGroup.AGE_30_44.value
        if age < 60:
            return AgeGroup.AGE_45_59.value
        return AgeGroup.AGE_60_PLUS.value
    return _choice_labels()["age_group"].get(key)


def check_row(raw: RawRow) -> CheckedRow:
    """Turn one row's cells into member fields (only those given), with plain row-numbered errors."""
    values, row = raw.values, raw.number
    fields: dict[str, Any] = {}
    errors: list[str] = []

    def error(message: str, value: str = "", **extra: Any) -> None:
        errors.append(message % {"row": row, "value": _shown(value), **extra})

    name = " ".join(values.get("name", "").split())
    if not name:
        error(_("Row %(row)d: the name is missing"))
    elif len(name) > NAME_MAX_LENGTH:
        error(_("Row %(row)d: the name is longer than %(max)d characters"), max=NAME_MAX_LENGTH)
    else:
        fields["name"] = name

    if raw_phone := values.get("phone", ""):
        phone = normalize_phone(raw_phone)
        if phone is None:
            error(_("Row %(row)d: the phone number '%(value)s' is not a valid Indonesian number"), raw_phone)
        else:
            fields["phone"] = phone

    if raw_email := values.get("email", ""):
        email = raw_email.strip().lower()
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            error(_("Row %(row)d: the email address '%(value)s' is not valid"), raw_email)
        else:
            fields["email"] = email

    lookups: list[tuple[str, dict[str, str] | Callable[[str], str | None], str]] = [
        ("gender", GENDER_VALUES, _("Row %(row)d: the gender '%(value)s' is not understood (use L or P)")),
        (
            "age_group",
            _age_group,
            _(
                "Row %(row)d: the age group '%(value)s' is not understood "
                "(use an age in years or a group such as 18-29)"
            ),
        ),
        (
            "sector",
            _choice_labels()["sector"],
            _("Row %(row)d: the sector '%(value)s' is not one of the sectors SIKIM knows"),
        ),
        (
            "channel",
            CHANNEL_VALUES,
            _("Row %(row)d: the channel '%(value)s' is not understood (use web, email, telegram, whatsapp or sms)"),
        ),
        (
            "kind",
            KIND_VALUES,
            _("Row %(row)d: the member kind '%(value)s' is not understood (use orang or organisasi)"),
        ),
        (
            "organisation_type",
            ORGANISATION_TYPE_VALUES,
            _("Row %(row)d: the organisation type '%(value)s' is not understood"),
        ),
    ]
    for name_of_field, mapping, message in lookups:
        if raw_value := values.get(name_of_field, ""):
            found = mapping(raw_value) if callable(mapping) else mapping.get(_key(raw_value))
            if found is None:
                error(message, raw_value)
            else:
                fields["preferred_channel" if name_of_field == "channel" else name_of_field] = found

    if occupation := " ".join(values.get("occupation", "").split()):
        if len(occupation) > OCCUPATION_MAX_LENGTH:
            error(_("Row %(row)d: the occupation is longer than %(max)d characters"), max=OCCUPATION_MAX_LENGTH)
        else:
            fields["occupation"] = occupation

    for yes_no_field in (
        "consent_email",
        "consent_sms",
        "consent_whatsapp",
        "consent_telegram",
        "is_active",
    ):
        if raw_value := values.get(yes_no_field, ""):
            key = _key(raw_value)
            if key in YES_VALUES:
                fields[yes_no_field] = True
            elif key in NO_VALUES:
                fields[yes_no_field] = False
            else:
                error(
                    _("Row %(row)d: '%(value)s' in the column %(column)s is not understood (use ya or tidak)"),
                    raw_value,
                    column=HEADER_ALIASES[yes_no_field][0],
                )

    if raw_date := values.get("joined_on", ""):
        joined = _parse_date(raw_date)
        if joined is None or joined > timezone.localdate():
            error(_("Row %(row)d: the date '%(value)s' is not understood (use YYYY-MM-DD)"), raw_date)
        else:
            fields["joined_on"] = joined

    if fields.get("organisation_type"):
        if fields.get("kind") == MemberKind.PERSON:
            error(_("Row %(row)d: only a member organisation has an organisation type"))
        fields["kind"] = MemberKind.ORGANISATION.value
    elif fields.get("kind") == MemberKind.PERSON:
        fields["organisation_type"] = ""

    channel = fields.get("preferred_channel")
    if channel == Channel.EMAIL and "email" not in fields:
        error(_("Row %(row)d: the channel is email but there is no email address"))
    elif channel in (Channel.SMS, Channel.WHATSAPP) and "phone" not in fields:
        error(_("Row %(row)d: the channel is %(channel)s but there is no phone number"), channel=channel)
    return CheckedRow(number=row, fields=fields, errors=errors)


def check_rows(rows: Iterable[RawRow], progress: Callable[[int], None] | None = None) -> list[CheckedRow]:
    checked = []
    for count, raw in enumerate(rows, start=1):
        checked.append(check_row(raw))
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    return checked


# --- Planning: which rows create a member and which merge ----------------------------------------


@dataclass
class PlannedMember:
    first_row: int
    fields: dict[str, Any]
    rows: list[int]
    existing: KimMember | None = None


@dataclass(frozen=True)
class RowAction:
    """What the import will do with one row (for the preview)."""

    row: int
    name: str
    phone: str
    action: str  # "create", "merge_existing" or "merge_row"
    target: str  # the existing member's name, or the earlier row's number


@dataclass
class ImportPlan:
    members: list[PlannedMember] = field(default_factory=list)
    actions: list[RowAction] = field(default_factory=list)
    created: int = 0
    merged: int = 0


def plan_import(kim: Kim, rows: list[CheckedRow]) -> ImportPlan:
    """Group valid rows by phone number, against the file itself and the KIM's members."""
    phones = {row.fields["phone"] for row in rows if row.valid and row.fields.get("phone")}
    existing = {member.phone: member for member in KimMember.objects.filter(kim=kim, phone__in=phones) if member.phone}
    plan = ImportPlan()
    by_phone: dict[str, PlannedMember] = {}
    for row in rows:
        if not row.valid:
            continue
        phone = row.fields.get("phone") or ""
        name = row.fields["name"]
        if phone and phone in by_phone:
            planned = by_phone[phone]
            planned.fields.update(row.fields)
            planned.rows.append(row.number)
            plan.merged += 1
            plan.actions.append(RowAction(row.number, name, phone, "merge_row", str(planned.first_row)))
            continue
        planned = PlannedMember(first_row=row.number, fields=dict(row.fields), rows=[row.number])
        plan.members.append(planned)
        if phone:
            by_phone[phone] = planned
        if phone and phone in existing:
            planned.existing = existing[phone]
            plan.merged += 1
            plan.actions.append(RowAction(row.number, name, phone, "merge_existing", existing[phone].name))
        else:
            plan.created += 1
            plan.actions.append(RowAction(row.number, name, phone, "create", ""))
    return plan


def _member_from_plan(kim: Kim, planned: PlannedMember, now: datetime) -> KimMember:
    member = planned.existing or KimMember(kim=kim, joined_on=timezone.localdate())
    for name, value in planned.fields.items():
        setattr(member, name, value)
    if member.kind == MemberKind.PERSON:
        member.organisation_type = ""
    member.updated_at = now
    try:
        check_member_consistency(member)
    except ValidationError as error:
        messages = "; ".join(message for messages in error.message_dict.values() for message in messages)
        raise ValidationError(
            _("Row %(row)d: %(message)s") % {"row": planned.first_row, "message": messages}, code="row_failed"
        ) from None
    return member


def _write_plan(kim: Kim, plan: ImportPlan) -> tuple[int, int]:
    now = timezone.now()
    new: list[KimMember] = []
    updated: list[KimMember] = []
    for planned in plan.members:
        member = _member_from_plan(kim, planned, now)
        (updated if planned.existing else new).append(member)
    KimMember.objects.bulk_create(new, batch_size=500)
    KimMember.objects.bulk_update(updated, MEMBER_WRITE_FIELDS, batch_size=500)
    return len(new), plan.merged


# --- Services --------------------------------------------------------------------------------


def _read_upload(upload: UploadedFile) -> bytes:
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise _too_large(upload.size)
    upload.seek(0)
    content = upload.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise _too_large(upload.size or len(content))
    return content


def _stored_errors(rows: list[CheckedRow]) -> list[dict[str, Any]]:
    return [{"row": row.number, "errors": row.errors} for row in rows if row.errors][:MAX_STORED_ERROR_ROWS]


@transaction.atomic
def member_import_preview(*, actor: AnyUser, kim: Kim, upload: UploadedFile) -> MemberImport:
    """Check an uploaded member file and keep it, waiting for confirmation. Nothing is imported yet."""
    require(actor, KimAction.MANAGE_MEMBERS, kim)
    content = _read_upload(upload)
    parsed = parse_member_file(content)
    checked = check_rows(parsed.rows)
    plan = plan_import(kim, checked)
    valid = sum(1 for row in checked if row.valid)
    member_import = MemberImport(
        kim=kim,
        uploaded_by=actor if isinstance(actor, User) else None,
        original_name=(upload.name or "members")[:200],
        status=ImportStatus.PREVIEW,
        total_rows=len(checked),
        valid_rows=valid,
        created_count=plan.created,
        merged_count=plan.merged,
        row_errors=_stored_errors(checked),
    )
    member_import.file.save(f"{uuid.uuid4().hex}.{parsed.file_type}", ContentFile(content), save=False)
    member_import.save()
    audit_record(
        actor=actor,
        action="kim.member_import_preview",
        obj=member_import,
        region_code=kim.region_id,
        after={
            "original_name": member_import.original_name,
            "total_rows": member_import.total_rows,
            "valid_rows": valid,
            "will_create": plan.created,
            "will_merge": plan.merged,
        },
    )
    return member_import


@dataclass(frozen=True)
class ImportPreview:
    actions: list[RowAction]
    ignored_columns: list[str]
    more_rows: bool


def member_import_preview_rows(member_import: MemberImport) -> ImportPreview | None:
    """The first rows of a waiting import and what will happen to each (reads only)."""
    if member_import.status != ImportStatus.PREVIEW or not member_import.file:
        return None
    try:
        with member_import.file.open("rb") as stored:
            content = stored.read(MAX_IMPORT_BYTES + 1)
        parsed = parse_member_file(content, limit=PREVIEW_ROWS + 1)
    except (OSError, ValidationError):
        return None
    checked = check_rows(parsed.rows[:PREVIEW_ROWS])
    plan = plan_import(member_import.kim, checked)
    return ImportPreview(
        actions=plan.actions, ignored_columns=parsed.ignored_columns, more_rows=len(parsed.rows) > PREVIEW_ROWS
    )


@transaction.atomic
def member_import_confirm(*, actor: AnyUser, member_import: MemberImport) -> MemberImport:
    """Start applying a previewed import. Confirming again (a double click, a retry) changes nothing."""
    kim = member_import.kim
    require(actor, KimAction.MANAGE_MEMBERS, kim)
    locked = MemberImport.objects.select_for_update().select_related("kim").get(pk=member_import.pk)
    if locked.status != ImportStatus.PREVIEW:
        return locked
    if locked.valid_rows == 0:
        raise ValidationError(
            _("There is nothing to import: every row has an error. Fix the file and upload it again.")
        )
    locked.status = ImportStatus.RUNNING
    locked.processed_rows = 0
    locked.save(update_fields=["status", "processed_rows", "updated_at"])
    audit_record(
        actor=actor,
        action="kim.member_import_confirm",
        obj=locked,
        region_code=kim.region_id,
        after={"status": ImportStatus.RUNNING.value},
    )
    actor_id = actor.pk if isinstance(actor, User) else None
    # The worker must see the "running" row: enqueue only once it is committed.
    transaction.on_commit(lambda: kim_tasks.member_import_run.enqueue(locked.pk, actor_id))
    return locked


def _set_progress(member_import_id: int, processed: int) -> None:
    # Outside the import's transaction, so the page can show how far it got.
    MemberImport.objects.filter(pk=member_import_id, status=ImportStatus.RUNNING).update(processed_rows=processed)


def _failure_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        text = " ".join(error.messages)
    elif isinstance(error, PermissionDenied):
        text = _("The person who confirmed this import may no longer manage this KIM's members.")
    else:
        text = _("An unexpected error stopped the import.")
    return (_("Nothing was imported. %(reason)s") % {"reason": text})[:500]


def _discard_file(member_import: MemberImport) -> None:
    """The uploaded file holds personal data: delete it once it has served."""
    if member_import.file:
        member_import.file.delete(save=False)
        MemberImport.objects.filter(pk=member_import.pk).update(file="")


def member_import_apply(*, actor: AnyUser | None, member_import: MemberImport) -> MemberImport:
    """Import every valid row of a confirmed import in one transaction; idempotent.

    Only an import in status "running" is applied: once it is done (or failed) another run
    returns at once. Checking rows happens before the transaction and writes progress; the
    members themselves are written inside it, all or nothing.
    """
    current = MemberImport.objects.select_related("kim").filter(pk=member_import.pk).first()
    if current is None or current.status != ImportStatus.RUNNING:
        return current or member_import
    kim = current.kim
    try:
        if actor is None or not can(actor, KimAction.MANAGE_MEMBERS, kim):
            raise PermissionDenied
        with current.file.open("rb") as stored:
            content = stored.read(MAX_IMPORT_BYTES + 1)
        parsed = parse_member_file(content)
        checked = check_rows(parsed.rows, progress=lambda count: _set_progress(current.pk, count))
        with transaction.atomic():
            locked = MemberImport.objects.select_for_update().get(pk=current.pk)
            if locked.status != ImportStatus.RUNNING:
                return locked
            Kim.objects.select_for_update().filter(pk=kim.pk).values_list("pk", flat=True).first()
            plan = plan_import(kim, checked)
            created, merged = _write_plan(kim, plan)
            locked.status = ImportStatus.DONE
            locked.total_rows = len(checked)
            locked.valid_rows = sum(1 for row in checked if row.valid)
            locked.processed_rows = len(checked)
            locked.created_count = created
            locked.merged_count = merged
            locked.error_message = ""
            locked.save()
            audit_record(
                actor=actor,
                action="kim.member_import_apply",
                obj=locked,
                region_code=kim.region_id,
                after={"status": locked.status, "created": created, "merged": merged},
            )
    except Exception as error:  # noqa: BLE001 — any failure leaves nothing imported and says so
        logger.warning("Member import %s failed: %r", current.pk, error)
        message = _failure_message(error)
        with transaction.atomic():
            MemberImport.objects.filter(pk=current.pk, status=ImportStatus.RUNNING).update(
                status=ImportStatus.FAILED, error_message=message, updated_at=timezone.now()
            )
            audit_record(
                actor=actor,
                action="kim.member_import_fail",
                obj=current,
                region_code=kim.region_id,
                after={"status": ImportStatus.FAILED.value, "error_message": message},
            )
        current.refresh_from_db()
        _discard_file(current)
        return current
    _discard_file(locked)
    locked.refresh_from_db()
    return locked


def member_import_apply_by_id(*, member_import_id: int, actor_id: int | None) -> str:
    """What the task runs: load the import and who confirmed it, then apply. Returns the final status."""
    member_import = MemberImport.objects.filter(pk=member_import_id).first()
    if member_import is None:
        return "missing"
    actor = User.objects.filter(pk=actor_id, is_active=True).first() if actor_id is not None else None
    return member_import_apply(actor=actor, member_import=member_import).status
