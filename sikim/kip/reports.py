"""The annual PPID report of a public body (Laporan Tahunan PPID) and the statistics as files.

Every year a public body must announce its information service: the number of requests
received, the time it took to answer each, how many were granted and refused, and why
(UU 14/2008 Pasal 12). The report follows the outline of a Laporan Tahunan PPID: I. general
overview, II. requests, III. objections and Komisi Informasi disputes, IV. service time,
V. reasons for refusal. It is public, as the law expects, and holds
only counts (see `sikim.kip.selectors.stats`): never a requester, a text or a single request.

HTML for the page, PDF through WeasyPrint (A4, entirely offline: inline styles, system fonts,
the URL fetcher refuses every scheme but data:, as `sikim.kip.receipt`), XLSX with one sheet
per table and the statistics page as CSV or XLSX (`sikim.core.exports`; text a spreadsheet
would run as a formula is quoted).
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from django.db.models import Count
from django.db.models.functions import Coalesce, ExtractMonth
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from weasyprint import HTML

from sikim.core.exports import XLSX_CONTENT_TYPE, rows_to_file, safe_cell
from sikim.kip.deadlines import DECISION_DAYS, EXTENSION_DAYS
from sikim.kip.models import DisputeOutcome, ExemptionGround, ObjectionGround, RegisterCategory, RegisterEntry
from sikim.kip.receipt import offline_url_fetcher
from sikim.kip.selectors.stats import RequestStats, StatsPage, figures, figures_by, public_requests
from sikim.offices.models import GovernmentOffice

# The columns of one line of statistics, in the files and the API (stable machine names).
LINE_COLUMNS: Final = (
    "received",
    "registered",
    "granted_full",
    "granted_partial",
    "refused",
    "not_held",
    "undecided",
    "extended",
    "decided_on_time",
    "decided_late",
    "on_time_rate",
    "median_working_days",
    "overdue_now",
    "objections",
    "objections_answered",
    "disputes",
)
MONTHS: Final = range(1, 13)


def line_values(stats: RequestStats) -> list[object]:
    """One line of statistics in the order of `LINE_COLUMNS` (rates 0–1, "" when undefined)."""
    return [
        stats.received,
        stats.requests,
        stats.granted_full,
        stats.granted_partial,
        stats.refused,
        stats.not_held,
        stats.undecided,
        stats.extended,
        stats.on_time,
        stats.late,
        "" if stats.on_time_rate is None else round(stats.on_time_rate, 4),
        "" if stats.median_days is None else stats.median_days,
        stats.overdue,
        stats.objections,
        stats.objections_answered,
        stats.disputes,
    ]


# --- the statistics page as a file -------------------------------------------------------------------
def stats_rows(page: StatsPage) -> list[list[object]]:
    rows: list[list[object]] = [
        ["scope", "body" if page.body is not None else "region"],
        ["region_code", page.region_code or "ID"],
        ["body", safe_cell(page.body.slug) if page.body is not None else ""],
        ["name", safe_cell(page.name)],
        ["year", page.year if page.year is not None else "all"],
        ["generated_at", page.generated_at.isoformat() if page.generated_at else ""],
        [],
        ["line", "code", "name", *LINE_COLUMNS],
        ["total", page.region_code or "ID", safe_cell(page.name), *line_values(page.total)],
    ]
    rows += [["region", line.code, safe_cell(line.name), *line_values(line.stats)] for line in page.regions]
    rows += [
        ["body", safe_cell(line.body.slug), safe_cell(line.body.name), *line_values(line.stats)] for line in page.bodies
    ]
    rows += [["year", str(line.year), str(line.year), *line_values(line.stats)] for line in page.years]
    rows += [[], ["exemption_ground", "refused", "granted_partial"]]
    rows += [[g, page.total.refused_by_ground[g], page.total.partial_by_ground[g]] for g in ExemptionGround.values]
    rows += [[], ["objection_ground", "objections"]]
    rows += [[g, page.total.objections_by_ground[g]] for g in ObjectionGround.values]
    rows += [[], ["dispute_outcome", "disputes"]]
    rows += [[o, page.total.disputes_by_outcome[o]] for o in DisputeOutcome.values]
    return rows


def stats_file(page: StatsPage, file_format: str) -> tuple[bytes, str, str]:
    """The page's figures as (content, content type, file name); `file_format` "csv" or "xlsx"."""
    content, content_type = rows_to_file(stats_rows(page), file_format, _("Statistics"))
    key = page.body.slug if page.body is not None else (page.region_code or "ID")
    year = page.year if page.year is not None else "semua"
    return content, content_type, f"statistik-kip-{key}-{year}.{file_format}"


# --- the annual report -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthLine:
    month: int
    name: str
    stats: RequestStats


@dataclass(frozen=True)
class CountLine:
    key: str
    label: str
    count: int
    extra: int = 0


@dataclass
class AnnualReport:
    body: GovernmentOffice
    year: int
    stats: RequestStats
    months: list[MonthLine] = field(default_factory=list)
    register: list[CountLine] = field(default_factory=list)
    service_time: list[CountLine] = field(default_factory=list)
    refusal_grounds: list[CountLine] = field(default_factory=list)
    objection_grounds: list[CountLine] = field(default_factory=list)
    dispute_outcomes: list[CountLine] = field(default_factory=list)
    generated_at: datetime | None = None


SERVICE_TIME_BUCKETS: Final = (
    ("within_decision_days", 0, DECISION_DAYS),
    ("within_extension", DECISION_DAYS + 1, DECISION_DAYS + EXTENSION_DAYS),
    ("longer", DECISION_DAYS + EXTENSION_DAYS + 1, None),
)


def _service_time(stats: RequestStats) -> list[CountLine]:
    days = stats.working_days or []
    labels = {
        "within_decision_days": _("Within %(days)s working days") % {"days": DECISION_DAYS},
        "within_extension": _("%(first)s to %(last)s working days (extension)")
        % {"first": DECISION_DAYS + 1, "last": DECISION_DAYS + EXTENSION_DAYS},
        "longer": _("More than %(days)s working days") % {"days": DECISION_DAYS + EXTENSION_DAYS},
    }
    return [
        CountLine(key, labels[key], sum(1 for d in days if d >= low and (high is None or d <= high)))
        for key, low, high in SERVICE_TIME_BUCKETS
    ]


def annual_report(body: GovernmentOffice, year: int, now: datetime | None = None) -> AnnualReport:
    """The figures of `body`'s year (callers checked the year is one that may be asked for)."""
    now = now or timezone.now()
    requests = public_requests(year=year, body=body)
    stats = figures(requests, now)
    by_month = figures_by(requests, ExtractMonth(Coalesce("received_at", "submitted_at")), now)
    report = AnnualReport(body=body, year=year, stats=stats, generated_at=now)
    report.months = [
        MonthLine(m, formats.date_format(datetime(year, m, 1), "F"), by_month.get(m, RequestStats()))  # noqa: DTZ001
        for m in MONTHS
    ]
    published = dict(
        RegisterEntry.objects.filter(body=body, is_published=True, year=year)
        .order_by()
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    report.register = [
        CountLine(str(value), str(label), int(published.get(value, 0))) for value, label in RegisterCategory.choices
    ]
    report.service_time = _service_time(stats)
    report.refusal_grounds = [
        CountLine(str(value), str(label), stats.refused_by_ground[value], stats.partial_by_ground[value])
        for value, label in ExemptionGround.choices
    ]
    report.objection_grounds = [
        CountLine(str(value), str(label), stats.objections_by_ground[value]) for value, label in ObjectionGround.choices
    ]
    report.dispute_outcomes = [
        CountLine(str(value), str(label), stats.disputes_by_outcome[value]) for value, label in DisputeOutcome.choices
    ]
    return report


def report_context(report: AnnualReport) -> dict[str, object]:
    return {
        "report": report,
        "body": report.body,
        "stats": report.stats,
        "decision_days": DECISION_DAYS,
        "extension_days": EXTENSION_DAYS,
    }


def report_pdf(report: AnnualReport) -> bytes:
    html = render_to_string("kip/stats/report_print.html", report_context(report))
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=offline_url_fetcher()).write_pdf()
    return pdf


def _percent(rate: float | None) -> object:
    return "" if rate is None else round(rate, 4)


def report_sheets(report: AnnualReport) -> list[tuple[str, list[Sequence[object]]]]:
    """(sheet title, rows) per table of the report, the first row of each its header."""
    s = report.stats
    overview: list[Sequence[object]] = [
        [_("Item"), _("Value")],
        [_("Public body"), safe_cell(report.body.name)],
        [_("Jurisdiction"), safe_cell(report.body.region.name)],
        [_("Kind"), safe_cell(str(report.body.get_kind_display()))],
        [_("Year"), report.year],
        [_("Generated at"), timezone.localtime(report.generated_at).isoformat() if report.generated_at else ""],
    ]
    overview += [[safe_cell(line.label), line.count] for line in report.register]
    requests: list[Sequence[object]] = [
        [_("Item"), _("Count")],
        [_("Requests received"), s.received],
        [_("Requests registered"), s.requests],
        [_("Granted in full"), s.granted_full],
        [_("Granted in part"), s.granted_partial],
        [_("Refused"), s.refused],
        [_("Information not held"), s.not_held],
        [_("Not yet decided"), s.undecided],
        [_("Deadline extended"), s.extended],
    ]
    months: list[Sequence[object]] = [
        [_("Month"), _("Requests received"), _("Decided"), _("Granted"), _("Refused"), _("Decided on time")]
    ]
    months += [
        [safe_cell(m.name), m.stats.received, m.stats.decided, m.stats.granted, m.stats.refused, m.stats.on_time]
        for m in report.months
    ]
    objections: list[Sequence[object]] = [
        [_("Item"), _("Count")],
        [_("Objections filed"), s.objections],
        [_("Objections answered"), s.objections_answered],
        [_("Answered by the due date"), s.objections_answered_on_time],
    ]
    objections += [[safe_cell(line.label), line.count] for line in report.objection_grounds]
    objections += [[_("Disputes at the Information Commission"), s.disputes]]
    objections += [[safe_cell(line.label), line.count] for line in report.dispute_outcomes]
    service: list[Sequence[object]] = [
        [_("Item"), _("Value")],
        [_("Decided"), s.decided],
        [_("Decided on time"), s.on_time],
        [_("Decided late"), s.late],
        [_("On-time rate"), _percent(s.on_time_rate)],
        [_("Median working days to decision"), "" if s.median_days is None else s.median_days],
        [_("Undecided and overdue now"), s.overdue],
    ]
    service += [[safe_cell(line.label), line.count] for line in report.service_time]
    grounds: list[Sequence[object]] = [[_("Exemption ground (Pasal 17)"), _("Refused"), _("Granted in part")]]
    grounds += [[safe_cell(line.label), line.count, line.extra] for line in report.refusal_grounds]
    return [
        (_("Overview"), overview),
        (_("Requests"), requests),
        (_("Per month"), months),
        (_("Objections and disputes"), objections),
        (_("Service time"), service),
        (_("Reasons for refusal"), grounds),
    ]


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title[:31]


def report_xlsx(report: AnnualReport) -> tuple[bytes, str]:
    workbook = Workbook(write_only=True)
    for title, rows in report_sheets(report):
        sheet = workbook.create_sheet(title=_sheet_title(title))
        for row in rows:
            sheet.append([str(v) if hasattr(v, "__html__") else v for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), XLSX_CONTENT_TYPE


def report_filename(report: AnnualReport, extension: str) -> str:
    return f"laporan-ppid-{report.body.slug}-{report.year}.{extension}"
