"""A dashboard of aspirations as a CSV or XLSX file (the same figures the page shows; audited).

No author, contact or text is ever exported: only ticket codes, masked titles, categories,
villages, states and deadlines. Text a spreadsheet would run as a formula is quoted.
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikim.accounts.authz import AnyUser
from sikim.aspirations.selectors.dashboards import Dashboard
from sikim.audit.services import audit_record
from sikim.core.exports import ExportFile, rows_to_file, safe_cell

DashboardFormat = Literal["csv", "xlsx"]


def dashboard_rows(dashboard: Dashboard) -> list[list[object]]:
    rows: list[list[object]] = [
        ["scope", dashboard.scope],
        ["key", safe_cell(dashboard.key or "ID")],
        ["name", safe_cell(dashboard.name)],
        ["generated_at", dashboard.generated_at.isoformat() if dashboard.generated_at else ""],
        ["total", dashboard.total],
        ["overdue", dashboard.overdue_count],
        ["answered", dashboard.answered_count],
        ["answered_on_time", dashboard.on_time_count],
        ["on_time_rate", "" if dashboard.on_time_rate is None else dashboard.on_time_rate],
        [
            "median_hours_to_answer",
            "" if dashboard.median_hours_to_answer is None else dashboard.median_hours_to_answer,
        ],
        [],
        ["state", "label", "count"],
    ]
    rows += [[s.state, safe_cell(s.label), s.count] for s in dashboard.by_state]
    if dashboard.regions:
        rows += [[], ["region_code", "region_name", "total", "overdue", "answered"]]
        rows += [[r.code, safe_cell(r.name), r.total, r.overdue, r.answered] for r in dashboard.regions]
    rows += [[], ["overdue_code", "title", "category", "state", "region_code", "village", "office", "due"]]
    rows += [
        [
            o.code,
            safe_cell(o.title),
            o.category,
            o.state,
            o.region_code,
            safe_cell(o.village),
            safe_cell(o.office),
            o.due.isoformat() if o.due else "",
        ]
        for o in dashboard.overdue
    ]
    return rows


@transaction.atomic
def dashboard_export(*, actor: AnyUser, dashboard: Dashboard, file_format: str) -> ExportFile:
    """The dashboard (already checked: the caller got it through `selectors.dashboards`) as a file."""
    if file_format not in ("csv", "xlsx"):
        raise ValidationError({"format": _("Choose CSV or XLSX.")})
    rows = dashboard_rows(dashboard)
    day = dashboard.generated_at.date().isoformat() if dashboard.generated_at else "now"
    filename = f"aspirasi-{dashboard.scope}-{dashboard.key or 'ID'}-{day}.{file_format}"
    content, content_type = rows_to_file(rows, file_format, str(_("Aspirations")))
    audit_record(
        actor=actor,
        action="aspirations.dashboard_export",
        region_code=dashboard.key if dashboard.scope == "region" and dashboard.key else None,
        after={"scope": dashboard.scope, "key": dashboard.key, "format": file_format},
    )
    return ExportFile(content=content, filename=filename, content_type=content_type, rows=len(rows))
