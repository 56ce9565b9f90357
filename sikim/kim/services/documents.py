"""Writes for a KIM's documents (the SK, the AD/ART, other PDFs).

Files are checked by content (`clean_pdf`) and stored under a random name, so neither the
uploader's file name nor a guessable path reaches the storage.
"""

from typing import Any, Final
from uuid import uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.audit.services import audit_record, model_snapshot
from sikim.core.uploads import clean_pdf
from sikim.kim.models import DocumentKind, Kim, KimDocument, KimStatus
from sikim.kim.permissions import KimAction

TITLE_MAX_LENGTH: Final = 200
AUDIT_FIELDS: Final = ["kind", "title", "is_public", "file"]


def clean_document_title(title: Any, *, field: str = "title") -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValidationError({field: _("Give the document a title.")})
    title = " ".join(title.split())
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({field: _("A title can be at most %(max)d characters long.") % {"max": TITLE_MAX_LENGTH}})
    return title


def checked_pdf(upload: Any, *, field: str, required: bool = True) -> UploadedFile | None:
    """The upload if it is a real PDF within the limit; a ValidationError on `field` if not."""
    if upload is None or upload == "":
        if required:
            raise ValidationError({field: _("Choose a PDF file to upload.")})
        return None
    if not hasattr(upload, "read") or not hasattr(upload, "size"):
        raise ValidationError({field: _("Choose a PDF file to upload.")})
    try:
        return clean_pdf(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


def store_kim_document(
    *, kim: Kim, kind: str, title: str, upload: UploadedFile, is_public: bool, uploaded_by: Any
) -> KimDocument:
    """Save an already-checked PDF as a document of `kim`.

    A building block for services that have checked permission and the file themselves
    (`kim_document_upload`, `kim_record_formation`); never called from views.
    """
    document = KimDocument(
        kim=kim,
        kind=kind,
        title=title,
        is_public=is_public,
        uploaded_by=uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None,
    )
    upload.seek(0)
    document.file.save(f"{kim.slug}-{kind}-{uuid4().hex[:16]}.pdf", upload, save=False)
    try:
        document.save()
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def _require_documents(actor: Any, kim: Kim) -> None:
    authz.require(actor, KimAction.MANAGE_DOCUMENTS, kim)
    if kim.status == KimStatus.DIBUBARKAN and not authz.can(actor, KimAction.CHANGE_STATUS, kim):
        raise PermissionDenied


def _delete_file_after_commit(document: KimDocument) -> None:
    storage, name = document.file.storage, document.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def kim_document_upload(
    *, actor: Any, kim: Kim, kind: str, title: str, file: Any, is_public: bool = True
) -> KimDocument:
    """Add a PDF to a KIM's documents (its pengurus or pembina)."""
    _require_documents(actor, kim)
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [_("Choose the kind of document.")]
    try:
        title = clean_document_title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        upload = checked_pdf(file, field="file")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assert upload is not None  # checked_pdf with required=True
    document = store_kim_document(
        kim=kim, kind=kind, title=title, upload=upload, is_public=bool(is_public), uploaded_by=actor
    )
    audit_record(actor=actor, action="kim.document.upload", obj=kim, after=model_snapshot(document, AUDIT_FIELDS))
    return document


@transaction.atomic
def kim_document_set_public(*, actor: Any, document: KimDocument, is_public: bool) -> KimDocument:
    """Show a document on the KIM's public page, or keep it internal."""
    _require_documents(actor, document.kim)
    if document.is_public == bool(is_public):
        return document
    before = model_snapshot(document, ["title", "is_public"])
    document.is_public = bool(is_public)
    document.save(update_fields=["is_public", "updated_at"])
    audit_record(
        actor=actor,
        action="kim.document.set_public",
        obj=document.kim,
        before=before,
        after=model_snapshot(document, ["title", "is_public"]),
    )
    return document


@transaction.atomic
def kim_document_delete(*, actor: Any, document: KimDocument) -> None:
    """Remove a document. The decree (SK) is part of the formation record: only the pembina removes it."""
    kim = document.kim
    _require_documents(actor, kim)
    if document.kind == DocumentKind.SK and not authz.can(actor, KimAction.RECORD_FORMATION, kim):
        raise PermissionDenied(_("The decree (SK) is part of the formation record; only the pembina can remove it."))
    before = model_snapshot(document, AUDIT_FIELDS)
    _delete_file_after_commit(document)
    document.delete()
    audit_record(actor=actor, action="kim.document.delete", obj=kim, before=before)
