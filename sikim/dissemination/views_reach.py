"""Read tracking (tracked short links), offline reports, reach pages and their exports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from sikim.core.charts import Bar, Chart, ChartRow
from sikim.dissemination import selectors
from sikim.dissemination.forms_reach import OfflineReportForm, RegionReachForm
from sikim.dissemination.models import Bulletin, BulletinCategory, Delivery, DeliveryChannel, DeliveryStatus
from sikim.dissemination.selectors_reach import (
    ReachFigures,
    ReachPeriod,
    RegionReach,
    bulletin_region_reach,
    default_period,
    offline_reports_for,
    reach_region_choices,
    reach_region_for,
    reach_with_offline,
    region_dashboard,
)
from sikim.dissemination.services.offline import (
    ReachFormat,
    bulletin_reached_kim,
    offline_report_record,
    reach_export,
)
from sikim.dissemination.services.reach import region_reach_export
from sikim.dissemination.services.tracking import delivery_mark_read, tracked_link_delivery_id

# Bar colours (the numbers beside every bar carry the meaning; colour only helps the eye).
STATUS_COLOURS: dict[str, str] = {
    DeliveryStatus.QUEUED: "#8a94a6",
    DeliveryStatus.SENDING: "#6b7a90",
    DeliveryStatus.SENT: "#3b82c4",
    DeliveryStatus.DELIVERED: "#2a9d8f",
    DeliveryStatus.READ: "#1d6b3f",
    DeliveryStatus.FAILED: "#c0392b",
}
REACHED_COLOUR = "#2a9d8f"
OFFLINE_COLOUR = "#b7791f"


def _channel_label(channel: str) -> str:
    return str(dict(DeliveryChannel.choices).get(channel, channel))


def channel_chart(channels: dict[str, dict[str, int]], offline_people: int) -> Chart:
    """Per messaging channel (whatever MESSAGING_CHANNELS holds) one bar per delivery status,
    then the people reached offline."""
    chart = Chart(_("Messages per channel"))
    for channel, counts in channels.items():
        bars = [
            Bar(str(DeliveryStatus(s).label), counts.get(s, 0), STATUS_COLOURS[s], key=s) for s in DeliveryStatus.values
        ]
        chart.rows.append(ChartRow(_channel_label(channel), bars, key=channel))
    chart.rows.append(
        ChartRow(_("Offline"), [Bar(_("People reached"), offline_people, OFFLINE_COLOUR, key="people")], key="offline")
    )
    return chart.scaled()


def region_chart(regions: list[RegionReach], link: dict[str, str] | None = None) -> Chart:
    """Per region: messages that reached members, messages that failed, people reached offline.
    With `link` (the dashboard's query), each region links to its own dashboard."""
    chart = Chart(_("Reach per region"))
    for region in regions:
        figures: ReachFigures = region.figures
        bars = [
            Bar(_("Reached"), figures.reached_online, REACHED_COLOUR, key="reached"),
            Bar(_("Failed"), figures.statuses[DeliveryStatus.FAILED], STATUS_COLOURS["failed"], key="failed"),
            Bar(_("Offline"), figures.offline_people, OFFLINE_COLOUR, key="offline"),
        ]
        href = ""
        if link is not None and len(region.code) > len(link.get("region", "")):
            href = reverse("dissemination:region_reach") + "?" + urlencode(link | {"region": region.code})
        chart.rows.append(ChartRow(region.name, bars, href=href, key=region.code))
    return chart.scaled()


# Chat apps and mail scanners fetch links to build previews or check them for malware; such a
# fetch is not the member reading the bulletin. Matched case-insensitively in the User-Agent.
LINK_PREVIEW_AGENTS = ("telegrambot", "whatsapp", "facebookexternalhit", "slackbot", "twitterbot", "bot/", "spider")


def _is_link_preview_bot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "").lower()
    return any(marker in agent for marker in LINK_PREVIEW_AGENTS)


@require_safe
def tracked_link_open(request: HttpRequest, code: str) -> HttpResponse:
    delivery_id = tracked_link_delivery_id(code)
    if delivery_id is None:
        raise Http404
    delivery = get_object_or_404(Delivery.objects.only("pk", "bulletin_id"), pk=delivery_id)
    if request.method == "GET" and not _is_link_preview_bot(request):  # HEAD is a link check too
        delivery_mark_read(delivery_id=delivery.pk)
    return HttpResponseRedirect(reverse("dissemination:public_detail", kwargs={"pk": delivery.bulletin_id}))


def _reach_download(request: HttpRequest, pk: int, file_format: ReachFormat) -> HttpResponse:
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    export = reach_export(actor=request.user, bulletin=bulletin, file_format=file_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def reach_csv(request: HttpRequest, pk: int) -> HttpResponse:
    return _reach_download(request, pk, "csv")


@login_required
@require_GET
def reach_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _reach_download(request, pk, "xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def offline_report(request: HttpRequest, slug: str, bulletin_pk: int) -> HttpResponse:
    """Form and list of the KIM's offline reports for a bulletin that reached it."""
    kim = selectors.inbox_kim_for(request.user, slug)
    bulletin = get_object_or_404(Bulletin, pk=bulletin_pk)
    if not bulletin_reached_kim(bulletin, kim):
        raise Http404
    form = OfflineReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            offline_report_record(actor=request.user, bulletin=bulletin, kim=kim, **form.cleaned_data)
        except ValidationError as error:
            # Field errors from the service name form fields; a bare one comes from the photo check.
            form.add_error(None if hasattr(error, "error_dict") else "photo", error)
        else:
            messages.success(request, _("Offline report recorded."))
            return redirect("dissemination:offline_report", slug=kim.slug, bulletin_pk=bulletin.pk)
    reports = offline_reports_for(bulletin).filter(kim=kim)
    context = {"kim": kim, "bulletin": bulletin, "form": form, "reports": reports}
    return render(request, "dissemination/offline_report.html", context)


@login_required
@require_GET
def reach_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Reach of one bulletin: per channel and status, per region one level below the publisher's,
    offline reports, export links."""
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    reach = reach_with_offline(bulletin)
    regions = bulletin_region_reach(bulletin)
    context = {
        "bulletin": bulletin,
        "reach": reach,
        "channel_chart": channel_chart(reach["channels"], reach["offline"]["people"]),
        "regions": regions,
        "region_chart": region_chart(regions),
        "statuses": DeliveryStatus.choices,
        "reports": offline_reports_for(bulletin)[:200],
        "region_dashboard_query": urlencode({"region": bulletin.region_code, "category": bulletin.category}),
    }
    return render(request, "dissemination/reach.html", context)


def _region_period(request: HttpRequest) -> tuple[RegionReachForm, ReachPeriod]:
    """The dashboard's filters from the query string; bad values fall back to the defaults (and
    the form shows why). Http404/PermissionDenied for a region the user may not see."""
    form = RegionReachForm(request.GET or None)
    date_from, date_to = default_period()
    code, category = "", ""
    if form.is_bound:
        if form.is_valid():
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            code, category = form.cleaned_data["region"], form.cleaned_data["category"]
        else:
            code = request.GET.get("region", "") if "region" not in form.errors else ""
            category = request.GET.get("category", "") if "category" not in form.errors else ""
    if category not in BulletinCategory.values:
        category = ""
    region = reach_region_for(request.user, code)
    return form, ReachPeriod(region=region, date_from=date_from, date_to=date_to, category=category)


def _period_query(period: ReachPeriod) -> dict[str, str]:
    return {
        "region": period.code,
        "date_from": period.date_from.isoformat(),
        "date_to": period.date_to.isoformat(),
        "category": period.category,
    }


@login_required
@require_GET
def region_reach(request: HttpRequest) -> HttpResponse:
    """Reach inside a region over a period, for its pembina (and the national admin)."""
    form, period = _region_period(request)
    dashboard = region_dashboard(period)
    query = _period_query(period)
    manageable = set(
        selectors.bulletins_for_user(request.user)
        .filter(pk__in=[item.bulletin.pk for item in dashboard.bulletins])
        .values_list("pk", flat=True)
    )
    choices = reach_region_choices(request.user, period.region)
    region_url = reverse("dissemination:region_reach")
    up_links = [(r, f"{region_url}?{urlencode(query | {'region': r.code})}") for r in choices["ancestors"]]
    context = {
        "form": form,
        "period": period,
        "up_links": up_links,
        "dashboard": dashboard,
        "choices": choices,
        "channel_chart": channel_chart(dashboard.channels, dashboard.totals.offline_people),
        "region_chart": region_chart(dashboard.regions, query),
        "statuses": DeliveryStatus.choices,
        "query": urlencode(query),
        "manageable": manageable,
    }
    return render(request, "dissemination/region_reach.html", context)


def _region_download(request: HttpRequest, file_format: ReachFormat) -> HttpResponse:
    _form, period = _region_period(request)
    export = region_reach_export(actor=request.user, period=period, file_format=file_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@login_required
@require_GET
def region_reach_csv(request: HttpRequest) -> HttpResponse:
    return _region_download(request, "csv")


@login_required
@require_GET
def region_reach_xlsx(request: HttpRequest) -> HttpResponse:
    return _region_download(request, "xlsx")
