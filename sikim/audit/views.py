from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sikim.accounts.authz import Action, require
from sikim.audit.forms import AuditFilterForm
from sikim.audit.selectors import audit_events_filtered

PAGE_SIZE = 50


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """The audit log, limited to what the viewer oversees (a pembina: their region)."""
    require(request.user, Action.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events_filtered(
        request.user,
        action=filters.get("action") or "",
        region_code=filters.get("region") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    ).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
