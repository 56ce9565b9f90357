"""Public endpoints guarded by signatures or signed tokens: provider webhooks and opt-out links."""

import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sikim.core.api_errors import error_response
from sikim.dissemination.channels.webhooks import telegram_secret_valid, whatsapp_signature_valid
from sikim.dissemination.services.optout import CONSENT_FIELDS, member_consent_withdraw, optout_token_read
from sikim.dissemination.services.webhooks import (
    SmsWebhookInvalid,
    sms_webhook_apply,
    telegram_update_apply,
    whatsapp_webhook_apply,
)
from sikim.kim.models import KimMember

logger = logging.getLogger(__name__)


def _json_body(request: HttpRequest) -> object:
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Meta's verification handshake when the webhook is registered.
        verify_token = getattr(settings, "SIKIM_WHATSAPP_VERIFY_TOKEN", "")
        if (
            verify_token
            and request.GET.get("hub.mode") == "subscribe"
            and request.GET.get("hub.verify_token") == verify_token
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()
    if not whatsapp_signature_valid(
        body=request.body,
        header=request.headers.get("X-Hub-Signature-256"),
        app_secret=getattr(settings, "SIKIM_WHATSAPP_APP_SECRET", ""),
    ):
        return HttpResponseForbidden()
    result = whatsapp_webhook_apply(payload=_json_body(request))
    return JsonResponse(result)


@csrf_exempt
@require_http_methods(["POST"])
def telegram_webhook(request: HttpRequest) -> HttpResponse:
    if not telegram_secret_valid(
        header=request.headers.get("X-Telegram-Bot-Api-Secret-Token"),
        secret=getattr(settings, "SIKIM_TELEGRAM_WEBHOOK_SECRET", ""),
    ):
        return HttpResponseForbidden()
    outcome = telegram_update_apply(update=_json_body(request))
    return JsonResponse({"result": outcome})


@csrf_exempt
@require_http_methods(["POST"])
def sms_webhook(request: HttpRequest) -> HttpResponse:
    """Delivery reports and replies from the SMS gateway (contract in channels/sms.py)."""
    secret = str(getattr(settings, "SIKIM_SMS_WEBHOOK_SECRET", "") or "")
    token = request.headers.get("X-Sikim-Token", "")
    if not secret or not hmac.compare_digest(token.encode(), secret.encode()):
        return error_response(403, "forbidden", _("A valid X-Sikim-Token header is required."))
    try:
        result = sms_webhook_apply(payload=_json_body(request))
    except SmsWebhookInvalid as error:
        return error_response(400, "bad_request", str(error))
    return JsonResponse(result)


# Exempt from CSRF for RFC 8058 one-click unsubscribe: the mail provider POSTs to the link in
# List-Unsubscribe without a session. The signed token is the credential, so a forged request
# cannot stop anyone's messages without knowing their link.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def optout(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm, then stop one channel for one member. Public: the signed token is the credential."""
    decoded = optout_token_read(token)
    if decoded is None:
        raise Http404
    member_id, channel = decoded
    member = KimMember.objects.select_related("kim").filter(pk=member_id).first()
    if member is None:
        raise Http404
    done = request.method == "POST"
    if done:
        member_consent_withdraw(member=member, channel=channel, source="optout_link")
    context = {
        "kim_name": member.kim.name,
        "channel": channel,
        "done": done,
        "already": not getattr(member, CONSENT_FIELDS[channel]),
    }
    return render(request, "dissemination/optout.html", context)
