"""The officials' side of information requests: the PPID desk, the case page, the atasan PPID page.

Thin views: decorators → form → service → redirect. Every read goes through
`sikim.kip.selectors` (a case another body's PPID may not open is a 404, never a 403 that would
say it exists); every write goes through `sikim.kip.services`, which check the law again
(registration before a decision, one extension, a Pasal 17 ground for a refusal). A move the
role may not make is a 403; a move the law or the state does not allow is a 400 with the
service's message, and the form comes back with everything typed in it.

- The body's PPID sees the requester's identity and registers, extends, decides, publishes the
  response in the register and records a Komisi Informasi dispute.
- A pembina (region subtree) and a national administrator read the desk and the cases, never
  the identity, and change nothing.
- The atasan PPID (`AtasanPpid`) answers the objections of their body.
"""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.kim.forms_manage import apply_service_errors
from sikim.kip.deadlines import long_overdue_from
from sikim.kip.forms_desk import (
    DecideForm,
    DeskFilterForm,
    DisputeOutcomeForm,
    DisputeRecordForm,
    ExtendForm,
    ObjectionAnswerForm,
    PublishForm,
    RegisterForm,
    moment_of,
)
from sikim.kip.models import (
    AWAITING_DECISION,
    GRANTED_OUTCOMES,
    Decision,
    InformationRequest,
    KiDispute,
    Objection,
    ObjectionGround,
    RegisterEntry,
    RequestState,
)
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import atasan_body_ids, is_atasan_ppid, is_ppid_of, requests_for_action
from sikim.kip.selectors.access import requests_visible_to as _visible
from sikim.kip.selectors.calendar import kip_calendar
from sikim.kip.selectors.deadlines import TimeState, overdue_q, time_state
from sikim.kip.selectors.identity import requester_display, requester_identity
from sikim.kip.services.desk import decision_publish_once
from sikim.kip.services.objections import dispute_outcome, dispute_record, objection_answer, objection_window
from sikim.kip.services.requests import request_decide, request_extend, request_register

DESK_PAGE_SIZE: Final = 25
REGISTRATION_REGEX: Final = re.compile(r"^PPID-\d{4,}-\d{4}-\d{6}$")
REF_MAX_LENGTH: Final = 30
# The PPID's moves, the atasan PPID's, and the register keeper's.
PPID_ACTIONS: Final = ("register", "extend", "decide", "dispute", "dispute_outcome")
ATASAN_ACTIONS: Final = ("answer",)
REGISTER_ACTIONS: Final = ("publish",)
ACTION_FORMS: Final[dict[str, type[forms.Form]]] = {
    "register": RegisterForm,
    "extend": ExtendForm,
    "decide": DecideForm,
    "publish": PublishForm,
    "answer": ObjectionAnswerForm,
    "dispute": DisputeRecordForm,
    "dispute_outcome": DisputeOutcomeForm,
}
URL_NAMES: Final = {name: f"kip:desk_{name}" for name in ACTION_FORMS}


def _action_texts() -> dict[str, tuple[str, str]]:
    """Each move's heading and button."""
    return {
        "register": (_("Register the request"), _("Register")),
        "extend": (_("Extend the deadline (once)"), _("Extend by 7 working days")),
        "decide": (_("Decide"), _("Record the decision")),
        "publish": (_("Publish the response in the register"), _("Publish")),
        "answer": (_("Answer the objection"), _("Send the answer")),
        "dispute": (_("Record a dispute at the Information Commission"), _("Record the dispute")),
        "dispute_outcome": (_("Record the Commission's outcome"), _("Record the outcome")),
    }


# Service error codes that belong to the documents field (from `sikim.core.uploads.clean_pdf`).
DOCUMENT_ERROR_CODES: Final = {"not_pdf", "too_large"}
SERVICE_FIELD_MAP: Final = {"filed_at": "filed_on", "outcome_at": "outcome_on"}


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _form_error_text(form: forms.Form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def ref_of(request: InformationRequest) -> str:
    """How a case is named in its URL: the registration number, or the pk before registration."""
    return request.registration_number or str(request.pk)


# --- Reads ------------------------------------------------------------------------------------


def _may_use_desk(user: AnyUser) -> bool:
    return authz.can(user, KipAction.VIEW_INTERNAL)


def _desk_requests(user: AnyUser) -> QuerySet[InformationRequest]:
    """The requests of the desk: the PPID's bodies, the pembina's region (the deadline in force as `due`)."""
    return requests_for_action(user, KipAction.VIEW_INTERNAL).annotate(due=Coalesce("extended_due", "decision_due"))


def _is_official_for(user: AnyUser, request: InformationRequest) -> bool:
    return authz.can(user, KipAction.VIEW_INTERNAL, request) or is_atasan_ppid(user, request.body_id)


def case_for(user: AnyUser, ref: str) -> InformationRequest:
    """The case by pk or registration number, if `user` may open it as an official; 404 otherwise."""
    ref = (ref or "").strip().upper()[:REF_MAX_LENGTH]
    visible = _visible(user)
    found: InformationRequest | None = None
    if ref.isdigit():
        found = visible.filter(pk=int(ref)).first()
    elif REGISTRATION_REGEX.match(ref):
        found = visible.filter(registration_number=ref).first()
    if found is None or not _is_official_for(user, found):
        raise Http404
    return found


def _waiting_q(now: datetime) -> Q:
    """Undecided requests within their deadline in force (the complement of `overdue_q`)."""
    return Q(state__in=AWAITING_DECISION) & (
        Q(extended=False, decision_due__gte=now) | Q(extended=True, extended_due__gte=now)
    )


def _long_overdue_split(requests: list[InformationRequest], now: datetime) -> tuple[list[int], list[int]]:
    """The pks of the overdue requests, and of the long overdue among them."""
    calendar = kip_calendar()
    overdue, long_overdue = [], []
    for request in requests:
        state = time_state(request, now, calendar)
        if state == TimeState.LONG_OVERDUE:
            long_overdue.append(request.pk)
        elif state == TimeState.OVERDUE:
            overdue.append(request.pk)
    return overdue, long_overdue


@require_GET
@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """/informasi/meja/: the requests of the user's bodies (or region), by due date, with filters."""
    user = request.user
    if not _may_use_desk(user):
        if atasan_body_ids(user):
            return redirect("kip:atasan")
        raise PermissionDenied
    now = timezone.now()
    base = _desk_requests(user)
    filters = DeskFilterForm(request.GET)
    state = waktu = ""
    if filters.is_valid():
        state, waktu = filters.cleaned_data["state"], filters.cleaned_data["waktu"]
    overdue, long_overdue = _long_overdue_split(list(base.filter(overdue_q(now))), now)
    counts = {
        "all": base.count(),
        "unregistered": base.filter(state=RequestState.DIAJUKAN).count(),
        "waiting": base.filter(_waiting_q(now)).count(),
        "overdue": len(overdue),
        "long_overdue": len(long_overdue),
        "objections": base.filter(state=RequestState.KEBERATAN).count(),
    }
    rows = base
    if state:
        rows = rows.filter(state=state)
    if waktu == TimeState.WAITING:
        rows = rows.filter(_waiting_q(now))
    elif waktu == TimeState.OVERDUE:
        rows = rows.filter(pk__in=overdue)
    elif waktu == TimeState.LONG_OVERDUE:
        rows = rows.filter(pk__in=long_overdue)
    rows = rows.order_by(F("due").asc(nulls_first=True), "submitted_at", "id")
    page = Paginator(rows, DESK_PAGE_SIZE).get_page(request.GET.get("page"))
    calendar = kip_calendar()
    lines = [
        {
            "request": r,
            "ref": ref_of(r),
            "requester": requester_display(r, user),
            "time_state": time_state(r, now, calendar),
        }
        for r in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kip/desk/desk.html",
        {
            "page": page,
            "lines": lines,
            "filters": filters,
            "counts": counts,
            "query": query.urlencode(),
            "time_filters": [
                ("", _("All"), counts["all"]),
                (TimeState.WAITING.value, TimeState.WAITING.label, counts["waiting"]),
                (TimeState.OVERDUE.value, TimeState.OVERDUE.label, counts["overdue"]),
                (TimeState.LONG_OVERDUE.value, TimeState.LONG_OVERDUE.label, counts["long_overdue"]),
            ],
            "state": state,
            "waktu": waktu,
            "is_atasan": bool(atasan_body_ids(user)),
        },
    )


def _is_ppid(user: AnyUser, request: InformationRequest) -> bool:
    return is_ppid_of(user, request.body_id, KipAction.DECIDE)


def _role_may(user: AnyUser, request: InformationRequest, name: str) -> bool:
    if name in PPID_ACTIONS:
        return _is_ppid(user, request)
    if name in ATASAN_ACTIONS:
        return is_atasan_ppid(user, request.body_id)
    return authz.can(user, KipAction.MANAGE_REGISTER, request)


def _decision_of(request: InformationRequest) -> Decision | None:
    return Decision.objects.filter(request=request).prefetch_related("documents").first()


def _objection_of(request: InformationRequest) -> Objection | None:
    return Objection.objects.filter(request=request).select_related("dispute").first()


def _dispute_of(objection: Objection | None) -> KiDispute | None:
    return KiDispute.objects.filter(objection=objection).first() if objection is not None else None


def _actions_now(
    user: AnyUser, request: InformationRequest, decision: Decision | None, objection: Objection | None
) -> list[str]:
    """The moves the state allows now and the user's role may make (shown as forms)."""
    names: list[str] = []
    if _is_ppid(user, request):
        if request.state == RequestState.DIAJUKAN:
            names.append("register")
        if request.state == RequestState.DITERIMA and not request.extended:
            names.append("extend")
        if request.state in AWAITING_DECISION and decision is None:
            names.append("decide")
        if objection is not None and request.state in (RequestState.KEBERATAN, RequestState.KEBERATAN_DIJAWAB):
            names.append("dispute")
        if request.state == RequestState.SENGKETA:
            names.append("dispute_outcome")
    if objection is not None and objection.answered_at is None and is_atasan_ppid(user, request.body_id):
        names.append("answer")
    if (
        decision is not None
        and decision.outcome in GRANTED_OUTCOMES
        and not RegisterEntry.objects.filter(source_decision=decision).exists()
        and authz.can(user, KipAction.MANAGE_REGISTER, request)
    ):
        names.append("publish")
    return names


def _action_form(name: str, request: InformationRequest, data: Any = None, files: Any = None) -> forms.Form:
    initial = {}
    if name == "publish":
        initial = {"title": request.information[:200]}
    return ACTION_FORMS[name](data, files, prefix=name, initial=initial)


def _statutory_dates(
    request: InformationRequest, decision: Decision | None, objection: Objection | None, now: datetime
) -> dict[str, Any]:
    """Dates the law gives beyond those stored: when it becomes long overdue, when an objection may be filed."""
    dates: dict[str, Any] = {}
    if request.due_at is not None and decision is None and request.state in AWAITING_DECISION:
        dates["long_overdue_after"] = long_overdue_from(kip_calendar(), request.due_at)
    if request.is_registered and objection is None:
        try:
            dates["objection_window"] = objection_window(request, now)
        except ValidationError:  # not open yet: the body still has time to decide
            dates["objection_window"] = None
    return dates


def _case_context(
    http_request: HttpRequest, request: InformationRequest, bound: forms.Form | None = None
) -> dict[str, Any]:
    user = http_request.user
    now = timezone.now()
    decision = _decision_of(request)
    objection = _objection_of(request)
    names = _actions_now(user, request, decision, objection)
    action_forms = {name: _action_form(name, request) for name in names}
    if bound is not None and bound.prefix is not None:
        action_forms[bound.prefix] = bound
    texts = _action_texts()
    actions = [
        {
            "name": name,
            "form": form,
            "url": reverse(URL_NAMES[name], kwargs={"ref": ref_of(request)}),
            "title": texts[name][0],
            "button": texts[name][1],
            "multipart": name == "decide",
        }
        for name, form in action_forms.items()
    ]
    return {
        "case": request,
        "ref": ref_of(request),
        "body": request.body,
        "requester": requester_display(request, user),
        "identity": requester_identity(request, user),
        "time_state": time_state(request, now),
        "decision": decision,
        "documents": list(decision.documents.all()) if decision is not None else [],
        "published": RegisterEntry.objects.filter(source_decision=decision).first() if decision else None,
        "objection": objection,
        "dispute": _dispute_of(objection),
        "dates": _statutory_dates(request, decision, objection, now),
        "actions": actions,
        "objection_grounds": [ObjectionGround(g).label for g in objection.ground_list] if objection else [],
        "is_ppid": _is_ppid(user, request),
        "may_download": _may_download(user, request),
    }


@require_GET
@login_required
def case(request: HttpRequest, ref: str) -> HttpResponse:
    """/informasi/meja/<pk or registration number>/: the request, its dates, and the moves open now."""
    found = case_for(request.user, ref)
    return render(request, "kip/desk/case.html", _case_context(request, found))


def _may_download(user: AnyUser, request: InformationRequest) -> bool:
    """Response documents may name the requester: the body's PPID and atasan PPID only."""
    return is_ppid_of(user, request.body_id, KipAction.VIEW_IDENTITY) or is_atasan_ppid(user, request.body_id)


@require_GET
@login_required
def document(request: HttpRequest, ref: str, document_id: int) -> FileResponse:
    found = case_for(request.user, ref)
    if not _may_download(request.user, found):
        raise PermissionDenied
    decision = _decision_of(found)
    chosen = decision.documents.filter(pk=document_id).first() if decision is not None else None
    if chosen is None or not chosen.file:
        raise Http404
    return FileResponse(chosen.file.open("rb"), as_attachment=True, filename=chosen.title or "dokumen.pdf")


# --- Writes -----------------------------------------------------------------------------------


def _objection_needed(request: InformationRequest) -> Objection:
    objection = _objection_of(request)
    if objection is None:
        raise ValidationError(_("No objection has been filed against this request."), code="no_objection")
    return objection


def _run(name: str, user: AnyUser, request: InformationRequest, data: dict[str, Any]) -> str:
    now = timezone.now()
    if name == "register":
        done = request_register(actor=user, request=request, now=now)
        return _("Registered as %(number)s.") % {"number": done.registration_number}
    if name == "extend":
        done = request_extend(actor=user, request=request, reason=data["reason"], now=now)
        return _("The deadline was extended to %(due)s.") % {"due": _day(done.extended_due)}
    if name == "decide":
        request_decide(
            actor=user,
            request=request,
            outcome=data["outcome"],
            exemption_ground=data["exemption_ground"],
            consequence_test=data["consequence_test"],
            response_text=data["response_text"],
            cost=data["cost"],
            documents=data["documents"],
            now=now,
        )
        return _("The decision was recorded.")
    if name == "publish":
        decision = _decision_of(request)
        if decision is None:
            raise ValidationError(_("This request has not been decided yet."), code="not_decided")
        decision_publish_once(actor=user, decision=decision, title=data["title"], now=now)
        return _("The response was published in the register, with personal data masked.")
    if name == "answer":
        objection_answer(actor=user, objection=_objection_needed(request), answer=data["answer"], now=now)
        return _("The answer to the objection was recorded.")
    if name == "dispute":
        dispute_record(
            actor=user,
            objection=_objection_needed(request),
            commission=data["commission"],
            reference_number=data["reference_number"],
            filed_at=moment_of(data["filed_on"], now),
            now=now,
        )
        return _("The dispute at the Information Commission was recorded.")
    dispute = _dispute_of(_objection_of(request))
    if dispute is None:
        raise ValidationError(_("No dispute has been recorded for this request."), code="no_dispute")
    dispute_outcome(
        actor=user,
        dispute=dispute,
        outcome=data["outcome"],
        reference_number=data["reference_number"],
        notes=data["notes"],
        outcome_at=moment_of(data["outcome_on"], now),
    )
    return _("The outcome of the dispute was recorded.")


def _day(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y") if moment else ""


def _show_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict") and "documents" in form.fields:
        codes = {e.code for e in error.error_list}
        if codes & DOCUMENT_ERROR_CODES:
            form.add_error("documents", error)
            return
    apply_service_errors(form, error, SERVICE_FIELD_MAP)


def _case_action(http_request: HttpRequest, ref: str, name: str) -> HttpResponse:
    user = http_request.user
    request = case_for(user, ref)
    if not _role_may(user, request, name):
        raise PermissionDenied
    form = _action_form(name, request, http_request.POST, http_request.FILES)
    if form.is_valid():
        try:
            done = _run(name, user, request, form.cleaned_data)
        except ValidationError as error:
            _show_errors(form, error)
            messages.error(http_request, _error_text(error))
        else:
            messages.success(http_request, done)
            request.refresh_from_db()
            if http_request.POST.get("next") == "atasan" and name == "answer":
                return redirect("kip:atasan")
            return redirect("kip:desk_case", ref=ref_of(request))
    else:
        messages.error(http_request, _("Please correct the errors below.") + " " + _form_error_text(form))
    if http_request.FILES:
        messages.info(http_request, _("Nothing was saved: choose the documents again before you send."))
    request = case_for(user, ref)
    return render(http_request, "kip/desk/case.html", _case_context(http_request, request, form), status=400)


def _case_view(name: str) -> Callable[[HttpRequest, str], HttpResponse]:
    @require_POST
    @login_required
    def view(request: HttpRequest, ref: str) -> HttpResponse:
        return _case_action(request, ref, name)

    view.__name__ = f"case_{name}"
    view.__doc__ = f"POST /informasi/meja/<ref>/…: the desk action “{name}”."
    return view


case_register = _case_view("register")
case_extend = _case_view("extend")
case_decide = _case_view("decide")
case_publish = _case_view("publish")
case_answer = _case_view("answer")
case_dispute = _case_view("dispute")
case_dispute_outcome = _case_view("dispute_outcome")


# --- The atasan PPID --------------------------------------------------------------------------


@require_GET
@login_required
def atasan(request: HttpRequest) -> HttpResponse:
    """/informasi/atasan/: the objections to the bodies where the user is the atasan PPID, open ones first."""
    user = request.user
    bodies = atasan_body_ids(user)
    if not bodies:
        raise PermissionDenied
    now = timezone.now()
    objections = (
        Objection.objects.filter(request__body_id__in=bodies)
        .select_related("request", "request__body", "request__decision")
        .order_by(F("answered_at").desc(nulls_first=True), "answer_due", "id")
    )
    page = Paginator(objections, DESK_PAGE_SIZE).get_page(request.GET.get("page"))
    lines = [
        {
            "objection": o,
            "request": o.request,
            "ref": ref_of(o.request),
            "requester": requester_display(o.request, user),
            "overdue": o.answered_at is None and now > o.answer_due,
            "form": ObjectionAnswerForm(prefix="answer") if o.answered_at is None else None,
        }
        for o in page.object_list
    ]
    return render(
        request,
        "kip/desk/atasan.html",
        {"page": page, "lines": lines, "open_count": objections.filter(answered_at__isnull=True).count()},
    )
