"""Public statistics of information requests and the annual PPID report of each body.

- `/informasi/statistik/?region=<code>&year=<year>` (or `?body=<slug>&year=<year>`): figures of
  a region (Indonesia without one) with a line per region one level down, per body and per
  year; bar charts; the same as `statistik.csv` / `statistik.xlsx`.
- `/informasi/laporan/<body slug>/<year>/`: the body's annual report, also as `.pdf` and `.xlsx`.

Public, as UU 14/2008 Pasal 12 expects, because they hold counts only
(`sikim.kip.selectors.stats`). A malformed query answers 400 with its message; an unknown
region or body, or a year outside 2010..this year, 404.
"""

import re
from typing import Final
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sikim.core.charts import Bar, Chart, ChartRow
from sikim.core.public_cache import public_cacheable
from sikim.kip import reports
from sikim.kip.models import ExemptionGround
from sikim.kip.selectors.stats import (
    FIRST_YEAR,
    SLUG_MAX_LENGTH,
    RequestStats,
    StatsPage,
    body_stats,
    current_year,
    region_stats,
    stats_body,
    stats_region,
    year_range,
)
from sikim.wilayah.models import REGION_CODE_PATTERN, Region

REGION_CODE_RE: Final = re.compile(REGION_CODE_PATTERN)
RECEIVED_COLOUR: Final = "#3b82c4"
GRANTED_COLOUR: Final = "#1d6b3f"
PARTIAL_COLOUR: Final = "#2a9d8f"
REFUSED_COLOUR: Final = "#c0392b"
NOT_HELD_COLOUR: Final = "#8a94a6"
UNDECIDED_COLOUR: Final = "#b7791f"
ON_TIME_COLOUR: Final = "#2a9d8f"


def _not_in_the_future(value: int) -> None:
    if value > current_year():
        raise forms.ValidationError(gettext_lazy("There are no statistics for a year that has not begun."))


class StatsQueryForm(forms.Form):
    region = forms.RegexField(regex=REGION_CODE_RE, required=False, max_length=13)
    body = forms.SlugField(required=False, max_length=SLUG_MAX_LENGTH)
    year = forms.IntegerField(required=False, min_value=FIRST_YEAR, validators=[_not_in_the_future])

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("region") and cleaned.get("body"):
            raise forms.ValidationError(gettext_lazy("Choose a region or a public body, not both."))
        return cleaned


def _outcome_chart(page: StatsPage) -> Chart:
    total = page.total
    chart = Chart(_("Decisions"))
    for key, label, value, colour in (
        ("granted_full", _("Granted in full"), total.granted_full, GRANTED_COLOUR),
        ("granted_partial", _("Granted in part"), total.granted_partial, PARTIAL_COLOUR),
        ("refused", _("Refused"), total.refused, REFUSED_COLOUR),
        ("not_held", _("Information not held"), total.not_held, NOT_HELD_COLOUR),
        ("undecided", _("Not yet decided"), total.undecided, UNDECIDED_COLOUR),
    ):
        chart.rows.append(ChartRow(label, [Bar(_("Requests"), value, colour, key=key)], key=key))
    return chart.scaled()


def _grounds_chart(page: StatsPage) -> Chart:
    chart = Chart(_("Refusals by exemption ground (Pasal 17)"))
    for value, label in ExemptionGround.choices:
        count = page.total.refused_by_ground[value]
        partial = page.total.partial_by_ground[value]
        if count or partial:
            bars = [
                Bar(_("Refused"), count, REFUSED_COLOUR, key="refused"),
                Bar(_("Granted in part"), partial, PARTIAL_COLOUR, key="granted_partial"),
            ]
            chart.rows.append(ChartRow(str(label), bars, key=value))
    return chart.scaled()


def _line_bars(page_stats: RequestStats) -> list[Bar]:
    return [
        Bar(_("Received"), page_stats.received, RECEIVED_COLOUR, key="received"),
        Bar(_("Granted"), page_stats.granted, GRANTED_COLOUR, key="granted"),
        Bar(_("Refused"), page_stats.refused, REFUSED_COLOUR, key="refused"),
        Bar(_("Decided on time"), page_stats.on_time, ON_TIME_COLOUR, key="on_time"),
    ]


def _region_chart(page: StatsPage) -> Chart:
    chart = Chart(_("Per region"))
    url = reverse("kip:stats")
    for line in page.regions:
        label = _("%(name)s (bodies of this level)") % {"name": line.name} if line.own_level else line.name
        href = "" if line.own_level else f"{url}?{urlencode(_query(region=line.code, year=page.year))}"
        chart.rows.append(ChartRow(label, _line_bars(line.stats), href=href, key=line.code))
    return chart.scaled()


def _year_chart(page: StatsPage) -> Chart:
    chart = Chart(_("Per year"))
    url = reverse("kip:stats")
    for line in page.years:
        query = _query(
            region=page.region_code if page.body is None else "",
            body=page.body.slug if page.body is not None else "",
            year=line.year,
        )
        chart.rows.append(
            ChartRow(str(line.year), _line_bars(line.stats), href=f"{url}?{urlencode(query)}", key=str(line.year))
        )
    return chart.scaled()


def _query(*, region: str = "", body: str = "", year: int | None = None) -> dict[str, str]:
    query = {"region": region, "body": body, "year": str(year) if year is not None else ""}
    return {key: value for key, value in query.items() if value}


def _ancestors(region: Region | None) -> list[Region]:
    if region is None:
        return []
    parts = region.code.split(".")
    codes = [".".join(parts[:i]) for i in range(1, len(parts))]
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def _page_for(request: HttpRequest) -> StatsPage | StatsQueryForm:
    """The statistics the query asks for, or the form with its errors."""
    form = StatsQueryForm(request.GET)
    if not form.is_valid():
        return form
    year = form.cleaned_data["year"] or current_year()
    if form.cleaned_data["body"]:
        return body_stats(stats_body(form.cleaned_data["body"]), year)
    return region_stats(stats_region(form.cleaned_data["region"]), year)


def _invalid(request: HttpRequest, form: StatsQueryForm) -> HttpResponse:
    return render(request, "kip/stats/invalid.html", {"form": form}, status=400)


@public_cacheable("kip", "offices", "wilayah")
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    page = _page_for(request)
    if isinstance(page, StatsQueryForm):
        return _invalid(request, page)
    query = _query(
        region=page.region_code if page.body is None else "",
        body=page.body.slug if page.body is not None else "",
        year=page.year,
    )
    context = {
        "page": page,
        "total": page.total,
        "outcome_chart": _outcome_chart(page),
        "grounds_chart": _grounds_chart(page),
        "region_chart": _region_chart(page),
        "year_chart": _year_chart(page),
        "ancestors": _ancestors(page.region),
        "years": list(reversed(year_range())),
        "query": urlencode(query),
    }
    return render(request, "kip/stats/index.html", context)


def _download(request: HttpRequest, file_format: str) -> HttpResponse:
    page = _page_for(request)
    if isinstance(page, StatsQueryForm):
        return _invalid(request, page)
    if page.body is None:  # the file holds every body, not only the page's first ones
        page = region_stats(page.region, page.year, body_limit=None)
    content, content_type, filename = reports.stats_file(page, file_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def stats_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


@require_GET
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


def _report(slug: str, year: int) -> reports.AnnualReport:
    if year not in year_range():
        raise Http404
    return reports.annual_report(stats_body(slug), year)


@public_cacheable("kip", "offices", "wilayah")
@require_GET
def annual_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _report(slug, year)
    return render(request, "kip/stats/report.html", reports.report_context(report))


@require_GET
def annual_report_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _report(slug, year)
    response = HttpResponse(reports.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reports.report_filename(report, "pdf")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def annual_report_xlsx(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _report(slug, year)
    content, content_type = reports.report_xlsx(report)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{reports.report_filename(report, "xlsx")}"'
    return response
