"""Information requests under /api/v1/kip/requests: filing, the PPID's steps, objections, disputes.

- `POST /requests` files and registers a request at once (a logged-in citizen, a KIM pengurus
  with `on_behalf`, or the body's PPID entering a paper request).
- `GET /requests` and `GET /requests/{pk}` read through `selectors.access.requests_visible_to`:
  anything else is 404. The requester's identity is given only as `selectors.identity` allows
  (the body's PPID and the requester); everyone else sees the name masked.
- `GET /requests/track/{code}` is public: the request's progress without identity.
- The steps call the services: a step the state or the calendar forbids is 422 with the
  service's message and a code (`not_registered`, `already_extended`, `window_closed`…); a step
  the caller may not take is 403. Nothing is saved when a step is refused.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sikim.core.api_errors import ApiError
from sikim.core.api_pagination import BoundedPagination
from sikim.kip.api.schemas import (
    ERRORS,
    LIST_MAX,
    TRACKING_PATTERN,
    AnswerIn,
    DecisionIn,
    DisputeIn,
    DisputeOutcomeIn,
    EntryOut,
    ErrorOut,
    ExtendIn,
    ObjectionIn,
    PublishIn,
    RequestDetailOut,
    RequestFilters,
    RequestIn,
    RequestListOut,
    TrackingOut,
    request_detail,
    service_error,
)
from sikim.kip.models import InformationRequest, KiDispute, Objection, ResponseDocument
from sikim.kip.receipt import receipt_pdf
from sikim.kip.selectors.access import request_for, request_for_tracking, requests_visible_to
from sikim.kip.selectors.identity import may_see_identity
from sikim.kip.services import objections as objection_services
from sikim.kip.services import requests as request_services
from sikim.kip.services.register import register_publish_response
from sikim.offices.models import GovernmentOffice

router = Router()

PK_MAX = 2_147_483_647
# Optional multipart files (a `File[...] | None` annotation would not make the operation multipart).
RESPONSE_DOCUMENTS = File(None, description="Response PDFs (at most 10, 10 MB each).")


def _read(request: HttpRequest, pk: int) -> InformationRequest:
    return request_for(request.user, pk)


def _fresh(request: HttpRequest, pk: int) -> RequestDetailOut:
    return request_detail(request_for(request.user, pk), request)


def _objection(r: InformationRequest) -> Objection:
    objection = Objection.objects.filter(request=r).select_related("request", "request__body").first()
    if objection is None:
        raise ApiError(422, "no_objection", _("No objection has been filed to this request."))
    return objection


def _dispute(r: InformationRequest) -> KiDispute:
    dispute = (
        KiDispute.objects.filter(objection__request=r)
        .select_related("objection", "objection__request", "objection__request__body")
        .first()
    )
    if dispute is None:
        raise ApiError(422, "no_dispute", _("No dispute at the Information Commission is recorded for this request."))
    return dispute


def _call(step: Any, **kwargs: Any) -> Any:
    try:
        return step(**kwargs)
    except ValidationError as error:
        raise service_error(error) from None


@router.post(
    "/requests",
    response={201: RequestDetailOut, **ERRORS},
    summary="File a request for public information (registered at once, with its number and receipt)",
)
def request_create(request: HttpRequest, payload: RequestIn) -> Status[RequestDetailOut]:
    """A logged-in citizen for themselves; a KIM pengurus for a citizen with `on_behalf`; the body's
    PPID entering a request that came on paper. 422 with the service's message for bad input."""
    body = GovernmentOffice.objects.filter(slug=payload.body).first()
    if body is None:
        message = _("Choose an existing public body.")
        raise ApiError(422, "invalid", message, [{"field": "body", "message": message}])
    fields = payload.model_dump(exclude={"body"})
    for choice in ("access_form", "copy_format", "delivery"):
        fields[choice] = str(fields[choice])
    filed = _call(request_services.request_file, actor=request.user, body=body, **fields)
    return Status(201, _fresh(request, filed.pk))


@router.get(
    "/requests",
    response={200: list[RequestListOut], **ERRORS},
    summary="The requests the caller may see: their own, their body's (PPID), their region's (pembina)",
)
@paginate(BoundedPagination, page_size=25)
def request_list(request: HttpRequest, filters: Query[RequestFilters]) -> list[RequestListOut]:
    requests = requests_visible_to(request.user)
    if filters.state:
        requests = requests.filter(state=filters.state)
    if filters.body:
        requests = requests.filter(body__slug=filters.body)
    return [
        RequestListOut(**RequestListOut.fields_of(r, request))
        for r in requests.order_by("-submitted_at", "-id")[:LIST_MAX]
    ]


@router.get(
    "/requests/track/{code}",
    response={200: TrackingOut, 404: ErrorOut},
    auth=None,
    summary="Follow a request by its tracking code (public; no identity)",
)
def request_track(request: HttpRequest, code: str = Path(..., pattern=TRACKING_PATTERN)) -> TrackingOut:
    return TrackingOut.of(request_for_tracking(code))


@router.get(
    "/requests/{pk}",
    response={200: RequestDetailOut, **ERRORS},
    summary="One request (the identity only for the body's PPID and the requester)",
)
def request_detail_api(request: HttpRequest, pk: int = Path(..., ge=1, le=PK_MAX)) -> RequestDetailOut:
    return request_detail(_read(request, pk), request)


@router.get(
    "/requests/{pk}/receipt",
    response={200: None, **ERRORS},
    url_name="kip_request_receipt",
    summary="The receipt (PDF) of a registered request, for the requester and the body's PPID",
)
def request_receipt(request: HttpRequest, pk: int = Path(..., ge=1, le=PK_MAX)) -> HttpResponse:
    r = _read(request, pk)
    if not may_see_identity(r, request.user):
        raise ApiError(403, "forbidden", _("The receipt carries the requester's identity."))
    if not r.is_registered:
        raise ApiError(422, "not_registered", _("A receipt is issued when the request is registered."))
    response = HttpResponse(receipt_pdf(r), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{r.tracking_code}.pdf"'
    return response


@router.get(
    "/requests/{pk}/documents/{document_id}",
    response={200: None, **ERRORS},
    url_name="kip_request_document",
    summary="A response document (PDF) of the decision, for the requester and the body's PPID",
)
def request_document(
    request: HttpRequest,
    pk: int = Path(..., ge=1, le=PK_MAX),
    document_id: int = Path(..., ge=1, le=PK_MAX),
) -> FileResponse:
    r = _read(request, pk)
    if not may_see_identity(r, request.user):
        # Letters sent to the requester may name them: the same rule as the tracking page's link.
        raise ApiError(403, "forbidden", _("A response document may hold the requester's personal data."))
    document = ResponseDocument.objects.filter(decision__request=r, pk=document_id).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=f"{r.tracking_code}-{document.pk}.pdf", content_type="application/pdf"
    )


@router.post(
    "/requests/{pk}/register",
    response={200: RequestDetailOut, **ERRORS},
    summary="Register a submitted request (the body's PPID): its number, receipt and deadline",
)
def request_register(request: HttpRequest, pk: int = Path(..., ge=1, le=PK_MAX)) -> RequestDetailOut:
    _call(request_services.request_register, actor=request.user, request=_read(request, pk))
    return _fresh(request, pk)


@router.post(
    "/requests/{pk}/extend",
    response={200: RequestDetailOut, **ERRORS},
    summary="Extend the decision deadline once by 7 working days, with a written reason (the body's PPID)",
)
def request_extend(request: HttpRequest, payload: ExtendIn, pk: int = Path(..., ge=1, le=PK_MAX)) -> RequestDetailOut:
    _call(request_services.request_extend, actor=request.user, request=_read(request, pk), reason=payload.reason)
    return _fresh(request, pk)


@router.post(
    "/requests/{pk}/decision",
    response={200: RequestDetailOut, **ERRORS},
    summary="Decide a request (the body's PPID): multipart fields, response PDFs as `documents`",
)
def request_decide(
    request: HttpRequest,
    payload: Form[DecisionIn],
    pk: int = Path(..., ge=1, le=PK_MAX),
    documents: list[UploadedFile] | None = RESPONSE_DOCUMENTS,
) -> RequestDetailOut:
    """A refusal or partial grant needs the Pasal 17 ground and the consequence test; PDFs up to
    10 MB each, at most 10."""
    if "documents" in request.POST:
        message = _("Send the response documents as PDF files.")
        raise ApiError(422, "invalid", message, [{"field": "documents", "message": message}])
    _call(
        request_services.request_decide,
        actor=request.user,
        request=_read(request, pk),
        outcome=str(payload.outcome),
        exemption_ground=str(payload.exemption_ground or ""),
        consequence_test=payload.consequence_test,
        response_text=payload.response_text,
        cost=payload.cost,
        documents=documents or [],
    )
    return _fresh(request, pk)


@router.post(
    "/requests/{pk}/publish",
    response={201: EntryOut, **ERRORS},
    summary="Publish a granted response in the body's register, redacted of personal data (the body's PPID)",
)
def request_publish(request: HttpRequest, payload: PublishIn, pk: int = Path(..., ge=1, le=PK_MAX)) -> Status[EntryOut]:
    r = _read(request, pk)
    decision = getattr(r, "decision", None)
    if decision is None:
        raise ApiError(422, "not_decided", _("Only a decided request's response can be published."))
    entry = _call(register_publish_response, actor=request.user, decision=decision, title=payload.title)
    return Status(201, EntryOut.of(entry))


@router.post(
    "/requests/{pk}/objection",
    response={200: RequestDetailOut, **ERRORS},
    summary="File an objection (keberatan) within 30 working days (the requester)",
)
def objection_create(
    request: HttpRequest, payload: ObjectionIn, pk: int = Path(..., ge=1, le=PK_MAX)
) -> RequestDetailOut:
    _call(
        objection_services.objection_file,
        actor=request.user,
        request=_read(request, pk),
        grounds=[str(g) for g in payload.grounds],
        statement=payload.statement,
    )
    return _fresh(request, pk)


@router.post(
    "/requests/{pk}/objection/answer",
    response={200: RequestDetailOut, **ERRORS},
    summary="Answer the objection (the body's atasan PPID)",
)
def objection_answer(request: HttpRequest, payload: AnswerIn, pk: int = Path(..., ge=1, le=PK_MAX)) -> RequestDetailOut:
    objection = _objection(_read(request, pk))
    _call(objection_services.objection_answer, actor=request.user, objection=objection, answer=payload.answer)
    return _fresh(request, pk)


@router.post(
    "/requests/{pk}/dispute",
    response={200: RequestDetailOut, **ERRORS},
    summary="Record a dispute filed with the Komisi Informasi (the requester or the body's PPID)",
)
def dispute_create(request: HttpRequest, payload: DisputeIn, pk: int = Path(..., ge=1, le=PK_MAX)) -> RequestDetailOut:
    objection = _objection(_read(request, pk))
    _call(
        objection_services.dispute_record,
        actor=request.user,
        objection=objection,
        commission=payload.commission,
        reference_number=payload.reference_number,
        filed_at=payload.filed_at,
    )
    return _fresh(request, pk)


@router.post(
    "/requests/{pk}/dispute/outcome",
    response={200: RequestDetailOut, **ERRORS},
    summary="Record the Komisi Informasi's outcome (the requester or the body's PPID)",
)
def dispute_outcome(
    request: HttpRequest, payload: DisputeOutcomeIn, pk: int = Path(..., ge=1, le=PK_MAX)
) -> RequestDetailOut:
    dispute = _dispute(_read(request, pk))
    _call(
        objection_services.dispute_outcome,
        actor=request.user,
        dispute=dispute,
        outcome=str(payload.outcome),
        reference_number=payload.reference_number,
        notes=payload.notes,
        outcome_at=payload.outcome_at,
    )
    return _fresh(request, pk)
