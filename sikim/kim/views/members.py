"""A KIM's own pages: members (with import and export), board, and kelompok desiminasi.

Every page first finds the KIM through `kim_for_internal_pages`, so a KIM the viewer neither
belongs to nor fosters does not exist for them (404). Anggota see counts, the board and group
names; the pengurus and the pembina also see and manage the member list with personal data.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts.authz import can
from sikim.dissemination.services.optout import telegram_link_url
from sikim.dissemination.services.push import push_subscribe_url, vapid_public_key
from sikim.kim.forms_members import (
    BoardTermEndForm,
    BoardTermForm,
    DisseminationGroupForm,
    MemberEditForm,
    MemberFilterForm,
    MemberForm,
    MemberImportForm,
    SeksiFormSet,
)
from sikim.kim.models import BoardPositionKind, ImportStatus, Kim, KimMember
from sikim.kim.permissions import KimAction
from sikim.kim.selectors import members as selectors
from sikim.kim.services import board as board_services
from sikim.kim.services import groups as group_services
from sikim.kim.services import member_import as import_services
from sikim.kim.services import members as member_services

PAGE_SIZE = 25


def _add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the fields it names (elsewhere: at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _require(request: HttpRequest, action: str, kim: Kim) -> None:
    if not can(request.user, action, kim):
        raise PermissionDenied


def _context(request: HttpRequest, kim: Kim, tab: str, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "kim": kim,
        "tab": tab,
        "can_list_members": selectors.can_list_members(user, kim),
        "can_manage_members": can(user, KimAction.MANAGE_MEMBERS, kim),
        "can_manage_board": can(user, KimAction.MANAGE_BOARD, kim),
        "can_manage_groups": can(user, KimAction.MANAGE_GROUPS, kim),
        "personal_visible": selectors.personal_data_visible(user, kim),
        **extra,
    }


# --- Members ---------------------------------------------------------------------------------


@require_GET
@login_required
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    context = _context(request, kim, "members", counts=selectors.member_counts(kim))
    if context["can_list_members"]:
        form = MemberFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        members = selectors.members_filtered(
            request.user,
            kim,
            search=filters.get("q") or "",
            sector=filters.get("sector") or "",
            kind=filters.get("kind") or "",
            active=form.active_filter() if form.is_valid() else True,
        )
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form, page=Paginator(members, PAGE_SIZE).get_page(request.GET.get("page")), query=query.urlencode()
        )
    return render(request, "kim/members/member_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_MEMBERS, kim)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_services.member_add(actor=request.user, kim=kim, **form.service_fields())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s is now a member of %(kim)s.") % {"name": member.name, "kim": kim.name}
            )
            if "add_another" in request.POST:
                return redirect("kim:member_add", slug=kim.slug)
            return redirect("kim:member_list", slug=kim.slug)
    return render(request, "kim/members/member_form.html", _context(request, kim, "members", form=form))


@require_http_methods(["GET", "POST"])
@login_required
def member_edit(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    member = selectors.member_get(request.user, kim, member_id)
    _require(request, KimAction.MANAGE_MEMBERS, kim)
    form = MemberEditForm(request.POST or None, initial=MemberEditForm.initial_from(member))
    if request.method == "POST" and form.is_valid():
        try:
            member_services.member_update(actor=request.user, member=member, **form.service_fields())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The details of %(name)s are saved.") % {"name": member.name})
            return redirect("kim:member_list", slug=kim.slug)
    context = _context(request, kim, "members", form=form, member=member, **_channel_links(member))
    return render(request, "kim/members/member_form.html", context)


def _channel_links(member: KimMember) -> dict[str, str]:
    """The member's personal links for the pengurus to pass on (empty when the channel is off)."""
    try:
        telegram = telegram_link_url(member)
    except ValueError:  # no bot username configured
        telegram = ""
    return {
        "telegram_link": telegram,
        "webpush_link": push_subscribe_url(member) if vapid_public_key() else "",
    }


@require_POST
@login_required
def member_deactivate(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    member = selectors.member_get(request.user, kim, member_id)
    member_services.member_deactivate(actor=request.user, member=member)
    messages.success(request, _("%(name)s is no longer listed as an active member.") % {"name": member.name})
    return redirect("kim:member_list", slug=kim.slug)


@require_GET
@login_required
def member_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    export = member_services.member_export(actor=request.user, kim=kim, file_format=file_format)  # type: ignore[arg-type]
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Import ----------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def member_import(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_MEMBERS, kim)
    form = MemberImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = import_services.member_import_preview(
                actor=request.user, kim=kim, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            return redirect("kim:member_import_detail", slug=kim.slug, import_id=imported.pk)
    context = _context(
        request,
        kim,
        "members",
        form=form,
        imports=selectors.member_imports_recent(request.user, kim),
        max_megabytes=import_services.MAX_IMPORT_BYTES // (1024 * 1024),
        max_rows=import_services.MAX_IMPORT_ROWS,
    )
    return render(request, "kim/members/member_import.html", context)


@require_GET
@login_required
def member_import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """An empty member list with the column names the import understands, and one example row."""
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_MEMBERS, kim)
    lines = [
        "nama;telepon;email;jenis_kelamin;kelompok_umur;pekerjaan;sektor;kanal",
        "Contoh Nama;0812-0000-0000;contoh@example.id;P;30-44;Petani;pertanian;whatsapp",
    ]
    response = HttpResponse(("\ufeff" + "\r\n".join(lines) + "\r\n").encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-anggota.csv"'
    return response


def _import_context(request: HttpRequest, kim: Kim, import_id: int) -> dict[str, Any]:
    imported = selectors.member_import_get(request.user, kim, import_id)
    return _context(
        request,
        kim,
        "members",
        imported=imported,
        running=imported.status == ImportStatus.RUNNING,
        percent=(100 * imported.processed_rows // imported.total_rows) if imported.total_rows else 0,
        hidden_errors=max(0, imported.total_rows - imported.valid_rows - len(imported.row_errors)),
    )


@never_cache
@require_GET
@login_required
def member_import_detail(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    context = _import_context(request, kim, import_id)
    context["preview"] = import_services.member_import_preview_rows(context["imported"])
    return render(request, "kim/members/member_import_detail.html", context)


@never_cache
@require_GET
@login_required
def member_import_progress(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    """The progress box alone, polled by htmx every 2 seconds while the import runs."""
    kim = selectors.kim_for_internal_pages(request.user, slug)
    return render(request, "kim/members/_import_progress.html", _import_context(request, kim, import_id))


@require_POST
@login_required
def member_import_confirm(request: HttpRequest, slug: str, import_id: int) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    imported = selectors.member_import_get(request.user, kim, import_id)
    was_waiting = imported.status == ImportStatus.PREVIEW
    try:
        imported = import_services.member_import_confirm(actor=request.user, member_import=imported)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_waiting:
            messages.success(request, _("The import has started."))
        else:
            messages.info(request, _("This import was already confirmed; it is not imported twice."))
    return redirect("kim:member_import_detail", slug=kim.slug, import_id=imported.pk)


# --- Board -----------------------------------------------------------------------------------


@require_GET
@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    terms = selectors.board_terms(kim)
    current = selectors.board_current_term(terms)
    context = _context(
        request,
        kim,
        "board",
        terms=terms,
        current=current,
        past=[term for term in terms if term is not current],
        end_form=BoardTermEndForm(),
        officer_order=[kind.value for kind in BoardPositionKind],
    )
    return render(request, "kim/members/board.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def board_term_add(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_BOARD, kim)
    members = selectors.member_choices(kim)
    data = request.POST or None
    form = BoardTermForm(data, members=members)
    seksi = SeksiFormSet(data, prefix="seksi", form_kwargs={"members": members})
    if request.method == "POST" and form.is_valid() and seksi.is_valid():
        positions = [
            board_services.PositionSpec(position=name, member=form.cleaned_data[name])
            for name in BoardTermForm.OFFICERS
            if form.cleaned_data.get(name)
        ]
        positions += [
            board_services.PositionSpec(
                position=BoardPositionKind.SEKSI, member=row["member"], section_name=row["section_name"]
            )
            for row in seksi.cleaned_data
            if row.get("member")
        ]
        try:
            board_services.board_term_create(
                actor=request.user,
                kim=kim,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data.get("ends_on"),
                decree_number=form.cleaned_data.get("decree_number") or "",
                positions=positions,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The new board term is saved."))
            return redirect("kim:board", slug=kim.slug)
    return render(
        request,
        "kim/members/board_term_form.html",
        _context(request, kim, "board", form=form, seksi=seksi, has_members=members.exists()),
    )


@require_POST
@login_required
def board_term_end(request: HttpRequest, slug: str, term_id: int) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_BOARD, kim)
    term = selectors.board_term_get(kim, term_id)
    form = BoardTermEndForm(request.POST)
    if form.is_valid():
        try:
            board_services.board_term_end(actor=request.user, term=term, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The end of the term is saved."))
    else:
        messages.error(request, _("Enter the date the term ends."))
    return redirect("kim:board", slug=kim.slug)


# --- Kelompok desiminasi -----------------------------------------------------------------------


@require_GET
@login_required
def group_list(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    with_members = selectors.can_list_members(request.user, kim)
    groups = selectors.dissemination_groups(kim, with_members=with_members)
    return render(request, "kim/members/group_list.html", _context(request, kim, "groups", groups=groups))


@require_http_methods(["GET", "POST"])
@login_required
def group_add(request: HttpRequest, slug: str) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_GROUPS, kim)
    form = DisseminationGroupForm(request.POST or None, members=selectors.member_choices(kim))
    if request.method == "POST" and form.is_valid():
        try:
            group = group_services.dissemination_group_create(
                actor=request.user,
                kim=kim,
                name=form.cleaned_data["name"],
                coordinator=form.cleaned_data.get("coordinator"),
                members=form.cleaned_data.get("members") or [],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The group %(name)s is saved.") % {"name": group.name})
            return redirect("kim:group_list", slug=kim.slug)
    return render(request, "kim/members/group_form.html", _context(request, kim, "groups", form=form))


@require_http_methods(["GET", "POST"])
@login_required
def group_edit(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_GROUPS, kim)
    group = selectors.dissemination_group_get(kim, group_id)
    initial = {"name": group.name, "coordinator": group.coordinator, "members": list(group.members.all())}
    form = DisseminationGroupForm(request.POST or None, initial=initial, members=selectors.member_choices(kim))
    if request.method == "POST" and form.is_valid():
        try:
            group_services.dissemination_group_update(
                actor=request.user,
                group=group,
                name=form.cleaned_data["name"],
                coordinator=form.cleaned_data.get("coordinator"),
                members=form.cleaned_data.get("members") or [],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The group %(name)s is saved.") % {"name": group.name})
            return redirect("kim:group_list", slug=kim.slug)
    return render(request, "kim/members/group_form.html", _context(request, kim, "groups", form=form, group=group))


@require_POST
@login_required
def group_delete(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    kim = selectors.kim_for_internal_pages(request.user, slug)
    _require(request, KimAction.MANAGE_GROUPS, kim)
    group = selectors.dissemination_group_get(kim, group_id)
    name = group.name
    group_services.dissemination_group_delete(actor=request.user, group=group)
    messages.success(request, _("The group %(name)s is removed.") % {"name": name})
    return redirect("kim:group_list", slug=kim.slug)
