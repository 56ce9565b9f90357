"""Writes that move an aspiration along its states (`ASPIRATION_TRANSITIONS`).

Who may make each move is the table in `sikim.aspirations.permissions`; every move locks the
row, writes an `AspirationEvent` (the timeline) and an audit event, and sets the deadlines:

- verify (KIM pengurus): diajukan → diverifikasi; then the routing rules forward it at once
  when one matches (the system), else a pembina forwards it by hand;
- reject (KIM pengurus; a pembina after verification): → ditolak, with a reason;
- forward (pembina, or the system through the rules): diverifikasi → diteruskan, office follow-up
  due in the region's working days; a pembina may move a case to another office (override);
- follow up, answer, "bukan wewenang" (the office the case is routed to); "bukan wewenang"
  sends it back to diverifikasi and the rules try the next office (never the same one again);
- confirm, rate (once), reopen (once) (the author); auto-close after the waiting period (the
  system, `aspirations_autoclose`, which the periodic task calls; safe to run twice).

An impossible move raises a ValidationError saying what the state is; a move by someone who
may not make it raises PermissionDenied.
"""

from datetime import datetime
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.aspirations.models import (
    AWAITING_OFFICE,
    NOTE_MAX_LENGTH,
    Aspiration,
    AspirationEvent,
    AspirationEventKind,
    AspirationState,
    RejectReason,
)
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.deadlines import aspirations_due_for_autoclose
from sikim.aspirations.selectors.identity import is_own
from sikim.aspirations.selectors.routing import route_for, service_level_for
from sikim.aspirations.services.common import audit, clean_text, lock, move, record_event, snapshot, transition_check
from sikim.aspirations.services.notifications import notify_state_change
from sikim.aspirations.workdays import add_working_days
from sikim.offices.models import GovernmentOffice

S = AspirationState
K = AspirationEventKind
RATING_COMMENT_MAX_LENGTH: Final = 500
AUTOCLOSE_BATCH: Final = 500


def _note(value: Any, *, required: bool = False, label: str = "") -> str:
    return clean_text(value, field="note", max_length=NOTE_MAX_LENGTH, required=required, label=label)


def declined_office_ids(aspiration: Aspiration) -> set[int]:
    """Offices that already said "bukan wewenang" for this aspiration."""
    return set(
        AspirationEvent.objects.filter(aspiration=aspiration, kind=K.NOT_OUR_REMIT, office__isnull=False).values_list(
            "office_id", flat=True
        )
    )


def _forward_to(aspiration: Aspiration, office: GovernmentOffice, *, actor: Any, now: datetime, note: str) -> None:
    """Put the case with `office` (in memory and the timeline; the caller saves)."""
    rerouting = aspiration.state in AWAITING_OFFICE
    move(
        aspiration,
        S.DITERUSKAN,
        kind=K.REROUTED if rerouting else K.FORWARDED,
        actor=actor,
        now=now,
        note=note,
        office=office,
    )
    aspiration.office = office
    aspiration.forwarded_at = now
    aspiration.followup_due = add_working_days(now, service_level_for(aspiration.region_id).followup_days)
    aspiration.autoclose_at = None


def _route_automatically(aspiration: Aspiration, now: datetime) -> bool:
    """Forward a verified case through the routing rules (the system acts); False when no rule fits."""
    if aspiration.state != S.DIVERIFIKASI:
        return False
    office = route_for(aspiration.category, aspiration.region_id, exclude_office_ids=declined_office_ids(aspiration))
    if office is None:
        return False
    _forward_to(aspiration, office, actor=None, now=now, note="")
    return True


@transaction.atomic
def aspiration_verify(*, actor: Any, aspiration: Aspiration, note: str = "", now: datetime | None = None) -> Aspiration:
    """The verifying KIM's pengurus confirms the aspiration is real; the rules then forward it."""
    authz.require(actor, AspirationAction.VERIFY, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    if aspiration.state != S.DIAJUKAN:
        # diteruskan → diverifikasi is a legal move, but only for "bukan wewenang" (re-routing):
        # verifying is what the KIM does once, to a newly submitted aspiration.
        raise ValidationError(_("Only a newly submitted aspiration can be verified."), code="illegal_transition")
    before = snapshot(aspiration)
    note = _note(note)
    move(aspiration, S.DIVERIFIKASI, kind=K.VERIFIED, actor=actor, now=now, note=note)
    aspiration.verified_at = now
    _route_automatically(aspiration, now)
    aspiration.save()
    audit(actor=actor, action="verify", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


@transaction.atomic
def aspiration_reject(
    *, actor: Any, aspiration: Aspiration, reason: str, note: str = "", now: datetime | None = None
) -> Aspiration:
    """Reject (spam, duplicate, outside the remit…): the KIM before verification, or a pembina after."""
    lock(aspiration)
    if aspiration.state == S.DIAJUKAN:
        authz.require(actor, AspirationAction.VERIFY, aspiration)
    elif not (
        authz.can(actor, AspirationAction.VERIFY, aspiration) or authz.can(actor, AspirationAction.FORWARD, aspiration)
    ):
        raise PermissionDenied
    now = now or timezone.now()
    transition_check(aspiration, S.DITOLAK)
    if reason not in RejectReason.values:
        raise ValidationError({"reason": _("Choose the reason for rejecting.")})
    note = _note(
        note, required=reason == RejectReason.LAINNYA, label=_("Explain why, so that the citizen understands.")
    )
    before = snapshot(aspiration)
    # The reason is stored on the aspiration (shown translated); the note is the pengurus' words.
    move(aspiration, S.DITOLAK, kind=K.REJECTED, actor=actor, now=now, note=note)
    aspiration.reject_reason = reason
    aspiration.closed_at = now
    aspiration.followup_due = aspiration.autoclose_at = None
    aspiration.save()
    audit(actor=actor, action="reject", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


@transaction.atomic
def aspiration_forward(
    *,
    actor: Any,
    aspiration: Aspiration,
    office: GovernmentOffice | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Aspiration:
    """A pembina forwards a verified case, to `office` or else where the rules say; or moves a
    forwarded case to another office (overriding the rules)."""
    authz.require(actor, AspirationAction.FORWARD, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    transition_check(aspiration, S.DITERUSKAN)
    if aspiration.state not in (S.DIVERIFIKASI, *AWAITING_OFFICE):
        # dijawab/selesai → diteruskan is the citizen's reopening, not a forward.
        raise ValidationError(
            _("This aspiration is “%(current)s”; only the citizen can reopen it.")
            % {"current": str(S(aspiration.state).label)}
        )
    note = _note(note)
    if office is None:
        office = route_for(
            aspiration.category, aspiration.region_id, exclude_office_ids=declined_office_ids(aspiration)
        )
        if office is None:
            raise ValidationError({"office": _("No routing rule fits this aspiration: choose the office.")})
    if not office.is_active:
        raise ValidationError({"office": _("This office is no longer active.")})
    if not office.covers(aspiration.region_id):
        raise ValidationError({"office": _("This office does not act for the aspiration's village.")})
    if office.pk == aspiration.office_id:
        raise ValidationError({"office": _("The aspiration is already with this office.")})
    before = snapshot(aspiration)
    _forward_to(aspiration, office, actor=actor, now=now, note=note)
    aspiration.save()
    audit(actor=actor, action="forward", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


@transaction.atomic
def aspiration_forward_automatically(*, aspiration: Aspiration, now: datetime | None = None) -> bool:
    """The system forwards a verified case through the routing rules (e.g. after a rule is added)."""
    now = now or timezone.now()
    lock(aspiration)
    before = snapshot(aspiration)
    if not _route_automatically(aspiration, now):
        return False
    aspiration.save()
    audit(actor=None, action="forward_automatically", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return True


def _require_office(actor: Any, aspiration: Aspiration) -> GovernmentOffice:
    authz.require(actor, AspirationAction.RESPOND, aspiration)
    if aspiration.office is None:
        raise ValidationError(_("This aspiration is not with an office."))
    return aspiration.office


@transaction.atomic
def aspiration_follow_up(*, actor: Any, aspiration: Aspiration, note: str, now: datetime | None = None) -> Aspiration:
    """The office says what it is doing about the case (a public progress note)."""
    lock(aspiration)
    office = _require_office(actor, aspiration)
    now = now or timezone.now()
    transition_check(aspiration, S.DITINDAKLANJUTI)
    note = _note(note, required=True, label=_("Tell the citizen what the office is doing."))
    before = snapshot(aspiration)
    move(aspiration, S.DITINDAKLANJUTI, kind=K.FOLLOWED_UP, actor=actor, now=now, note=note, office=office)
    aspiration.save()
    audit(actor=actor, action="follow_up", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


@transaction.atomic
def aspiration_answer(*, actor: Any, aspiration: Aspiration, answer: str, now: datetime | None = None) -> Aspiration:
    """The office's official answer; the case closes by itself after the waiting period."""
    lock(aspiration)
    office = _require_office(actor, aspiration)
    now = now or timezone.now()
    transition_check(aspiration, S.DIJAWAB)
    answer = clean_text(
        answer, field="answer", max_length=NOTE_MAX_LENGTH, required=True, label=_("Write the official answer.")
    )
    before = snapshot(aspiration)
    move(aspiration, S.DIJAWAB, kind=K.ANSWERED, actor=actor, now=now, note=answer, office=office)
    aspiration.answer = answer
    aspiration.answered_at = now
    aspiration.autoclose_at = add_working_days(now, service_level_for(aspiration.region_id).autoclose_days)
    aspiration.save()
    audit(actor=actor, action="answer", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


@transaction.atomic
def aspiration_not_our_remit(
    *, actor: Any, aspiration: Aspiration, note: str, now: datetime | None = None
) -> Aspiration:
    """ "Bukan wewenang": the office hands the case back; the rules try the next office, else the
    pembina routes it by hand (due again in the verify-and-forward working days)."""
    lock(aspiration)
    office = _require_office(actor, aspiration)
    now = now or timezone.now()
    transition_check(aspiration, S.DIVERIFIKASI)
    note = _note(note, required=True, label=_("Say why this is not the office's remit, and whose it may be."))
    before = snapshot(aspiration)
    move(aspiration, S.DIVERIFIKASI, kind=K.NOT_OUR_REMIT, actor=actor, now=now, note=note, office=office)
    aspiration.office = None
    aspiration.followup_due = None
    aspiration.verify_due = add_working_days(now, service_level_for(aspiration.region_id).verify_days)
    _route_automatically(aspiration, now)
    aspiration.save()
    audit(actor=actor, action="not_our_remit", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


def _require_author(actor: Any, aspiration: Aspiration) -> None:
    if not is_own(aspiration, actor):
        raise PermissionDenied


@transaction.atomic
def aspiration_confirm(*, actor: Any, aspiration: Aspiration, now: datetime | None = None) -> Aspiration:
    """The citizen confirms the answer settles it: selesai."""
    _require_author(actor, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    before = snapshot(aspiration)
    move(aspiration, S.SELESAI, kind=K.CONFIRMED, actor=actor, now=now)
    aspiration.closed_at = now
    aspiration.autoclose_at = None
    aspiration.save()
    audit(actor=actor, action="confirm", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


@transaction.atomic
def aspiration_rate(
    *, actor: Any, aspiration: Aspiration, rating: Any, comment: str = "", now: datetime | None = None
) -> Aspiration:
    """The citizen rates the answer, 1 to 5, once."""
    _require_author(actor, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    if aspiration.answered_at is None or aspiration.state not in (S.DIJAWAB, S.SELESAI):
        raise ValidationError(_("You can rate the answer once the office has answered."))
    if aspiration.rating is not None:
        raise ValidationError(_("You have already rated this answer."))
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if isinstance(rating, bool) or not 1 <= value <= 5:
        raise ValidationError({"rating": _("Choose from 1 to 5 stars.")})
    comment = " ".join(clean_text(comment, field="comment", max_length=RATING_COMMENT_MAX_LENGTH).split())
    before = snapshot(aspiration)
    aspiration.rating, aspiration.rating_comment, aspiration.rated_at = value, comment, now
    aspiration.save()
    record_event(aspiration, kind=K.RATED, actor=actor, now=now, note=comment)
    audit(actor=actor, action="rate", aspiration=aspiration, before=before)
    return aspiration


@transaction.atomic
def aspiration_reopen(*, actor: Any, aspiration: Aspiration, reason: str, now: datetime | None = None) -> Aspiration:
    """The citizen is not satisfied: the case goes back to the same office, once."""
    _require_author(actor, aspiration)
    now = now or timezone.now()
    lock(aspiration)
    transition_check(aspiration, S.DITERUSKAN)
    if aspiration.state not in (S.DIJAWAB, S.SELESAI):
        raise ValidationError(_("Only an answered aspiration can be reopened."))
    if aspiration.reopened_count >= 1:
        raise ValidationError(_("An aspiration can be reopened only once."))
    reason = _note(reason, required=True, label=_("Say why the answer does not settle it."))
    office = aspiration.office
    assert office is not None  # the constraint: an answered case has its office
    before = snapshot(aspiration)
    move(aspiration, S.DITERUSKAN, kind=K.REOPENED, actor=actor, now=now, note=reason, office=office)
    aspiration.reopened_count += 1
    aspiration.closed_at = None
    aspiration.autoclose_at = None
    aspiration.forwarded_at = now
    aspiration.followup_due = add_working_days(now, service_level_for(aspiration.region_id).followup_days)
    aspiration.save()
    audit(actor=actor, action="reopen", aspiration=aspiration, before=before)
    notify_state_change(aspiration)
    return aspiration


def aspirations_autoclose(*, now: datetime | None = None) -> int:
    """Close answered cases whose waiting period is over (the system). Idempotent; returns how many."""
    now = now or timezone.now()
    closed = 0
    for pk in list(aspirations_due_for_autoclose(now).values_list("pk", flat=True)[:AUTOCLOSE_BATCH]):
        with transaction.atomic():
            aspiration = Aspiration.objects.select_for_update().get(pk=pk)
            # Checked again under the lock: the citizen may have confirmed or reopened meanwhile.
            if aspiration.state != S.DIJAWAB or aspiration.autoclose_at is None or aspiration.autoclose_at > now:
                continue
            before = snapshot(aspiration)
            move(aspiration, S.SELESAI, kind=K.AUTO_CLOSED, actor=None, now=now)
            aspiration.closed_at = now
            aspiration.autoclose_at = None
            aspiration.save()
            audit(actor=None, action="auto_close", aspiration=aspiration, before=before)
            notify_state_change(aspiration)
            closed += 1
    return closed
