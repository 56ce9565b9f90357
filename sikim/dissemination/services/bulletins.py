"""Writing bulletins: drafts, publishing (with the cascade into KIM inboxes) and corrections.

A published bulletin is never edited: a correction is a new bulletin linked by `corrects`
that reaches the same people.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import markdown
import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.accounts.authz import AnyUser, require
from sikim.audit.services import audit_record, model_snapshot
from sikim.core.uploads import clean_image, clean_pdf
from sikim.dissemination import selectors
from sikim.dissemination.models import (
    Bulletin,
    BulletinCategory,
    BulletinStatus,
    BulletinTarget,
    FanOutRun,
    InboxStatus,
    KimDisseminationSetting,
    KimInboxItem,
    Priority,
    RedisseminationMode,
)
from sikim.dissemination.permissions import DisseminationAction
from sikim.forums.models import KimForum
from sikim.kim.models import AgeGroup, DisseminationGroup, Gender, Kim, PembinaOffice, Sector
from sikim.wilayah.models import Region, code_in_subtree

Publisher = PembinaOffice | Kim | KimForum

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str) -> str:
    """Markdown to HTML with everything dangerous removed (scripts, handlers, javascript: links)."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(html, tags=ALLOWED_TAGS, link_rel="noopener noreferrer nofollow")


def plain_text(html: str) -> str:
    return nh3.clean(html, tags=set()).strip()


def _publisher_region(publisher: Publisher) -> str:
    if isinstance(publisher, PembinaOffice | Kim):
        return publisher.region_id
    return publisher.region_id or ""


def _publisher_fields(publisher: Publisher) -> dict[str, Any]:
    if isinstance(publisher, PembinaOffice):
        return {"pembina_office": publisher, "kim": None, "forum": None}
    if isinstance(publisher, Kim):
        return {"pembina_office": None, "kim": publisher, "forum": None}
    return {"pembina_office": None, "kim": None, "forum": publisher}


def _in_scope(scope: str, code: str) -> bool:
    return scope == "" or code_in_subtree(code, scope)


def _check_targets(
    publisher: Publisher, regions: Sequence[str], kims: Sequence[Kim], groups: Sequence[DisseminationGroup]
) -> None:
    """Every target must lie inside the publisher's scope; a KIM targets only itself."""
    if not (regions or kims or groups):
        raise ValidationError({"targets": _("Choose at least one region, KIM or dissemination group.")})
    outside = _("A target lies outside the area you publish for.")
    if isinstance(publisher, Kim):
        if regions or any(k.pk != publisher.pk for k in kims) or any(g.kim_id != publisher.pk for g in groups):
            raise PermissionDenied(outside)
        return
    scope = _publisher_region(publisher)
    for code in regions:
        if not Region.objects.filter(pk=code).exists():
            raise ValidationError({"targets": _("Unknown region %(code)s.") % {"code": code}})
        if not _in_scope(scope, code):
            raise PermissionDenied(outside)
    for kim in kims:
        if not _in_scope(scope, kim.region_id):
            raise PermissionDenied(outside)
    for group in groups:
        if not _in_scope(scope, group.kim.region_id):
            raise PermissionDenied(outside)


def _clean_segments(segments: dict[str, list[str]] | None) -> dict[str, list[str]]:
    segments = segments or {}
    allowed = {
        "segment_sectors": set(Sector.values),
        "segment_genders": set(Gender.values),
        "segment_age_groups": set(AgeGroup.values),
    }
    cleaned: dict[str, list[str]] = {}
    for key in ("segment_sectors", "segment_occupations", "segment_genders", "segment_age_groups"):
        values = sorted({str(v).strip() for v in segments.get(key, []) if str(v).strip()})
        if key in allowed and not set(values) <= allowed[key]:
            raise ValidationError({key: _("Unknown value in the segment filter.")})
        cleaned[key] = values
    return cleaned


def _validate_fields(
    *,
    title: str,
    body_markdown: str,
    category: str,
    priority: str,
    valid_from: datetime | None,
    valid_until: datetime | None,
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("A bulletin needs a title.")
    if len(title) > 200:
        errors["title"] = _("The title is too long (200 characters at most).")
    if not body_markdown.strip():
        errors["body_markdown"] = _("A bulletin needs a body.")
    if len(body_markdown) > 20000:
        errors["body_markdown"] = _("The body is too long (20,000 characters at most).")
    if category not in BulletinCategory.values:
        errors["category"] = _("Unknown category.")
    if priority not in Priority.values:
        errors["priority"] = _("Unknown priority.")
    if valid_from and valid_until and valid_until <= valid_from:
        errors["valid_until"] = _("The end of validity must come after its start.")
    if errors:
        raise ValidationError(errors)


def _set_targets(
    bulletin: Bulletin, regions: Sequence[str], kims: Sequence[Kim], groups: Sequence[DisseminationGroup]
) -> None:
    bulletin.targets.all().delete()
    BulletinTarget.objects.bulk_create(
        [BulletinTarget(bulletin=bulletin, region_id=code) for code in dict.fromkeys(regions)]
        + [BulletinTarget(bulletin=bulletin, kim=kim) for kim in {k.pk: k for k in kims}.values()]
        + [BulletinTarget(bulletin=bulletin, group=g) for g in {g.pk: g for g in groups}.values()]
    )


def _attach(bulletin: Bulletin, attachment: UploadedFile | None, image: UploadedFile | None) -> None:
    if attachment is not None:
        cleaned_pdf = clean_pdf(attachment)
        bulletin.attachment.save(cleaned_pdf.name or "lampiran.pdf", cleaned_pdf, save=False)
    if image is not None:
        cleaned_image = clean_image(image)
        bulletin.image.save(cleaned_image.name or "gambar.jpg", cleaned_image, save=False)


@transaction.atomic
def bulletin_create(
    *,
    actor: AnyUser,
    publisher: Publisher,
    title: str,
    body_markdown: str,
    category: str = BulletinCategory.PEMERINTAHAN,
    priority: str = Priority.NORMAL,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    regions: Sequence[str] = (),
    kims: Sequence[Kim] = (),
    groups: Sequence[DisseminationGroup] = (),
    segments: dict[str, list[str]] | None = None,
    attachment: UploadedFile | None = None,
    image: UploadedFile | None = None,
) -> Bulletin:
    """A draft bulletin of `publisher`, targeted and sanitised, ready to preview and publish."""
    require(actor, DisseminationAction.PUBLISH, publisher)
    _validate_fields(
        title=title,
        body_markdown=body_markdown,
        category=category,
        priority=priority,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _check_targets(publisher, regions, kims, groups)
    bulletin = Bulletin(
        **_publisher_fields(publisher),
        title=title.strip(),
        body_markdown=body_markdown,
        body_html=render_markdown(body_markdown),
        category=category,
        priority=priority,
        valid_from=valid_from,
        valid_until=valid_until,
        region_code=_publisher_region(publisher),
        created_by=actor if actor.is_authenticated else None,
        **_clean_segments(segments),
    )
    _attach(bulletin, attachment, image)
    bulletin.save()
    _set_targets(bulletin, regions, kims, groups)
    audit_record(actor=actor, action="bulletin.create", obj=bulletin, after=model_snapshot(bulletin))
    return bulletin


@transaction.atomic
def bulletin_update(
    *,
    actor: AnyUser,
    bulletin: Bulletin,
    title: str,
    body_markdown: str,
    category: str,
    priority: str,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    regions: Sequence[str] = (),
    kims: Sequence[Kim] = (),
    groups: Sequence[DisseminationGroup] = (),
    segments: dict[str, list[str]] | None = None,
    attachment: UploadedFile | None = None,
    image: UploadedFile | None = None,
) -> Bulletin:
    """Change a draft (or a scheduled bulletin not yet sent). A published bulletin is corrected instead."""
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require(actor, DisseminationAction.PUBLISH, locked.publisher)
    if not locked.is_editable:
        raise ValidationError(_("A published bulletin cannot be edited; publish a correction instead."))
    _validate_fields(
        title=title,
        body_markdown=body_markdown,
        category=category,
        priority=priority,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _check_targets(locked.publisher, regions, kims, groups)  # type: ignore[arg-type]
    before = model_snapshot(locked)
    locked.title = title.strip()
    locked.body_markdown = body_markdown
    locked.body_html = render_markdown(body_markdown)
    locked.category = category
    locked.priority = priority
    locked.valid_from = valid_from
    locked.valid_until = valid_until
    for key, values in _clean_segments(segments).items():
        setattr(locked, key, values)
    _attach(locked, attachment, image)
    locked.save()
    _set_targets(locked, regions, kims, groups)
    audit_record(actor=actor, action="bulletin.update", obj=locked, before=before, after=model_snapshot(locked))
    return locked


def _start_fanout(bulletin: Bulletin, kim: Kim | None) -> FanOutRun:
    from sikim.dissemination import tasks

    run, _created = FanOutRun.objects.get_or_create(bulletin=bulletin, kim=kim)
    transaction.on_commit(lambda: tasks.fanout_run.enqueue(run.pk))
    return run


def _cascade(bulletin: Bulletin) -> None:
    """Publishing from above: an inbox item for every KIM in the audience (KIMs that re-disseminate
    automatically get theirs marked done), then one fan-out to the direct audience."""
    if bulletin.kim_id is None:
        now = timezone.now()
        if bulletin.corrects_id:
            # A correction lands where the original landed, re-disseminated where the original was.
            originals = KimInboxItem.objects.filter(bulletin_id=bulletin.corrects_id)
            kim_modes = {
                item.kim_id: item.status == InboxStatus.REDISSEMINATED for item in originals.only("kim_id", "status")
            }
            notes = {item.kim_id: item.local_note for item in originals.only("kim_id", "local_note")}
        else:
            kim_ids = list(selectors.audience_kim_ids(bulletin).values_list("pk", flat=True))
            automatic = set(
                KimDisseminationSetting.objects.filter(
                    kim_id__in=kim_ids, mode=RedisseminationMode.AUTOMATIC
                ).values_list("kim_id", flat=True)
            )
            kim_modes = {kim_id: kim_id in automatic for kim_id in kim_ids}
            notes = dict(
                KimDisseminationSetting.objects.filter(kim_id__in=automatic).values_list("kim_id", "default_note")
            )
        KimInboxItem.objects.bulk_create(
            [
                KimInboxItem(
                    bulletin=bulletin,
                    kim_id=kim_id,
                    status=InboxStatus.REDISSEMINATED if auto else InboxStatus.RECEIVED,
                    local_note=notes.get(kim_id, "") if auto else "",
                    redisseminated_at=now if auto else None,
                )
                for kim_id, auto in kim_modes.items()
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
    _start_fanout(bulletin, None)


# A scheduled time a few minutes in the past (filled in just before the minute turned) means "now".
SCHEDULE_GRACE = timedelta(minutes=5)


@transaction.atomic
def bulletin_publish(*, actor: AnyUser, bulletin: Bulletin, publish_at: datetime | None = None) -> Bulletin:
    """Publish now (or schedule for `publish_at`). Refuses an empty audience or a target out of scope."""
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if actor is not None:
        require(actor, DisseminationAction.PUBLISH, locked.publisher)
    if not locked.is_editable:
        raise ValidationError(_("This bulletin has already been published."))
    targets = list(locked.targets.select_related("kim", "group__kim"))
    _check_targets(
        locked.publisher,  # type: ignore[arg-type]
        [t.region_id for t in targets if t.region_id],
        [t.kim for t in targets if t.kim],
        [t.group for t in targets if t.group],
    )
    if not locked.corrects_id and selectors.audience_preview(locked)["total"] == 0:
        raise ValidationError(
            _("No active member matches these targets: nothing would be sent."), code="empty_audience"
        )
    now = timezone.now()
    if publish_at is not None and publish_at < now - SCHEDULE_GRACE:
        # A time in the past is a mistake (a wrong date), not a request to publish at once.
        raise ValidationError(_("The publication time lies in the past."), code="publish_at_past")
    before = model_snapshot(locked)
    if publish_at is not None and publish_at > now:
        locked.status = BulletinStatus.SCHEDULED
        locked.publish_at = publish_at
        locked.save(update_fields=["status", "publish_at", "updated_at"])
        audit_record(actor=actor, action="bulletin.schedule", obj=locked, before=before, after=model_snapshot(locked))
        return locked
    locked.status = BulletinStatus.PUBLISHED
    locked.published_at = now
    locked.valid_from = locked.valid_from or now
    locked.save(update_fields=["status", "published_at", "valid_from", "updated_at"])
    _cascade(locked)
    audit_record(actor=actor, action="bulletin.publish", obj=locked, before=before, after=model_snapshot(locked))
    return locked


@transaction.atomic
def bulletin_correct(*, actor: AnyUser, bulletin: Bulletin, title: str, body_markdown: str) -> Bulletin:
    """Publish a correction of a published bulletin: a new bulletin linked by `corrects`, same
    targets and segments, sent to exactly the members and channels the original was sent to."""
    original = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require(actor, DisseminationAction.PUBLISH, original.publisher)
    if original.status not in (BulletinStatus.PUBLISHED, BulletinStatus.EXPIRED):
        raise ValidationError(_("Only a published bulletin can be corrected; edit the draft instead."))
    _validate_fields(
        title=title,
        body_markdown=body_markdown,
        category=original.category,
        priority=original.priority,
        valid_from=None,
        valid_until=None,
    )
    correction = Bulletin.objects.create(
        pembina_office=original.pembina_office,
        kim=original.kim,
        forum=original.forum,
        title=title.strip(),
        body_markdown=body_markdown,
        body_html=render_markdown(body_markdown),
        category=original.category,
        priority=original.priority,
        valid_until=original.valid_until,
        region_code=original.region_code,
        corrects=original,
        created_by=actor if actor.is_authenticated else None,
        segment_sectors=original.segment_sectors,
        segment_occupations=original.segment_occupations,
        segment_genders=original.segment_genders,
        segment_age_groups=original.segment_age_groups,
    )
    BulletinTarget.objects.bulk_create(
        [
            BulletinTarget(bulletin=correction, region_id=t.region_id, kim_id=t.kim_id, group_id=t.group_id)
            for t in original.targets.all()
        ]
    )
    audit_record(actor=actor, action="bulletin.correct", obj=correction, after={"corrects": original.pk})
    return bulletin_publish(actor=actor, bulletin=correction)


@transaction.atomic
def bulletins_publish_due(*, now: datetime | None = None) -> int:
    """Publish the scheduled bulletins whose time has come; expire those past their validity."""
    now = now or timezone.now()
    due = list(
        Bulletin.objects.filter(status=BulletinStatus.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True)
    )
    published = 0
    for pk in due:
        bulletin = Bulletin.objects.get(pk=pk)
        try:
            with transaction.atomic():
                _publish_scheduled(bulletin, now)
                published += 1
        except ValidationError:
            continue
    Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, valid_until__lt=now).update(
        status=BulletinStatus.EXPIRED, updated_at=now
    )
    return published


def _publish_scheduled(bulletin: Bulletin, now: datetime) -> None:
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if locked.status != BulletinStatus.SCHEDULED:
        return
    locked.status = BulletinStatus.PUBLISHED
    locked.published_at = now
    locked.valid_from = locked.valid_from or now
    locked.save(update_fields=["status", "published_at", "valid_from", "updated_at"])
    _cascade(locked)
    audit_record(actor=None, action="bulletin.publish_scheduled", obj=locked)


@transaction.atomic
def bulletin_delete(*, actor: AnyUser, bulletin: Bulletin) -> None:
    """Delete a draft. Published bulletins stay: they are the record of what was sent."""
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    require(actor, DisseminationAction.PUBLISH, locked.publisher)
    if not locked.is_editable:
        raise ValidationError(_("A published bulletin cannot be deleted."))
    audit_record(actor=actor, action="bulletin.delete", obj=locked, before=model_snapshot(locked))
    locked.delete()
