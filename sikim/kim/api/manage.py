"""/api/v1/kim/: proposing KIMs and managing them (formation, registration, status, profile, documents).

Every call needs an account (a session or a write token for changes). A KIM outside the
caller's scope answers 404; an action their role does not allow answers 403; bad input 422.
Citizens without an account propose a KIM on the web form at /kim/usulkan/ instead.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from sikim.accounts import authz
from sikim.kim.models import DocumentKind, Kim, KimDocument, KimStatus, Sector
from sikim.kim.permissions import KimAction
from sikim.kim.selectors.registry import (
    kim_document_for_manage,
    kim_documents_for_manage,
    kim_for_manage,
    kim_worklist,
)
from sikim.kim.services.documents import kim_document_delete, kim_document_set_public, kim_document_upload
from sikim.kim.services.lifecycle import (
    kim_change_status,
    kim_propose,
    kim_record_formation,
    kim_register,
)
from sikim.kim.services.profile import SOCIAL_NETWORKS, kim_update_profile

router = Router()


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class KimManageOut(Schema):
    slug: str
    name: str
    status: KimStatus
    status_label: str
    region_code: str
    region_name: str
    registration_number: str | None
    registered_at: datetime | None
    pembina_office: str | None
    has_village_sibling: bool = Field(description="Another KIM (not dissolved) exists in the same village.")
    created_at: datetime

    @staticmethod
    def of(kim: Kim) -> "KimManageOut":
        return KimManageOut(
            slug=kim.slug,
            name=kim.name,
            status=KimStatus(kim.status),
            status_label=str(kim.get_status_display()),
            region_code=kim.region_id,
            region_name=kim.region.full_name,
            registration_number=kim.registration_number,
            registered_at=kim.registered_at,
            pembina_office=kim.pembina_office.name if kim.pembina_office else None,
            has_village_sibling=kim.has_village_sibling,
            created_at=kim.created_at,
        )


class KimProfileOut(KimManageOut):
    about: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    phone: str
    email: str
    website: str
    social_links: dict[str, str]
    run_by_group: str
    sectors: list[str]

    @staticmethod
    def of(kim: Kim) -> "KimProfileOut":
        return KimProfileOut(
            **KimManageOut.of(kim).model_dump(),
            about=kim.about,
            address=kim.address,
            latitude=kim.latitude,
            longitude=kim.longitude,
            phone=kim.phone,
            email=kim.email,
            website=kim.website,
            social_links=kim.social_links or {},
            run_by_group=kim.run_by_group,
            sectors=sorted(kim.sectors.values_list("sector", flat=True)),
        )


class WorklistOut(Schema):
    awaiting_formation: list[KimManageOut]
    awaiting_registration: list[KimManageOut]
    village_warnings: list[KimManageOut]
    running: list[KimManageOut]
    dissolved: list[KimManageOut]


class ProposalIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    village_code: str = Field(max_length=13, description="Kemendagri code of the desa/kelurahan, e.g. 63.72.05.1004")
    about: str = Field("", max_length=5000)
    sectors: list[Sector] = Field(default_factory=list)
    run_by_group: str = Field("", max_length=200)
    proposer_name: str = Field("", max_length=150, description="Defaults to the caller's name.")
    proposer_contact: str = Field(
        "", max_length=150, description="Phone or email; defaults to the caller's. Never shown publicly."
    )


class FormationIn(Schema):
    held_on: date
    place: str = Field(max_length=300)
    attendees_count: int = Field(ge=1, le=100_000)
    facilitators: list[int] = Field(default_factory=list, description="Ids of Dinas Kominfo officers present")
    facilitator_names: str = Field("", max_length=500)
    minutes: str = Field("", max_length=20000)
    decree_number: str = Field(max_length=100)
    decree_date: date
    decree_issued_by: str = Field("", max_length=200)


class StatusIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_status: KimStatus
    note: str = Field("", max_length=500)


class ProfileIn(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=200)
    about: str | None = Field(None, max_length=5000)
    address: str | None = Field(None, max_length=300)
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    social_links: dict[str, str] | None = Field(None, description=f"Keys: {', '.join(SOCIAL_NETWORKS)}")
    run_by_group: str | None = Field(None, max_length=200)
    sectors: list[Sector] | None = None


class DocumentIn(Schema):
    kind: DocumentKind
    title: str = Field(max_length=200)
    is_public: bool = True


class DocumentPatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    is_public: bool


class DocumentOut(Schema):
    id: int
    kind: DocumentKind
    title: str
    is_public: bool
    created_at: datetime
    download_url: str

    @staticmethod
    def of(document: KimDocument) -> "DocumentOut":
        return DocumentOut(
            id=document.pk,
            kind=DocumentKind(document.kind),
            title=document.title,
            is_public=document.is_public,
            created_at=document.created_at,
            download_url=reverse(
                "kim:manage_document_download", kwargs={"slug": document.kim.slug, "document_id": document.pk}
            ),
        )


@router.get("/manage", response={200: WorklistOut, **ERRORS}, summary="The caller's KIM worklist, by lifecycle step")
def worklist(request: HttpRequest) -> WorklistOut:
    """KIMs the caller fosters (pembina: their region) or runs (pengurus: their KIM)."""
    authz.require(request.user, KimAction.EDIT_PROFILE)
    work = kim_worklist(request.user)
    return WorklistOut(
        awaiting_formation=[KimManageOut.of(kim) for kim in work.awaiting_formation],
        awaiting_registration=[KimManageOut.of(kim) for kim in work.awaiting_registration],
        village_warnings=[KimManageOut.of(kim) for kim in work.village_warnings],
        running=[KimManageOut.of(kim) for kim in work.running],
        dissolved=[KimManageOut.of(kim) for kim in work.dissolved],
    )


@router.post("/proposals", response={201: KimManageOut, **ERRORS}, summary="Propose a KIM for a desa/kelurahan")
def propose(request: HttpRequest, payload: ProposalIn) -> Status[KimManageOut]:
    """Needs an account; people without one use the web form at /kim/usulkan/.

    The village must be a desa/kelurahan: a kecamatan or larger region is refused (422).
    """
    kim = kim_propose(
        actor=request.user,
        name=payload.name,
        village=payload.village_code,
        about=payload.about,
        sectors=[str(sector) for sector in payload.sectors],
        run_by_group=payload.run_by_group,
        proposer_name=payload.proposer_name,
        proposer_contact=payload.proposer_contact,
    )
    return Status(201, KimManageOut.of(kim))


@router.post(
    "/{slug}/formation",
    response={200: KimManageOut, **ERRORS},
    summary="Record the formation meeting with its decree (SK) as PDF (multipart)",
)
def record_formation(
    request: HttpRequest,
    slug: str,
    payload: Form[FormationIn],
    decree_pdf: File[UploadedFile],
    statutes_pdf: File[UploadedFile] | None = None,
    photos: File[list[UploadedFile]] | None = None,
) -> KimManageOut:
    """The pembina of the KIM's region; the KIM must be proposed. PDFs up to 10 MB, up to 10 photos."""
    kim = kim_for_manage(request.user, slug)
    kim_record_formation(
        actor=request.user,
        kim=kim,
        decree_pdf=decree_pdf,
        statutes_pdf=statutes_pdf,
        photos=photos or [],
        **payload.model_dump(),
    )
    return KimManageOut.of(kim)


@router.post("/{slug}/register", response={200: KimManageOut, **ERRORS}, summary="Register a formed KIM")
def register(request: HttpRequest, slug: str) -> KimManageOut:
    """Gives the next registration number of the KIM's kabupaten/kota, e.g. KIM-63.72-0007."""
    kim = kim_for_manage(request.user, slug)
    kim_register(actor=request.user, kim=kim)
    return KimManageOut.of(kim)


@router.post("/{slug}/status", response={200: KimManageOut, **ERRORS}, summary="Change a KIM's status")
def change_status(request: HttpRequest, slug: str, payload: StatusIn) -> KimManageOut:
    """Along the lifecycle only (e.g. registered → active → inactive); a note is needed to deactivate or dissolve."""
    kim = kim_for_manage(request.user, slug)
    kim_change_status(actor=request.user, kim=kim, to_status=str(payload.to_status), note=payload.note)
    return KimManageOut.of(kim)


@router.get("/{slug}/profile", response={200: KimProfileOut, **ERRORS}, summary="A managed KIM's profile")
def profile(request: HttpRequest, slug: str) -> KimProfileOut:
    return KimProfileOut.of(kim_for_manage(request.user, slug))


@router.patch("/{slug}/profile", response={200: KimProfileOut, **ERRORS}, summary="Change a KIM's profile")
def update_profile(request: HttpRequest, slug: str, payload: ProfileIn) -> KimProfileOut:
    """The KIM's pengurus or pembina. Only the fields sent change; the logo is changed on the web page."""
    kim = kim_for_manage(request.user, slug)
    changes = payload.model_dump(exclude_unset=True)
    for text_field in ("name", "about", "address", "phone", "email", "website", "run_by_group"):
        if text_field in changes and changes[text_field] is None:
            changes[text_field] = ""
    if "sectors" in changes:
        changes["sectors"] = [str(sector) for sector in changes["sectors"] or []]
    kim_update_profile(actor=request.user, kim=kim, **changes)
    return KimProfileOut.of(kim)


def _kim_with_documents(request: HttpRequest, slug: str) -> Kim:
    kim = kim_for_manage(request.user, slug)
    authz.require(request.user, KimAction.MANAGE_DOCUMENTS, kim)
    return kim


@router.get("/{slug}/documents", response={200: list[DocumentOut], **ERRORS}, summary="A KIM's documents")
def documents(request: HttpRequest, slug: str) -> list[DocumentOut]:
    """Internal documents included: for the KIM's pengurus and pembina."""
    kim = _kim_with_documents(request, slug)
    return [DocumentOut.of(document) for document in kim_documents_for_manage(kim)]


@router.post(
    "/{slug}/documents",
    response={201: DocumentOut, **ERRORS},
    summary="Upload a PDF document (multipart)",
)
def upload_document(
    request: HttpRequest, slug: str, payload: Form[DocumentIn], file: File[UploadedFile]
) -> Status[DocumentOut]:
    kim = _kim_with_documents(request, slug)
    document = kim_document_upload(
        actor=request.user,
        kim=kim,
        kind=str(payload.kind),
        title=payload.title,
        file=file,
        is_public=payload.is_public,
    )
    return Status(201, DocumentOut.of(document))


@router.patch(
    "/{slug}/documents/{document_id}",
    response={200: DocumentOut, **ERRORS},
    summary="Make a document public or internal",
)
def update_document(request: HttpRequest, slug: str, document_id: int, payload: DocumentPatchIn) -> DocumentOut:
    kim = kim_for_manage(request.user, slug)
    document = kim_document_for_manage(request.user, kim, document_id)
    kim_document_set_public(actor=request.user, document=document, is_public=payload.is_public)
    return DocumentOut.of(document)


@router.delete("/{slug}/documents/{document_id}", response={204: None, **ERRORS}, summary="Delete a document")
def delete_document(request: HttpRequest, slug: str, document_id: int) -> Status[None]:
    kim = kim_for_manage(request.user, slug)
    document = kim_document_for_manage(request.user, kim, document_id)
    kim_document_delete(actor=request.user, document=document)
    return Status(204, None)
