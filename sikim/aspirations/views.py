"""Aspiration pages: submitting, the public tracking page, the public list and map, the desk.

Thin views: decorators → form → service → redirect. Public reads go through
`selectors.access` (masked texts, `author_display`); the desk reads through `selectors.pages`,
which limits every case to what the worker's role reaches (outsiders get 404). A move the
user may not make is a 403; a move the state does not allow is a message, never a 500.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts.authz import AnyUser
from sikim.aspirations.forms import (
    AnswerForm,
    CorrectionForm,
    FollowUpForm,
    ForwardForm,
    ListFilterForm,
    NotOurRemitForm,
    RateForm,
    RegionSelectForm,
    RejectForm,
    ReopenForm,
    SubmitForm,
    TrackLookupForm,
    VerifyForm,
)
from sikim.aspirations.masking import mask_personal_data
from sikim.aspirations.models import Aspiration, AspirationState, Category, IntakeChannel
from sikim.aspirations.selectors import pages
from sikim.aspirations.selectors.access import (
    aspiration_for_tracking,
    may_view_internal,
    normalise_code,
    public_title,
)
from sikim.aspirations.selectors.identity import author_contact, author_display, is_own
from sikim.aspirations.selectors.routing import service_level_for
from sikim.aspirations.selectors.similar import similar_aspirations
from sikim.aspirations.services.moderation import aspiration_support
from sikim.aspirations.services.submission import aspiration_add_correction, aspiration_submit
from sikim.aspirations.services.workflow import (
    aspiration_answer,
    aspiration_confirm,
    aspiration_follow_up,
    aspiration_forward,
    aspiration_not_our_remit,
    aspiration_rate,
    aspiration_reject,
    aspiration_reopen,
    aspiration_verify,
)
from sikim.core.public_cache import public_cacheable
from sikim.kim.forms_manage import apply_service_errors
from sikim.kim.views.public import DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL

MAP_CACHE_SECONDS: Final = 60
SERVICE_FIELD_MAP: Final = {"region": "desa", "kim": "desa", "note": "note", "reason": "reason"}


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _form_error_text(form: forms.Form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


# --- Submitting -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """/aspirasi/baru/: a citizen's aspiration (or, with ?kim=<slug>, one a pengurus files)."""
    user = request.user
    kim_slug = request.GET.get("kim", "")
    kim = pages.kim_for_filing(user, kim_slug) if kim_slug else None
    on_behalf = kim is not None
    village = kim.region if kim is not None and kim.region.level == 4 else pages.known_village_for(user)
    ask_contact = on_behalf or not user.is_authenticated
    posted = request.method == "POST"
    form = SubmitForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        ask_contact=ask_contact,
        on_behalf=on_behalf,
        village=village,
    )
    similar: list[Any] = []
    refreshing = posted and "pilih_wilayah" in request.POST
    if posted and not refreshing:
        if form.is_bot:
            return redirect("aspirations:list")
        if form.is_valid():
            data = form.cleaned_data
            chosen = form.village
            if not data["confirmed"] and chosen is not None:
                similar = similar_aspirations(
                    region_code=chosen.code, category=data["category"], text=f"{data['title']} {data['text']}"
                )
            if not similar:
                try:
                    aspiration = aspiration_submit(
                        actor=user,
                        kim=kim,
                        on_behalf=on_behalf,
                        channel=IntakeChannel.OFFLINE if on_behalf else IntakeChannel.WEB,
                        **form.service_fields(),
                    )
                except ValidationError as error:
                    apply_service_errors(form, error, SERVICE_FIELD_MAP)
                else:
                    return redirect("aspirations:receipt", code=aspiration.code)
    status = 400 if posted and not refreshing and not similar and form.errors else 200
    return render(
        request,
        "aspirations/submit.html",
        {
            "form": form,
            "kim": kim,
            "similar": pages.similar_rows(similar),
            "confirm_step": bool(similar),
            "refreshing": refreshing,
            "show_errors": posted and not refreshing,
            "known_village": village,
        },
        status=status,
    )


@require_POST
def similar_partial(request: HttpRequest) -> HttpResponse:
    """htmx: similar aspirations for what is being typed (same village and category)."""
    region_code = (request.POST.get("desa") or "").strip()[:13]
    category = request.POST.get("category", "")
    text = f"{request.POST.get('title', '')} {request.POST.get('text', '')}"[:10_000]
    found = []
    if region_code.count(".") == 3 and category in Category.values:
        found = similar_aspirations(region_code=region_code, category=category, text=text)
    return render(request, "aspirations/_similar.html", {"similar": pages.similar_rows(found), "live": True})


@public_cacheable
@require_GET
def region_selects(request: HttpRequest) -> HttpResponse:
    """htmx: the province → kabupaten/kota → kecamatan → desa selects, narrowed after a change."""
    mode = "filter" if request.GET.get("mode") == "filter" else "submit"
    form = RegionSelectForm(request.GET, any_labels=mode == "filter")
    return render(request, "aspirations/_region_selects.html", {"form": form, "mode": mode})


@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """After submitting: the ticket code, the tracking link, and what happens next (and when)."""
    aspiration = aspiration_for_tracking(code)
    level = service_level_for(aspiration.region_id)
    track_url = request.build_absolute_uri(reverse("aspirations:track", kwargs={"code": aspiration.code}))
    return render(
        request,
        "aspirations/receipt.html",
        {"aspiration": aspiration, "level": level, "track_url": track_url, "is_own": is_own(aspiration, request.user)},
    )


# --- Tracking (public) ------------------------------------------------------------------------


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """/aspirasi/lacak/: find an aspiration by its ticket code."""
    form = TrackLookupForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        code = normalise_code(form.cleaned_data["kode"])
        if code and Aspiration.objects.filter(code=code).exists():
            return redirect("aspirations:track", code=code)
        form.add_error("kode", _("No aspiration has this ticket code. Check the code on your receipt or message."))
        status = 404
    elif form.is_bound:
        status = 400
    return render(request, "aspirations/track_lookup.html", {"form": form}, status=status)


@dataclass(frozen=True)
class TimelineLine:
    when: Any
    label: str
    who: str
    note: str
    is_public: bool


def _who(aspiration: Aspiration, event: Any, user: AnyUser, *, inside: bool) -> str:
    if event.office is not None:
        return str(event.office.display_name)
    if event.actor_id is not None and event.actor_id == aspiration.author_id:
        return author_display(aspiration, user)
    if event.actor_id is None:
        return "SIKIM" if event.kind in ("auto_closed", "forwarded") else ""
    if inside and event.actor is not None:
        return str(event.actor.full_name)
    return str(aspiration.kim.name) if event.kind in ("verified", "rejected") else ""


def _timeline(aspiration: Aspiration, user: AnyUser, events: list[Any], *, inside: bool) -> list[TimelineLine]:
    full = is_own(aspiration, user) or inside
    return [
        TimelineLine(
            when=event.created_at,
            label=str(event.get_kind_display()),
            who=_who(aspiration, event, user, inside=inside),
            note=pages.text_for(aspiration, user, event.note) if full else mask_personal_data(event.note),
            is_public=event.is_public,
        )
        for event in events
    ]


def _track_context(request: HttpRequest, aspiration: Aspiration, **extra: Any) -> dict[str, Any]:
    user = request.user
    own = is_own(aspiration, user)
    actions = pages.author_actions(aspiration, user)
    show_text = own or aspiration.is_public or may_view_internal(aspiration, user)
    context: dict[str, Any] = {
        "aspiration": aspiration,
        "title": pages.tracking_title(aspiration, user),
        "text": pages.tracking_text(aspiration, user),
        "author": author_display(aspiration, user),
        "is_own": own,
        "corrections": [pages.text_for(aspiration, user, c.text) for c in pages.aspiration_corrections(aspiration)]
        if own or (show_text and not pages.is_confidential(aspiration))
        else [],
        "photos": pages.aspiration_photos(aspiration) if show_text else [],
        "timeline": _timeline(aspiration, user, pages.public_timeline(aspiration), inside=False),
        "answer": aspiration.answer if own else mask_personal_data(aspiration.answer),
        "actions": actions,
        "correction_form": CorrectionForm() if actions.correct else None,
        "rate_form": RateForm() if actions.rate else None,
        "reopen_form": ReopenForm() if actions.reopen else None,
        "supported": pages.has_supported(aspiration, user),
        "may_support": aspiration.is_public and not own,
        "is_worker_case": may_view_internal(aspiration, user),
        "overdue": pages.case_is_overdue(aspiration),
    }
    context.update(extra)
    return context


@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    """/aspirasi/lacak/<code>/: the public timeline and the official answer (no login needed)."""
    aspiration = aspiration_for_tracking(code)
    return render(request, "aspirations/track.html", _track_context(request, aspiration))


@require_GET
def photo(request: HttpRequest, code: str, photo_id: int) -> FileResponse:
    aspiration = aspiration_for_tracking(code)
    picture = pages.aspiration_photo_for(aspiration, photo_id, request.user)
    try:
        handle = picture.image.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type="image/png" if (picture.image.name or "").endswith(".png") else "image/jpeg"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _author_correct(request: HttpRequest, aspiration: Aspiration) -> str:
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_form_error_text(form))
    aspiration_add_correction(actor=request.user, aspiration=aspiration, text=form.cleaned_data["text"])
    return _("Your correction was added.")


def _author_confirm(request: HttpRequest, aspiration: Aspiration) -> str:
    aspiration_confirm(actor=request.user, aspiration=aspiration)
    return _("Thank you: the aspiration is closed.")


def _author_rate(request: HttpRequest, aspiration: Aspiration) -> str:
    form = RateForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose from 1 to 5 stars."))
    aspiration_rate(
        actor=request.user,
        aspiration=aspiration,
        rating=form.cleaned_data["rating"],
        comment=form.cleaned_data["comment"],
    )
    return _("Thank you for rating the answer.")


def _author_reopen(request: HttpRequest, aspiration: Aspiration) -> str:
    form = ReopenForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_form_error_text(form))
    aspiration_reopen(actor=request.user, aspiration=aspiration, reason=form.cleaned_data["reason"])
    return _("The aspiration was reopened and sent back to the office.")


AUTHOR_ACTIONS: Final[dict[str, Callable[[HttpRequest, Aspiration], str]]] = {
    "correct": _author_correct,
    "confirm": _author_confirm,
    "rate": _author_rate,
    "reopen": _author_reopen,
}


def _author_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    aspiration = aspiration_for_tracking(code)
    if not is_own(aspiration, request.user):
        raise PermissionDenied
    try:
        done = AUTHOR_ACTIONS[action](request, aspiration)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    return redirect("aspirations:track", code=aspiration.code)


@require_POST
@login_required
def track_correct(request: HttpRequest, code: str) -> HttpResponse:
    return _author_action(request, code, "correct")


@require_POST
@login_required
def track_confirm(request: HttpRequest, code: str) -> HttpResponse:
    return _author_action(request, code, "confirm")


@require_POST
@login_required
def track_rate(request: HttpRequest, code: str) -> HttpResponse:
    return _author_action(request, code, "rate")


@require_POST
@login_required
def track_reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _author_action(request, code, "reopen")


@require_POST
@login_required
def support(request: HttpRequest, code: str) -> HttpResponse:
    """ "Dukung": one per person (a signed-in account)."""
    aspiration = aspiration_for_tracking(code)
    error = ""
    try:
        added = aspiration_support(actor=request.user, aspiration=aspiration)
    except ValidationError as problem:
        error, added = _error_text(problem), False
    if request.htmx:  # type: ignore[attr-defined]
        context = {"aspiration": aspiration, "supported": added or pages.has_supported(aspiration, request.user)}
        return render(request, "aspirations/_support.html", {**context, "may_support": True, "error": error})
    if error:
        messages.error(request, error)
    elif added:
        messages.success(request, _("Thank you for your support."))
    else:
        messages.info(request, _("You already support this aspiration."))
    return redirect("aspirations:track", code=aspiration.code)


# --- The public list and map ------------------------------------------------------------------


@require_GET
def list_page(request: HttpRequest) -> HttpResponse:
    """/aspirasi/: verified public aspirations, filtered by region, category, state and office."""
    form = ListFilterForm(request.GET)
    filters = form.filters()
    paginator = Paginator(filters.public(), pages.LIST_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "aspiration": a,
            "title": public_title(a),
            "snippet": pages.public_snippet(a),
        }
        for a in page.object_list
    ]
    query = form.query(filters)
    return render(
        request,
        "aspirations/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query,
            "tile_url": DEFAULT_TILE_URL,
            "tile_attribution": DEFAULT_TILE_ATTRIBUTION,
        },
    )


@require_GET
def map_geojson(request: HttpRequest) -> JsonResponse:
    """/aspirasi/peta.geojson: the listed aspirations with a point (same filters as the list)."""
    filters = ListFilterForm(request.GET).filters()
    response = JsonResponse(pages.map_features(filters), content_type="application/geo+json")
    response["Cache-Control"] = f"public, max-age={MAP_CACHE_SECONDS}"
    return response


# --- The desk (KIM pengurus, pembina, office officers) ----------------------------------------


def _require_worker(user: AnyUser) -> None:
    if not pages.is_worker(user):
        raise PermissionDenied


@require_GET
@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """/aspirasi/meja/: the cases the worker's role reaches, the overdue ones first."""
    user = request.user
    _require_worker(user)
    view = request.GET.get("lihat", "open")
    if view not in pages.DESK_VIEWS:
        view = "open"
    paginator = Paginator(pages.desk_aspirations(user, view=view), pages.DESK_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "aspiration": a,
            "title": pages.text_for(a, user, a.title),
            "overdue": getattr(a, "overdue_rank", 1) == 0,
            "due": a.followup_due if a.state in ("diteruskan", "ditindaklanjuti") else a.verify_due,
        }
        for a in page.object_list
    ]
    fileable_kims = pages.kims_user_files_for(user)
    return render(
        request,
        "aspirations/desk.html",
        {
            "page": page,
            "rows": rows,
            "view": view,
            "views": [
                ("open", _("Open")),
                ("overdue", _("Overdue")),
                ("closed", _("Closed")),
                ("all", _("All")),
            ],
            "counts": pages.desk_counts(user),
            "fileable_kims": fileable_kims,
        },
    )


DESK_FORMS: Final[dict[str, type[forms.Form]]] = {
    "verify": VerifyForm,
    "reject": RejectForm,
    "forward": ForwardForm,
    "follow_up": FollowUpForm,
    "answer": AnswerForm,
    "not_our_remit": NotOurRemitForm,
}


def _desk_form(name: str, aspiration: Aspiration, data: Any = None) -> forms.Form:
    if name == "forward":
        return ForwardForm(data, offices=pages.offices_for_forwarding(aspiration), prefix=name)
    return DESK_FORMS[name](data, prefix=name)


def _case_context(request: HttpRequest, aspiration: Aspiration, bound: forms.Form | None = None) -> dict[str, Any]:
    user = request.user
    allowed = pages.desk_actions(aspiration, user)
    desk_forms = {name: _desk_form(name, aspiration) for name in allowed}
    bound_name = bound.prefix if bound is not None else None
    if bound is not None and bound_name in desk_forms:
        desk_forms[str(bound_name)] = bound
    return {
        "aspiration": aspiration,
        "title": pages.text_for(aspiration, user, aspiration.title),
        "text": pages.text_for(aspiration, user, aspiration.text),
        "corrections": [pages.text_for(aspiration, user, c.text) for c in pages.aspiration_corrections(aspiration)],
        "author": author_display(aspiration, user),
        "contact": author_contact(aspiration, user),
        "photos": pages.aspiration_photos(aspiration),
        "timeline": _timeline(aspiration, user, pages.case_timeline(aspiration), inside=True),
        "forms": desk_forms,
        "overdue": pages.case_is_overdue(aspiration),
        "confidential": pages.is_confidential(aspiration),
    }


@require_GET
@login_required
def case(request: HttpRequest, code: str) -> HttpResponse:
    """/aspirasi/meja/<code>/: one case, with forms for the moves this worker may make now."""
    aspiration = pages.case_for_worker(request.user, code)
    return render(request, "aspirations/case.html", _case_context(request, aspiration))


def _run_desk_action(name: str, user: AnyUser, aspiration: Aspiration, data: dict[str, Any]) -> str:
    if name == "verify":
        done = aspiration_verify(actor=user, aspiration=aspiration, note=data["note"])
        if done.state == AspirationState.DITERUSKAN and done.office is not None:
            return _("Verified and forwarded to %(office)s.") % {"office": done.office.name}
        return _("Verified. No routing rule fits: the pembina will forward it.")
    if name == "reject":
        aspiration_reject(actor=user, aspiration=aspiration, reason=data["reason"], note=data["note"])
        return _("The aspiration was rejected.")
    if name == "forward":
        done = aspiration_forward(actor=user, aspiration=aspiration, office=data["office"], note=data["note"])
        return _("Forwarded to %(office)s.") % {"office": done.office.name if done.office else ""}
    if name == "follow_up":
        aspiration_follow_up(actor=user, aspiration=aspiration, note=data["note"])
        return _("The follow-up was recorded.")
    if name == "answer":
        aspiration_answer(actor=user, aspiration=aspiration, answer=data["answer"])
        return _("The answer was sent to the citizen.")
    aspiration_not_our_remit(actor=user, aspiration=aspiration, note=data["note"])
    return _("The case was handed back for routing to another office.")


def _case_action(request: HttpRequest, code: str, name: str) -> HttpResponse:
    user = request.user
    aspiration = pages.case_for_worker(user, code)
    if not pages.role_may(aspiration, user, name):
        raise PermissionDenied
    form = _desk_form(name, aspiration, request.POST)
    if name not in pages.desk_actions(aspiration, user):
        # The role may, the state does not (someone else moved first, or a stale page).
        messages.error(
            request,
            _("This aspiration is “%(current)s”; that cannot be done now.")
            % {"current": aspiration.get_state_display()},
        )
        return render(request, "aspirations/case.html", _case_context(request, aspiration), status=400)
    if form.is_valid():
        try:
            done = _run_desk_action(name, user, aspiration, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error, SERVICE_FIELD_MAP)
            messages.error(request, _error_text(error))
        else:
            messages.success(request, done)
            return redirect("aspirations:case", code=aspiration.code)
    else:
        messages.error(request, _("Please correct the errors below.") + " " + _form_error_text(form))
    aspiration.refresh_from_db()
    return render(request, "aspirations/case.html", _case_context(request, aspiration, form), status=400)


def _case_view(name: str) -> Callable[[HttpRequest, str], HttpResponse]:
    @require_POST
    @login_required
    def view(request: HttpRequest, code: str) -> HttpResponse:
        return _case_action(request, code, name)

    view.__name__ = f"case_{name}"
    view.__doc__ = f"POST /aspirasi/meja/<code>/…: the desk action “{name}”."
    return view


case_verify = _case_view("verify")
case_reject = _case_view("reject")
case_forward = _case_view("forward")
case_follow_up = _case_view("follow_up")
case_answer = _case_view("answer")
case_not_our_remit = _case_view("not_our_remit")
