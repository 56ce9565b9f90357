"""The Daftar Informasi Publik pages: the public registers and the PPID's page to keep them.

Public (the same for every anonymous visitor, so `@public_cacheable`):
- `register_index`: the bodies with a published register, and a search across all entries by
  words, region and category;
- `register_body`: one body's register in the four categories of UU 14/2008 — berkala,
  serta-merta, setiap saat, dikecualikan (with the Pasal 17 ground and the reason);
- `register_document`: an entry's PDF (published, not exempted), as an attachment.

The body's PPID (`KipAction.MANAGE_REGISTER` on the body; a national administrator too) adds,
changes and withdraws entries through `services.register.register_entry_save`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikim.accounts import authz
from sikim.core.public_cache import public_cacheable
from sikim.kip.forms_register import BodyRegisterSearchForm, RegisterEntryForm, RegisterSearchForm
from sikim.kip.models import RegisterCategory, RegisterEntry
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.access import body_ids_for
from sikim.kip.selectors.register import register_entries_for_action, register_public
from sikim.kip.services.register import register_entry_save
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import Region, subtree_q

PAGE_SIZE = 25
BODY_PAGE_SIZE = 50
BODY_ENTRIES_MAX = 1000


def _public_body(slug: str) -> GovernmentOffice:
    body = GovernmentOffice.objects.filter(slug=slug, is_active=True).select_related("region").first()
    if body is None:
        raise Http404
    return body


def _bodies_with_registers(region: str) -> QuerySet[GovernmentOffice]:
    bodies = GovernmentOffice.objects.filter(is_active=True).annotate(
        published=Count("register_entries", filter=Q(register_entries__is_published=True))
    )
    if region:
        bodies = bodies.filter(subtree_q("region_id", region))
    return bodies.filter(published__gt=0).select_related("region").order_by("name")


def _region_choices() -> list[tuple[str, str]]:
    """The provinces and kabupaten/kota where some body has a published register."""
    codes = set(
        GovernmentOffice.objects.filter(is_active=True, register_entries__is_published=True)
        .values_list("region_id", flat=True)
        .distinct()
    )
    wanted = {code[:2] for code in codes} | {code[:5] for code in codes if len(code) >= 5}
    return [
        (region.code, region.name if region.level == 1 else f"— {region.name}")
        for region in Region.objects.filter(code__in=wanted).order_by("code")
    ]


@public_cacheable("kip", "offices", "wilayah")
@require_GET
def register_index(request: HttpRequest) -> HttpResponse:
    form = RegisterSearchForm(request.GET or None, regions=_region_choices())
    filters = form.filters()
    searching = bool(filters["q"] or filters["category"])
    context: dict[str, Any] = {"form": form, "filters": filters, "searching": searching}
    if searching:
        entries = register_public(category=filters["category"], search=filters["q"]).filter(body__is_active=True)
        if filters["region"]:
            entries = entries.filter(subtree_q("body__region_id", filters["region"]))
        context["page"] = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        context["page"] = Paginator(_bodies_with_registers(filters["region"]), BODY_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    return render(request, "kip/register/index.html", context)


def _by_category(entries: QuerySet[RegisterEntry]) -> list[tuple[str, str, list[RegisterEntry]]]:
    grouped: dict[str, list[RegisterEntry]] = {value: [] for value in RegisterCategory.values}
    for entry in entries[:BODY_ENTRIES_MAX]:
        grouped[entry.category].append(entry)
    return [(value, str(label), grouped[value]) for value, label in RegisterCategory.choices]


@public_cacheable("kip", "offices", "wilayah")
@require_GET
def register_body(request: HttpRequest, slug: str) -> HttpResponse:
    body = _public_body(slug)
    form = BodyRegisterSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    entries = register_public(body=body, search=search)
    return render(
        request,
        "kip/register/body.html",
        {
            "body": body,
            "form": form,
            "search": search,
            "categories": _by_category(entries),
            "total": entries.count(),
            "can_manage": authz.can(request.user, KipAction.MANAGE_REGISTER, body),
        },
    )


@require_GET
def register_document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The PDF of a published entry; exempted entries never have one."""
    body = _public_body(slug)
    entry = register_public(body=body).exclude(category=RegisterCategory.DIKECUALIKAN).filter(pk=pk).first()
    if entry is None or not entry.document:
        raise Http404
    try:
        handle = entry.document.open("rb")
    except OSError:  # the row is there but the file is gone
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=f"{body.slug}-{entry.pk}.pdf", content_type="application/pdf"
    )


# --- the PPID's pages ----------------------------------------------------------------------------
def _managed_bodies(user: Any) -> QuerySet[GovernmentOffice]:
    bodies = GovernmentOffice.objects.filter(is_active=True).select_related("region").order_by("name")
    by_region = authz.region_scope_q(user, KipAction.MANAGE_REGISTER, "region_id")
    if not by_region:  # Q(): a national administrator keeps every register
        return bodies
    return bodies.filter(by_region | Q(pk__in=body_ids_for(user, KipAction.MANAGE_REGISTER)))


def _body_for_manage(request: HttpRequest, slug: str) -> GovernmentOffice:
    body = _public_body(slug)
    if not authz.can(request.user, KipAction.MANAGE_REGISTER, body):
        raise PermissionDenied
    return body


def _entry_for_manage(request: HttpRequest, body: GovernmentOffice, pk: int) -> RegisterEntry:
    entry = register_entries_for_action(request.user, KipAction.MANAGE_REGISTER).filter(body=body, pk=pk).first()
    if entry is None:
        raise Http404
    return entry


@login_required
@require_GET
def register_manage(request: HttpRequest) -> HttpResponse:
    if not authz.can(request.user, KipAction.MANAGE_REGISTER):
        raise PermissionDenied
    bodies = _managed_bodies(request.user)
    page = Paginator(bodies, BODY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kip/register/manage.html", {"page": page})


@login_required
@require_GET
def register_manage_body(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body_for_manage(request, slug)
    entries = (
        register_entries_for_action(request.user, KipAction.MANAGE_REGISTER)
        .filter(body=body)
        .order_by("category", "-year", "title")
    )
    return render(
        request,
        "kip/register/manage_body.html",
        {"body": body, "page": Paginator(entries, BODY_PAGE_SIZE).get_page(request.GET.get("page"))},
    )


def _add_service_errors(form: RegisterEntryForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def _entry_form(request: HttpRequest, body: GovernmentOffice, entry: RegisterEntry) -> HttpResponse:
    creating = entry.pk is None
    form = RegisterEntryForm(request.POST or None, request.FILES or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            saved = register_entry_save(
                actor=request.user, entry=form.save(commit=False), document=form.cleaned_data.get("document")
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The entry “%(title)s” is saved.") % {"title": saved.title},
            )
            return redirect("kip:register_manage_body", slug=body.slug)
    return render(
        request,
        "kip/register/entry_form.html",
        {"body": body, "form": form, "entry": entry, "creating": creating},
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_entry_create(request: HttpRequest, slug: str) -> HttpResponse:
    body = _body_for_manage(request, slug)
    return _entry_form(request, body, RegisterEntry(body=body, is_published=True))


@login_required
@require_http_methods(["GET", "POST"])
def register_entry_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    body = _body_for_manage(request, slug)
    return _entry_form(request, body, _entry_for_manage(request, body, pk))


@login_required
@require_POST
def register_entry_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Take an entry out of the public register; it is kept, and can be published again."""
    body = _body_for_manage(request, slug)
    entry = _entry_for_manage(request, body, pk)
    entry.is_published = False
    try:
        register_entry_save(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The entry “%(title)s” was withdrawn from the public register.") % {"title": entry.title}
        )
    return redirect("kip:register_manage_body", slug=body.slug)
