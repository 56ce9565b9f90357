"""Intake by message that is not a provider webhook: the inbound email endpoint.

`POST /aspirasi/masuk/email/` takes one raw RFC 822 message as the body, from a mail relay or an
inbound-mail service, with `X-Sikim-Token: <SIKIM_INBOUND_EMAIL_SECRET>` (an empty secret closes
the endpoint). The work is `sikim.aspirations.services.intake.email_intake`, as in the
`receive_email` command for an MTA pipe.
"""

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sikim.aspirations.services.intake import EMAIL_MAX_BYTES, EmailTooLarge, email_intake
from sikim.core.api_errors import error_response


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt  # a machine posts here; the shared secret is the credential
@require_POST
def inbound_email(request: HttpRequest) -> HttpResponse:
    secret = str(getattr(settings, "SIKIM_INBOUND_EMAIL_SECRET", "") or "")
    token = request.headers.get("X-Sikim-Token", "")
    if not secret or not hmac.compare_digest(token.encode(), secret.encode()):
        return error_response(403, "forbidden", _("A valid X-Sikim-Token header is required."))
    if _content_length(request) > EMAIL_MAX_BYTES:
        return error_response(413, "too_large", _("The message is too large."))
    try:
        outcome = email_intake(raw=request.body)
    except EmailTooLarge:
        return error_response(413, "too_large", _("The message is too large."))
    aspiration = outcome.aspiration
    return JsonResponse({"result": str(outcome.result), "code": aspiration.code if aspiration is not None else None})
