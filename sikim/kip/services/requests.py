"""Writes on information requests: submitting and registering, extending, deciding.

- `request_file`: the usual way in — a citizen (or a KIM pengurus for them, or the body's PPID
  entering a request that came on paper) files a request, and it is registered at once: the
  registration number and the receipt are issued in the same transaction (Pasal 22 ayat (4)).
- `request_submit` + `request_register`: a request that the PPID registers later (e.g. one that
  arrived incomplete). The clock runs from when it was received, not from its registration.
- `request_extend`: once, with a written reason, before the deadline (Pasal 22 ayat (8)).
- `request_decide`: the written decision of Pasal 22 ayat (7), with its documents.

Only the body's PPID registers, extends and decides. Every write is audited (without the
requester's identity) and checked before anything is saved, so a refusal loses nothing.
"""

import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.accounts.phone import normalize_phone
from sikim.core.uploads import clean_pdf
from sikim.core.workdays import JAKARTA
from sikim.kip import deadlines
from sikim.kip.models import (
    AWAITING_DECISION,
    NAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    WITHHOLDING_OUTCOMES,
    AccessForm,
    CopyFormat,
    Decision,
    Delivery,
    ExemptionGround,
    InformationRequest,
    Outcome,
    RegistrationCounter,
    RequestState,
    ResponseDocument,
)
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import is_ppid_of
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.services.common import audit, clean_text, lock, request_snapshot, transition_check
from sikim.kip.services.notifications import RequestEvent, request_notify_after_commit
from sikim.offices.models import GovernmentOffice

# Crockford-like: no 0/O, 1/I/L, U, so a code read over the phone is unambiguous.
CODE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH: Final = 6
CODE_ATTEMPTS: Final = 8
ID_NUMBER_REGEX: Final = re.compile(r"^[0-9A-Za-z./ -]{4,30}$")
MAX_DOCUMENTS: Final = 10
MIN_REASON_LENGTH: Final = 10


def _date(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(JAKARTA), "j F Y")


def new_tracking_code(now: datetime) -> str:
    """ "KIP-2026-7K3QFM": the year (WIB) and six random characters."""
    year = now.astimezone(JAKARTA).year
    return f"KIP-{year}-{''.join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))}"


def registration_number(body: GovernmentOffice, year: int, sequence: int) -> str:
    """ "PPID-0042-2026-000123": body 42, its 123rd request received in 2026."""
    return f"PPID-{body.pk:04d}-{year}-{sequence:06d}"


def _require_ppid(actor: Any, request: InformationRequest) -> None:
    """Only a PPID of this very body (a grant naming it) registers, extends and decides."""
    if not is_ppid_of(actor, request.body_id, KipAction.DECIDE):
        raise PermissionDenied


def _checked_identity(
    name: Any, id_number: Any, address: Any, phone: Any, email: Any, delivery: str
) -> tuple[str, str, str, str, str]:
    name = " ".join(
        clean_text(
            name,
            field="requester_name",
            max_length=NAME_MAX_LENGTH,
            required=True,
            message=_("Enter the requester's name."),
        ).split()
    )
    id_number = clean_text(
        id_number,
        field="requester_id_number",
        max_length=30,
        required=True,
        message=_("Enter the requester's NIK or other identity number."),
    )
    if not ID_NUMBER_REGEX.match(id_number):
        raise ValidationError({"requester_id_number": _("Enter an identity number of letters and digits only.")})
    address = clean_text(
        address,
        field="requester_address",
        max_length=300,
        required=True,
        message=_("Enter the requester's address."),
    )
    raw_phone = clean_text(phone, field="requester_phone", max_length=40)
    normalised = ""
    if raw_phone:
        normalised = normalize_phone(raw_phone) or ""
        if not normalised:
            raise ValidationError({"requester_phone": _("Enter an Indonesian phone number, e.g. 0812 3456 7890.")})
    email = clean_text(email, field="requester_email", max_length=254).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"requester_email": _("Enter a valid email address.")}) from None
    if not (normalised or email):
        raise ValidationError(
            {"requester_phone": _("Enter a phone number or an email address to reach the requester.")}
        )
    if delivery == Delivery.EMAIL and not email:
        raise ValidationError({"requester_email": _("Delivery by email needs an email address.")})
    return name, id_number, address, normalised, email


def _checked_choices(access_form: str, copy_format: str, delivery: str) -> tuple[str, str, str]:
    if access_form not in AccessForm.values:
        raise ValidationError({"access_form": _("Choose how you want the information.")})
    copy_format = copy_format or ""
    if access_form == AccessForm.SALINAN and copy_format not in (CopyFormat.SOFTCOPY, CopyFormat.HARDCOPY):
        raise ValidationError({"copy_format": _("Choose a softcopy or a hardcopy.")})
    if access_form == AccessForm.MELIHAT:
        copy_format = ""
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": _("Choose how the information is to be delivered.")})
    return access_form, copy_format, delivery


@transaction.atomic
def request_submit(
    *,
    actor: Any,
    body: GovernmentOffice,
    requester_name: str,
    requester_id_number: str,
    requester_address: str,
    requester_phone: str = "",
    requester_email: str = "",
    information: str,
    purpose: str,
    access_form: str = AccessForm.MELIHAT,
    copy_format: str = "",
    delivery: str = Delivery.AMBIL,
    on_behalf: bool = False,
    now: datetime | None = None,
) -> InformationRequest:
    """A request, not yet registered. `on_behalf`: a KIM pengurus files for a citizen."""
    now = now or timezone.now()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if on_behalf and not (authenticated and authz.can(actor, KipAction.FILE_FOR_CITIZEN)):
        raise PermissionDenied
    body_pk = getattr(body, "pk", None)
    active = GovernmentOffice.objects.filter(pk=body_pk, is_active=True).first() if body_pk is not None else None
    if active is None:
        raise ValidationError({"body": _("Choose an active public body.")})
    body = active
    access_form, copy_format, delivery = _checked_choices(access_form, copy_format, delivery)
    name, id_number, address, phone, email = _checked_identity(
        requester_name, requester_id_number, requester_address, requester_phone, requester_email, delivery
    )
    information = clean_text(
        information,
        field="information",
        max_length=TEXT_MAX_LENGTH,
        required=True,
        message=_("Describe the information you ask for."),
    )
    purpose = clean_text(
        purpose,
        field="purpose",
        max_length=TEXT_MAX_LENGTH,
        required=True,
        message=_("Say what you need the information for."),
    )
    own = authenticated and not on_behalf and not is_ppid_of(actor, body.pk)
    for _attempt in range(CODE_ATTEMPTS):
        request = InformationRequest(
            tracking_code=new_tracking_code(now),
            body=body,
            requester_name=name,
            requester_id_number=id_number,
            requester_address=address,
            requester_phone=phone,
            requester_email=email,
            requester_user=actor if own else None,
            filed_by=actor if on_behalf else None,
            information=information,
            purpose=purpose,
            access_form=access_form,
            copy_format=copy_format,
            delivery=delivery,
            submitted_at=now,
        )
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            if InformationRequest.objects.filter(tracking_code=request.tracking_code).exists():
                continue
            raise
        break
    else:  # pragma: no cover - 30**6 codes a year
        raise ValidationError(_("Please try again."))
    audit(actor=actor if authenticated else None, action="request.submit", obj=request, before=None)
    return request


def _next_sequence(body: GovernmentOffice, year: int) -> int:
    RegistrationCounter.objects.get_or_create(body=body, year=year)
    counter = RegistrationCounter.objects.select_for_update().get(body=body, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _register(request: InformationRequest, *, actor: Any, now: datetime) -> InformationRequest:
    lock(request)
    if request.is_registered:
        raise ValidationError(
            _("This request is already registered as %(number)s.") % {"number": request.registration_number},
            code="already_registered",
        )
    transition_check(request, RequestState.DITERIMA)
    before = request_snapshot(request)
    received_at = request.submitted_at
    year = received_at.astimezone(JAKARTA).year
    sequence = _next_sequence(request.body, year)
    request.sequence, request.year = sequence, year
    request.registration_number = registration_number(request.body, year, sequence)
    request.received_at = received_at
    request.registered_at = max(now, received_at)
    request.decision_due = deadlines.decision_due(kip_calendar(), received_at)
    request.state = RequestState.DITERIMA
    request.save()
    audit(actor=actor, action="request.register", obj=request, before=before)
    request_notify_after_commit(request.pk, RequestEvent.REGISTERED)
    return request


@transaction.atomic
def request_register(*, actor: Any, request: InformationRequest, now: datetime | None = None) -> InformationRequest:
    """The body's PPID registers a submitted request: its number, receipt and deadline at once."""
    _require_ppid(actor, request)
    return _register(request, actor=actor, now=now or timezone.now())


@transaction.atomic
def request_file(*, actor: Any, now: datetime | None = None, **fields: Any) -> InformationRequest:
    """Submit and register at once (the number and receipt are issued immediately). Same fields as `request_submit`."""
    now = now or timezone.now()
    request = request_submit(actor=actor, now=now, **fields)
    return _register(request, actor=actor if getattr(actor, "is_authenticated", False) else None, now=now)


@transaction.atomic
def request_extend(
    *, actor: Any, request: InformationRequest, reason: str, now: datetime | None = None
) -> InformationRequest:
    """Extend the decision deadline once, by 7 working days after it, with a written reason."""
    now = now or timezone.now()
    _require_ppid(actor, request)
    lock(request)
    if request.state == RequestState.DIAJUKAN:
        raise ValidationError(
            _("This request has not been registered yet: register it before extending its deadline."),
            code="not_registered",
        )
    if request.extended:
        raise ValidationError(
            _(
                "The deadline of this request was already extended once, to %(due)s. The law allows only one "
                "extension (Pasal 22 ayat (8) UU 14/2008)."
            )
            % {"due": _date(request.extended_due or request.decision_due or timezone.now())},
            code="already_extended",
        )
    transition_check(request, RequestState.DIPERPANJANG)
    reason = clean_text(
        reason,
        field="reason",
        max_length=REASON_MAX_LENGTH,
        required=True,
        message=_("Write the reason for the extension: the law requires it in writing."),
    )
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("Explain the reason for the extension in a sentence.")})
    if request.decision_due is None or now > request.decision_due:
        raise ValidationError(
            _("The decision was due on %(due)s. An extension must be given before the deadline passes.")
            % {"due": _date(request.decision_due or now)},
            code="deadline_passed",
        )
    before = request_snapshot(request)
    request.extended = True
    request.extension_reason = reason
    request.extended_at = now
    request.extended_due = deadlines.extended_due(kip_calendar(), request.decision_due)
    request.state = RequestState.DIPERPANJANG
    request.save()
    audit(actor=actor, action="request.extend", obj=request, before=before)
    request_notify_after_commit(request.pk, RequestEvent.EXTENDED)
    return request


def _checked_documents(documents: Sequence[UploadedFile]) -> list[UploadedFile]:
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError({"documents": _("At most %(max)d documents, please.") % {"max": MAX_DOCUMENTS}})
    return [clean_pdf(document) for document in documents]


@transaction.atomic
def request_decide(
    *,
    actor: Any,
    request: InformationRequest,
    outcome: str,
    exemption_ground: str = "",
    consequence_test: str = "",
    response_text: str = "",
    cost: int = 0,
    documents: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Decision:
    """The body's written decision: granted in full or in part, refused (Pasal 17), or not held."""
    now = now or timezone.now()
    _require_ppid(actor, request)
    lock(request)
    if request.state == RequestState.DIAJUKAN:
        raise ValidationError(
            _(
                "This request has not been registered yet. Register it first (its number and receipt are "
                "issued then); only a registered request can be decided."
            ),
            code="not_registered",
        )
    if Decision.objects.filter(request=request).exists():
        raise ValidationError(_("This request has already been decided."), code="already_decided")
    if request.state not in AWAITING_DECISION:
        transition_check(request, RequestState.DIPUTUSKAN)
    if request.received_at is None or now < request.received_at:
        raise ValidationError(_("A decision cannot be dated before the request was received."), code="before_receipt")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the decision.")})
    ground = (exemption_ground or "").strip()
    consequence = clean_text(consequence_test, field="consequence_test", max_length=TEXT_MAX_LENGTH)
    if outcome in WITHHOLDING_OUTCOMES:
        if ground not in ExemptionGround.values:
            raise ValidationError(
                {
                    "exemption_ground": _(
                        "Choose the exemption ground under Pasal 17 UU 14/2008: information may be withheld only "
                        "on one of those grounds."
                    )
                },
                code="ground_required",
            )
        if not consequence:
            raise ValidationError(
                {
                    "consequence_test": _(
                        "Write the consequence test (Pasal 19 UU 14/2008): what harm disclosure would do, and why "
                        "withholding serves the public interest better."
                    )
                },
                code="consequence_test_required",
            )
    elif ground or consequence:
        raise ValidationError(
            {"exemption_ground": _("An exemption ground belongs only to a refusal or a partial grant.")}
        )
    response = clean_text(response_text, field="response_text", max_length=TEXT_MAX_LENGTH)
    if not isinstance(cost, int) or isinstance(cost, bool) or cost < 0:
        raise ValidationError({"cost": _("Enter the cost in whole rupiah.")})
    files = _checked_documents(documents)
    before = request_snapshot(request)
    decision = Decision.objects.create(
        request=request,
        outcome=outcome,
        exemption_ground=ground,
        consequence_test=consequence,
        response_text=response,
        cost=cost,
        decided_at=now,
        decided_by=actor,
    )
    for upload in files:
        title = (upload.name or "dokumen.pdf").rsplit("/", 1)[-1][:200]
        ResponseDocument.objects.create(decision=decision, title=title, file=upload)
    request.state = RequestState.DIPUTUSKAN
    request.save(update_fields=["state", "updated_at"])
    audit(actor=actor, action="request.decide", obj=request, before=before)
    audit(actor=actor, action="decision.create", obj=decision, before=None)
    request_notify_after_commit(request.pk, RequestEvent.DECIDED)
    return decision
