from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
