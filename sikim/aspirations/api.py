"""The aspirations API under /api/v1/aspirations/: intake, public tracking, the officials' desk,
state changes, rating, support and the dashboards.

- `POST /aspirations` takes an aspiration from a logged-in citizen, or from anyone who leaves a
  phone number or email (photos only through the web form).
- `GET /aspirations/track/{code}` is public: what the tracking page shows.
- The desk (`GET /aspirations`, `GET /aspirations/{code}`) lists what the caller may see through
  `selectors.access`; anything else is 404. Who wrote a case follows
  `selectors.identity`: a confidential author is never named to the office or the pembina.
- `POST /aspirations/{code}/transitions` calls the workflow services: a move the state does not
  allow is 422 with the reason, a move the caller may not make is 403.
- `POST /aspirations/{code}/abuse-reports` reports a public text as abusive (logged in, or with a
  `device_key` the app keeps); `GET /aspirations/moderation` and
  `POST /aspirations/{code}/moderation` are the moderation queue and its actions.
- Anonymous submissions and reports are limited per client address and hour (429).
"""

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import APIKeyCookie
from pydantic import field_validator

from sikim.accounts.api_auth import ApiTokenAuth
from sikim.aspirations.masking import mask_personal_data
from sikim.aspirations.models import (
    NOTE_MAX_LENGTH,
    REPORT_NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AbuseReason,
    Aspiration,
    AspirationEvent,
    AspirationState,
    Category,
    IntakeChannel,
    RejectReason,
    Visibility,
)
from sikim.aspirations.selectors.access import (
    aspiration_for,
    aspiration_for_tracking,
    aspiration_timeline,
    aspirations_visible_to,
    public_text,
    public_title,
)
from sikim.aspirations.selectors.dashboards import (
    Dashboard,
    dashboard_office_for,
    dashboard_region_for,
    office_dashboard,
    region_dashboard,
)
from sikim.aspirations.selectors.deadlines import is_overdue
from sikim.aspirations.selectors.identity import author_contact, author_display
from sikim.aspirations.selectors.moderation import (
    QUEUE_MAX,
    aspiration_for_moderator,
    aspirations_moderated_by,
    is_moderator,
)
from sikim.aspirations.selectors.pages import text_for
from sikim.aspirations.services import workflow
from sikim.aspirations.services.moderation import (
    abuse_report_submit,
    abuse_reports_dismiss,
    aspiration_hide,
    aspiration_support,
    aspiration_unhide,
)
from sikim.aspirations.services.notifications import citizen_link, tracking_url
from sikim.aspirations.services.submission import aspiration_submit
from sikim.core.api_errors import ApiError
from sikim.core.api_pagination import BoundedPagination
from sikim.core.api_schemas import JsonObject
from sikim.core.intake_limit import anonymous_limit_reached
from sikim.kim.models import Kim
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import subtree_q

router = Router()

CODE_PATTERN = r"^[A-Za-z0-9-]{1,20}$"
REGION_CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
VILLAGE_CODE_PATTERN = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,200}$"
LIST_MAX = 5000


class _Anonymous:
    """The caller of an operation open to everyone, without an account (truthy for Ninja)."""

    def __bool__(self) -> bool:
        return True


class SessionOrAnonymous(APIKeyCookie):
    """The browser session (with its CSRF check for writes), or nobody at all.

    A request that sends an `Authorization` header the token check refused stays refused (401):
    a wrong token must not quietly turn into an anonymous submission.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        if request.user.is_authenticated:
            return super().__call__(request)
        if "Authorization" in request.headers:
            return None
        return _Anonymous()

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


OPTIONAL_AUTH = [ApiTokenAuth(), SessionOrAnonymous()]


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
LIMITED_ERRORS = {**ERRORS, 429: ErrorOut}


def _limit_anonymous(request: HttpRequest, scope: str) -> None:
    """429 when this address sent too many anonymous submissions this hour (nothing is created)."""
    if anonymous_limit_reached(request, scope=scope, per_hour=settings.SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR):
        raise ApiError(
            429,
            "too_many_requests",
            _("Too many submissions from your connection in the last hour. Please try again later, or log in."),
        )


def _service_error(error: ValidationError) -> ApiError:
    """A service's ValidationError as a 422 whose message says what is wrong."""
    if hasattr(error, "error_dict"):
        details = [{"field": f, "message": str(m)} for f, messages in error.message_dict.items() for m in messages]
    else:
        details = [{"field": "", "message": str(m)} for m in error.messages]
    code = "illegal_transition" if getattr(error, "code", None) == "illegal_transition" else "invalid"
    message = " ".join(d["message"] for d in details) or "Invalid."
    return ApiError(422, code, message, details)


# --- schemas -------------------------------------------------------------------------------------
class AspirationIn(JsonObject):
    region: str = Field(pattern=VILLAGE_CODE_PATTERN, description="The desa/kelurahan code, e.g. 63.72.05.1004.")
    category: Category
    text: str = Field(min_length=1, max_length=TEXT_MAX_LENGTH)
    title: str = Field("", max_length=TITLE_MAX_LENGTH, description="Empty: taken from the text's first line.")
    visibility: Visibility = Visibility.PUBLIC
    kim: str | None = Field(None, pattern=SLUG_PATTERN, description="The verifying KIM's slug; default: the nearest.")
    contact_name: str = Field("", max_length=150)
    contact_phone: str = Field("", max_length=40, description="Needed without an account (or an email).")
    contact_email: str = Field("", max_length=254)
    latitude: float | None = Field(None, ge=-11.5, le=6.5)
    longitude: float | None = Field(None, ge=94.5, le=141.5)
    on_behalf: bool = Field(False, description="A KIM pengurus files for the citizen named in contact_name.")


class SubmittedOut(Schema):
    code: str
    state: str
    verify_due: datetime
    tracking_url: str
    author_url: str = Field(
        "",
        description="Without an account: the secret link to confirm, rate, reopen and correct. "
        "Returned only here, once; keep it private. Empty for a logged-in author.",
    )


class EventOut(Schema):
    kind: str
    label: str
    from_state: str
    to_state: str
    office: str = Field(description="The office acting, if any (officials are not named).")
    note: str
    created_at: datetime


def _events(events: list[AspirationEvent], *, public: bool) -> list[EventOut]:
    return [
        EventOut(
            kind=e.kind,
            label=str(e.get_kind_display()),
            from_state=e.from_state,
            to_state=e.to_state,
            office=e.office.display_name if e.office is not None else "",
            note=mask_personal_data(e.note) if public else e.note,
            created_at=e.created_at,
        )
        for e in events
    ]


class TrackingOut(Schema):
    code: str
    title: str
    text: str = Field(description="Masked; empty for a confidential or hidden aspiration.")
    category: str
    state: str
    state_label: str
    region_code: str
    village: str
    office: str
    author: str
    submitted_at: datetime
    answer: str
    answered_at: datetime | None
    rating: int | None
    support_count: int
    timeline: list[EventOut]


class AspirationListOut(Schema):
    code: str
    title: str
    category: str
    state: str
    visibility: str
    region_code: str
    village: str
    kim: str
    office: str | None
    submitted_at: datetime
    verify_due: datetime
    followup_due: datetime | None
    overdue: bool

    @staticmethod
    def of(a: Aspiration) -> "AspirationListOut":
        return AspirationListOut(
            code=a.code,
            title=a.title,
            category=a.category,
            state=a.state,
            visibility=a.visibility,
            region_code=a.region_id,
            village=a.region.name,
            kim=a.kim.slug,
            office=a.office.slug if a.office is not None else None,
            submitted_at=a.submitted_at,
            verify_due=a.verify_due,
            followup_due=a.followup_due,
            overdue=is_overdue(a),
        )


class ContactOut(Schema):
    name: str
    phone: str
    email: str


class AspirationDetailOut(AspirationListOut):
    text: str
    author: str = Field(description="The author's name as the caller may see it, or a neutral label.")
    contact: ContactOut | None = Field(description="Only for those who may follow up with the citizen.")
    reject_reason: str
    answer: str
    answered_at: datetime | None
    autoclose_at: datetime | None
    rating: int | None
    rating_comment: str
    reopened_count: int
    is_hidden: bool
    support_count: int
    corrections: list[str]
    timeline: list[EventOut]


def _detail(a: Aspiration, request: HttpRequest) -> AspirationDetailOut:
    contact = author_contact(a, request.user)
    return AspirationDetailOut(
        **AspirationListOut.of(a).model_dump(),
        text=a.text,
        author=author_display(a, request.user),
        contact=ContactOut(name=contact.name, phone=contact.phone, email=contact.email) if contact else None,
        reject_reason=a.reject_reason,
        answer=a.answer,
        answered_at=a.answered_at,
        autoclose_at=a.autoclose_at,
        rating=a.rating,
        rating_comment=a.rating_comment,
        reopened_count=a.reopened_count,
        is_hidden=a.is_hidden,
        support_count=a.support_count,
        corrections=[c.text for c in a.corrections.all()],
        timeline=_events(list(aspiration_timeline(a, request.user)), public=False),
    )


class DeskFilters(Schema):
    state: AspirationState | None = None
    category: Category | None = None
    region: str | None = Field(None, pattern=REGION_CODE_PATTERN, description="A region code: cases in it and below.")
    office: str | None = Field(None, pattern=SLUG_PATTERN, description="An office's slug.")


class TransitionIn(JsonObject):
    action: Literal["verify", "reject", "forward", "follow_up", "answer", "not_competent", "confirm", "reopen"]
    note: str = Field("", max_length=NOTE_MAX_LENGTH, description="The note, follow-up, answer or reason.")
    answer: str = Field("", max_length=NOTE_MAX_LENGTH, description="For answer (or use note).")
    reason: str = Field(
        "", max_length=NOTE_MAX_LENGTH, description="reject: spam, duplikat, di_luar_kewenangan, lainnya; reopen: why."
    )
    office: str | None = Field(
        None, pattern=SLUG_PATTERN, description="forward: the office's slug; default: the rules."
    )


class RatingIn(JsonObject):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=500)

    @field_validator("rating", mode="before")
    @classmethod
    def _no_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("must be a number from 1 to 5")
        return value


class SupportOut(Schema):
    supported: bool = Field(description="False when the caller already supported it.")
    support_count: int


class AbuseReportIn(JsonObject):
    reason: AbuseReason
    note: str = Field("", max_length=REPORT_NOTE_MAX_LENGTH)
    correction_id: int | None = Field(None, ge=1, description="The reported correction, if not the text itself.")
    device_key: str = Field(
        "",
        pattern=r"^[A-Za-z0-9_-]{0,64}$",
        description="Without an account: a random key of at least 16 characters the app keeps (stored hashed).",
    )


class AbuseReportOut(Schema):
    received: bool = Field(description="False when the caller's earlier report is still open.")


class ReportOut(Schema):
    reason: str
    note: str
    correction_id: int | None
    created_at: datetime


class ModerationItemOut(Schema):
    code: str
    title: str
    text: str = Field(description="Masked unless the moderator may know who wrote it.")
    state: str
    region_code: str
    is_hidden: bool
    hidden_reason: str
    open_reports: list[ReportOut]


class ModerationIn(JsonObject):
    action: Literal["hide", "unhide", "dismiss"]
    reason: str = Field("", max_length=300, description="hide: why (kept in the internal timeline).")


def _moderation_item(a: Aspiration, request: HttpRequest) -> ModerationItemOut:
    user = request.user
    reports = [r for r in a.abuse_reports.all() if r.resolved_at is None]
    return ModerationItemOut(
        code=a.code,
        title=text_for(a, user, a.title),
        text=text_for(a, user, a.text),
        state=a.state,
        region_code=a.region_id,
        is_hidden=a.is_hidden,
        hidden_reason=a.hidden_reason,
        open_reports=[
            ReportOut(reason=r.reason, note=r.note, correction_id=r.correction_id, created_at=r.created_at)
            for r in reports
        ],
    )


class StateCountOut(Schema):
    state: str
    label: str
    count: int


class RegionRowOut(Schema):
    code: str
    name: str
    total: int
    overdue: int
    answered: int


class OverdueOut(Schema):
    code: str
    title: str
    category: str
    state: str
    region_code: str
    village: str
    office: str
    due: datetime | None


class DashboardOut(Schema):
    scope: str
    key: str
    name: str
    total: int
    by_state: list[StateCountOut]
    overdue_count: int
    answered_count: int
    median_hours_to_answer: float | None = Field(description="Calendar hours from submission to the answer.")
    on_time_rate: float | None = Field(description="Share (0–1) of answered cases answered by the office deadline.")
    regions: list[RegionRowOut] = Field(description="Per child region (region dashboards).")
    overdue: list[OverdueOut] = Field(description="The longest overdue first (at most 100).")

    @staticmethod
    def of(d: Dashboard) -> "DashboardOut":
        return DashboardOut(
            scope=d.scope,
            key=d.key,
            name=d.name,
            total=d.total,
            by_state=[StateCountOut(state=s.state, label=s.label, count=s.count) for s in d.by_state],
            overdue_count=d.overdue_count,
            answered_count=d.answered_count,
            median_hours_to_answer=d.median_hours_to_answer,
            on_time_rate=d.on_time_rate,
            regions=[
                RegionRowOut(code=r.code, name=r.name, total=r.total, overdue=r.overdue, answered=r.answered)
                for r in d.regions
            ],
            overdue=[
                OverdueOut(
                    code=o.code,
                    title=o.title,
                    category=o.category,
                    state=o.state,
                    region_code=o.region_code,
                    village=o.village,
                    office=o.office,
                    due=o.due,
                )
                for o in d.overdue
            ],
        )


# --- operations ------------------------------------------------------------------------------------
@router.post(
    "",
    response={201: SubmittedOut, **LIMITED_ERRORS},
    auth=OPTIONAL_AUTH,
    summary="Submit an aspiration (logged in, or anonymous with a phone number or email)",
)
def aspiration_create(request: HttpRequest, payload: AspirationIn) -> Status[SubmittedOut]:
    _limit_anonymous(request, "aspiration")
    kim = None
    if payload.kim:
        kim = Kim.objects.filter(slug=payload.kim).first()
        if kim is None:
            raise ApiError(422, "invalid", "Unknown KIM.", [{"field": "kim", "message": "Unknown KIM."}])
    actor = request.user if request.user.is_authenticated else AnonymousUser()
    try:
        aspiration = aspiration_submit(
            actor=actor,
            region=payload.region,
            category=str(payload.category),
            text=payload.text,
            title=payload.title,
            visibility=str(payload.visibility),
            kim=kim,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            contact_email=payload.contact_email,
            latitude=payload.latitude,
            longitude=payload.longitude,
            channel=IntakeChannel.API if not payload.on_behalf else IntakeChannel.OFFLINE,
            on_behalf=payload.on_behalf,
        )
    except ValidationError as error:
        raise _service_error(error) from None
    return Status(
        201,
        SubmittedOut(
            code=aspiration.code,
            state=aspiration.state,
            verify_due=aspiration.verify_due,
            tracking_url=tracking_url(aspiration.code),
            author_url=citizen_link(aspiration) if aspiration.author_id is None else "",
        ),
    )


@router.get(
    "/track/{code}",
    response={200: TrackingOut, 404: ErrorOut},
    auth=None,
    summary="Follow an aspiration by its ticket code (public)",
)
def aspiration_track(request: HttpRequest, code: str = Path(..., pattern=CODE_PATTERN)) -> TrackingOut:
    """The timeline's public events, the official answer and the masked text; the author as the
    public may see them."""
    a = aspiration_for_tracking(code)
    public = AnonymousUser()
    return TrackingOut(
        code=a.code,
        title=public_title(a),
        text=public_text(a),
        category=a.category,
        state=a.state,
        state_label=str(a.get_state_display()),
        region_code=a.region_id,
        village=a.region.name,
        office=a.office.display_name if a.office is not None else "",
        author=author_display(a, public),
        submitted_at=a.submitted_at,
        answer=a.answer,
        answered_at=a.answered_at,
        rating=a.rating,
        support_count=a.support_count,
        timeline=_events(list(aspiration_timeline(a, public)), public=True),
    )


@router.get(
    "",
    response={200: list[AspirationListOut], **ERRORS},
    summary="The caller's desk: aspirations they may see (paginated)",
)
@paginate(BoundedPagination, page_size=25)
def aspiration_list(request: HttpRequest, filters: Query[DeskFilters]) -> list[AspirationListOut]:
    aspirations = aspirations_visible_to(request.user)
    if filters.state:
        aspirations = aspirations.filter(state=filters.state)
    if filters.category:
        aspirations = aspirations.filter(category=filters.category)
    if filters.region:
        aspirations = aspirations.filter(subtree_q("region_id", filters.region))
    if filters.office:
        aspirations = aspirations.filter(office__slug=filters.office)
    return [AspirationListOut.of(a) for a in aspirations.order_by("-submitted_at", "-id")[:LIST_MAX]]


@router.get(
    "/dashboard/offices/{slug}",
    response={200: DashboardOut, **ERRORS},
    summary="An office's dashboard: counts by state, time to answer, on-time rate, overdue cases",
)
def dashboard_office(request: HttpRequest, slug: str = Path(..., pattern=SLUG_PATTERN)) -> DashboardOut:
    return DashboardOut.of(office_dashboard(dashboard_office_for(request.user, slug)))


@router.get(
    "/dashboard/regions/{code}",
    response={200: DashboardOut, **ERRORS},
    summary="A region's dashboard, with a row per region one level down",
)
def dashboard_region(request: HttpRequest, code: str = Path(..., pattern=REGION_CODE_PATTERN)) -> DashboardOut:
    return DashboardOut.of(region_dashboard(dashboard_region_for(request.user, code)))


@router.get(
    "/moderation",
    response={200: list[ModerationItemOut], **ERRORS},
    summary="The moderation queue: aspirations with open abuse reports, and hidden ones",
)
def moderation_queue(request: HttpRequest, hidden: bool = False) -> list[ModerationItemOut]:
    """`hidden=false` (default): open reports, the most reported first; `hidden=true`: hidden texts."""
    if not is_moderator(request.user):
        raise ApiError(403, "forbidden", _("Only moderators see the moderation queue."))
    aspirations = aspirations_moderated_by(request.user).prefetch_related("abuse_reports")
    if hidden:
        aspirations = aspirations.filter(is_hidden=True).order_by("-updated_at", "-id")
    else:
        aspirations = aspirations.filter(abuse_reports__resolved_at__isnull=True).order_by("submitted_at", "id")
    return [_moderation_item(a, request) for a in aspirations[:QUEUE_MAX]]


@router.get(
    "/{code}",
    response={200: AspirationDetailOut, **ERRORS},
    summary="One aspiration on the desk (the author as the caller may see them)",
)
def aspiration_detail(request: HttpRequest, code: str = Path(..., pattern=CODE_PATTERN)) -> AspirationDetailOut:
    return _detail(aspiration_for(request.user, code), request)


def _office_by_slug(slug: str | None) -> GovernmentOffice | None:
    if not slug:
        return None
    office = GovernmentOffice.objects.filter(slug=slug).first()
    if office is None:
        raise ApiError(422, "invalid", "Unknown office.", [{"field": "office", "message": "Unknown office."}])
    return office


def _transition(request: HttpRequest, a: Aspiration, payload: TransitionIn) -> Aspiration:
    actor = request.user
    action = payload.action
    if action == "verify":
        return workflow.aspiration_verify(actor=actor, aspiration=a, note=payload.note)
    if action == "reject":
        reason = payload.reason if payload.reason in RejectReason.values else ""
        return workflow.aspiration_reject(actor=actor, aspiration=a, reason=reason, note=payload.note)
    if action == "forward":
        return workflow.aspiration_forward(
            actor=actor, aspiration=a, office=_office_by_slug(payload.office), note=payload.note
        )
    if action == "follow_up":
        return workflow.aspiration_follow_up(actor=actor, aspiration=a, note=payload.note)
    if action == "answer":
        return workflow.aspiration_answer(actor=actor, aspiration=a, answer=payload.answer or payload.note)
    if action == "not_competent":
        return workflow.aspiration_not_our_remit(actor=actor, aspiration=a, note=payload.note)
    if action == "confirm":
        return workflow.aspiration_confirm(actor=actor, aspiration=a)
    return workflow.aspiration_reopen(actor=actor, aspiration=a, reason=payload.reason or payload.note)


@router.post(
    "/{code}/transitions",
    response={200: AspirationDetailOut, **ERRORS},
    summary="Move an aspiration: verify, reject, forward, follow_up, answer, not_competent, confirm, reopen",
)
def aspiration_transition(
    request: HttpRequest, payload: TransitionIn, code: str = Path(..., pattern=CODE_PATTERN)
) -> AspirationDetailOut:
    """422 when the state does not allow the move (the message says the state now), 403 when the
    caller may not make it, 404 for a case the caller may not see."""
    a = aspiration_for(request.user, code)
    try:
        a = _transition(request, a, payload)
    except ValidationError as error:
        raise _service_error(error) from None
    # Re-read with its relations; an office that handed the case on still gets this one answer.
    return _detail(Aspiration.objects.select_related("region", "kim", "office", "author").get(pk=a.pk), request)


@router.post(
    "/{code}/rating",
    response={200: AspirationDetailOut, **ERRORS},
    summary="The author rates the answer (1–5, once)",
)
def aspiration_rating(
    request: HttpRequest, payload: RatingIn, code: str = Path(..., pattern=CODE_PATTERN)
) -> AspirationDetailOut:
    a = aspiration_for(request.user, code)
    try:
        a = workflow.aspiration_rate(actor=request.user, aspiration=a, rating=payload.rating, comment=payload.comment)
    except ValidationError as error:
        raise _service_error(error) from None
    return _detail(a, request)


@router.post(
    "/{code}/support",
    response={200: SupportOut, **ERRORS},
    summary='Support ("dukung") a public aspiration, once per account',
)
def aspiration_support_api(request: HttpRequest, code: str = Path(..., pattern=CODE_PATTERN)) -> SupportOut:
    a = aspiration_for_tracking(code)
    if not a.is_public:
        raise Http404
    try:
        added = aspiration_support(actor=request.user, aspiration=a)
    except ValidationError as error:
        raise _service_error(error) from None
    return SupportOut(supported=added, support_count=a.support_count)


@router.post(
    "/{code}/abuse-reports",
    response={201: AbuseReportOut, 200: AbuseReportOut, **LIMITED_ERRORS},
    auth=OPTIONAL_AUTH,
    summary="Report a public text as abusive (logged in, or with a device key)",
)
def abuse_report_create(
    request: HttpRequest, payload: AbuseReportIn, code: str = Path(..., pattern=CODE_PATTERN)
) -> Status[AbuseReportOut]:
    """404 for a text the public cannot read; 201 for a new report, 200 when the caller's report is open."""
    a = aspiration_for_tracking(code)
    if a.is_hidden or a.visibility == Visibility.CONFIDENTIAL:
        raise Http404
    signed_in = request.user.is_authenticated
    if not signed_in and len(payload.device_key) < 16:
        raise ApiError(
            422,
            "invalid",
            _("Without an account, send a device_key of at least 16 characters."),
            [{"field": "device_key", "message": _("At least 16 characters.")}],
        )
    _limit_anonymous(request, "aspiration-report")
    try:
        _report, created = abuse_report_submit(
            actor=request.user if signed_in else AnonymousUser(),
            aspiration=a,
            reason=str(payload.reason),
            note=payload.note,
            reporter_key=payload.device_key,
            correction_id=payload.correction_id,
        )
    except ValidationError as error:
        raise _service_error(error) from None
    return Status(201 if created else 200, AbuseReportOut(received=created))


@router.post(
    "/{code}/moderation",
    response={200: ModerationItemOut, **ERRORS},
    summary="Moderate: hide the text, show it again, or dismiss the open reports",
)
def moderation_action(
    request: HttpRequest, payload: ModerationIn, code: str = Path(..., pattern=CODE_PATTERN)
) -> ModerationItemOut:
    """404 for an aspiration the caller does not moderate; 422 for a hide without a reason."""
    user = request.user
    a = aspiration_for_moderator(user, code)
    try:
        if payload.action == "hide":
            aspiration_hide(actor=user, aspiration=a, reason=payload.reason)
        elif payload.action == "unhide":
            aspiration_unhide(actor=user, aspiration=a)
        else:
            abuse_reports_dismiss(actor=user, aspiration=a)
    except ValidationError as error:
        raise _service_error(error) from None
    return _moderation_item(aspiration_for_moderator(user, code), request)
