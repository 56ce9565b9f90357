"""Public statistics of information requests and the annual PPID report figures, as JSON.

- `GET /kip/stats?region=&body=&year=`: a region's figures (Indonesia without one) with a line
  per region one level down, per body and per year; or one body's (`body`).
- `GET /kip/reports/{slug}/{year}`: the figures of a body's annual PPID report.

Open to everyone (UU 14/2008 Pasal 12: the annual figures are public) and holding counts only:
see `sikim.kip.selectors.stats`. A malformed parameter answers 422, an unknown region or body
or a year outside 2010..this year 404.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from sikim.core.api_errors import ApiError
from sikim.kip import reports
from sikim.kip.selectors.stats import (
    FIRST_YEAR,
    RequestStats,
    StatsPage,
    body_stats,
    current_year,
    region_stats,
    stats_body,
    stats_region,
    year_range,
)
from sikim.wilayah.models import REGION_CODE_PATTERN

router = Router()

SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,200}$"


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


ERRORS = {404: ErrorOut, 422: ErrorOut}


class FiguresOut(Schema):
    received: int = Field(description="Requests of the year, registered or not yet.")
    registered: int
    decided: int
    granted_full: int
    granted_partial: int
    refused: int
    not_held: int
    undecided: int = Field(description="Registered and without a decision.")
    extended: int
    decided_on_time: int = Field(description="Decided by the deadline in force (the extended one after an extension).")
    decided_late: int
    on_time_rate: float | None = Field(description="decided_on_time / decided (0–1); null without decisions.")
    median_working_days: float | None = Field(description="From the day of receipt to the decision, KIP calendar.")
    median_sampled: bool = Field(description="True when the median is of the latest 20,000 decisions only.")
    overdue_now: int = Field(description="Undecided and past the deadline in force now.")
    refused_by_ground: dict[str, int] = Field(description="Refusals per Pasal 17 ground (a–j).")
    granted_partial_by_ground: dict[str, int] = Field(description="Partial grants per Pasal 17 ground (a–j).")
    objections: int
    objections_answered: int
    objections_answered_on_time: int
    objections_by_ground: dict[str, int] = Field(description="Objections per Pasal 35 ground (a–g).")
    disputes: int = Field(description="Disputes filed with the Komisi Informasi.")
    disputes_by_outcome: dict[str, int]

    @staticmethod
    def of(stats: RequestStats) -> "FiguresOut":
        return FiguresOut(
            received=stats.received,
            registered=stats.requests,
            decided=stats.decided,
            granted_full=stats.granted_full,
            granted_partial=stats.granted_partial,
            refused=stats.refused,
            not_held=stats.not_held,
            undecided=stats.undecided,
            extended=stats.extended,
            decided_on_time=stats.on_time,
            decided_late=stats.late,
            on_time_rate=None if stats.on_time_rate is None else round(stats.on_time_rate, 4),
            median_working_days=stats.median_days,
            median_sampled=stats.median_sampled,
            overdue_now=stats.overdue,
            refused_by_ground=stats.refused_by_ground,
            granted_partial_by_ground=stats.partial_by_ground,
            objections=stats.objections,
            objections_answered=stats.objections_answered,
            objections_answered_on_time=stats.objections_answered_on_time,
            objections_by_ground=stats.objections_by_ground,
            disputes=stats.disputes,
            disputes_by_outcome=stats.disputes_by_outcome,
        )


class RegionLineOut(Schema):
    code: str
    name: str
    own_level: bool = Field(description="The bodies of the chosen region itself, not of a region below.")
    figures: FiguresOut


class BodyLineOut(Schema):
    slug: str
    name: str
    region_code: str
    figures: FiguresOut


class YearLineOut(Schema):
    year: int
    figures: FiguresOut


class StatsOut(Schema):
    scope: str = Field(description='"region" or "body".')
    region_code: str = Field(description='"" for Indonesia.')
    body: str = Field(description="The body's slug, or empty.")
    name: str
    year: int
    total: FiguresOut
    regions: list[RegionLineOut] = Field(description="Per region one level down (region scope).")
    bodies: list[BodyLineOut] = Field(description="Per body, the most requests first (at most 100 in region scope).")
    bodies_count: int
    years: list[YearLineOut] = Field(description="Every year with registered requests, the latest first.")

    @staticmethod
    def of(page: StatsPage) -> "StatsOut":
        return StatsOut(
            scope="body" if page.body is not None else "region",
            region_code=page.region_code,
            body=page.body.slug if page.body is not None else "",
            name=page.name,
            year=page.year or current_year(),
            total=FiguresOut.of(page.total),
            regions=[
                RegionLineOut(
                    code=line.code, name=line.name, own_level=line.own_level, figures=FiguresOut.of(line.stats)
                )
                for line in page.regions
            ],
            bodies=[
                BodyLineOut(
                    slug=line.body.slug,
                    name=line.body.name,
                    region_code=line.body.region_id,
                    figures=FiguresOut.of(line.stats),
                )
                for line in page.bodies
            ],
            bodies_count=page.bodies_count,
            years=[YearLineOut(year=line.year, figures=FiguresOut.of(line.stats)) for line in page.years],
        )


class StatsFilters(Schema):
    region: str = Field("", pattern=r"^$|" + REGION_CODE_PATTERN, description="A region code; empty: Indonesia.")
    body: str = Field("", pattern=r"^$|" + SLUG_PATTERN, description="A public body's slug (instead of a region).")
    year: int | None = Field(None, ge=FIRST_YEAR, le=9999, description="Default: this year (WIB).")


class CountOut(Schema):
    key: str
    label: str
    count: int


class GroundOut(Schema):
    ground: str
    label: str
    refused: int
    granted_partial: int


class MonthOut(Schema):
    month: int
    received: int
    decided: int
    granted: int
    refused: int
    decided_on_time: int


class AnnualReportOut(Schema):
    body: str
    body_name: str
    region_code: str
    year: int
    figures: FiguresOut
    months: list[MonthOut]
    register_entries: list[CountOut] = Field(
        description="Published Daftar Informasi Publik entries of the year per category."
    )
    service_time: list[CountOut] = Field(description="Decisions by working days to decision.")
    refusal_grounds: list[GroundOut]
    objection_grounds: list[CountOut]
    dispute_outcomes: list[CountOut]

    @staticmethod
    def of(report: reports.AnnualReport) -> "AnnualReportOut":
        def counts(lines: list[reports.CountLine]) -> list[CountOut]:
            return [CountOut(key=line.key, label=line.label, count=line.count) for line in lines]

        return AnnualReportOut(
            body=report.body.slug,
            body_name=report.body.name,
            region_code=report.body.region_id,
            year=report.year,
            figures=FiguresOut.of(report.stats),
            months=[
                MonthOut(
                    month=m.month,
                    received=m.stats.received,
                    decided=m.stats.decided,
                    granted=m.stats.granted,
                    refused=m.stats.refused,
                    decided_on_time=m.stats.on_time,
                )
                for m in report.months
            ],
            register_entries=counts(report.register),
            service_time=counts(report.service_time),
            refusal_grounds=[
                GroundOut(ground=line.key, label=line.label, refused=line.count, granted_partial=line.extra)
                for line in report.refusal_grounds
            ],
            objection_grounds=counts(report.objection_grounds),
            dispute_outcomes=counts(report.dispute_outcomes),
        )


@router.get(
    "/stats",
    response={200: StatsOut, **ERRORS},
    auth=None,
    summary="Statistics of information requests per region, body and year (public, counts only)",
)
def stats(request: HttpRequest, filters: Query[StatsFilters]) -> StatsOut:
    if filters.region and filters.body:
        raise ApiError(422, "invalid", _("Choose a region or a public body, not both."))
    year = filters.year or current_year()
    if year not in year_range():
        raise ApiError(422, "invalid", _("There are no statistics for a year that has not begun."))
    if filters.body:
        return StatsOut.of(body_stats(stats_body(filters.body), year))
    return StatsOut.of(region_stats(stats_region(filters.region), year))


@router.get(
    "/reports/{slug}/{year}",
    response={200: AnnualReportOut, **ERRORS},
    auth=None,
    summary="The figures of a public body's annual PPID report (public, counts only)",
)
def annual_report(
    request: HttpRequest, slug: str = Path(..., pattern=SLUG_PATTERN), year: int = Path(..., ge=0, le=9999)
) -> AnnualReportOut:
    if year not in year_range():
        raise Http404
    return AnnualReportOut.of(reports.annual_report(stats_body(slug), year))
