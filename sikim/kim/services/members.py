"""Writes for a KIM's members: add, change, deactivate, and the audited export.

Members are people and member organisations (a kelompok tani, a fishers' group, an UMKM, PKK,
karang taruna…). Phone numbers are stored as +62…, one member per phone number in a KIM.
Personal data (phone, email) is for the KIM's pengurus and pembina only: the audit log records
*that* it changed, never its values.
"""

import csv
import io
from collections.abc import Mapping
from datetime import date
from typing import Any, Final, Literal, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sikim.accounts.authz import AnyUser, require
from sikim.accounts.phone import normalize_phone
from sikim.audit.services import audit_record, model_snapshot
from sikim.core.exports import ExportFile, safe_cell
from sikim.kim.models import (
    AgeGroup,
    Channel,
    Gender,
    Kim,
    KimMember,
    MemberKind,
    OrganisationType,
    Sector,
)
from sikim.kim.permissions import KimAction

NAME_MAX_LENGTH: Final = 150
OCCUPATION_MAX_LENGTH: Final = 100
PERSONAL_FIELDS: Final = ("phone", "email")
# What the audit log shows of a member: everything but the personal data itself.
AUDIT_FIELDS: Final = [
    "name",
    "kind",
    "organisation_type",
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
]
EDITABLE_FIELDS: Final = frozenset({*AUDIT_FIELDS, *PERSONAL_FIELDS})


class MemberDetails(TypedDict, total=False):
    """What a member can be given when added (everything but the name is optional)."""

    kind: str
    organisation_type: str
    phone: str | None
    email: str | None
    gender: str
    age_group: str
    occupation: str
    sector: str
    preferred_channel: str
    consent_email: bool
    consent_sms: bool
    consent_whatsapp: bool
    consent_telegram: bool
    joined_on: date | None


class MemberChanges(MemberDetails, total=False):
    """What can be changed on an existing member."""

    name: str
    is_active: bool


# --- Checking values (also used, row by row, by the import) --------------------------------------


def clean_member_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError({"name": _("Enter the member's name.")})
    name = " ".join(value.split())
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("A name can be at most %(max)d characters long.") % {"max": NAME_MAX_LENGTH}})
    return name


def clean_member_phone(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    normalized = normalize_phone(value) if isinstance(value, str) else None
    if normalized is None:
        raise ValidationError(
            {"phone": _("Enter an Indonesian phone number, for example 0812-3456-7890 or +62 812 3456 7890.")}
        )
    return normalized


def clean_member_email(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if not isinstance(value, str) or len(value) > 254:
        raise ValidationError({"email": _("Enter a valid email address.")})
    email = value.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    return email


def _clean_choice(field: str, value: Any, choices: type[models.TextChoices], *, blank: bool) -> str:
    if value in (None, "") and blank:
        return ""
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the offered values.")})
    return str(value)


def _clean_text(field: str, value: Any, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter text.")})
    text = " ".join(value.split())
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(max)d characters.") % {"max": max_length}})
    return text


def _apply_fields(member: KimMember, fields: Mapping[str, Any]) -> None:
    """Check each given field and set it on `member` (not saved)."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    errors: dict[str, list[str]] = {}
    cleaners = {
        "name": clean_member_name,
        "phone": clean_member_phone,
        "email": clean_member_email,
        "kind": lambda v: _clean_choice("kind", v, MemberKind, blank=False),
        "organisation_type": lambda v: _clean_choice("organisation_type", v, OrganisationType, blank=True),
        "gender": lambda v: _clean_choice("gender", v, Gender, blank=True),
        "age_group": lambda v: _clean_choice("age_group", v, AgeGroup, blank=True),
        "sector": lambda v: _clean_choice("sector", v, Sector, blank=True),
        "preferred_channel": lambda v: _clean_choice("preferred_channel", v, Channel, blank=False),
        "occupation": lambda v: _clean_text("occupation", v, OCCUPATION_MAX_LENGTH),
    }
    for field, value in fields.items():
        try:
            if field in cleaners:
                value = cleaners[field](value)
            elif field == "joined_on":
                if value is not None and not isinstance(value, date):
                    raise ValidationError({field: _("Enter a valid date.")})
                if value is not None and value > timezone.localdate():
                    raise ValidationError({field: _("The date cannot be in the future.")})
            elif not isinstance(value, bool):  # consents and is_active
                raise ValidationError({field: _("Answer yes or no.")})
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
            continue
        setattr(member, field, value)
    if errors:
        raise ValidationError(errors)
    check_member_consistency(member)


def check_member_consistency(member: KimMember) -> None:
    """What must hold between fields: organisation types for organisations, a way to reach the channel."""
    errors: dict[str, str] = {}
    if member.kind == MemberKind.PERSON and member.organisation_type:
        errors["organisation_type"] = _("Only a member organisation has an organisation type.")
    if member.preferred_channel == Channel.EMAIL and not member.email:
        errors["preferred_channel"] = _("Enter an email address to reach this member by email.")
    elif member.preferred_channel in (Channel.SMS, Channel.WHATSAPP) and not member.phone:
        errors["preferred_channel"] = _("Enter a phone number to reach this member by SMS or WhatsApp.")
    if errors:
        raise ValidationError(errors)


def _check_phone_free(member: KimMember) -> None:
    if not member.phone:
        return
    other = KimMember.objects.filter(kim_id=member.kim_id, phone=member.phone).exclude(pk=member.pk).first()
    if other is not None:
        raise ValidationError(
            {"phone": _("This phone number already belongs to a member of this KIM: %(name)s.") % {"name": other.name}}
        )


def _save_member(member: KimMember) -> None:
    """Save, turning a lost race on the phone number into the same clear message."""
    _check_phone_free(member)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        _check_phone_free(member)
        raise


def _audit_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed_before = {key: value for key, value in before.items() if after.get(key) != value}
    changed_after = {key: value for key, value in after.items() if before.get(key) != value}
    return changed_before, changed_after


# --- Services --------------------------------------------------------------------------------


@transaction.atomic
def member_add(*, actor: AnyUser, kim: Kim, name: str, **details: Unpack[MemberDetails]) -> KimMember:
    """Add a person or a member organisation to `kim`."""
    require(actor, KimAction.MANAGE_MEMBERS, kim)
    member = KimMember(kim=kim)
    _apply_fields(member, {**details, "name": name})
    if member.joined_on is None:
        member.joined_on = timezone.localdate()
    _save_member(member)
    after = model_snapshot(member, AUDIT_FIELDS)
    after["personal_data"] = [field for field in PERSONAL_FIELDS if getattr(member, field)]
    audit_record(actor=actor, action="kim.member_add", obj=member, region_code=kim.region_id, after=after)
    return member


@transaction.atomic
def member_update(*, actor: AnyUser, member: KimMember, **changes: Unpack[MemberChanges]) -> KimMember:
    """Change a member's details. Phone and email changes are audited by name only."""
    kim = member.kim
    require(actor, KimAction.MANAGE_MEMBERS, kim)
    before = model_snapshot(member, AUDIT_FIELDS)
    old_phone, old_email = member.phone, member.email
    _apply_fields(member, changes)
    after = model_snapshot(member, AUDIT_FIELDS)
    personal_changed = []
    if member.phone != old_phone:
        personal_changed.append("phone")
    if member.email != old_email:
        personal_changed.append("email")
    if after == before and not personal_changed:
        return member
    _save_member(member)
    changed_before, changed_after = _audit_changes(before, after)
    if personal_changed:
        changed_after["personal_data_changed"] = personal_changed
    audit_record(
        actor=actor,
        action="kim.member_update",
        obj=member,
        region_code=kim.region_id,
        before=changed_before,
        after=changed_after,
    )
    return member


@transaction.atomic
def member_deactivate(*, actor: AnyUser, member: KimMember) -> KimMember:
    """A member leaves the KIM. The row stays (past boards and groups still name them)."""
    kim = member.kim
    require(actor, KimAction.MANAGE_MEMBERS, kim)
    if not member.is_active:
        return member
    member.is_active = False
    member.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="kim.member_deactivate",
        obj=member,
        region_code=kim.region_id,
        before={"is_active": True},
        after={"is_active": False},
    )
    return member


# --- Export ----------------------------------------------------------------------------------

# Column names match what the import understands, so an export can be edited and imported again.
EXPORT_COLUMNS: Final = [
    "nama",
    "jenis",
    "jenis_organisasi",
    "telepon",
    "email",
    "jenis_kelamin",
    "kelompok_umur",
    "pekerjaan",
    "sektor",
    "kanal",
    "setuju_email",
    "setuju_sms",
    "setuju_whatsapp",
    "setuju_telegram",
    "bergabung",
    "aktif",
]
ExportFormat = Literal["csv", "xlsx"]


def _safe_cell(value: str) -> str:
    return str(safe_cell(value))


def _yes_no(value: bool) -> str:
    return "ya" if value else "tidak"


def _export_row(member: KimMember) -> list[str]:
    return [
        _safe_cell(member.name),
        member.kind,
        member.organisation_type,
        member.phone or "",  # always "+62" and digits: checked by a database constraint
        _safe_cell(member.email),
        member.gender.upper(),
        member.age_group,
        _safe_cell(member.occupation),
        member.sector,
        member.preferred_channel,
        _yes_no(member.consent_email),
        _yes_no(member.consent_sms),
        _yes_no(member.consent_whatsapp),
        _yes_no(member.consent_telegram),
        member.joined_on.isoformat() if member.joined_on else "",
        _yes_no(member.is_active),
    ]


@transaction.atomic
def member_export(*, actor: AnyUser, kim: Kim, file_format: ExportFormat) -> ExportFile:
    """Every member of `kim` with their personal data, as CSV or XLSX. Pengurus and pembina only; audited."""
    require(actor, KimAction.VIEW_PERSONAL_DATA, kim)
    if file_format not in ("csv", "xlsx"):
        raise ValidationError({"format": _("Choose CSV or XLSX.")})
    members = KimMember.objects.filter(kim=kim).order_by("name", "id")
    stamp = timezone.localdate().isoformat()
    filename = f"anggota-{kim.slug}-{stamp}.{file_format}"
    count = 0
    if file_format == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(EXPORT_COLUMNS)
        for member in members.iterator(chunk_size=2000):
            writer.writerow(_export_row(member))
            count += 1
        # With a byte-order mark, spreadsheet programs open the file as UTF-8.
        content = ("\ufeff" + text.getvalue()).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Members")[:31])
        sheet.append(EXPORT_COLUMNS)
        for member in members.iterator(chunk_size=2000):
            sheet.append(_export_row(member))
            count += 1
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_record(
        actor=actor,
        action="kim.member_export",
        obj=kim,
        region_code=kim.region_id,
        after={"format": file_format, "rows": count},
    )
    return ExportFile(content=content, filename=filename, content_type=content_type, rows=count)
