"""Forum KIM pages: the public list and page of every forum, and the pembina's management pages."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts import authz
from sikim.forums import selectors, services
from sikim.forums.forms import AddKimForm, BoardSeatFormSet, ForumCreateForm, ForumDetailsForm, ForumFilterForm
from sikim.kim.models import Kim
from sikim.kim.permissions import KimAction
from sikim.wilayah.models import Region

PAGE_SIZE = 50


def _apply_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the fields it names."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@require_GET
def forum_list(request: HttpRequest) -> HttpResponse:
    """/forum/: every Forum KIM, by level, narrowed by level and region."""
    form = ForumFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    forums = selectors.forums_public(level=filters.get("level") or "", region_code=filters.get("wilayah") or "")
    page = Paginator(forums, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    region = Region.objects.filter(code=filters["wilayah"]).first() if filters.get("wilayah") else None
    return render(
        request,
        "forums/forum_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "region": region,
            "can_create": authz.can(request.user, KimAction.MANAGE_FORUM),
        },
    )


@require_GET
def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/forum/<slug>/: about, level, region, member KIMs, board and formation record."""
    forum_page = selectors.forum_public_page(slug)
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum_page.forum,
            "kims": forum_page.kims,
            "board": forum_page.board,
            "can_manage": authz.can(request.user, KimAction.MANAGE_FORUM, forum_page.forum),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_create(request: HttpRequest) -> HttpResponse:
    """Found a forum: a pembina within their region; the national admin anywhere."""
    if not authz.can(request.user, KimAction.MANAGE_FORUM):
        raise PermissionDenied
    national = authz.is_national_admin(request.user)
    regions = selectors.forum_regions_for(request.user)
    form = ForumCreateForm(request.POST or None, regions=regions, national=national)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forum = services.forum_create(
                actor=request.user,
                name=data["name"],
                level=data["level"],
                region_code=data["region"] or None,
                about=data["about"],
                formed_on=data["formed_on"],
                formation_place=data["formation_place"],
                formation_notes=data["formation_notes"],
                decree_number=data["decree_number"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied:
            form.add_error("region", _("You may only found forums inside your own region."))
        else:
            messages.success(request, _("Forum created. Now add its KIMs."))
            return redirect("forums:manage", slug=forum.slug)
    return render(request, "forums/forum_form.html", {"form": form})


def _manage_context(request: HttpRequest, forum: Any, **extra: Any) -> dict[str, Any]:
    q = request.GET.get("q", "")[:100].replace("\x00", "")
    kims = selectors.kims_joinable(forum, q=q)
    context = {
        "forum": forum,
        "memberships": list(selectors.forum_memberships(forum)),
        "details_form": ForumDetailsForm(
            initial={name: getattr(forum, name) for name in services.EDITABLE_FIELDS}, prefix="details"
        ),
        "add_form": AddKimForm(kims=kims, prefix="add"),
        "q": q,
        "board": selectors.forum_current_board(forum),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def forum_manage(request: HttpRequest, slug: str) -> HttpResponse:
    forum = selectors.forum_for_manage(request.user, slug)
    return render(request, "forums/forum_manage.html", _manage_context(request, forum))


@login_required
@require_POST
def forum_edit(request: HttpRequest, slug: str) -> HttpResponse:
    forum = selectors.forum_for_manage(request.user, slug)
    form = ForumDetailsForm(request.POST, prefix="details")
    if form.is_valid():
        try:
            services.forum_update(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Forum saved."))
            return redirect("forums:manage", slug=forum.slug)
    return render(request, "forums/forum_manage.html", _manage_context(request, forum, details_form=form), status=400)


@login_required
@require_POST
def forum_add_kim(request: HttpRequest, slug: str) -> HttpResponse:
    forum = selectors.forum_for_manage(request.user, slug)
    slug_posted = request.POST.get("add-kim", "")[:220]
    kim = Kim.objects.select_related("region").filter(slug=slug_posted).first() if slug_posted else None
    candidates = selectors.kims_joinable(forum)
    if kim is not None and kim not in candidates:
        candidates.append(kim)  # let the form accept it: the service explains why it cannot join
    form = AddKimForm(request.POST, kims=candidates, prefix="add")
    if form.is_valid() and kim is not None:
        try:
            services.forum_add_kim(actor=request.user, forum=forum, kim=kim, joined_on=form.cleaned_data["joined_on"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(kim)s joined the forum.") % {"kim": kim.name})
            return redirect("forums:manage", slug=forum.slug)
    elif kim is None:
        form.add_error("kim", _("Choose a KIM."))
    context = _manage_context(request, forum, add_form=form)
    return render(request, "forums/forum_manage.html", context, status=400)


@login_required
@require_POST
def forum_remove_kim(request: HttpRequest, slug: str, kim_slug: str) -> HttpResponse:
    forum = selectors.forum_for_manage(request.user, slug)
    membership = selectors.forum_memberships(forum).filter(kim__slug=kim_slug[:220]).first()
    if membership is None:
        messages.error(request, _("That KIM is not a member of this forum."))
        return redirect("forums:manage", slug=forum.slug)
    services.forum_remove_kim(actor=request.user, forum=forum, kim=membership.kim)
    messages.success(request, _("%(kim)s left the forum.") % {"kim": membership.kim.name})
    return redirect("forums:manage", slug=forum.slug)


@login_required
@require_http_methods(["GET", "POST"])
def forum_board(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the forum's current board: one row per seat; empty rows are ignored."""
    forum = selectors.forum_for_manage(request.user, slug)
    memberships = list(selectors.forum_memberships(forum))
    kims_by_slug = {m.kim.slug: m.kim for m in memberships}
    kim_choices = [(m.kim.slug, m.kim.name) for m in memberships]
    form_kwargs = {"kim_choices": kim_choices}
    board_errors: list[str] = []
    if request.method == "POST":
        formset = BoardSeatFormSet(request.POST, form_kwargs=form_kwargs)
        if formset.is_valid():
            seats = [
                services.BoardSeatInput(
                    person_name=f.cleaned_data["person_name"],
                    position=f.cleaned_data["position"],
                    starts_on=f.cleaned_data["starts_on"],
                    ends_on=f.cleaned_data["ends_on"],
                    from_kim=kims_by_slug.get(f.cleaned_data["from_kim"]),
                )
                for f in formset.forms
                if not f.is_blank()
            ]
            try:
                services.forum_set_board(actor=request.user, forum=forum, seats=seats)
            except ValidationError as error:
                board_errors = error.messages
            else:
                messages.success(request, _("Board saved."))
                return redirect("forums:manage", slug=forum.slug)
    else:
        initial = [
            {
                "person_name": seat.person_name,
                "position": seat.position,
                "from_kim": seat.from_kim.slug if seat.from_kim else "",
                "starts_on": seat.starts_on,
                "ends_on": seat.ends_on,
            }
            for seat in selectors.forum_board_for_edit(forum)
        ]
        formset = BoardSeatFormSet(initial=initial, form_kwargs=form_kwargs)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "forums/forum_board_form.html",
        {"forum": forum, "formset": formset, "board_errors": board_errors},
        status=status,
    )
