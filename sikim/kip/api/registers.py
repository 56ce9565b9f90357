"""The Daftar Informasi Publik under /api/v1/kip/registers.

- Public: `GET /registers` (bodies with a published register), `GET /registers/{slug}/entries`
  (search with `q`, `category`, `year`) and one entry with its document's download URL (none
  for exempted information, whose reason is shown instead).
- The body's PPID (and a national administrator): `GET /registers/{slug}/manage` (drafts and
  withdrawn entries too), create (multipart, with an optional PDF), change, replace the
  document, withdraw. Every write goes through `services.register.register_entry_save`,
  which redacts the summary and checks the PDF by its content and size.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sikim.accounts import authz
from sikim.core.api_errors import ApiError
from sikim.core.api_pagination import BoundedPagination
from sikim.kip.api.schemas import (
    ERRORS,
    LIST_MAX,
    SLUG_PATTERN,
    EntryIn,
    EntryOut,
    EntryPatchIn,
    ErrorOut,
    RegisterFilters,
    service_error,
)
from sikim.kip.models import RegisterEntry
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.register import register_entries_for_action, register_public
from sikim.kip.services.register import register_entry_save
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import REGION_CODE_PATTERN, subtree_q

router = Router()

PK_MAX = 2_147_483_647
# Optional multipart file (a `File[...] | None` annotation would not make the operation multipart).
OPTIONAL_DOCUMENT = File(None, description="The PDF (at most 10 MB).")


class BodyOut(Schema):
    slug: str
    name: str
    kind: str
    region_code: str
    region: str
    entries: int = Field(description="Published entries in its register.")


class BodyFilters(Schema):
    region: str | None = Field(None, pattern=REGION_CODE_PATTERN, description="Bodies in this region and below.")


def _body(slug: str) -> GovernmentOffice:
    body = GovernmentOffice.objects.filter(slug=slug, is_active=True).select_related("region").first()
    if body is None:
        raise Http404
    return body


def _kept(request: HttpRequest, slug: str, entry_id: int) -> RegisterEntry:
    """An entry the caller keeps (the body's PPID), or 404."""
    found = (
        register_entries_for_action(request.user, KipAction.MANAGE_REGISTER)
        .filter(body__slug=slug, pk=entry_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _save(request: HttpRequest, entry: RegisterEntry, document: Any = None) -> RegisterEntry:
    try:
        return register_entry_save(actor=request.user, entry=entry, document=document)
    except ValidationError as error:
        raise service_error(error) from None


@router.get(
    "/registers",
    response={200: list[BodyOut], 422: ErrorOut},
    auth=None,
    summary="Public bodies with a published Daftar Informasi Publik (public)",
)
@paginate(BoundedPagination, page_size=50)
def register_bodies(request: HttpRequest, filters: Query[BodyFilters]) -> list[BodyOut]:
    bodies = GovernmentOffice.objects.filter(is_active=True).annotate(
        published=Count("register_entries", filter=Q(register_entries__is_published=True))
    )
    if filters.region:
        bodies = bodies.filter(subtree_q("region_id", filters.region))
    bodies = bodies.filter(published__gt=0).select_related("region").order_by("name")[:LIST_MAX]
    return [
        BodyOut(
            slug=b.slug, name=b.name, kind=b.kind, region_code=b.region_id, region=b.region.name, entries=b.published
        )
        for b in bodies
    ]


@router.get(
    "/registers/{slug}/entries",
    response={200: list[EntryOut], 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="A body's published register entries, searchable (public)",
)
@paginate(BoundedPagination, page_size=50)
def register_entries(
    request: HttpRequest, filters: Query[RegisterFilters], slug: str = Path(..., pattern=SLUG_PATTERN)
) -> list[EntryOut]:
    entries = register_public(
        body=_body(slug), category=str(filters.category or ""), search=filters.q, year=filters.year
    )
    return [EntryOut.of(e) for e in entries[:LIST_MAX]]


@router.get(
    "/registers/{slug}/entries/{entry_id}",
    response={200: EntryOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="One published register entry with its document's download URL (public)",
)
def register_entry(
    request: HttpRequest, slug: str = Path(..., pattern=SLUG_PATTERN), entry_id: int = Path(..., ge=1, le=PK_MAX)
) -> EntryOut:
    entry = register_public(body=_body(slug)).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return EntryOut.of(entry)


@router.get(
    "/registers/{slug}/manage",
    response={200: list[EntryOut], **ERRORS},
    summary="Every entry of a body's register, drafts and withdrawn ones too (the body's PPID)",
)
@paginate(BoundedPagination, page_size=50)
def register_manage_list(request: HttpRequest, slug: str = Path(..., pattern=SLUG_PATTERN)) -> list[EntryOut]:
    body = _body(slug)
    if not authz.can(request.user, KipAction.MANAGE_REGISTER, body):
        raise PermissionDenied
    entries = register_entries_for_action(request.user, KipAction.MANAGE_REGISTER).filter(body=body)
    return [EntryOut.of(e) for e in entries.order_by("category", "-year", "title")[:LIST_MAX]]


@router.post(
    "/registers/{slug}/entries",
    response={201: EntryOut, **ERRORS},
    summary="Add an entry to the body's register (the body's PPID; multipart, the PDF as `document`)",
)
def register_entry_create(
    request: HttpRequest,
    payload: Form[EntryIn],
    slug: str = Path(..., pattern=SLUG_PATTERN),
    document: UploadedFile | None = OPTIONAL_DOCUMENT,
) -> Status[EntryOut]:
    """Exempted entries (dikecualikan) need the Pasal 17 ground and the reason, and carry no document."""
    if "document" in request.POST:
        message = _("Send the document as a PDF file.")
        raise ApiError(422, "invalid", message, [{"field": "document", "message": message}])
    entry = RegisterEntry(
        body=_body(slug),
        category=str(payload.category),
        title=payload.title.strip(),
        summary=payload.summary,
        year=payload.year,
        exemption_ground=str(payload.exemption_ground or ""),
        exemption_reason=payload.exemption_reason.strip(),
        is_published=payload.is_published,
    )
    return Status(201, EntryOut.of(_save(request, entry, document)))


@router.patch(
    "/registers/{slug}/entries/{entry_id}",
    response={200: EntryOut, **ERRORS},
    summary="Change an entry (the body's PPID; only the fields sent change)",
)
def register_entry_update(
    request: HttpRequest,
    payload: EntryPatchIn,
    slug: str = Path(..., pattern=SLUG_PATTERN),
    entry_id: int = Path(..., ge=1, le=PK_MAX),
) -> EntryOut:
    entry = _kept(request, slug, entry_id)
    changes = payload.model_dump(exclude_unset=True)
    for required in ("category", "title", "year", "is_published"):
        if changes.get(required) is None:
            changes.pop(required, None)
    for name, value in changes.items():
        if name in ("category", "exemption_ground", "summary", "exemption_reason"):
            value = str(value or "")
        setattr(entry, name, value)
    return EntryOut.of(_save(request, entry))


@router.post(
    "/registers/{slug}/entries/{entry_id}/document",
    response={200: EntryOut, **ERRORS},
    summary="Attach or replace an entry's PDF (the body's PPID; multipart `document`)",
)
def register_entry_document(
    request: HttpRequest,
    document: File[UploadedFile],
    slug: str = Path(..., pattern=SLUG_PATTERN),
    entry_id: int = Path(..., ge=1, le=PK_MAX),
) -> EntryOut:
    return EntryOut.of(_save(request, _kept(request, slug, entry_id), document))


@router.post(
    "/registers/{slug}/entries/{entry_id}/withdraw",
    response={200: EntryOut, **ERRORS},
    summary="Withdraw an entry from the public register (the body's PPID; it is kept, unpublished)",
)
def register_entry_withdraw(
    request: HttpRequest, slug: str = Path(..., pattern=SLUG_PATTERN), entry_id: int = Path(..., ge=1, le=PK_MAX)
) -> EntryOut:
    entry = _kept(request, slug, entry_id)
    entry.is_published = False
    return EntryOut.of(_save(request, entry))
