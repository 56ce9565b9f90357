"""The region reach dashboard as a CSV or XLSX file (the same figures the page shows)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts.authz import AnyUser, is_national_admin, require
from sikim.audit.services import audit_record
from sikim.core.exports import ExportFile, rows_to_file, safe_cell
from sikim.dissemination.models import DeliveryStatus
from sikim.dissemination.permissions import DisseminationAction
from sikim.dissemination.selectors_reach import ReachFigures, ReachPeriod, region_dashboard
from sikim.dissemination.services.offline import ReachFormat

FIGURE_COLUMNS = [*DeliveryStatus.values, "reached_online", "offline_reports", "offline_people", "total_reached"]


def _figures(figures: ReachFigures) -> list[object]:
    return [
        *(figures.statuses[s] for s in DeliveryStatus.values),
        figures.reached_online,
        figures.offline_reports,
        figures.offline_people,
        figures.total_reached,
    ]


def region_reach_rows(period: ReachPeriod) -> list[list[object]]:
    """The dashboard as rows: the filters, totals per channel, per region one level down, per bulletin."""
    dashboard = region_dashboard(period)
    statuses = list(DeliveryStatus.values)
    rows: list[list[object]] = [
        ["region", period.code or "ID", safe_cell(period.region.name if period.region else "Indonesia")],
        ["date_from", period.date_from.isoformat()],
        ["date_to", period.date_to.isoformat()],
        ["category", period.category or "all"],
        ["bulletins", dashboard.bulletin_count],
        [],
        ["channel", *statuses, "total"],
    ]
    for channel, counts in dashboard.channels.items():
        rows.append([channel, *(counts.get(s, 0) for s in statuses), counts.get("total", 0)])
    rows += [[], ["total", *_figures(dashboard.totals)], [], ["region_code", "region_name", *FIGURE_COLUMNS]]
    for region in dashboard.regions:
        rows.append([region.code, safe_cell(region.name), *_figures(region.figures)])
    rows += [[], ["bulletin_id", "published_at", "title", "publisher", "category", *FIGURE_COLUMNS]]
    for item in dashboard.bulletins:
        bulletin = item.bulletin
        rows.append(
            [
                bulletin.pk,
                bulletin.published_at.isoformat() if bulletin.published_at else "",
                safe_cell(bulletin.title),
                safe_cell(str(bulletin.publisher)),
                bulletin.category,
                *_figures(item.figures),
            ]
        )
    return rows


@transaction.atomic
def region_reach_export(*, actor: AnyUser, period: ReachPeriod, file_format: ReachFormat) -> ExportFile:
    """The region dashboard of `period` as CSV or XLSX, for those who may see the region's reach; audited."""
    if period.region is None:  # all of Indonesia
        if not is_national_admin(actor):
            raise PermissionDenied
    else:
        require(actor, DisseminationAction.VIEW_REACH, period.region)
    if file_format not in ("csv", "xlsx"):
        raise ValidationError({"format": _("Choose CSV or XLSX.")})
    rows = region_reach_rows(period)
    filename = f"jangkauan-{period.code or 'ID'}-{period.date_from.isoformat()}-{period.date_to.isoformat()}"
    content, content_type = rows_to_file(rows, file_format, str(_("Reach")))
    audit_record(
        actor=actor,
        action="dissemination.region_reach_export",
        obj=period.region,
        region_code=period.code or None,
        after={
            "format": file_format,
            "date_from": period.date_from.isoformat(),
            "date_to": period.date_to.isoformat(),
            "category": period.category,
        },
    )
    return ExportFile(content=content, filename=f"{filename}.{file_format}", content_type=content_type, rows=len(rows))
