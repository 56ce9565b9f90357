"""Writes on the Daftar Informasi Publik: entries, their documents, publishing a response.

Kept by the body's PPID (`KipAction.MANAGE_REGISTER` through a grant naming the body; a national
administrator too). Exempted information (dikecualikan) is listed with its Pasal 17 ground and
the reason, never with its document. Texts shown in public — and a decision's response
published as an entry — are redacted of personal data first (`redact`).
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.accounts import authz
from sikim.aspirations.masking import mask_personal_data
from sikim.audit.services import model_snapshot
from sikim.core.uploads import clean_pdf
from sikim.kip.models import GRANTED_OUTCOMES, Decision, RegisterCategory, RegisterEntry
from sikim.kip.permissions import KipAction
from sikim.kip.selectors.identity import mask_name
from sikim.kip.services.common import audit

ENTRY_FIELDS = ["body", "category", "title", "exemption_ground", "year", "is_published", "published_at"]


def redact(text: str, *, names: tuple[str, ...] = ()) -> str:
    """`text` with emails, phone and NIK numbers masked, and the given names reduced to initials."""
    text = mask_personal_data(text or "")
    for name in names:
        name = " ".join(name.split())
        if len(name) >= 3:
            text = text.replace(name, mask_name(name))
    return text


def _require_register(actor: Any, entry: RegisterEntry) -> None:
    if not authz.can(actor, KipAction.MANAGE_REGISTER, entry):
        raise PermissionDenied


@transaction.atomic
def register_entry_save(
    *, actor: Any, entry: RegisterEntry, document: UploadedFile | None = None, now: datetime | None = None
) -> RegisterEntry:
    """Create or change an entry of the actor's body; the summary is redacted before it is stored."""
    now = now or timezone.now()
    creating = entry.pk is None
    if not creating:
        _require_register(actor, RegisterEntry.objects.select_related("body").get(pk=entry.pk))
    _require_register(actor, entry)
    before = None if creating else model_snapshot(RegisterEntry.objects.get(pk=entry.pk), ENTRY_FIELDS)
    if document is not None:
        if entry.category == RegisterCategory.DIKECUALIKAN:
            raise ValidationError({"document": _("Exempted information is listed without its document.")})
        entry.document = clean_pdf(document)  # type: ignore[assignment]
    if entry.category == RegisterCategory.DIKECUALIKAN:
        if not entry.exemption_ground or not (entry.exemption_reason or "").strip():
            raise ValidationError(
                {"exemption_reason": _("Give the Pasal 17 ground and the reason the information is exempted.")}
            )
    else:
        entry.exemption_ground, entry.exemption_reason = "", ""
    entry.summary = redact(entry.summary)
    if entry.is_published and entry.published_at is None:
        entry.published_at = now
    if not entry.is_published:
        entry.published_at = None
    entry.full_clean()
    entry.save()
    audit(
        actor=actor,
        action="register.create" if creating else "register.update",
        obj=entry,
        before=before,
        fields=ENTRY_FIELDS,
    )
    return entry


@transaction.atomic
def register_publish_response(
    *, actor: Any, decision: Decision, title: str, now: datetime | None = None
) -> RegisterEntry:
    """Publish a granted response as "available at any time" information, redacted of personal data."""
    now = now or timezone.now()
    request = decision.request
    if decision.outcome not in GRANTED_OUTCOMES:
        raise ValidationError(_("Only information that was given can be published in the register."))
    title = (title or "").strip()[:200]
    if not title:
        raise ValidationError({"title": _("Give the entry a title.")})
    entry = RegisterEntry(
        body=request.body,
        category=RegisterCategory.SETIAP_SAAT,
        title=redact(title, names=(request.requester_name,)),
        summary=redact(decision.response_text, names=(request.requester_name,)),
        year=(request.year or now.year),
        is_published=True,
        published_at=now,
        source_decision=decision,
    )
    return register_entry_save(actor=actor, entry=entry, now=now)
