"""Writes after the decision: the objection (keberatan), its answer, the Komisi Informasi dispute.

- `objection_file`: the requester (or the pengurus who filed for them, or the body's PPID
  recording a written objection) on the grounds of Pasal 35 ayat (1), within 30 working days of
  the decision — or of the deadline passing without one (Pasal 36 ayat (1)).
- `objection_answer`: only the body's atasan PPID (`AtasanPpid`); due 30 working days after
  the objection (Pasal 36 ayat (2)); a late answer is still recorded.
- `dispute_record` / `dispute_outcome`: the dispute the requester filed with the Komisi Informasi,
  within 14 working days of the answer or of its deadline passing (Pasal 37 ayat (2)), with the
  Commission's reference and, later, its outcome. Recorded by the requester or the body's PPID.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sikim.core.workdays import JAKARTA
from sikim.kip import deadlines
from sikim.kip.models import (
    TEXT_MAX_LENGTH,
    Decision,
    DisputeOutcome,
    InformationRequest,
    KiDispute,
    Objection,
    ObjectionGround,
    RequestState,
)
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import is_atasan_ppid, is_own, is_ppid_of
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.services.common import audit, clean_text, lock, request_snapshot, transition_check
from sikim.kip.services.notifications import RequestEvent, request_notify_after_commit


def _date(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(JAKARTA), "j F Y")


def _require_requester_or_ppid(actor: Any, request: InformationRequest) -> None:
    if not (is_own(request, actor) or is_ppid_of(actor, request.body_id, KipAction.DECIDE)):
        raise PermissionDenied


def checked_grounds(grounds: Any) -> str:
    """["g", "a"] or "a,g" → "a,g" (the law's order, no repeats); a ValidationError otherwise."""
    if isinstance(grounds, str):
        grounds = [g for g in grounds.replace(" ", "").split(",") if g]
    if not isinstance(grounds, (list, tuple, set, frozenset)) or not grounds:
        raise ValidationError({"grounds": _("Choose at least one ground for the objection (Pasal 35 UU 14/2008).")})
    chosen = {str(g).strip().lower() for g in grounds}
    if not chosen <= set(ObjectionGround.values):
        raise ValidationError({"grounds": _("Choose the grounds from the list in Pasal 35 UU 14/2008.")})
    return ",".join(sorted(chosen))


def objection_window(request: InformationRequest, now: datetime) -> datetime:
    """When the objection window closes; a ValidationError while it has not opened yet."""
    calendar = kip_calendar()
    decision = Decision.objects.filter(request=request).first()
    if decision is not None:
        return deadlines.objection_window_after_decision(calendar, decision.decided_at)
    due = request.due_at
    if due is None:
        raise ValidationError(_("This request has not been registered yet."), code="not_registered")
    if now <= due:
        raise ValidationError(
            _(
                "The body has until %(due)s to decide. An objection can be filed once it has decided, or after "
                "that date if it has not."
            )
            % {"due": _date(due)},
            code="too_early",
        )
    return deadlines.objection_window_after_deadline(calendar, due)


@transaction.atomic
def objection_file(
    *, actor: Any, request: InformationRequest, grounds: Any, statement: str, now: datetime | None = None
) -> Objection:
    now = now or timezone.now()
    _require_requester_or_ppid(actor, request)
    lock(request)
    if Objection.objects.filter(request=request).exists():
        raise ValidationError(_("An objection to this request has already been filed."), code="already_objected")
    letters = checked_grounds(grounds)
    statement = clean_text(
        statement,
        field="statement",
        max_length=TEXT_MAX_LENGTH,
        required=True,
        message=_("Write what you object to and what you ask for."),
    )
    closes = objection_window(request, now)
    if now > closes:
        raise ValidationError(
            _(
                "The period for an objection ended on %(date)s: an objection must be filed within 30 working days "
                "(Pasal 36 ayat (1) UU 14/2008)."
            )
            % {"date": _date(closes)},
            code="window_closed",
        )
    transition_check(request, RequestState.KEBERATAN)
    before = request_snapshot(request)
    objection = Objection.objects.create(
        request=request,
        grounds=letters,
        statement=statement,
        filed_at=now,
        filed_by=actor,
        window_closes=closes,
        answer_due=deadlines.objection_answer_due(kip_calendar(), now),
    )
    request.state = RequestState.KEBERATAN
    request.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="request.object", obj=request, before=before)
    audit(actor=actor, action="objection.file", obj=objection, before=None)
    return objection


@transaction.atomic
def objection_answer(*, actor: Any, objection: Objection, answer: str, now: datetime | None = None) -> Objection:
    """The atasan PPID's written answer (only theirs: not the PPID, not a pembina)."""
    now = now or timezone.now()
    request = objection.request
    if not is_atasan_ppid(actor, request.body_id):
        raise PermissionDenied
    lock(request)
    objection.refresh_from_db()
    if objection.answered_at is not None:
        raise ValidationError(_("This objection has already been answered."), code="already_answered")
    answer = clean_text(
        answer,
        field="answer",
        max_length=TEXT_MAX_LENGTH,
        required=True,
        message=_("Write the answer to the objection."),
    )
    if now < objection.filed_at:
        raise ValidationError(_("An answer cannot be dated before the objection."))
    transition_check(request, RequestState.KEBERATAN_DIJAWAB)
    before = request_snapshot(request)
    objection.answer, objection.answered_at, objection.answered_by = answer, now, actor
    objection.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    request.state = RequestState.KEBERATAN_DIJAWAB
    request.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="request.objection_answered", obj=request, before=before)
    audit(actor=actor, action="objection.answer", obj=objection, before=None)
    request_notify_after_commit(request.pk, RequestEvent.OBJECTION_ANSWERED)
    return objection


def dispute_window(objection: Objection, now: datetime) -> datetime:
    calendar = kip_calendar()
    if objection.answered_at is not None:
        return deadlines.dispute_window_after_answer(calendar, objection.answered_at)
    if now <= objection.answer_due:
        raise ValidationError(
            _("The atasan PPID has until %(due)s to answer the objection. A dispute can be filed after the answer.")
            % {"due": _date(objection.answer_due)},
            code="too_early",
        )
    return deadlines.dispute_window_after_deadline(calendar, objection.answer_due)


@transaction.atomic
def dispute_record(
    *,
    actor: Any,
    objection: Objection,
    commission: str,
    reference_number: str = "",
    filed_at: datetime | None = None,
    now: datetime | None = None,
) -> KiDispute:
    """Record a dispute filed with the Komisi Informasi (the filing date may be before today)."""
    now = now or timezone.now()
    filed_at = filed_at or now
    request = objection.request
    _require_requester_or_ppid(actor, request)
    lock(request)
    if KiDispute.objects.filter(objection=objection).exists():
        raise ValidationError(_("A dispute about this objection is already recorded."), code="already_recorded")
    commission = clean_text(
        commission,
        field="commission",
        max_length=150,
        required=True,
        message=_("Name the Information Commission, e.g. Komisi Informasi Provinsi Bali."),
    )
    reference_number = clean_text(reference_number, field="reference_number", max_length=80)
    if filed_at > now:
        raise ValidationError({"filed_at": _("The filing date cannot be in the future.")})
    if filed_at < objection.filed_at:
        raise ValidationError({"filed_at": _("A dispute is filed after the objection.")})
    closes = dispute_window(objection, filed_at)
    if filed_at > closes:
        raise ValidationError(
            _(
                "The period for a dispute at the Information Commission ended on %(date)s: it must be filed within "
                "14 working days (Pasal 37 ayat (2) UU 14/2008)."
            )
            % {"date": _date(closes)},
            code="window_closed",
        )
    transition_check(request, RequestState.SENGKETA)
    before = request_snapshot(request)
    dispute = KiDispute.objects.create(
        objection=objection,
        filed_at=filed_at,
        window_closes=closes,
        commission=commission,
        reference_number=reference_number,
        recorded_by=actor,
    )
    request.state = RequestState.SENGKETA
    request.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="request.dispute", obj=request, before=before)
    audit(actor=actor, action="dispute.record", obj=dispute, before=None)
    return dispute


@transaction.atomic
def dispute_outcome(
    *,
    actor: Any,
    dispute: KiDispute,
    outcome: str,
    reference_number: str = "",
    notes: str = "",
    outcome_at: datetime | None = None,
) -> KiDispute:
    """The Commission's outcome (mediation, adjudication, withdrawal) and its reference."""
    request = dispute.objection.request
    _require_requester_or_ppid(actor, request)
    if outcome not in DisputeOutcome.values or outcome == DisputeOutcome.PENDING:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    before = {"outcome": dispute.outcome, "reference_number": dispute.reference_number}
    dispute.outcome = outcome
    dispute.outcome_at = outcome_at or timezone.now()
    if dispute.outcome_at < dispute.filed_at:
        raise ValidationError({"outcome_at": _("The outcome cannot be dated before the dispute was filed.")})
    dispute.reference_number = clean_text(reference_number, field="reference_number", max_length=80) or (
        dispute.reference_number
    )
    dispute.notes = clean_text(notes, field="notes", max_length=TEXT_MAX_LENGTH)
    dispute.save()
    audit(actor=actor, action="dispute.outcome", obj=dispute, before=before)
    return dispute
