"""Writes of the Forum KIM: founding a forum, its member KIMs and its board.

Who: the pembina whose region subtree contains the forum's region (`KimAction.MANAGE_FORUM`);
a national forum only the national admin. What: a forum sits at the level of its region (a
kecamatan forum on a kecamatan…), and only KIMs inside that region may join it.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikim.accounts import authz
from sikim.audit.services import audit_record, model_snapshot
from sikim.forums.models import ForumBoardPosition, ForumLevel, ForumMembership, KimForum
from sikim.forums.selectors import REGION_LEVEL_FOR
from sikim.kim.models import PUBLIC_STATUSES, Kim
from sikim.kim.permissions import KimAction
from sikim.wilayah.models import Region, RegionLevel, code_in_subtree

FORUM_FIELDS: Final = [
    "name",
    "slug",
    "level",
    "region",
    "about",
    "formed_on",
    "formation_place",
    "formation_notes",
    "decree_number",
]
EDITABLE_FIELDS: Final = ["name", "about", "formed_on", "formation_place", "formation_notes", "decree_number"]
BOARD_MAX_SEATS: Final = 50
LEVEL_NAMES: Final = {
    RegionLevel.PROVINSI: gettext_lazy("a province"),
    RegionLevel.KABUPATEN_KOTA: gettext_lazy("a kabupaten/kota"),
    RegionLevel.KECAMATAN: gettext_lazy("a kecamatan"),
    RegionLevel.DESA_KELURAHAN: gettext_lazy("a desa/kelurahan"),
}


# Words the forum URLs use themselves (/forum/baru/ is the "new forum" page).
RESERVED_SLUGS: Final = {"baru"}


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "forum-kim")[:200]
    slug, n = base, 2
    while slug in RESERVED_SLUGS or KimForum.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _checked_region(level: str, region_code: str | None) -> Region | None:
    """The forum's region, if it suits the level; a clear ValidationError if not."""
    if level not in ForumLevel.values:
        raise ValidationError({"level": _("Choose the forum's level.")})
    wanted = REGION_LEVEL_FOR[level]
    if wanted is None:
        if region_code:
            raise ValidationError({"region": _("A national forum covers all of Indonesia: leave the region empty.")})
        return None
    if not region_code:
        raise ValidationError({"region": _("Choose the region this forum covers.")})
    region = Region.objects.filter(code=str(region_code)[:13]).first()
    if region is None:
        raise ValidationError({"region": _("There is no region with code %(code)s.") % {"code": region_code}})
    if region.level != wanted:
        raise ValidationError(
            {
                "region": _(
                    "A %(level)s forum belongs to %(wanted)s, but %(region)s is %(actual)s. "
                    "Choose a region of the right level, or another forum level."
                )
                % {
                    "level": ForumLevel(level).label,
                    "wanted": LEVEL_NAMES[RegionLevel(wanted)],
                    "region": region.name,
                    "actual": LEVEL_NAMES[RegionLevel(region.level)],
                }
            }
        )
    return region


def _clean_text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("At most %(max)d characters, please (this has %(n)d).") % {"max": max_length, "n": len(text)}}
        )
    if "\x00" in text:
        raise ValidationError({field: _("This text contains a character that cannot be stored.")})
    return text


def _clean_details(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    limits = {"name": 200, "about": 5000, "formation_place": 300, "formation_notes": 20000, "decree_number": 100}
    for name, limit in limits.items():
        if name not in fields:
            continue
        try:
            cleaned[name] = _clean_text(fields[name], field=name, max_length=limit, required=name == "name")
        except ValidationError as error:
            errors.update(error.message_dict)
    if "formed_on" in fields:
        formed_on = fields["formed_on"]
        if formed_on is not None and not isinstance(formed_on, date):
            errors["formed_on"] = [_("Give a date.")]
        elif formed_on is not None and formed_on > timezone.localdate():
            errors["formed_on"] = [_("The formation date cannot be in the future.")]
        else:
            cleaned["formed_on"] = formed_on
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def forum_create(
    *,
    actor: Any,
    name: str,
    level: str,
    region_code: str | None,
    about: str = "",
    formed_on: date | None = None,
    formation_place: str = "",
    formation_notes: str = "",
    decree_number: str = "",
) -> KimForum:
    """Found a Forum KIM for a kecamatan, kabupaten/kota, province, or (national admin) Indonesia."""
    region = _checked_region(level, region_code)
    forum = KimForum(level=level, region=region)
    authz.require(actor, KimAction.MANAGE_FORUM, forum)
    details = _clean_details(
        {
            "name": name,
            "about": about,
            "formed_on": formed_on,
            "formation_place": formation_place,
            "formation_notes": formation_notes,
            "decree_number": decree_number,
        }
    )
    taken = KimForum.objects.filter(level=level, region=region).first() if region else None
    if taken is not None:
        raise ValidationError(
            {"region": _("%(region)s already has a forum: %(forum)s.") % {"region": region, "forum": taken}}
        )
    for key, value in details.items():
        setattr(forum, key, value)
    forum.slug = _unique_slug(forum.name)
    try:
        with transaction.atomic():
            forum.save()
    except IntegrityError:  # two people founding the same forum at the same moment
        raise ValidationError({"region": _("This region already has a forum at this level.")}) from None
    audit_record(actor=actor, action="forum.create", obj=forum, after=model_snapshot(forum, FORUM_FIELDS))
    return forum


@transaction.atomic
def forum_update(*, actor: Any, forum: KimForum, **fields: Any) -> KimForum:
    """Change a forum's name, description and formation record (its level and region stay)."""
    authz.require(actor, KimAction.MANAGE_FORUM, forum)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This cannot be changed here.") for name in sorted(unknown)})
    details = _clean_details(fields)
    before = model_snapshot(forum, EDITABLE_FIELDS)
    for key, value in details.items():
        setattr(forum, key, value)
    forum.save()
    after = model_snapshot(forum, EDITABLE_FIELDS)
    if before != after:
        audit_record(actor=actor, action="forum.update", obj=forum, before=before, after=after)
    return forum


@transaction.atomic
def forum_add_kim(*, actor: Any, forum: KimForum, kim: Kim, joined_on: date | None = None) -> ForumMembership:
    """Add a KIM of the forum's region to the forum."""
    authz.require(actor, KimAction.MANAGE_FORUM, forum)
    if kim.status not in PUBLIC_STATUSES:
        raise ValidationError(
            {
                "kim": _("%(kim)s is %(status)s: only a formed KIM can join a forum.")
                % {"kim": kim, "status": kim.get_status_display()}
            }
        )
    if forum.region_id and not code_in_subtree(kim.region_id, forum.region_id):
        raise ValidationError(
            {
                "kim": _(
                    "%(kim)s is in %(place)s, outside %(region)s: only KIMs inside the forum's region can join it."
                )
                % {
                    "kim": kim.name,
                    "place": kim.region.full_name,
                    "region": forum.region.full_name if forum.region else "",
                }
            }
        )
    if joined_on is not None and joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("The joining date cannot be in the future.")})
    if ForumMembership.objects.filter(forum=forum, kim=kim).exists():
        raise ValidationError({"kim": _("%(kim)s is already a member of this forum.") % {"kim": kim.name}})
    membership = ForumMembership.objects.create(forum=forum, kim=kim, joined_on=joined_on or timezone.localdate())
    audit_record(
        actor=actor,
        action="forum.kim.add",
        obj=forum,
        after={"kim_id": kim.pk, "kim": kim.name, "joined_on": str(membership.joined_on)},
    )
    return membership


@transaction.atomic
def forum_remove_kim(*, actor: Any, forum: KimForum, kim: Kim) -> None:
    """Take a KIM out of the forum (its board seats stay, as history)."""
    authz.require(actor, KimAction.MANAGE_FORUM, forum)
    deleted, _rows = ForumMembership.objects.filter(forum=forum, kim=kim).delete()
    if not deleted:
        raise ValidationError({"kim": _("%(kim)s is not a member of this forum.") % {"kim": kim.name}})
    audit_record(actor=actor, action="forum.kim.remove", obj=forum, before={"kim_id": kim.pk, "kim": kim.name})


@dataclass(frozen=True)
class BoardSeatInput:
    person_name: str
    position: str
    starts_on: date
    ends_on: date | None = None
    from_kim: Kim | None = None


def _seat_snapshot(seats: Any) -> list[dict[str, Any]]:
    return [
        {
            "person_name": s.person_name,
            "position": s.position,
            "from_kim_id": s.from_kim.pk if s.from_kim else None,
            "starts_on": str(s.starts_on),
            "ends_on": str(s.ends_on) if s.ends_on else None,
        }
        for s in seats
    ]


@transaction.atomic
def forum_set_board(*, actor: Any, forum: KimForum, seats: list[BoardSeatInput]) -> list[ForumBoardPosition]:
    """Replace the forum's current board (seats not yet ended); ended seats stay as history.

    Board members come from the forum's KIMs: `from_kim`, when given, must be a member.
    """
    authz.require(actor, KimAction.MANAGE_FORUM, forum)
    # One board change at a time per forum.
    KimForum.objects.select_for_update().filter(pk=forum.pk).first()
    if len(seats) > BOARD_MAX_SEATS:
        raise ValidationError({"board": _("A board has at most %(max)d seats.") % {"max": BOARD_MAX_SEATS}})
    member_ids = set(ForumMembership.objects.filter(forum=forum).values_list("kim_id", flat=True))
    errors: list[str] = []
    for number, seat in enumerate(seats, start=1):
        problems = []
        if not isinstance(seat.person_name, str) or not seat.person_name.strip():
            problems.append(_("give the person's name"))
        elif len(seat.person_name.strip()) > 150:
            problems.append(_("the name is longer than 150 characters"))
        if not isinstance(seat.position, str) or not seat.position.strip():
            problems.append(_("give the position"))
        elif len(seat.position.strip()) > 100:
            problems.append(_("the position is longer than 100 characters"))
        if not isinstance(seat.starts_on, date):
            problems.append(_("give the start date"))
        elif seat.ends_on is not None and seat.ends_on <= seat.starts_on:
            problems.append(_("the end date must come after the start date"))
        if seat.from_kim is not None and seat.from_kim.pk not in member_ids:
            problems.append(_("%(kim)s is not a member of this forum") % {"kim": seat.from_kim.name})
        if problems:
            errors.append(_("Seat %(n)d: %(problems)s.") % {"n": number, "problems": "; ".join(problems)})
    if errors:
        raise ValidationError({"board": errors})

    today = timezone.localdate()
    current = forum.board.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).select_related("from_kim")
    before = _seat_snapshot(current)
    current.delete()
    created = ForumBoardPosition.objects.bulk_create(
        [
            ForumBoardPosition(
                forum=forum,
                person_name=seat.person_name.strip(),
                position=seat.position.strip(),
                from_kim=seat.from_kim,
                starts_on=seat.starts_on,
                ends_on=seat.ends_on,
            )
            for seat in seats
        ]
    )
    audit_record(
        actor=actor,
        action="forum.board.set",
        obj=forum,
        before={"seats": before},
        after={"seats": _seat_snapshot(created)},
    )
    return created
