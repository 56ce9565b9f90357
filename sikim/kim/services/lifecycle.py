"""Writes for a KIM's life: proposal, formation, registration and status changes.

The lifecycle is `KIM_TRANSITIONS` in `sikim.kim.models`:

    diusulkan ──formation──▶ dibentuk ──register──▶ terdaftar ──▶ aktif ⇄ tidak_aktif
        └──────────────┴──────────────┴─────────────────┴──────────▶ dibubarkan

Who may make each move is decided by `sikim.accounts.authz`:
- anyone (a citizen, even without an account) may *propose* a KIM for a desa/kelurahan;
- the pembina of the region records the *formation* (meeting + SK), *registers* the KIM
  (a registration number per kabupaten/kota) and changes its status afterwards;
- the KIM's pengurus, and its pembina, edit its public profile (`sikim.kim.services.profile`).

Every transition locks the KIM row, writes a `KimStatusChange` and an audit event, and
emails the proposer, the KIM's pengurus and its pembina — after the transaction commits,
through the task queue, so a mail server problem never undoes (or breaks) the change.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.accounts.phone import normalize_phone
from sikim.audit.services import audit_record, model_snapshot
from sikim.core.durable import enqueue_after_commit
from sikim.core.uploads import clean_image
from sikim.kim.models import (
    KIM_TRANSITIONS,
    DocumentKind,
    Formation,
    FormationPhoto,
    Kim,
    KimSector,
    KimStatus,
    KimStatusChange,
    Sector,
)
from sikim.kim.permissions import KimAction
from sikim.kim.selectors.registry import (
    kim_village_siblings,
    pembina_office_for_region,
    pembina_staff_for,
    pengurus_of,
    region_by_code,
)
from sikim.kim.services.documents import checked_pdf, store_kim_document
from sikim.wilayah.models import Region, RegionLevel

NAME_MAX_LENGTH: Final = 200
ABOUT_MAX_LENGTH: Final = 5000
NOTE_MAX_LENGTH: Final = 500
MINUTES_MAX_LENGTH: Final = 20000
MAX_ATTENDEES: Final = 100_000
MAX_FORMATION_PHOTOS: Final = 10
REGISTRATION_ATTEMPTS: Final = 5
# Words the KIM pages and API use in their own addresses (/kim/usulkan/, /kim/kelola/, /api/v1/kim/manage…):
# never a KIM's slug. Includes every word of sikim.kim.urls_public.RESERVED_SLUGS (a test checks it).
RESERVED_SLUGS: Final = frozenset(
    {
        "usulkan",
        "kelola",
        "peta",
        "pilih-wilayah",
        "cari",
        "api",
        "baru",
        "anggota",
        "dokumen",
        "forum",
        "manage",
        "proposals",
        "map",
    }
)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


# --- Checking what people type ------------------------------------------------------------


def _text(value: Any, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Enter text.")})
    value = value.strip()
    if required and not value:
        raise ValidationError({field: label or _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(max)d characters, please.") % {"max": max_length}})
    return value


def _one_line(value: Any, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    return " ".join(_text(value, field=field, max_length=max_length, required=required, label=label).split())


def kim_village(village: Region | str | None) -> Region:
    """The desa/kelurahan a KIM belongs to, from a Region or a Kemendagri code.

    Anything larger than a village is refused with a message saying what to choose instead.
    """
    region = village if isinstance(village, Region) else region_by_code(village or "")
    if region is None:
        raise ValidationError(
            {
                "region": _(
                    "No desa or kelurahan has this code. Enter a code like 63.72.05.1004; find it on the Regions page."
                )
            },
            code="unknown_region",
        )
    if region.level != RegionLevel.DESA_KELURAHAN:
        raise ValidationError(
            {
                "region": _(
                    "A KIM belongs to a desa or kelurahan, not to a larger region: %(region)s is a %(level)s. "
                    "Choose one of its villages."
                )
                % {"region": region.name, "level": region.get_kind_display().lower()}
            },
            code="not_village",
        )
    return region


def _sectors(values: Iterable[Any] | None) -> list[str]:
    chosen: list[str] = []
    for value in values or []:
        if value not in Sector.values:
            raise ValidationError({"sectors": _("%(value)s is not a sector we know.") % {"value": value}})
        if value not in chosen:
            chosen.append(value)
    return chosen


def _email_or_none(value: str) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value.lower()


def _contact(value: Any) -> str:
    """A proposer's contact: an email address or an Indonesian phone number (stored as +62…)."""
    value = _one_line(value, field="proposer_contact", max_length=150)
    if not value:
        return ""
    if "@" in value:
        email = _email_or_none(value)
        if email is None:
            raise ValidationError({"proposer_contact": _("Enter a valid email address or phone number.")})
        return email
    phone = normalize_phone(value)
    if phone is None:
        raise ValidationError(
            {"proposer_contact": _("Enter a valid email address or an Indonesian phone number, e.g. 0812-3456-7890.")}
        )
    return phone


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200].strip("-") or "kim"
    taken = set(Kim.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _lock(kim: Kim) -> Kim:
    """Lock the KIM's row for this transaction and bring the caller's copy up to date."""
    locked = Kim.objects.select_for_update().filter(pk=kim.pk).first()
    if locked is None:
        raise ValidationError(_("This KIM no longer exists."))
    kim.refresh_from_db()
    return kim


def _status_label(status: str) -> str:
    return str(KimStatus(status).label) if status in KimStatus.values else status


def _record_move(*, actor: Any, kim: Kim, from_status: str, note: str = "") -> KimStatusChange:
    return KimStatusChange.objects.create(
        kim=kim,
        from_status=from_status,
        to_status=kim.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def _refresh_village_siblings(region_id: str) -> None:
    """Flag every KIM (not dissolved) of a village that shares it with another one."""
    living = Kim.objects.filter(region_id=region_id).exclude(status=KimStatus.DIBUBARKAN)
    shared = living.count() > 1
    living.exclude(has_village_sibling=shared).update(has_village_sibling=shared)
    if shared is False:
        Kim.objects.filter(region_id=region_id, status=KimStatus.DIBUBARKAN, has_village_sibling=True).update(
            has_village_sibling=False
        )


# --- Notifications -----------------------------------------------------------------------


@task()
def kim_email_send(*, recipients: list[str], subject: str, text: str, html: str) -> int:
    """Send one rendered notification to each recipient separately (no one sees the others)."""
    sent = 0
    for address in recipients:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[address])
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent


def _send_after_commit(template: str, recipients: Iterable[str | None], context: dict[str, Any]) -> None:
    addresses = sorted({address.strip().lower() for address in recipients if address and address.strip()})
    if not addresses:
        return
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    # A durable task: sent after the commit, and again if the worker dies mid-send.
    enqueue_after_commit(kim_email_send, recipients=addresses, subject=subject, text=text, html=html)


def _staff_addresses(kim: Kim) -> list[str | None]:
    addresses: list[str | None] = [user.email for user in pembina_staff_for(kim)]
    addresses += [user.email for user in pengurus_of(kim)]
    if kim.pembina_office_id and kim.pembina_office and kim.pembina_office.email:
        addresses.append(kim.pembina_office.email)
    return addresses


def _proposer_address(kim: Kim) -> str | None:
    if kim.proposer_contact and "@" in kim.proposer_contact:
        return kim.proposer_contact
    if kim.proposed_by_id and kim.proposed_by and kim.proposed_by.email:
        return kim.proposed_by.email
    return None


def _notify_transition(*, kim: Kim, change: KimStatusChange, actor: Any) -> None:
    context = {
        "kim": kim,
        "region_name": kim.region.full_name,
        "from_label": _status_label(change.from_status),
        "to_label": _status_label(change.to_status),
        "note": change.note,
        "actor_name": getattr(actor, "full_name", "") or "",
    }
    template = {KimStatus.DIBENTUK: "kim_formed", KimStatus.TERDAFTAR: "kim_registered"}.get(
        KimStatus(change.to_status), "kim_status_changed"
    )
    staff_context = {**context, "manage_url": reverse("kim:manage_detail", kwargs={"slug": kim.slug})}
    staff = _staff_addresses(kim)
    _send_after_commit(template, staff, staff_context)
    proposer = _proposer_address(kim)
    if proposer and proposer.lower() not in {a.lower() for a in staff if a}:
        _send_after_commit(template, [proposer], context)


# --- Proposal -----------------------------------------------------------------------------


@transaction.atomic
def kim_propose(
    *,
    actor: Any,
    name: str,
    village: Region | str | None,
    about: str = "",
    sectors: Iterable[str] = (),
    run_by_group: str = "",
    proposer_name: str = "",
    proposer_contact: str = "",
) -> Kim:
    """Propose a new KIM for a desa/kelurahan (status "proposed").

    A person with an account is the proposer; someone without one leaves a name and a phone
    number or email address so that the pembina can reach them.
    """
    signed_in = bool(getattr(actor, "is_authenticated", False))
    errors: dict[str, list[str]] = {}

    def collect(check: Any) -> Any:
        try:
            return check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    name = collect(
        lambda: _one_line(name, field="name", max_length=NAME_MAX_LENGTH, required=True, label=_("Name the KIM."))
    )
    region = collect(lambda: kim_village(village))
    about = collect(lambda: _text(about, field="about", max_length=ABOUT_MAX_LENGTH))
    chosen_sectors = collect(lambda: _sectors(sectors))
    run_by_group = collect(lambda: _one_line(run_by_group, field="run_by_group", max_length=200))
    proposer_name = collect(lambda: _one_line(proposer_name, field="proposer_name", max_length=150))
    proposer_contact = collect(lambda: _contact(proposer_contact))
    if signed_in:
        proposer_name = proposer_name or actor.full_name
        proposer_contact = proposer_contact or actor.email or actor.phone or ""
    else:
        if not proposer_name and "proposer_name" not in errors:
            errors["proposer_name"] = [_("Tell us your name, so that the Dinas Kominfo knows who proposed the KIM.")]
        if not proposer_contact and "proposer_contact" not in errors:
            errors["proposer_contact"] = [_("Leave a phone number or email address where we can reach you.")]
    if name and region is not None:
        duplicate = Kim.objects.filter(region=region, name__iexact=name).exclude(status=KimStatus.DIBUBARKAN).exists()
        if duplicate:
            errors.setdefault("name", []).append(
                _("A KIM with this name is already proposed or formed in this village.")
            )
    if errors:
        raise ValidationError(errors)

    has_sibling = kim_village_siblings(Kim(region=region)).exists()
    kim = Kim(
        name=name,
        region=region,
        pembina_office=pembina_office_for_region(region),
        status=KimStatus.DIUSULKAN,
        about=about,
        run_by_group=run_by_group,
        proposed_by=actor if signed_in else None,
        proposer_name=proposer_name[:150],
        proposer_contact=proposer_contact[:150],
        has_village_sibling=has_sibling,
    )
    for _attempt in range(5):
        kim.slug = _unique_slug(name)
        try:
            with transaction.atomic():
                kim.save()
            break
        except IntegrityError:
            # Someone took the same slug a moment ago: pick the next free one.
            if not Kim.objects.filter(slug=kim.slug).exists():
                raise
    else:
        raise ValidationError({"name": _("Could not save the proposal just now. Please try again.")})
    KimSector.objects.bulk_create([KimSector(kim=kim, sector=sector) for sector in chosen_sectors])
    if has_sibling:
        _refresh_village_siblings(region.code)
    _record_move(actor=actor, kim=kim, from_status="")
    # The proposer's contact is personal data: the audit log keeps only that one was given.
    audit_record(
        actor=actor,
        action="kim.propose",
        obj=kim,
        after={
            **model_snapshot(kim, ["name", "slug", "region", "status", "pembina_office"]),
            "sectors": chosen_sectors,
        },
    )

    context = {"kim": kim, "region_name": region.full_name}
    staff_context = {
        **context,
        "siblings": list(kim_village_siblings(kim).values_list("name", flat=True)),
        "manage_url": reverse("kim:manage_detail", kwargs={"slug": kim.slug}),
    }
    staff = [user.email for user in pembina_staff_for(kim)]
    if kim.pembina_office and kim.pembina_office.email:
        staff.append(kim.pembina_office.email)
    _send_after_commit("kim_proposed", staff, staff_context)
    proposer = _proposer_address(kim)
    if proposer:
        _send_after_commit("kim_proposal_received", [proposer], context)
    return kim


# --- Formation ----------------------------------------------------------------------------


def _date(value: Any, *, field: str, required: bool, label: str) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: label})
        return None
    if not isinstance(value, date):
        raise ValidationError({field: _("Enter a date.")})
    if value > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})
    return value


@transaction.atomic
def kim_record_formation(
    *,
    actor: Any,
    kim: Kim,
    held_on: date | None,
    place: str,
    facilitators: Sequence[Any] = (),
    facilitator_names: str = "",
    attendees_count: int | None,
    minutes: str = "",
    decree_number: str,
    decree_date: date | None,
    decree_issued_by: str = "",
    decree_pdf: Any,
    statutes_pdf: Any = None,
    photos: Sequence[Any] = (),
) -> Formation:
    """Record the formation meeting and the decree (SK) of a proposed KIM: it becomes "formed".

    Every field and file is checked before anything is saved, so a refused formation leaves
    no trace: no formation, no documents, the status unchanged.
    """
    authz.require(actor, KimAction.RECORD_FORMATION, kim)
    kim = _lock(kim)
    if not kim.status == KimStatus.DIUSULKAN:
        raise ValidationError(
            _("The formation can only be recorded for a proposed KIM; this KIM is already %(status)s.")
            % {"status": _status_label(kim.status).lower()}
        )
    errors: dict[str, list[str]] = {}

    def collect(check: Any) -> Any:
        try:
            return check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    held_on = collect(lambda: _date(held_on, field="held_on", required=True, label=_("Enter the date of the meeting.")))
    place = collect(
        lambda: _one_line(place, field="place", max_length=300, required=True, label=_("Where was the meeting held?"))
    )
    facilitator_names = collect(lambda: _one_line(facilitator_names, field="facilitator_names", max_length=500))
    minutes = collect(lambda: _text(minutes, field="minutes", max_length=MINUTES_MAX_LENGTH))
    decree_number = collect(
        lambda: _one_line(
            decree_number, field="decree_number", max_length=100, required=True, label=_("Enter the SK number.")
        )
    )
    decree_date = collect(
        lambda: _date(decree_date, field="decree_date", required=True, label=_("Enter the date of the SK."))
    )
    decree_issued_by = collect(lambda: _one_line(decree_issued_by, field="decree_issued_by", max_length=200))
    if not isinstance(attendees_count, int) or isinstance(attendees_count, bool) or attendees_count < 1:
        errors["attendees_count"] = [_("Enter how many people attended (at least 1).")]
    elif attendees_count > MAX_ATTENDEES:
        errors["attendees_count"] = [_("That is more people than a village meeting can hold. Check the number.")]
    allowed_facilitators = {user.pk: user for user in pembina_staff_for(kim)}
    chosen_facilitators = []
    for person in facilitators or []:
        pk = getattr(person, "pk", person)
        if pk not in allowed_facilitators:
            errors["facilitators"] = [_("Facilitators must be Dinas Kominfo officers of this KIM's region.")]
            break
        chosen_facilitators.append(allowed_facilitators[pk])
    decree = collect(lambda: checked_pdf(decree_pdf, field="decree_pdf"))
    statutes = collect(lambda: checked_pdf(statutes_pdf, field="statutes_pdf", required=False))
    photo_files: list[ContentFile] = []
    photos = [photo for photo in photos or [] if photo]
    if len(photos) > MAX_FORMATION_PHOTOS:
        errors["photos"] = [_("At most %(max)d photos, please.") % {"max": MAX_FORMATION_PHOTOS}]
    else:
        for photo in photos:
            try:
                photo_files.append(clean_image(photo))
            except ValidationError as error:
                name = getattr(photo, "name", "") or _("a photo")
                errors.setdefault("photos", []).extend(f"{name}: {message}" for message in error.messages)
    if held_on and decree_date and decree_date < held_on:
        errors.setdefault("decree_date", []).append(_("The SK cannot be dated before the formation meeting."))
    if errors:
        raise ValidationError(errors)
    assert isinstance(attendees_count, int)  # checked above

    stored: list[Any] = []
    try:
        formation = Formation.objects.create(
            kim=kim,
            held_on=held_on,
            place=place,
            facilitator_names=facilitator_names,
            attendees_count=attendees_count,
            minutes=minutes,
            decree_number=decree_number,
            decree_date=decree_date,
            decree_issued_by=decree_issued_by,
        )
        formation.facilitators.set(chosen_facilitators)
        sk = store_kim_document(
            kim=kim,
            kind=DocumentKind.SK,
            title=_("SK %(number)s") % {"number": decree_number},
            upload=decree,
            is_public=True,
            uploaded_by=actor,
        )
        stored.append(sk.file)
        if statutes is not None:
            ad_art = store_kim_document(
                kim=kim,
                kind=DocumentKind.AD_ART,
                title=_("AD/ART of %(kim)s") % {"kim": kim.name},
                upload=statutes,
                is_public=True,
                uploaded_by=actor,
            )
            stored.append(ad_art.file)
        for picture in photo_files:
            photo = FormationPhoto(formation=formation)
            photo.image.save(f"{kim.slug}-{uuid4().hex[:16]}{_suffix(picture.name)}", picture, save=False)
            stored.append(photo.image)
            photo.save()
        from_status = kim.status
        kim.status = KimStatus.DIBENTUK
        kim.save(update_fields=["status", "updated_at"])
        change = _record_move(actor=actor, kim=kim, from_status=from_status)
        audit_record(
            actor=actor,
            action="kim.record_formation",
            obj=kim,
            before={"status": from_status},
            after={
                "status": kim.status,
                "held_on": str(held_on),
                "decree_number": decree_number,
                "decree_date": str(decree_date),
                "attendees_count": attendees_count,
                "documents": len(stored) - len(photo_files),
                "photos": len(photo_files),
            },
        )
    except Exception:
        # The database rolls back; the files written so far would stay behind: remove them.
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise
    _notify_transition(kim=kim, change=change, actor=actor)
    return formation


def _suffix(name: str | None) -> str:
    return ".png" if (name or "").lower().endswith(".png") else ".jpg"


# --- Registration -------------------------------------------------------------------------


def registration_area(kim: Kim) -> str:
    """The kabupaten/kota code that numbers a KIM's registration, e.g. "63.72"."""
    return ".".join(kim.region_id.split(".")[:2])


def _next_registration_number(area: str) -> str:
    prefix = f"KIM-{area}-"
    used = Kim.objects.filter(registration_number__startswith=prefix).values_list("registration_number", flat=True)
    suffixes = [number[len(prefix) :] for number in used if number]
    highest = max((int(suffix) for suffix in suffixes if suffix.isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


@transaction.atomic
def kim_register(*, actor: Any, kim: Kim) -> Kim:
    """Register a formed KIM: it gets the next number of its kabupaten/kota, e.g. KIM-63.72-0007.

    Numbers are unique and sequential per kabupaten/kota. Two pembina registering at the same
    moment are serialised by a lock on the kabupaten/kota row (PostgreSQL; SQLite serialises
    every write anyway) and, should a number still collide, the next one is taken.
    """
    authz.require(actor, KimAction.REGISTER, kim)
    kim = _lock(kim)
    if kim.status != KimStatus.DIBENTUK:
        if kim.status == KimStatus.DIUSULKAN:
            message = _("Record the formation meeting and its SK before registering this KIM.")
        else:
            message = _("Only a formed KIM can be registered; this KIM is %(status)s.") % {
                "status": _status_label(kim.status).lower()
            }
        raise ValidationError(message)
    area = registration_area(kim)
    Region.objects.select_for_update().filter(code=area).first()
    from_status = kim.status
    for _attempt in range(REGISTRATION_ATTEMPTS):
        kim.registration_number = _next_registration_number(area)
        kim.status = KimStatus.TERDAFTAR
        kim.registered_at = timezone.now()
        try:
            with transaction.atomic():
                kim.save(update_fields=["registration_number", "status", "registered_at", "updated_at"])
            break
        except IntegrityError:
            if not Kim.objects.filter(registration_number=kim.registration_number).exclude(pk=kim.pk).exists():
                raise
    else:
        raise ValidationError(_("Another registration took this number just now. Please try again."))
    change = _record_move(actor=actor, kim=kim, from_status=from_status, note=kim.registration_number)
    audit_record(
        actor=actor,
        action="kim.register",
        obj=kim,
        before={"status": from_status},
        after={"status": kim.status, "registration_number": kim.registration_number},
    )
    _notify_transition(kim=kim, change=change, actor=actor)
    return kim


# --- Status after registration --------------------------------------------------------------


def next_statuses(kim: Kim) -> list[str]:
    """Statuses `kim_change_status` may move the KIM to (formation and registration have their own steps)."""
    own_steps = {KimStatus.DIBENTUK, KimStatus.TERDAFTAR}
    return [status for status in KimStatus.values if status in KIM_TRANSITIONS[kim.status] - own_steps]


@transaction.atomic
def kim_change_status(*, actor: Any, kim: Kim, to_status: str, note: str = "") -> KimStatusChange:
    """Move a KIM to another status along `KIM_TRANSITIONS` (the pembina), with a note why."""
    authz.require(actor, KimAction.CHANGE_STATUS, kim)
    kim = _lock(kim)
    note = _one_line(note, field="note", max_length=NOTE_MAX_LENGTH)
    if to_status not in KimStatus.values:
        raise ValidationError({"to_status": _("Choose one of the statuses offered.")})
    if to_status == kim.status:
        raise ValidationError({"to_status": _("The KIM is already %(status)s.") % {"status": _status_label(to_status)}})
    if to_status == KimStatus.DIBENTUK and kim.status == KimStatus.DIUSULKAN:
        raise ValidationError({"to_status": _("To mark a KIM as formed, record its formation meeting and SK.")})
    if to_status == KimStatus.TERDAFTAR and kim.status == KimStatus.DIBENTUK:
        raise ValidationError({"to_status": _("To register a KIM, use Register: it gives the registration number.")})
    if to_status not in next_statuses(kim):
        allowed = ", ".join(_status_label(status) for status in next_statuses(kim)) or _("none: it is final")
        raise ValidationError(
            {
                "to_status": _("A KIM that is %(from)s cannot become %(to)s. Possible next steps: %(allowed)s.")
                % {"from": _status_label(kim.status), "to": _status_label(to_status), "allowed": allowed}
            }
        )
    if to_status in {KimStatus.DIBUBARKAN, KimStatus.TIDAK_AKTIF} and not note:
        raise ValidationError({"note": _("Write down why, for the KIM's history.")})
    from_status = kim.status
    kim.status = to_status
    kim.save(update_fields=["status", "updated_at"])
    change = _record_move(actor=actor, kim=kim, from_status=from_status, note=note)
    if to_status == KimStatus.DIBUBARKAN:
        _refresh_village_siblings(kim.region_id)
        kim.refresh_from_db(fields=["has_village_sibling"])
    audit_record(
        actor=actor,
        action="kim.change_status",
        obj=kim,
        before={"status": from_status},
        after={"status": to_status, "note": note},
    )
    _notify_transition(kim=kim, change=change, actor=actor)
    return change
