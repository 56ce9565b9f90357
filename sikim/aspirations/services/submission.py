"""Writes that bring an aspiration in: submitting, filing on a citizen's behalf, corrections, photos.

Anyone may submit: a citizen with an account (the author), or without one (a contact name and
a phone number or email address to follow up on). A KIM pengurus files for a citizen who came
to a meeting or is offline. The text is checked (at most 5,000 characters) and never changes
afterwards; corrections are appended. Photos are re-encoded (metadata stripped) before they
are stored. A message from a channel (`source_ref`) makes one aspiration however often it is
delivered.
"""

import secrets
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.accounts.models import User
from sikim.accounts.phone import normalize_phone
from sikim.aspirations.models import (
    CORRECTION_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Aspiration,
    AspirationCorrection,
    AspirationEventKind,
    AspirationPhoto,
    AspirationState,
    Category,
    IntakeChannel,
    Visibility,
)
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.identity import is_own
from sikim.aspirations.selectors.routing import kim_may_verify, service_level_for, verifying_kim_for
from sikim.aspirations.services.common import audit, clean_text, lock, record_event
from sikim.aspirations.services.notifications import notify_state_change
from sikim.aspirations.workdays import JAKARTA, add_working_days
from sikim.core.uploads import clean_image
from sikim.kim.models import Kim
from sikim.wilayah.models import Region, RegionLevel

# Crockford-like: no 0/O, 1/I/L, U, so a code read over the phone or typed in an SMS is unambiguous.
CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH: Final = 6  # 30**6 ≈ 729 million codes a year: not guessable one by one
CODE_ATTEMPTS: Final = 8
MAX_PHOTOS: Final = 5
MAX_CORRECTIONS: Final = 10
NAME_MAX_LENGTH: Final = 150
SOURCE_REF_MAX_LENGTH: Final = 120


def new_ticket_code(now: datetime | None = None) -> str:
    """ "ASP-2026-7K3QFM": the year of submission (WIB) and six random characters."""
    year = (now or timezone.now()).astimezone(JAKARTA).year
    return f"ASP-{year}-{''.join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))}"


def _checked_region(region: Region | str | None) -> Region:
    code = region.code if isinstance(region, Region) else str(region or "").strip()[:13]
    found = Region.objects.filter(code=code).first() if code else None
    if found is None:
        raise ValidationError({"region": _("Choose your desa or kelurahan.")})
    if found.level != RegionLevel.DESA_KELURAHAN:
        raise ValidationError({"region": _("Choose a desa or kelurahan, not a larger region.")})
    return found


def _checked_kim(kim: Kim | None, region: Region) -> Kim:
    if kim is None:
        kim = verifying_kim_for(region.code)
        if kim is None:
            raise ValidationError(
                {"region": _("There is no KIM in this area yet to carry your aspiration. Contact the Dinas Kominfo.")}
            )
        return kim
    if not kim_may_verify(kim, region.code):
        raise ValidationError({"kim": _("This KIM cannot verify aspirations from this village.")})
    return kim


def _checked_point(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lng = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"latitude": _("The map point is not a valid position.")}) from None
    if not (Decimal("-11.5") <= lat <= Decimal("6.5") and Decimal("94.5") <= lng <= Decimal("141.5")):
        raise ValidationError({"latitude": _("The map point is outside Indonesia.")})
    return lat, lng


def _checked_contact(name: Any, phone: Any, email: Any) -> tuple[str, str, str]:
    name = " ".join(clean_text(name, field="contact_name", max_length=NAME_MAX_LENGTH).split())
    raw_phone = clean_text(phone, field="contact_phone", max_length=40)
    normalised = ""
    if raw_phone:
        normalised = normalize_phone(raw_phone) or ""
        if not normalised:
            raise ValidationError({"contact_phone": _("Enter an Indonesian phone number, e.g. 0812 3456 7890.")})
    email = clean_text(email, field="contact_email", max_length=254).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"contact_email": _("Enter a valid email address.")}) from None
    return name, normalised, email


def _checked_photos(photos: Sequence[UploadedFile]) -> list[Any]:
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(max)d photos, please.") % {"max": MAX_PHOTOS}})
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
    return cleaned


def _title_from(text: str) -> str:
    first_line = text.splitlines()[0] if text else ""
    words = " ".join(first_line.split())
    return words if len(words) <= 80 else f"{words[:79].rsplit(' ', 1)[0]}…"


@transaction.atomic
def aspiration_submit(
    *,
    actor: Any,
    region: Region | str | None,
    category: str,
    text: str,
    title: str = "",
    visibility: str = Visibility.PUBLIC,
    kim: Kim | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Sequence[UploadedFile] = (),
    channel: str = IntakeChannel.WEB,
    source_ref: str | None = None,
    on_behalf: bool = False,
    now: datetime | None = None,
) -> Aspiration:
    """Submit an aspiration (state "diajukan"), due for verification in the region's working days.

    `actor` is the citizen (or None/anonymous for a citizen without an account). With
    `on_behalf=True` the actor is a pengurus filing for someone else: the KIM must be theirs,
    and the citizen's name is the contact name. A repeated `source_ref` on the same channel
    returns the aspiration it already made.
    """
    now = now or timezone.now()
    signed_in = bool(getattr(actor, "is_authenticated", False)) and bool(getattr(actor, "is_active", False))
    if source_ref is not None:
        source_ref = str(source_ref)[:SOURCE_REF_MAX_LENGTH]
        existing = Aspiration.objects.filter(channel=channel, source_ref=source_ref).first()
        if existing is not None:
            return existing
    errors: dict[str, list[str]] = {}

    def collect(check: Any) -> Any:
        try:
            return check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    text = collect(
        lambda: clean_text(
            text, field="text", max_length=TEXT_MAX_LENGTH, required=True, label=_("Describe your aspiration.")
        )
    )
    title = collect(lambda: " ".join(clean_text(title, field="title", max_length=TITLE_MAX_LENGTH).split()))
    if category not in Category.values:
        errors.setdefault("category", []).append(_("Choose a category."))
    if visibility not in Visibility.values:
        errors.setdefault("visibility", []).append(_("Choose who may see your aspiration."))
    if channel not in IntakeChannel.values:
        errors.setdefault("channel", []).append(_("Unknown channel."))
    village = collect(lambda: _checked_region(region))
    verifying_kim = collect(lambda: _checked_kim(kim, village)) if village is not None else None
    point = collect(lambda: _checked_point(latitude, longitude)) or (None, None)
    contact = collect(lambda: _checked_contact(contact_name, contact_phone, contact_email)) or ("", "", "")
    images = collect(lambda: _checked_photos(photos)) or []
    if on_behalf:
        if not signed_in or verifying_kim is None or not authz.can(actor, AspirationAction.VERIFY, verifying_kim):
            raise PermissionDenied
        if not contact[0] and "contact_name" not in errors:
            errors.setdefault("contact_name", []).append(_("Write the name of the citizen you file this for."))
    elif not signed_in and not (contact[1] or contact[2]) and not errors.keys() & {"contact_phone", "contact_email"}:
        errors.setdefault("contact_phone", []).append(
            _("Leave a phone number or email address, so that we can tell you about the answer.")
        )
    if errors:
        raise ValidationError(errors)

    level = service_level_for(village.code)
    aspiration = Aspiration(
        author=actor if signed_in and not on_behalf else None,
        filed_by=actor if on_behalf else None,
        contact_name=contact[0],
        contact_phone=contact[1],
        contact_email=contact[2],
        channel=channel,
        source_ref=source_ref,
        kim=verifying_kim,
        region=village,
        latitude=point[0],
        longitude=point[1],
        category=category,
        title=title or _title_from(text),
        text=text,
        visibility=visibility,
        state=AspirationState.DIAJUKAN,
        submitted_at=now,
        verify_due=add_working_days(now, level.verify_days),
    )
    saved = _save_with_new_code(aspiration, now)
    if saved is not aspiration:
        # A concurrent delivery of the same channel message won the race: it has its photos,
        # event, audit line and notice already; this delivery adds nothing.
        return saved
    for image in images:
        AspirationPhoto.objects.create(aspiration=aspiration, image=image, added_by=actor if signed_in else None)
    record_event(
        aspiration,
        kind=AspirationEventKind.SUBMITTED,
        actor=actor if signed_in else None,
        now=now,
        to_state=AspirationState.DIAJUKAN,
    )
    audit(actor=actor, action="submit", aspiration=aspiration, before=None)
    notify_state_change(aspiration)
    return aspiration


def _save_with_new_code(aspiration: Aspiration, now: datetime) -> Aspiration:
    """Save with a fresh ticket code; a code (or channel message) already taken is retried/returned."""
    for _attempt in range(CODE_ATTEMPTS):
        aspiration.code = new_ticket_code(now)
        try:
            with transaction.atomic():
                aspiration.save()
            return aspiration
        except IntegrityError:
            if aspiration.source_ref is not None:
                existing = Aspiration.objects.filter(channel=aspiration.channel, source_ref=aspiration.source_ref)
                if found := existing.first():
                    return found
            if not Aspiration.objects.filter(code=aspiration.code).exists():
                raise
    raise RuntimeError("No free ticket code after several attempts.")


def aspiration_file_on_behalf(*, actor: Any, kim: Kim | None = None, **fields: Any) -> Aspiration:
    """A KIM pengurus files an aspiration for a citizen (who came to a meeting, or is offline)."""
    fields.setdefault("channel", IntakeChannel.OFFLINE)
    return aspiration_submit(actor=actor, kim=kim, on_behalf=True, **fields)


@transaction.atomic
def aspiration_add_correction(
    *, actor: Any, aspiration: Aspiration, text: str, now: datetime | None = None
) -> AspirationCorrection:
    """The author adds to their text (the original stays as it was submitted)."""
    if not is_own(aspiration, actor):
        raise PermissionDenied
    now = now or timezone.now()
    lock(aspiration)
    if aspiration.state == AspirationState.DITOLAK:
        raise ValidationError(_("This aspiration was rejected; it cannot be corrected."))
    if aspiration.corrections.count() >= MAX_CORRECTIONS:
        raise ValidationError(_("At most %(max)d corrections, please.") % {"max": MAX_CORRECTIONS})
    text = clean_text(
        text, field="text", max_length=CORRECTION_MAX_LENGTH, required=True, label=_("Write the correction.")
    )
    # The holder of a citizen's secret link has no account: the correction is theirs but has no author row.
    author = actor if isinstance(actor, User) else None
    correction = AspirationCorrection.objects.create(aspiration=aspiration, author=author, text=text, created_at=now)
    record_event(aspiration, kind=AspirationEventKind.CORRECTED, actor=actor, now=now)
    audit(actor=actor, action="correct", aspiration=aspiration, before=None)
    return correction


@transaction.atomic
def aspiration_add_photo(
    *, actor: Any, aspiration: Aspiration, upload: UploadedFile, caption: str = ""
) -> AspirationPhoto:
    """The author (or the verifying KIM) adds a photo; it is re-encoded before it is stored."""
    if not (is_own(aspiration, actor) or authz.can(actor, AspirationAction.VERIFY, aspiration)):
        raise PermissionDenied
    lock(aspiration)
    if aspiration.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(max)d photos, please.") % {"max": MAX_PHOTOS}})
    image = _checked_photos([upload])[0]
    caption = " ".join(clean_text(caption, field="caption", max_length=200).split())
    photo = AspirationPhoto.objects.create(aspiration=aspiration, image=image, caption=caption, added_by=actor)
    audit(actor=actor, action="add_photo", aspiration=aspiration, before=None)
    return photo


@transaction.atomic
def aspiration_add_message_photo(*, aspiration_id: int, upload: UploadedFile) -> AspirationPhoto | None:
    """The photo sent with a Telegram or WhatsApp aspiration, fetched after the aspiration was made.

    Part of the citizen's own submission, so no one adds it (no author, no event); audited as the
    system's. None when the aspiration is gone or already has MAX_PHOTOS. Raises ValidationError
    when the file is not a picture we accept, like a web upload.
    """
    aspiration = Aspiration.objects.filter(pk=aspiration_id).first()
    if aspiration is None:
        return None
    lock(aspiration)
    if aspiration.photos.count() >= MAX_PHOTOS:
        return None
    image = _checked_photos([upload])[0]
    photo = AspirationPhoto.objects.create(aspiration=aspiration, image=image, added_by=None)
    audit(actor=None, action="add_photo", aspiration=aspiration, before=None)
    return photo
