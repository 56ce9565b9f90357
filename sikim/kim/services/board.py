"""Writes for a KIM's board (pengurus): terms and their positions.

A term has one ketua and at most one wakil ketua, sekretaris and bendahara, and any number of
seksi/bidang. Past terms are kept as history. Terms never overlap: creating one locks the KIM's
row, so two pengurus saving at the same moment cannot both slip a term in. A term's end date is
the day the next term may start (a term of 2018-07-27 – 2021-07-27 is followed by one starting
2021-07-27).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sikim.accounts.authz import AnyUser, require
from sikim.audit.services import audit_record
from sikim.kim.models import BoardPosition, BoardPositionKind, BoardTerm, Kim, KimMember
from sikim.kim.permissions import KimAction

SINGLE_OFFICERS: Final = (
    BoardPositionKind.KETUA,
    BoardPositionKind.WAKIL_KETUA,
    BoardPositionKind.SEKRETARIS,
    BoardPositionKind.BENDAHARA,
)
DECREE_MAX_LENGTH: Final = 100
SECTION_MAX_LENGTH: Final = 100
MAX_POSITIONS: Final = 60


@dataclass(frozen=True)
class PositionSpec:
    """One seat on a new board: who holds which position (and which seksi/bidang)."""

    position: str
    member: KimMember
    section_name: str = ""


def format_term(term: BoardTerm) -> str:
    end = term.ends_on.isoformat() if term.ends_on else _("no end date")
    return f"{term.starts_on.isoformat()} – {end}"


def _lock_kim(kim: Kim) -> None:
    Kim.objects.select_for_update().filter(pk=kim.pk).values_list("pk", flat=True).first()


def _overlapping_term(
    kim: Kim, starts_on: date, ends_on: date | None, exclude_pk: int | None = None
) -> BoardTerm | None:
    """The first existing term sharing a day with [starts_on, ends_on) (None: open-ended)."""
    terms = BoardTerm.objects.filter(kim=kim).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
    if ends_on is not None:
        terms = terms.filter(starts_on__lt=ends_on)
    if exclude_pk is not None:
        terms = terms.exclude(pk=exclude_pk)
    return terms.order_by("starts_on").first()


def _check_dates(starts_on: date, ends_on: date | None) -> None:
    if not isinstance(starts_on, date):
        raise ValidationError({"starts_on": _("Enter the date the term starts.")})
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("A term ends after it starts.")})


def _check_positions(kim: Kim, positions: Sequence[PositionSpec]) -> list[PositionSpec]:
    if len(positions) > MAX_POSITIONS:
        raise ValidationError(_("A board has at most %(max)d positions.") % {"max": MAX_POSITIONS})
    errors: list[str] = []
    cleaned: list[PositionSpec] = []
    for spec in positions:
        if spec.position not in BoardPositionKind.values:
            errors.append(_("Unknown position: %(position)s.") % {"position": spec.position})
            continue
        if spec.member.kim_id != kim.pk:
            # No name: the caller may not see other KIMs' members.
            errors.append(_("One of the chosen people is not a member of this KIM."))
            continue
        if not spec.member.is_active:
            errors.append(_("%(name)s is no longer an active member.") % {"name": spec.member.name})
            continue
        section = " ".join((spec.section_name or "").split())
        if spec.position == BoardPositionKind.SEKSI:
            if not section:
                errors.append(_("Give the name of the seksi/bidang %(name)s leads.") % {"name": spec.member.name})
                continue
            if len(section) > SECTION_MAX_LENGTH:
                errors.append(_("A seksi/bidang name has at most %(max)d characters.") % {"max": SECTION_MAX_LENGTH})
                continue
        else:
            section = ""
        cleaned.append(PositionSpec(position=spec.position, member=spec.member, section_name=section))
    counts = Counter(spec.position for spec in cleaned)
    if counts[BoardPositionKind.KETUA] == 0 and not errors:
        errors.append(_("Choose the ketua (chair) of this term."))
    for officer in SINGLE_OFFICERS:
        if counts[officer] > 1:
            label = BoardPositionKind(officer).label
            errors.append(_("A term has only one %(position)s.") % {"position": label})
    seats = Counter((spec.member.pk, spec.position) for spec in cleaned)
    for (member_pk, position), count in seats.items():
        if count > 1:
            name = next(spec.member.name for spec in cleaned if spec.member.pk == member_pk)
            errors.append(
                _("%(name)s holds the position %(position)s twice.")
                % {"name": name, "position": BoardPositionKind(position).label}
            )
    if errors:
        raise ValidationError({"positions": errors})
    return cleaned


@transaction.atomic
def board_term_create(
    *,
    actor: AnyUser,
    kim: Kim,
    starts_on: date,
    ends_on: date | None = None,
    decree_number: str = "",
    positions: Sequence[PositionSpec],
) -> BoardTerm:
    """Record a new board term with its positions, chosen from the KIM's members."""
    require(actor, KimAction.MANAGE_BOARD, kim)
    _check_dates(starts_on, ends_on)
    decree_number = " ".join((decree_number or "").split())
    if len(decree_number) > DECREE_MAX_LENGTH:
        raise ValidationError({"decree_number": _("At most %(max)d characters.") % {"max": DECREE_MAX_LENGTH}})
    cleaned = _check_positions(kim, positions)
    _lock_kim(kim)
    overlapping = _overlapping_term(kim, starts_on, ends_on)
    if overlapping is not None:
        raise ValidationError(
            {"starts_on": _("This term overlaps the term %(term)s.") % {"term": format_term(overlapping)}}
        )
    term = BoardTerm.objects.create(kim=kim, starts_on=starts_on, ends_on=ends_on, decree_number=decree_number)
    BoardPosition.objects.bulk_create(
        [
            BoardPosition(term=term, member=spec.member, position=spec.position, section_name=spec.section_name)
            for spec in cleaned
        ]
    )
    audit_record(
        actor=actor,
        action="kim.board_term_create",
        obj=term,
        region_code=kim.region_id,
        after={
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
            "decree_number": decree_number,
            "positions": [
                {"position": spec.position, "member_id": spec.member.pk, "section_name": spec.section_name}
                for spec in cleaned
            ],
        },
    )
    return term


@transaction.atomic
def board_term_end(*, actor: AnyUser, term: BoardTerm, ends_on: date) -> BoardTerm:
    """Give an open-ended term (or one ending later) its end date, so the next term can start."""
    kim = term.kim
    require(actor, KimAction.MANAGE_BOARD, kim)
    if not isinstance(ends_on, date):
        raise ValidationError({"ends_on": _("Enter the date the term ends.")})
    _check_dates(term.starts_on, ends_on)
    _lock_kim(kim)
    overlapping = _overlapping_term(kim, term.starts_on, ends_on, exclude_pk=term.pk)
    if overlapping is not None:
        raise ValidationError(
            {"ends_on": _("This term overlaps the term %(term)s.") % {"term": format_term(overlapping)}}
        )
    before = {"ends_on": term.ends_on.isoformat() if term.ends_on else None}
    term.ends_on = ends_on
    term.save(update_fields=["ends_on", "updated_at"])
    audit_record(
        actor=actor,
        action="kim.board_term_end",
        obj=term,
        region_code=kim.region_id,
        before=before,
        after={"ends_on": ends_on.isoformat()},
    )
    return term
