"""Dashboards of aspirations: `/aspirasi/dasbor/` (a region for its pembina, an office for its
officers) and the same figures as XLSX and CSV.

`?region=<code>` or `?office=<slug>` chooses; without either, the user's own region (a pembina;
all of Indonesia for the national admin) or else their office. Anyone else gets 403.
"""

import re
from typing import Final
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sikim.accounts import authz
from sikim.aspirations.models import AspirationState
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.dashboards import (
    Dashboard,
    dashboard_office_for,
    dashboard_offices_of,
    dashboard_region_for,
    dashboard_regions_of,
    office_dashboard,
    region_dashboard,
)
from sikim.aspirations.services.exports import dashboard_export
from sikim.core.charts import Bar, Chart, ChartRow
from sikim.wilayah.models import Region, code_in_subtree

REGION_CODE_RE: Final = re.compile(r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")
SLUG_RE: Final = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")
# Bar colours (the number beside every bar carries the meaning; colour only helps the eye).
STATE_COLOURS: Final[dict[str, str]] = {
    AspirationState.DIAJUKAN: "#8a94a6",
    AspirationState.DIVERIFIKASI: "#6b7a90",
    AspirationState.DITOLAK: "#c0392b",
    AspirationState.DITERUSKAN: "#3b82c4",
    AspirationState.DITINDAKLANJUTI: "#b7791f",
    AspirationState.DIJAWAB: "#2a9d8f",
    AspirationState.SELESAI: "#1d6b3f",
}
OVERDUE_COLOUR: Final = "#c0392b"
TOTAL_COLOUR: Final = "#3b82c4"
ANSWERED_COLOUR: Final = "#2a9d8f"


def state_chart(dashboard: Dashboard) -> Chart:
    chart = Chart(_("Aspirations per state"))
    for item in dashboard.by_state:
        chart.rows.append(
            ChartRow(
                item.label,
                [Bar(_("Aspirations"), item.count, STATE_COLOURS[item.state], key=item.state)],
                key=item.state,
            )
        )
    return chart.scaled()


def region_chart(dashboard: Dashboard) -> Chart:
    chart = Chart(_("Aspirations per region"))
    url = reverse("aspirations:dashboard")
    for region in dashboard.regions:
        bars = [
            Bar(_("All"), region.total, TOTAL_COLOUR, key="total"),
            Bar(_("Answered"), region.answered, ANSWERED_COLOUR, key="answered"),
            Bar(_("Overdue"), region.overdue, OVERDUE_COLOUR, key="overdue"),
        ]
        href = f"{url}?{urlencode({'region': region.code})}"
        chart.rows.append(ChartRow(region.name, bars, href=href, key=region.code))
    return chart.scaled()


def _chosen(request: HttpRequest) -> tuple[Dashboard, dict[str, str]]:
    """The dashboard the query asks for (checked), and the query that names it."""
    user = request.user
    office_slug = request.GET.get("office", "")
    region_code = request.GET.get("region", "")
    if office_slug:
        if not SLUG_RE.fullmatch(office_slug):
            raise Http404
        office = dashboard_office_for(user, office_slug)
        return office_dashboard(office), {"office": office.slug}
    if region_code:
        if not REGION_CODE_RE.fullmatch(region_code):
            raise Http404
        return region_dashboard(dashboard_region_for(user, region_code)), {"region": region_code}
    regions = dashboard_regions_of(user)
    if regions is None:
        return region_dashboard(None), {}
    if regions:
        return region_dashboard(regions[0]), {"region": regions[0].code}
    offices = dashboard_offices_of(user)
    if offices:
        return office_dashboard(offices[0]), {"office": offices[0].slug}
    raise PermissionDenied


def _region_choices(request: HttpRequest, dashboard: Dashboard) -> dict[str, list[Region]]:
    """The regions of the user's grants and the way up from the shown region inside them."""
    roots = dashboard_regions_of(request.user)
    national = roots is None
    root_codes = [] if roots is None else [r.code for r in roots]
    up: list[str] = []
    if dashboard.scope == "region" and dashboard.key:
        parts = dashboard.key.split(".")
        up = [".".join(parts[:i]) for i in range(1, len(parts))]
        up = [c for c in up if national or any(code_in_subtree(c, root) for root in root_codes)]
    return {
        "roots": list(roots or []),
        "ancestors": list(Region.objects.filter(code__in=up).order_by("code")),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    board, query = _chosen(request)
    context = {
        "dashboard": board,
        "state_chart": state_chart(board),
        "region_chart": region_chart(board),
        "choices": _region_choices(request, board),
        "offices": dashboard_offices_of(request.user),
        "national": authz.granted_region_codes(request.user, AspirationAction.VIEW_INTERNAL) is None,
        "query": urlencode(query),
    }
    return render(request, "aspirations/dashboard.html", context)


def _download(request: HttpRequest, file_format: str) -> HttpResponse:
    board, _query = _chosen(request)
    export = dashboard_export(actor=request.user, dashboard=board, file_format=file_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


@login_required
@require_GET
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")
