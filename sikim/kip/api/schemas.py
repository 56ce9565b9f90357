"""Schemas and helpers shared by the KIP API modules (requests, registers).

Inputs are `JsonObject`s (a string or a list where an object belongs is a 422) or form schemas
for the multipart operations; outputs never carry the requester's identity except through
`sikim.kip.selectors.identity`.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime

from sikim.core.api_errors import ApiError
from sikim.core.api_schemas import JsonObject
from sikim.kip.models import (
    NAME_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    AccessForm,
    CopyFormat,
    Decision,
    Delivery,
    DisputeOutcome,
    ExemptionGround,
    InformationRequest,
    ObjectionGround,
    Outcome,
    RegisterCategory,
    RegisterEntry,
)
from sikim.kip.selectors.deadlines import time_state
from sikim.kip.selectors.identity import requester_display, requester_identity
from sikim.kip.services.register import redact

SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,200}$"
TRACKING_PATTERN = r"^[A-Za-z0-9-]{1,20}$"
LIST_MAX = 5000
# Codes of the services' ValidationErrors that say the state does not allow the step now.
CONFLICT_CODES = frozenset(
    {
        "already_registered",
        "already_extended",
        "already_decided",
        "already_objected",
        "already_answered",
        "already_recorded",
        "not_registered",
        "illegal_transition",
        "deadline_passed",
        "window_closed",
        "too_early",
    }
)


def _plausible(moment: datetime) -> datetime:
    if not 2000 <= moment.year <= 2200:
        raise ValueError("must be a date between 2000 and 2200")
    return moment


# A moment with its UTC offset ("2026-04-01T10:00:00+08:00"), within a plausible range.
Moment = Annotated[AwareDatetime, AfterValidator(_plausible)]


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def service_error(error: ValidationError) -> ApiError:
    """A service's ValidationError as a 422 whose message is the service's own words.

    The code says why: the step's own code when the state or the calendar forbids it
    (`not_registered`, `already_extended`, `window_closed`…), else `invalid`.
    """
    if hasattr(error, "error_dict"):
        details = [{"field": f, "message": str(m)} for f, messages in error.message_dict.items() for m in messages]
        codes = {e.code for errors in error.error_dict.values() for e in errors}
    else:
        details = [{"field": "", "message": str(m)} for m in error.messages]
        codes = {e.code for e in error.error_list}
    code = next((c for c in sorted(c for c in codes if c) if c in CONFLICT_CODES), "invalid")
    message = " ".join(d["message"] for d in details) or _("Some values are missing or wrong.")
    return ApiError(422, code, message, details)


# --- requests -----------------------------------------------------------------------------------
class RequestIn(JsonObject):
    body: str = Field(pattern=SLUG_PATTERN, description="The public body's slug (a government office).")
    requester_name: str = Field(min_length=1, max_length=NAME_MAX_LENGTH)
    requester_id_number: str = Field(min_length=1, max_length=30, description="NIK, passport or deed number.")
    requester_address: str = Field(min_length=1, max_length=300)
    requester_phone: str = Field("", max_length=40, description="A phone number or an email is needed.")
    requester_email: str = Field("", max_length=254)
    information: str = Field(min_length=1, max_length=TEXT_MAX_LENGTH)
    purpose: str = Field(min_length=1, max_length=TEXT_MAX_LENGTH)
    access_form: AccessForm = AccessForm.MELIHAT
    copy_format: CopyFormat = CopyFormat.NONE
    delivery: Delivery = Delivery.AMBIL
    on_behalf: bool = Field(False, description="A KIM pengurus files for the citizen named here.")


class IdentityOut(Schema):
    name: str
    id_number: str
    address: str
    phone: str
    email: str


class DocumentOut(Schema):
    id: int
    title: str
    url: str


class DecisionOut(Schema):
    outcome: str
    outcome_label: str
    exemption_ground: str
    consequence_test: str
    response_text: str
    cost: int
    decided_at: datetime
    documents: list[DocumentOut]


class ObjectionOut(Schema):
    grounds: list[str]
    statement: str
    filed_at: datetime
    window_closes: datetime
    answer_due: datetime
    answer: str
    answered_at: datetime | None


class DisputeOut(Schema):
    commission: str
    reference_number: str
    filed_at: datetime
    window_closes: datetime
    outcome: str
    outcome_label: str
    outcome_at: datetime | None
    notes: str


class RequestListOut(Schema):
    id: int
    registration_number: str | None
    tracking_code: str
    body: str = Field(description="The public body's slug.")
    body_name: str
    requester: str = Field(description="The name as the caller may see it (masked but for the PPID and requester).")
    state: str
    state_label: str
    time_state: str
    submitted_at: datetime
    received_at: datetime | None
    decision_due: datetime | None
    extended_due: datetime | None
    due_at: datetime | None

    @staticmethod
    def fields_of(r: InformationRequest, request: HttpRequest) -> dict[str, Any]:
        return {
            "id": r.pk,
            "registration_number": r.registration_number,
            "tracking_code": r.tracking_code,
            "body": r.body.slug,
            "body_name": r.body.name,
            "requester": requester_display(r, request.user),
            "state": r.state,
            "state_label": str(r.get_state_display()),
            "time_state": str(time_state(r)),
            "submitted_at": r.submitted_at,
            "received_at": r.received_at,
            "decision_due": r.decision_due,
            "extended_due": r.extended_due,
            "due_at": r.due_at,
        }


class RequestDetailOut(RequestListOut):
    identity: IdentityOut | None = Field(description="Only for the body's PPID and the requester themselves.")
    information: str
    purpose: str
    access_form: str
    copy_format: str
    delivery: str
    extension_reason: str
    receipt_url: str
    decision: DecisionOut | None
    objection: ObjectionOut | None
    dispute: DisputeOut | None


def _document_url(r: InformationRequest, document_id: int) -> str:
    return reverse("api:kip_request_document", kwargs={"pk": r.pk, "document_id": document_id})


def decision_out(r: InformationRequest, decision: Decision) -> DecisionOut:
    return DecisionOut(
        outcome=decision.outcome,
        outcome_label=str(decision.get_outcome_display()),
        exemption_ground=decision.exemption_ground,
        consequence_test=decision.consequence_test,
        response_text=decision.response_text,
        cost=decision.cost,
        decided_at=decision.decided_at,
        documents=[DocumentOut(id=d.pk, title=d.title, url=_document_url(r, d.pk)) for d in decision.documents.all()],
    )


def request_detail(r: InformationRequest, request: HttpRequest) -> RequestDetailOut:
    identity = requester_identity(r, request.user)
    decision = getattr(r, "decision", None)
    objection = getattr(r, "objection", None)
    dispute = getattr(objection, "dispute", None) if objection is not None else None
    return RequestDetailOut(
        **RequestListOut.fields_of(r, request),
        identity=IdentityOut(**vars(identity)) if identity is not None else None,
        information=r.information,
        purpose=r.purpose,
        access_form=r.access_form,
        copy_format=r.copy_format,
        delivery=r.delivery,
        extension_reason=r.extension_reason,
        receipt_url=reverse("api:kip_request_receipt", kwargs={"pk": r.pk}) if r.is_registered else "",
        decision=decision_out(r, decision) if decision is not None else None,
        objection=ObjectionOut(
            grounds=objection.ground_list,
            statement=objection.statement,
            filed_at=objection.filed_at,
            window_closes=objection.window_closes,
            answer_due=objection.answer_due,
            answer=objection.answer,
            answered_at=objection.answered_at,
        )
        if objection is not None
        else None,
        dispute=DisputeOut(
            commission=dispute.commission,
            reference_number=dispute.reference_number,
            filed_at=dispute.filed_at,
            window_closes=dispute.window_closes,
            outcome=dispute.outcome,
            outcome_label=str(dispute.get_outcome_display()),
            outcome_at=dispute.outcome_at,
            notes=dispute.notes,
        )
        if dispute is not None
        else None,
    )


class TrackingOut(Schema):
    """What anyone holding the tracking code may see: no identity, texts redacted."""

    tracking_code: str
    registration_number: str | None
    body: str
    body_name: str
    information: str = Field(description="Redacted of personal data.")
    state: str
    state_label: str
    time_state: str
    submitted_at: datetime
    received_at: datetime | None
    decision_due: datetime | None
    extended: bool
    extended_due: datetime | None
    outcome: str
    outcome_label: str
    decided_at: datetime | None
    objection_filed_at: datetime | None
    objection_answer_due: datetime | None
    objection_answered_at: datetime | None
    dispute_outcome: str

    @staticmethod
    def of(r: InformationRequest) -> "TrackingOut":
        decision = getattr(r, "decision", None)
        objection = getattr(r, "objection", None)
        dispute = getattr(objection, "dispute", None) if objection is not None else None
        return TrackingOut(
            tracking_code=r.tracking_code,
            registration_number=r.registration_number,
            body=r.body.slug,
            body_name=r.body.name,
            information=redact(r.information, names=(r.requester_name,)),
            state=r.state,
            state_label=str(r.get_state_display()),
            time_state=str(time_state(r)),
            submitted_at=r.submitted_at,
            received_at=r.received_at,
            decision_due=r.decision_due,
            extended=r.extended,
            extended_due=r.extended_due,
            outcome=decision.outcome if decision is not None else "",
            outcome_label=str(decision.get_outcome_display()) if decision is not None else "",
            decided_at=decision.decided_at if decision is not None else None,
            objection_filed_at=objection.filed_at if objection is not None else None,
            objection_answer_due=objection.answer_due if objection is not None else None,
            objection_answered_at=objection.answered_at if objection is not None else None,
            dispute_outcome=dispute.outcome if dispute is not None else "",
        )


class RequestFilters(Schema):
    state: str | None = Field(None, max_length=20, description="A stored state, e.g. diterima.")
    body: str | None = Field(None, pattern=SLUG_PATTERN, description="A public body's slug.")


class ExtendIn(JsonObject):
    reason: str = Field(min_length=1, max_length=REASON_MAX_LENGTH, description="Why the deadline is extended.")


class DecisionIn(Schema):
    """Sent as multipart form fields, with the response PDFs as `documents` (up to 10)."""

    outcome: Outcome
    exemption_ground: ExemptionGround | Literal[""] | None = Field(
        None, description="Pasal 17 letter: needed for a refusal or partial grant."
    )
    consequence_test: str = Field("", max_length=TEXT_MAX_LENGTH, description="Needed with an exemption ground.")
    response_text: str = Field("", max_length=TEXT_MAX_LENGTH)
    cost: int = Field(0, ge=0, le=1_000_000_000, description="Cost of copies in whole rupiah.")


class PublishIn(JsonObject):
    title: str = Field(min_length=1, max_length=200, description="The register entry's title (redacted).")


class ObjectionIn(JsonObject):
    grounds: list[ObjectionGround] = Field(min_length=1, max_length=7, description="Pasal 35 letters a–g.")
    statement: str = Field(min_length=1, max_length=TEXT_MAX_LENGTH)


class AnswerIn(JsonObject):
    answer: str = Field(min_length=1, max_length=TEXT_MAX_LENGTH)


class DisputeIn(JsonObject):
    commission: str = Field(min_length=1, max_length=150, description="e.g. Komisi Informasi Provinsi Bali.")
    reference_number: str = Field("", max_length=80)
    filed_at: Moment | None = Field(None, description="When it was filed (default: now); never in the future.")


class DisputeOutcomeIn(JsonObject):
    outcome: DisputeOutcome
    reference_number: str = Field("", max_length=80)
    notes: str = Field("", max_length=TEXT_MAX_LENGTH)
    outcome_at: Moment | None = Field(None, description="Default: now.")


# --- registers ----------------------------------------------------------------------------------
class RegisterFilters(Schema):
    q: str = Field("", max_length=100, description="Words in the title or summary.")
    category: RegisterCategory | None = None
    year: int | None = Field(None, ge=1945, le=2200)


class EntryOut(Schema):
    id: int
    body: str
    body_name: str
    category: str
    category_label: str
    title: str
    summary: str
    year: int
    exemption_ground: str
    exemption_reason: str
    is_published: bool
    published_at: datetime | None
    from_decision: bool
    document_url: str = Field(description="Empty without a document, for exempted or unpublished entries.")

    @staticmethod
    def of(entry: RegisterEntry) -> "EntryOut":
        downloadable = bool(entry.document) and entry.is_published and entry.category != RegisterCategory.DIKECUALIKAN
        return EntryOut(
            id=entry.pk,
            body=entry.body.slug,
            body_name=entry.body.name,
            category=entry.category,
            category_label=str(entry.get_category_display()),
            title=entry.title,
            summary=entry.summary,
            year=entry.year,
            exemption_ground=entry.exemption_ground,
            exemption_reason=entry.exemption_reason,
            is_published=entry.is_published,
            published_at=entry.published_at,
            from_decision=entry.source_decision_id is not None,
            document_url=reverse("kip:register_document", args=[entry.body.slug, entry.pk]) if downloadable else "",
        )


class EntryIn(Schema):
    """Multipart form fields of a new entry (the PDF as `document`)."""

    category: RegisterCategory
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field("", max_length=TEXT_MAX_LENGTH)
    year: int = Field(ge=1945, le=2200)
    exemption_ground: ExemptionGround | Literal[""] | None = Field(None, description="Only for dikecualikan.")
    exemption_reason: str = Field("", max_length=TEXT_MAX_LENGTH, description="Only for dikecualikan.")
    is_published: bool = True


class EntryPatchIn(JsonObject):
    """Only the fields sent change."""

    category: RegisterCategory | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    year: int | None = Field(None, ge=1945, le=2200)
    exemption_ground: ExemptionGround | None = None
    exemption_reason: str | None = Field(None, max_length=TEXT_MAX_LENGTH)
    is_published: bool | None = None
