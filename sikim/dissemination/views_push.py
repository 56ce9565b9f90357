"""Web push pages: a member's personal subscribe page, saving and removing a browser, the service worker.

Public: the signed token in the URL is the credential (like the Telegram /start link), so a member
needs no account. Saving and removing are POST with the CSRF token of the page.
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sikim.dissemination.services import push as push_services
from sikim.kim.models import KimMember

MAX_BODY_BYTES = 4096


def _member_or_404(token: str) -> KimMember:
    member_id = push_services.push_token_read(token)
    if member_id is None:
        raise Http404
    member = KimMember.objects.select_related("kim").filter(pk=member_id, is_active=True).first()
    if member is None:
        raise Http404
    return member


def _error(message: str, *, code: str = "invalid", status: int = 400) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status)


def _json_body(request: HttpRequest) -> object:
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None


@never_cache
@require_GET
def push_subscribe(request: HttpRequest, token: str) -> HttpResponse:
    member = _member_or_404(token)
    context = {
        "token": token,
        "kim_name": member.kim.name,
        "public_key": push_services.vapid_public_key(),
        "subscriptions": member.push_subscriptions.count(),
    }
    return render(request, "dissemination/push_subscribe.html", context)


@require_POST
def push_save(request: HttpRequest, token: str) -> JsonResponse:
    member = _member_or_404(token)
    if not push_services.vapid_public_key():
        return _error(_("Web notifications are not available yet."), code="unavailable", status=409)
    payload = _json_body(request)
    if payload is None:
        return _error(_("Send the browser's push subscription as JSON."))
    try:
        data = push_services.subscription_clean(payload)
    except ValidationError as error:
        return _error(" ".join(error.messages))
    push_services.push_subscription_save(member=member, data=data, user_agent=request.headers.get("User-Agent", ""))
    return JsonResponse({"subscribed": True, "message": _("Notifications are on for this browser.")}, status=201)


@require_POST
def push_delete(request: HttpRequest, token: str) -> HttpResponse:
    """JSON {"endpoint"} removes this browser (from the script); a plain form removes every browser."""
    member = _member_or_404(token)
    if request.content_type == "application/json":
        payload = _json_body(request)
        endpoint = payload.get("endpoint") if isinstance(payload, dict) else None
        if not isinstance(endpoint, str) or not endpoint:
            return _error(_("Send the endpoint of the subscription to remove."))
        removed = push_services.push_subscription_delete(member=member, endpoint=endpoint)
        return JsonResponse({"removed": removed, "message": _("Notifications are off for this browser.")})
    removed = push_services.push_subscription_delete(member=member)
    if removed:
        messages.success(request, _("Notifications are off on all your devices."))
    else:
        messages.info(request, _("Notifications were not on for any of your devices."))
    return redirect("dissemination:push_subscribe", token=token)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (scope /diseminasi/): shows a pushed notification and opens its link."""
    response = render(request, "dissemination/push_sw.js", content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
