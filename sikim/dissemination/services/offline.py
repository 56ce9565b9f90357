"""Offline dissemination reports: a KIM records that it passed a bulletin on in person."""

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sikim.accounts.authz import AnyUser, require
from sikim.audit.services import audit_record
from sikim.core.exports import ExportFile, rows_to_file, safe_cell
from sikim.core.uploads import clean_image
from sikim.dissemination.models import (
    OFFLINE_MAX_PEOPLE,
    Bulletin,
    KimInboxItem,
    OfflinePlaceType,
    OfflineReport,
)
from sikim.dissemination.permissions import DisseminationAction
from sikim.dissemination.selectors import bulletins_for_user
from sikim.kim.models import Kim


def bulletin_reached_kim(bulletin: Bulletin, kim: Kim) -> bool:
    """The bulletin is the KIM's own or landed in its inbox."""
    return bulletin.kim_id == kim.pk or KimInboxItem.objects.filter(bulletin=bulletin, kim=kim).exists()


@transaction.atomic
def offline_report_record(
    *,
    actor: AnyUser,
    bulletin: Bulletin,
    kim: Kim,
    place_type: str,
    place_name: str,
    held_on: date,
    people_reached: int,
    notes: str = "",
    photo: UploadedFile | None = None,
) -> OfflineReport:
    """Record one offline dissemination (the KIM's pengurus or its pembina)."""
    require(actor, DisseminationAction.REDISSEMINATE, kim)
    if not bulletin_reached_kim(bulletin, kim):
        raise PermissionDenied(_("This bulletin did not reach this KIM."))
    errors: dict[str, str] = {}
    if place_type not in OfflinePlaceType.values:
        errors["place_type"] = str(_("Choose a kind of place."))
    place_name = place_name.strip()
    if not place_name:
        errors["place_name"] = str(_("Name the place."))
    if not 1 <= people_reached <= OFFLINE_MAX_PEOPLE:
        errors["people_reached"] = str(_("People reached must be between 1 and %(max)d.") % {"max": OFFLINE_MAX_PEOPLE})
    if errors:
        raise ValidationError(errors)
    report = OfflineReport(
        bulletin=bulletin,
        kim=kim,
        place_type=place_type,
        place_name=place_name[:200],
        held_on=held_on,
        people_reached=people_reached,
        notes=notes[:2000],
        reported_by=actor if actor.is_authenticated else None,
    )
    if photo is not None:
        cleaned = clean_image(photo)
        report.photo.save(cleaned.name or "photo.jpg", cleaned, save=False)
    report.save()
    audit_record(
        actor=actor,
        action="dissemination.offline_report",
        obj=report,
        region_code=kim.region_id,
        after={"bulletin": bulletin.pk, "kim": kim.pk, "people_reached": people_reached, "place_type": place_type},
    )
    return report


ReachFormat = Literal["csv", "xlsx"]


def _reach_rows(bulletin: Bulletin) -> list[list[object]]:
    from sikim.dissemination.models import DeliveryStatus
    from sikim.dissemination.selectors_reach import offline_reports_for, reach_with_offline

    reach = reach_with_offline(bulletin)
    statuses = list(DeliveryStatus.values)
    rows: list[list[object]] = [["channel", *statuses, "total"]]
    for channel, counts in reach["channels"].items():
        rows.append([channel, *(counts.get(s, 0) for s in statuses), counts.get("total", 0)])
    rows.append([])
    rows.append(["offline_reports", reach["offline"]["reports"], "people_reached", reach["offline"]["people"]])
    rows.append(["total_reached", reach["total_reached"]])
    rows.append([])
    rows.append(["kim", "place_type", "place_name", "held_on", "people_reached", "notes"])
    for report in offline_reports_for(bulletin):
        rows.append(
            [
                safe_cell(report.kim.name),
                report.place_type,
                safe_cell(report.place_name),
                report.held_on.isoformat(),
                report.people_reached,
                safe_cell(report.notes),
            ]
        )
    return rows


@transaction.atomic
def reach_export(*, actor: AnyUser, bulletin: Bulletin, file_format: ReachFormat) -> ExportFile:
    """The bulletin's reach (deliveries per channel and status, offline reports) as CSV or XLSX.

    Only for those who may manage the bulletin; audited."""
    if not bulletins_for_user(actor).filter(pk=bulletin.pk).exists():
        raise PermissionDenied
    if file_format not in ("csv", "xlsx"):
        raise ValidationError({"format": _("Choose CSV or XLSX.")})
    rows = _reach_rows(bulletin)
    filename = f"jangkauan-buletin-{bulletin.pk}.{file_format}"
    content, content_type = rows_to_file(rows, file_format, str(_("Reach")))
    audit_record(actor=actor, action="dissemination.reach_export", obj=bulletin, after={"format": file_format})
    return ExportFile(content=content, filename=filename, content_type=content_type, rows=len(rows))
