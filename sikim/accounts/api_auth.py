"""How the API knows who is calling: a personal token, or the browser's session."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from sikim.accounts.models import ApiTokenScope
from sikim.accounts.tokens import find_usable_token, mark_token_used

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer sikim_…`. A read-only token may only read."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = find_usable_token(token)
        if api_token is None or not api_token.user.is_active:
            return None
        if request.method not in SAFE_METHODS and api_token.scope != ApiTokenScope.WRITE:
            return None
        mark_token_used(api_token)
        request.user = api_token.user
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The logged-in browser session; unsafe methods also need the CSRF token."""
