"""Personal API tokens: made random, shown once, stored only as a SHA-256 hash."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from sikim.accounts.models import ApiToken

TOKEN_PREFIX = "sikim_"  # noqa: S105 - a public marker, not a secret


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_usable_token(token: str) -> ApiToken | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    api_token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(token)).first()
    if api_token is None or not api_token.is_usable():
        return None
    return api_token


def mark_token_used(api_token: ApiToken) -> None:
    # Writing on every call would make each API read a write; once a minute is enough to
    # show "last used" to the owner.
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
