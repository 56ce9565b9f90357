"""Read tracking (tracked short links), offline reports and reach export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sikim.dissemination import selectors
from sikim.dissemination.forms_reach import OfflineReportForm
from sikim.dissemination.models import Bulletin, Delivery
from sikim.dissemination.selectors_reach import offline_reports_for, reach_with_offline
from sikim.dissemination.services.offline import (
    ReachFormat,
    bulletin_reached_kim,
    offline_report_record,
    reach_export,
)
from sikim.dissemination.services.tracking import delivery_mark_read, tracked_link_delivery_id


@require_GET
def tracked_link_open(request: HttpRequest, code: str) -> HttpResponse:
    delivery_id = tracked_link_delivery_id(code)
    if delivery_id is None:
        raise Http404
    delivery = get_object_or_404(Delivery.objects.only("pk", "bulletin_id"), pk=delivery_id)
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
    """Reach of one bulletin: deliveries per channel and status, offline reports, export links."""
    bulletin = selectors.bulletin_for_manage(request.user, pk)
    context = {"bulletin": bulletin, "reach": reach_with_offline(bulletin), "reports": offline_reports_for(bulletin)}
    return render(request, "dissemination/reach.html", context)
