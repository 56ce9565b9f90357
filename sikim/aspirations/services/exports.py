"""A dashboard of aspirations as a CSV or XLSX file (the same figures the page shows; audited).

No author, contact or text is ever exported: only ticket codes, masked titles, categories,
villages, states and deadlines. Text a spreadsheet would run as a formula is quoted.
"""

import csv
import io
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sikim.accounts.authz import AnyUser
from sikim.aspirations.selectors.dashboards import Dashboard
from sikim.audit.services import audit_record
from sikim.kim.services.members import FORMULA_STARTS, ExportFile

DashboardFormat = Literal["csv", "xlsx"]


def _safe(value: object) -> object:
    """Text a spreadsheet would run as a formula is quoted (as in every SIKIM export)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def dashboard_rows(dashboard: Dashboard) -> list[list[object]]:
    rows: list[list[object]] = [
        ["scope", dashboard.scope],
        ["key", _safe(dashboard.key or "ID")],
        ["name", _safe(dashboard.name)],
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
    rows += [[s.state, _safe(s.label), s.count] for s in dashboard.by_state]
    if dashboard.regions:
        rows += [[], ["region_code", "region_name", "total", "overdue", "answered"]]
        rows += [[r.code, _safe(r.name), r.total, r.overdue, r.answered] for r in dashboard.regions]
    rows += [[], ["overdue_code", "title", "category", "state", "region_code", "village", "office", "due"]]
    rows += [
        [
            o.code,
            _safe(o.title),
            o.category,
            o.state,
            o.region_code,
            _safe(o.village),
            _safe(o.office),
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
    if file_format == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        content = ("\ufeff" + text.getvalue()).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_("Aspirations")[:31])
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_record(
        actor=actor,
        action="aspirations.dashboard_export",
        region_code=dashboard.key if dashboard.scope == "region" and dashboard.key else None,
        after={"scope": dashboard.scope, "key": dashboard.key, "format": file_format},
    )
    return ExportFile(content=content, filename=filename, content_type=content_type, rows=len(rows))
