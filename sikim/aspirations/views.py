"""Aspiration pages: submitting, the public tracking page, the public list and map, the desk.

Thin views: decorators → form → service → redirect. Public reads go through
`selectors.access` (masked texts, `author_display`); the desk reads through `selectors.pages`,
which limits every case to what the worker's role reaches (outsiders get 404). A move the
user may not make is a 403; a move the state does not allow is a message, never a 500.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts.authz import AnyUser
from sikim.aspirations.forms import (
    AbuseReportForm,
    AnswerForm,
    CorrectionForm,
    FollowUpForm,
    ForwardForm,
    HideForm,
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
from sikim.aspirations.selectors import moderation as moderation_queue
from sikim.aspirations.selectors import pages
from sikim.aspirations.selectors.access import (
    aspiration_for_tracking,
    may_view_internal,
    normalise_code,
    public_title,
)
from sikim.aspirations.selectors.author_key import (
    QUERY_PARAMETER,
    AuthorKeyHolder,
    author_key_for,
    author_key_holder,
)
from sikim.aspirations.selectors.identity import author_contact, author_display, is_own
from sikim.aspirations.selectors.routing import service_level_for
from sikim.aspirations.selectors.similar import similar_aspirations
from sikim.aspirations.services.moderation import (
    abuse_report_submit,
    abuse_reports_dismiss,
    aspiration_hide,
    aspiration_support,
    aspiration_unhide,
    may_report,
)
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
from sikim.core.intake_limit import anonymous_limit_reached
from sikim.core.public_cache import public_cacheable
from sikim.kim.forms_manage import apply_service_errors
from sikim.kim.views.public import DEFAULT_TILE_ATTRIBUTION, DEFAULT_TILE_URL

MAP_CACHE_SECONDS: Final = 60
SERVICE_FIELD_MAP: Final = {"region": "desa", "kim": "desa", "note": "note", "reason": "reason"}
# The session remembers the aspiration just submitted: its receipt shows the secret link once.
RECEIPT_SESSION_KEY: Final = "aspirations_receipt_code"
# Anonymous reporters are told apart by this device cookie (stored only as a keyed hash).
REPORTER_COOKIE: Final = "sikim_pelapor"
REPORTER_COOKIE_MAX_AGE: Final = 365 * 24 * 3600
# Pages carrying the secret link: never stored anywhere, and the link never sent on as a Referer
# (strict-origin, not no-referrer: that would send "Origin: null" and fail the CSRF check).
PRIVATE_HEADERS: Final = {"Cache-Control": "private, no-store", "Referrer-Policy": "strict-origin"}


def _private(response: HttpResponseBase) -> HttpResponseBase:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def rate_limited_message() -> str:
    return _(
        "Too many aspirations were sent from your connection in the last hour. Please wait a while and "
        "send it again, or log in to send it now. What you wrote is kept below."
    )


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
    limited = False
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
            if not similar and anonymous_limit_reached(
                request, scope="aspiration", per_hour=settings.SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR
            ):
                limited = True
                form.add_error(None, rate_limited_message())
            elif not similar:
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
                    request.session[RECEIPT_SESSION_KEY] = aspiration.code
                    return redirect("aspirations:receipt", code=aspiration.code)
    status = 400 if posted and not refreshing and not similar and form.errors else 200
    if limited:
        status = 429
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


@public_cacheable("wilayah")
@require_GET
def region_selects(request: HttpRequest) -> HttpResponse:
    """htmx: the province → kabupaten/kota → kecamatan → desa selects, narrowed after a change."""
    mode = "filter" if request.GET.get("mode") == "filter" else "submit"
    form = RegionSelectForm(request.GET, any_labels=mode == "filter")
    return render(request, "aspirations/_region_selects.html", {"form": form, "mode": mode})


def author_link(request: HttpRequest, aspiration: Aspiration) -> str:
    """The secret link of an aspiration without an author account ("" for one with an account)."""
    key = author_key_for(aspiration)
    if not key:
        return ""
    path = reverse("aspirations:track", kwargs={"code": aspiration.code})
    return request.build_absolute_uri(f"{path}?{QUERY_PARAMETER}={key}")


@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponseBase:
    """After submitting: the ticket code, the tracking link, and what happens next (and when).

    Right after submitting without an account, and only then (the session says so), it also
    shows the secret link that lets the citizen confirm, rate, reopen and correct.
    """
    aspiration = aspiration_for_tracking(code)
    level = service_level_for(aspiration.region_id)
    track_url = request.build_absolute_uri(reverse("aspirations:track", kwargs={"code": aspiration.code}))
    just_submitted = request.session.get(RECEIPT_SESSION_KEY) == aspiration.code
    if just_submitted:
        del request.session[RECEIPT_SESSION_KEY]
    response = render(
        request,
        "aspirations/receipt.html",
        {
            "aspiration": aspiration,
            "level": level,
            "track_url": track_url,
            "is_own": is_own(aspiration, request.user),
            "author_link": author_link(request, aspiration) if just_submitted else "",
        },
    )
    return _private(response)


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


def _track_context(
    request: HttpRequest, aspiration: Aspiration, viewer: AnyUser | None = None, **extra: Any
) -> dict[str, Any]:
    """What the tracking page shows to `viewer` (the request's user, or the holder of the link)."""
    user = viewer if viewer is not None else request.user
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
        "may_report": may_report(aspiration) and not own,
        "is_worker_case": may_view_internal(aspiration, user),
        "overdue": pages.case_is_overdue(aspiration),
    }
    context.update(extra)
    return context


def _link_refused(request: HttpRequest, aspiration: Aspiration) -> HttpResponseBase:
    response = render(request, "aspirations/link_invalid.html", {"aspiration": aspiration}, status=403)
    return _private(response)


@public_cacheable("aspirations", "offices", "kim", "wilayah")
@require_GET
def track(request: HttpRequest, code: str) -> HttpResponseBase:
    """/aspirasi/lacak/<code>/: the public timeline and the official answer (no login needed).

    With `?k=<key>` (the secret link of a citizen without an account) the holder acts as the
    author; such a page is never stored (no-store) and a wrong key is a 403 that says so.
    """
    aspiration = aspiration_for_tracking(code)
    if QUERY_PARAMETER in request.GET:
        key = request.GET.get(QUERY_PARAMETER, "")
        holder = author_key_holder(aspiration, key)
        if holder is None:
            return _link_refused(request, aspiration)
        context = _track_context(request, aspiration, viewer=holder, author_key=key)
        return _private(render(request, "aspirations/track.html", context))
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


def _author_correct(request: HttpRequest, aspiration: Aspiration, actor: AnyUser) -> str:
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_form_error_text(form))
    aspiration_add_correction(actor=actor, aspiration=aspiration, text=form.cleaned_data["text"])
    return _("Your correction was added.")


def _author_confirm(request: HttpRequest, aspiration: Aspiration, actor: AnyUser) -> str:
    aspiration_confirm(actor=actor, aspiration=aspiration)
    return _("Thank you: the aspiration is closed.")


def _author_rate(request: HttpRequest, aspiration: Aspiration, actor: AnyUser) -> str:
    form = RateForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose from 1 to 5 stars."))
    aspiration_rate(
        actor=actor,
        aspiration=aspiration,
        rating=form.cleaned_data["rating"],
        comment=form.cleaned_data["comment"],
    )
    return _("Thank you for rating the answer.")


def _author_reopen(request: HttpRequest, aspiration: Aspiration, actor: AnyUser) -> str:
    form = ReopenForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_form_error_text(form))
    aspiration_reopen(actor=actor, aspiration=aspiration, reason=form.cleaned_data["reason"])
    return _("The aspiration was reopened and sent back to the office.")


AUTHOR_ACTIONS: Final[dict[str, Callable[[HttpRequest, Aspiration, AnyUser], str]]] = {
    "correct": _author_correct,
    "confirm": _author_confirm,
    "rate": _author_rate,
    "reopen": _author_reopen,
}


def _author_action(request: HttpRequest, code: str, action: str) -> HttpResponseBase:
    """The author's moves: a logged-in author, or the holder of the secret link (`k` posted)."""
    aspiration = aspiration_for_tracking(code)
    key = request.POST.get(QUERY_PARAMETER, "")
    actor: AnyUser
    if key:
        holder: AuthorKeyHolder | None = author_key_holder(aspiration, key)
        if holder is None:
            return _link_refused(request, aspiration)
        actor = holder
    elif not request.user.is_authenticated:
        return redirect_to_login(reverse("aspirations:track", kwargs={"code": aspiration.code}))
    elif not is_own(aspiration, request.user):
        raise PermissionDenied
    else:
        actor = request.user
    try:
        done = AUTHOR_ACTIONS[action](request, aspiration, actor)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, done)
    target = reverse("aspirations:track", kwargs={"code": aspiration.code})
    return redirect(f"{target}?{QUERY_PARAMETER}={key}" if key else target)


@require_POST
def track_correct(request: HttpRequest, code: str) -> HttpResponseBase:
    return _author_action(request, code, "correct")


@require_POST
def track_confirm(request: HttpRequest, code: str) -> HttpResponseBase:
    return _author_action(request, code, "confirm")


@require_POST
def track_rate(request: HttpRequest, code: str) -> HttpResponseBase:
    return _author_action(request, code, "rate")


@require_POST
def track_reopen(request: HttpRequest, code: str) -> HttpResponseBase:
    return _author_action(request, code, "reopen")


# --- Abuse reports ("Laporkan") and the moderation queue ------------------------------------


def _reporter_cookie(request: HttpRequest) -> str:
    value = request.COOKIES.get(REPORTER_COOKIE, "")
    return value if 16 <= len(value) <= 64 and value.isalnum() else ""


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, code: str) -> HttpResponseBase:
    """/aspirasi/lacak/<code>/laporkan/: report a public text as abusive (no login needed).

    A page of its own, so that the tracking page carries no form (and no CSRF token) for
    anonymous visitors and stays in the public page cache.
    """
    aspiration = aspiration_for_tracking(code)
    if not may_report(aspiration) or is_own(aspiration, request.user):
        raise Http404
    device = _reporter_cookie(request) or secrets.token_hex(16)
    form = AbuseReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if not form.is_valid():
            status = 400
        elif anonymous_limit_reached(
            request, scope="aspiration-report", per_hour=settings.SIKIM_ASPIRATION_ANONYMOUS_PER_HOUR
        ):
            form.add_error(None, _("Too many reports from your connection in the last hour. Please try again later."))
            status = 429
        else:
            try:
                _report, created = abuse_report_submit(
                    actor=request.user,
                    aspiration=aspiration,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    reporter_key=device,
                )
            except ValidationError as error:
                apply_service_errors(form, error, {"reason": "reason", "note": "note"})
                status = 400
            else:
                if created:
                    messages.success(request, _("Thank you. A moderator will look at the text."))
                else:
                    messages.info(request, _("You have already reported this text; a moderator will look at it."))
                done = redirect("aspirations:track", code=aspiration.code)
                _remember_device(done, device)
                return done
    response = render(
        request,
        "aspirations/report.html",
        {"aspiration": aspiration, "title": public_title(aspiration), "form": form},
        status=status,
    )
    _remember_device(response, device)
    return _private(response)


def _remember_device(response: HttpResponseBase, device: str) -> None:
    response.set_cookie(
        REPORTER_COOKIE,
        device,
        max_age=REPORTER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _require_moderator(user: AnyUser) -> None:
    if not moderation_queue.is_moderator(user):
        raise PermissionDenied


@require_GET
@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """/aspirasi/moderasi/: open abuse reports and hidden texts the moderator reaches."""
    user = request.user
    _require_moderator(user)
    reported = list(moderation_queue.reported_aspirations(user)[: moderation_queue.QUEUE_MAX])
    hidden = list(moderation_queue.hidden_aspirations(user)[: moderation_queue.QUEUE_MAX])
    return render(
        request,
        "aspirations/moderation.html",
        {
            "reported": [
                {
                    "aspiration": a,
                    "title": pages.text_for(a, user, a.title),
                    "text": pages.text_for(a, user, a.text),
                    "reports": a.open_reports,  # type: ignore[attr-defined]
                    "hide_form": HideForm(prefix=a.code),
                }
                for a in reported
            ],
            "hidden": [{"aspiration": a, "title": pages.text_for(a, user, a.title)} for a in hidden],
        },
    )


def _moderate(request: HttpRequest, code: str, action: str) -> HttpResponseBase:
    user = request.user
    _require_moderator(user)
    aspiration = moderation_queue.aspiration_for_moderator(user, code)
    try:
        if action == "hide":
            form = HideForm(request.POST, prefix=aspiration.code)
            if not form.is_valid():
                raise ValidationError(_("Give a reason."))
            aspiration_hide(actor=user, aspiration=aspiration, reason=form.cleaned_data["reason"])
            messages.success(request, _("The text of %(code)s is hidden.") % {"code": aspiration.code})
        elif action == "unhide":
            aspiration_unhide(actor=user, aspiration=aspiration)
            messages.success(request, _("The text of %(code)s is shown again.") % {"code": aspiration.code})
        else:
            count = abuse_reports_dismiss(actor=user, aspiration=aspiration)
            messages.success(
                request,
                ngettext("%(count)s report dismissed.", "%(count)s reports dismissed.", count) % {"count": count},
            )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("aspirations:moderation")


@require_POST
@login_required
def moderation_hide(request: HttpRequest, code: str) -> HttpResponseBase:
    return _moderate(request, code, "hide")


@require_POST
@login_required
def moderation_unhide(request: HttpRequest, code: str) -> HttpResponseBase:
    return _moderate(request, code, "unhide")


@require_POST
@login_required
def moderation_dismiss(request: HttpRequest, code: str) -> HttpResponseBase:
    return _moderate(request, code, "dismiss")


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


@public_cacheable("aspirations", "offices", "kim", "wilayah")
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


@public_cacheable("aspirations", "offices", "kim", "wilayah")
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
            "moderation": moderation_queue.queue_counts(user) if moderation_queue.is_moderator(user) else None,
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
