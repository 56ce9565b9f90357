from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, UnreadablePostError

from sikim.core.request_context import RequestOrigin, reset_origin, set_origin


def client_ip(request: HttpRequest) -> str | None:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Remembers the client's address and channel while a request is handled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        channel = "api" if path.startswith("/api/") else "admin" if path.startswith("/admin/") else "web"
        token = set_origin(
            RequestOrigin(
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                channel=channel,
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


class ApiJsonErrorsMiddleware:
    """Under /api/, every error is JSON in our one format, even those Django makes itself
    (405 for a wrong method, 400 for a request too large, 403 for a failed CSRF check)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            from sikim.core.api_errors import error_code_for_status, error_response

            status = response.status_code
            json_response = error_response(status, error_code_for_status(status), _default_message(status))
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response


def _default_message(status: int) -> str:
    from django.utils.translation import gettext as _

    messages = {
        400: _("The request could not be read."),
        403: _("You may not do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
    }
    return messages.get(status, _("The request failed."))


class RejectNulBytesMiddleware:
    """Refuse requests carrying NUL characters with a clear 400.

    PostgreSQL cannot store or even compare text containing NUL (it raises, which would be a
    500), and no real form or API client ever sends one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            from django.utils.translation import gettext as _

            from sikim.core.api_errors import error_response

            message = _("The request contains a NUL character, which is not allowed.")
            if request.path.startswith("/api/"):
                return error_response(400, "bad_request", message)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("application/json"):
        # Reading the body here is fine: Django keeps it for the view.
        body = request.body
        return b"\\u0000" in body or b"\x00" in body
    if request.method == "POST" and content_type.startswith("application/x-www-form-urlencoded"):
        # Parsing reads and keeps the body, so a view may still read request.body afterwards.
        # Multipart bodies are left alone: parsing them here would consume the upload stream,
        # and Django form fields refuse NUL characters themselves.
        try:
            return any("\x00" in value for values in request.POST.lists() for value in values[1])
        except (RequestDataTooBig, TooManyFieldsSent, UnreadablePostError):
            # A body Django cannot parse is the view's to refuse (with a 400 or 422).
            return False
    return False
