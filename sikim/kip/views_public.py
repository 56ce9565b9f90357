"""The requester's pages: choosing a public body, filing a request, the receipt, the public
tracking page with every statutory date, the objection, and "my requests".

Thin views: decorators → form → service → redirect. The tracking page needs no login and never
shows who asked except masked (`selectors.identity`); the requester (their account, or the KIM
pengurus who filed for them) and the body's PPID see the full request. The receipt PDF carries
the requester's name, so only they, the PPID, or the browser session that just filed it may
download it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.core.intake_limit import anonymous_limit_reached
from sikim.kim.forms_manage import apply_service_errors
from sikim.kip import deadlines
from sikim.kip.forms_public import BodySearchForm, ObjectionForm, RequestForm, TrackLookupForm
from sikim.kip.models import (
    Decision,
    ExemptionGround,
    InformationRequest,
    KiDispute,
    Objection,
    ObjectionGround,
    RegisterEntry,
    RequestState,
    ResponseDocument,
)
from sikim.kip.permissions import KipAction
from sikim.kip.receipt import receipt_pdf as render_receipt_pdf
from sikim.kip.selectors.access import is_own, is_ppid_of, normalise_tracking_code, request_for_tracking
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.selectors.deadlines import TimeState, time_state
from sikim.kip.selectors.identity import may_see_identity, requester_display, requester_identity
from sikim.kip.services.objections import objection_file, objection_window
from sikim.kip.services.register import redact
from sikim.kip.services.requests import request_file
from sikim.offices.models import GovernmentOffice
from sikim.offices.selectors import SLUG_MAX_LENGTH, offices_in

PAGE_SIZE: Final = 20
SESSION_FILED: Final = "kip_filed_codes"
SESSION_FILED_MAX: Final = 20
SERVICE_FIELD_MAP: Final = {"body": "badan"}
LATE_STATES: Final = {TimeState.OVERDUE, TimeState.LONG_OVERDUE, TimeState.DECIDED_LATE}


def optional_url(name: str, **kwargs: Any) -> str:
    """The URL of a page another part of SIKIM may or may not provide (e.g. the registers)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _active_bodies() -> QuerySet[GovernmentOffice]:
    return GovernmentOffice.objects.filter(is_active=True).select_related("region").order_by("name", "pk")


def _bodies_matching(text: str, region_code: str) -> QuerySet[GovernmentOffice]:
    bodies = offices_in(region_code).order_by("name", "pk") if region_code else _active_bodies()
    if text:
        bodies = bodies.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    return bodies


def _active_body(slug: str) -> GovernmentOffice:
    body = _active_bodies().filter(slug=slug[:SLUG_MAX_LENGTH]).first()
    if body is None:
        raise Http404
    return body


# --- The landing page -------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/informasi/: how a request works, the law's clock, and a public body chooser by region."""
    form = BodySearchForm(request.GET or None)
    text, region = form.filters()
    page = Paginator(_bodies_matching(text, region), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kip/public/index.html",
        {
            "form": form,
            "page": page,
            "rows": [
                {"body": body, "register_url": optional_url("kip:register_body", slug=body.slug)}
                for body in page.object_list
            ],
            "query": query.urlencode(),
            "register_index_url": optional_url("kip:register_index"),
            "days": _law_days(),
        },
    )


def _law_days() -> dict[str, int]:
    return {
        "decision": deadlines.DECISION_DAYS,
        "extension": deadlines.EXTENSION_DAYS,
        "objection": deadlines.OBJECTION_WINDOW_DAYS,
        "answer": deadlines.OBJECTION_ANSWER_DAYS,
        "dispute": deadlines.DISPUTE_WINDOW_DAYS,
    }


# --- Filing ----------------------------------------------------------------------------------


def may_file_for_citizen(user: AnyUser) -> bool:
    return bool(user.is_authenticated and authz.can(user, KipAction.FILE_FOR_CITIZEN))


def _own_initial(user: AnyUser) -> dict[str, str]:
    if not user.is_authenticated:
        return {}
    return {
        "requester_name": getattr(user, "full_name", "") or "",
        "requester_phone": getattr(user, "phone", "") or "",
        "requester_email": getattr(user, "email", "") or "",
    }


def _remember_filed(request: HttpRequest, code: str) -> None:
    codes = [c for c in request.session.get(SESSION_FILED, []) if c != code]
    request.session[SESSION_FILED] = [*codes, code][-SESSION_FILED_MAX:]


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """/informasi/minta/ (?badan=<slug>; ?untuk=warga for a KIM pengurus filing for a citizen)."""
    user = request.user
    slug = request.GET.get("badan", "")
    body = _active_body(slug) if slug else None
    on_behalf = request.GET.get("untuk") == "warga"
    if on_behalf and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if on_behalf and not may_file_for_citizen(user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = RequestForm(
        request.POST if posted else None,
        body=body,
        bodies=[] if body is not None else list(_active_bodies()),
        on_behalf=on_behalf,
        initial=None if on_behalf else _own_initial(user),
    )
    status = 200
    limited = False
    if posted:
        if form.is_bot:
            return redirect("kip:index")
        if form.is_valid():
            chosen = body or _active_bodies().filter(slug=form.cleaned_data["badan"]).first()
            if anonymous_limit_reached(request, scope="kip", per_hour=settings.SIKIM_KIP_ANONYMOUS_PER_HOUR):
                limited = True
            else:
                try:
                    filed = request_file(
                        actor=user if user.is_authenticated else None,
                        body=chosen,
                        on_behalf=on_behalf,
                        **form.service_fields(),
                    )
                except ValidationError as error:
                    apply_service_errors(form, error, SERVICE_FIELD_MAP)
                else:
                    _remember_filed(request, filed.tracking_code)
                    return redirect("kip:filed", code=filed.tracking_code)
        status = 429 if limited else 400
    return render(
        request,
        "kip/public/request_form.html",
        {
            "form": form,
            "body": body,
            "on_behalf": on_behalf,
            "may_file_for_citizen": may_file_for_citizen(user) and not on_behalf,
            "limited": limited,
            "show_errors": posted and not limited,
        },
        status=status,
    )


def may_download_receipt(request: HttpRequest, filed: InformationRequest) -> bool:
    """The requester (account or the pengurus who filed), the body's PPID, or the session that filed it."""
    if may_see_identity(filed, request.user):
        return True
    return filed.tracking_code in request.session.get(SESSION_FILED, [])


@require_GET
def filed(request: HttpRequest, code: str) -> HttpResponse:
    """/informasi/lacak/<code>/terdaftar/: the registration number, the deadline and the receipt."""
    found = request_for_tracking(code)
    return render(
        request,
        "kip/public/filed.html",
        {
            "req": found,
            "may_download": may_download_receipt(request, found),
            "track_url": request.build_absolute_uri(reverse("kip:track", kwargs={"code": found.tracking_code})),
            "days": _law_days(),
        },
    )


@require_GET
def receipt_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt PDF (it names the requester: for them and the body's PPID only)."""
    found = request_for_tracking(code)
    if not may_download_receipt(request, found):
        raise PermissionDenied
    if not found.is_registered:
        raise Http404
    response = HttpResponse(render_receipt_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{found.registration_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Tracking ----------------------------------------------------------------------------------


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """/informasi/lacak/: find a request by its tracking code."""
    form = TrackLookupForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        code = normalise_tracking_code(form.cleaned_data["kode"])
        if code and InformationRequest.objects.filter(tracking_code=code).exists():
            return redirect("kip:track", code=code)
        form.add_error("kode", _("No request has this tracking code. Check the code on your receipt or message."))
        status = 404
    elif form.is_bound:
        status = 400
    return render(request, "kip/public/track_lookup.html", {"form": form}, status=status)


@dataclass(frozen=True)
class Step:
    """One line of the timeline: something that happened, or a date the law sets."""

    key: str
    when: datetime
    label: str
    note: str = ""
    deadline: bool = False
    passed: bool = False


def _grounds_text(letters: list[str]) -> str:
    labels = dict(ObjectionGround.choices)
    return "; ".join(str(labels.get(letter, letter)) for letter in letters)


def _decision_note(decision: Decision, full: bool, names: tuple[str, ...]) -> str:
    parts = [str(decision.get_outcome_display())]
    if decision.exemption_ground:
        parts.append(
            _("Exemption ground (Pasal 17): %(ground)s")
            % {"ground": dict(ExemptionGround.choices).get(decision.exemption_ground, "")}
        )
    if decision.consequence_test:
        test = decision.consequence_test if full else redact(decision.consequence_test, names=names)
        parts.append(_("Consequence test: %(text)s") % {"text": test})
    if decision.cost:
        parts.append(_("Cost of copies: Rp %(cost)s") % {"cost": f"{decision.cost:,}".replace(",", ".")})
    return "\n".join(parts)


def _steps(found: InformationRequest, now: datetime, *, full: bool) -> list[Step]:  # noqa: C901 - one line per date
    calendar = kip_calendar()
    names = (found.requester_name,)
    steps = [Step("submitted", found.submitted_at, _("Request submitted"))]
    if found.received_at is not None and found.decision_due is not None:
        steps.append(
            Step(
                "received",
                found.received_at,
                _("Received and registered as %(number)s") % {"number": found.registration_number},
            )
        )
        steps.append(
            Step(
                "decision_due",
                found.decision_due,
                _("Decision due (%(days)s working days)") % {"days": deadlines.DECISION_DAYS},
                deadline=True,
            )
        )
    if found.extended and found.extended_at is not None and found.extended_due is not None:
        steps.append(Step("extended", found.extended_at, _("Deadline extended"), note=found.extension_reason))
        steps.append(
            Step(
                "extended_due",
                found.extended_due,
                _("Extended decision due (%(days)s more working days)") % {"days": deadlines.EXTENSION_DAYS},
                deadline=True,
            )
        )
    decision: Decision | None = getattr(found, "decision", None) if _has(found, "decision") else None
    objection: Objection | None = getattr(found, "objection", None) if _has(found, "objection") else None
    if decision is not None:
        steps.append(Step("decided", decision.decided_at, _("Decision"), note=_decision_note(decision, full, names)))
    window: datetime | None = None
    if objection is not None:
        window = objection.window_closes
    elif decision is not None:
        window = deadlines.objection_window_after_decision(calendar, decision.decided_at)
    elif found.due_at is not None and now > found.due_at:
        window = deadlines.objection_window_after_deadline(calendar, found.due_at)
    if window is not None:
        steps.append(
            Step(
                "objection_window",
                window,
                _("Last day to file an objection (%(days)s working days)") % {"days": deadlines.OBJECTION_WINDOW_DAYS},
                deadline=True,
            )
        )
    if objection is not None:
        statement = objection.statement if full else redact(objection.statement, names=names)
        steps.append(
            Step(
                "objection",
                objection.filed_at,
                _("Objection filed with the atasan PPID"),
                note=f"{_grounds_text(objection.ground_list)}\n{statement}",
            )
        )
        steps.append(
            Step(
                "objection_answer_due",
                objection.answer_due,
                _("Answer to the objection due (%(days)s working days)") % {"days": deadlines.OBJECTION_ANSWER_DAYS},
                deadline=True,
            )
        )
        if objection.answered_at is not None:
            answer = objection.answer if full else redact(objection.answer, names=names)
            steps.append(Step("objection_answered", objection.answered_at, _("The atasan PPID answered"), note=answer))
        dispute: KiDispute | None = getattr(objection, "dispute", None) if _has(objection, "dispute") else None
        dispute_window: datetime | None = None
        if dispute is not None:
            dispute_window = dispute.window_closes
        elif objection.answered_at is not None:
            dispute_window = deadlines.dispute_window_after_answer(calendar, objection.answered_at)
        elif now > objection.answer_due:
            dispute_window = deadlines.dispute_window_after_deadline(calendar, objection.answer_due)
        if dispute_window is not None:
            steps.append(
                Step(
                    "dispute_window",
                    dispute_window,
                    _("Last day to take it to the Information Commission (%(days)s working days)")
                    % {"days": deadlines.DISPUTE_WINDOW_DAYS},
                    deadline=True,
                )
            )
        if dispute is not None:
            note = dispute.commission
            if dispute.reference_number:
                note += f" · {dispute.reference_number}"
            note += f" · {dispute.get_outcome_display()}"
            steps.append(Step("dispute", dispute.filed_at, _("Dispute filed with the Information Commission"), note))
    steps.sort(key=lambda step: step.when)
    return [Step(s.key, s.when, s.label, s.note, s.deadline, passed=s.when < now) if s.deadline else s for s in steps]


def _has(obj: Any, relation: str) -> bool:
    """Whether a one-to-one reverse relation exists (without raising)."""
    try:
        return getattr(obj, relation) is not None
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of any model
        return False


def _objection_state(found: InformationRequest, now: datetime) -> tuple[bool, str, datetime | None]:
    """(may file now, why not, the window's end) for the requester's objection form."""
    if _has(found, "objection") or not found.can_move_to(RequestState.KEBERATAN):
        return False, "", None
    try:
        closes = objection_window(found, now)
    except ValidationError as error:
        return False, " ".join(str(m) for m in error.messages), None
    if now > closes:
        return (
            False,
            _("The period for an objection ended on %(date)s (30 working days, Pasal 36 UU 14/2008).")
            % {"date": timezone.localtime(closes).strftime("%d-%m-%Y")},
            closes,
        )
    return True, "", closes


def _published_from(found: InformationRequest, decision: Decision | None) -> list[dict[str, Any]]:
    """The register entries published (redacted) from this decision, with their public document link."""
    if decision is None:
        return []
    entries = RegisterEntry.objects.filter(source_decision=decision, is_published=True).order_by("title", "pk")
    return [
        {
            "entry": entry,
            "url": optional_url("kip:register_document", slug=found.body.slug, pk=entry.pk) if entry.document else "",
        }
        for entry in entries
    ]


def _track_context(request: HttpRequest, found: InformationRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    full = may_see_identity(found, user)
    own = is_own(found, user)
    state = time_state(found, now)
    decision = found.decision if _has(found, "decision") else None
    may_object, objection_note, objection_closes = _objection_state(found, now) if own else (False, "", None)
    context: dict[str, Any] = {
        "req": found,
        "full": full,
        "is_own": own,
        "requester": requester_display(found, user),
        "identity": requester_identity(found, user),
        "information": found.information if full else redact(found.information, names=(found.requester_name,)),
        "time_state": state,
        "late": state in LATE_STATES,
        "steps": _steps(found, now, full=full),
        "decision": decision,
        "response_text": decision.response_text if decision is not None and full else "",
        "documents": list(ResponseDocument.objects.filter(decision=decision)) if decision is not None and full else [],
        "published": _published_from(found, decision),
        "may_download": may_download_receipt(request, found),
        "may_object": may_object,
        "objection_note": objection_note,
        "objection_closes": objection_closes,
        "objection_form": ObjectionForm() if may_object else None,
        "register_index_url": optional_url("kip:register_index"),
    }
    context.update(extra)
    return context


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    """/informasi/lacak/<code>/: the state, the law's clock and every date (no login needed)."""
    found = request_for_tracking(code)
    return render(request, "kip/public/track.html", _track_context(request, found))


@require_POST
@login_required
def objection(request: HttpRequest, code: str) -> HttpResponse:
    """The requester's keberatan; a closed window or a missing ground is a message, nothing is lost."""
    found = request_for_tracking(code)
    user = request.user
    if not (is_own(found, user) or is_ppid_of(user, found.body_id, KipAction.DECIDE)):
        raise PermissionDenied
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            objection_file(
                actor=user,
                request=found,
                grounds=form.cleaned_data["grounds"],
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your objection was filed. The atasan PPID must answer it in writing."))
            return redirect("kip:track", code=found.tracking_code)
    found = request_for_tracking(found.tracking_code)
    context = _track_context(request, found, objection_form=form, may_object=True, objection_errors=True)
    return render(request, "kip/public/track.html", context, status=400)


@require_GET
def response_document(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """A document sent with the decision: for the requester and the body's PPID (it may hold personal data)."""
    found = request_for_tracking(code)
    if not may_see_identity(found, request.user):
        raise PermissionDenied
    document = ResponseDocument.objects.filter(pk=document_id, decision__request=found).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=document.title)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- My requests -------------------------------------------------------------------------------


def _own_requests(user: AnyUser) -> QuerySet[InformationRequest]:
    return (
        InformationRequest.objects.filter(Q(requester_user_id=user.pk) | Q(filed_by_id=user.pk))
        .select_related("body", "decision")
        .order_by("-submitted_at", "-id")
    )


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """/informasi/saya/: the requests I filed (for myself, or as pengurus for a citizen)."""
    page = Paginator(_own_requests(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    calendar = kip_calendar()
    rows = []
    for item in page.object_list:
        state = time_state(item, now, calendar)
        rows.append({"req": item, "time_state": state, "late": state in LATE_STATES})
    return render(
        request,
        "kip/public/mine.html",
        {"page": page, "rows": rows, "may_file_for_citizen": may_file_for_citizen(request.user)},
    )
