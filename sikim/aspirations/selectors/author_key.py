"""The secret link of a citizen without an account: it lets them act as the author.

A citizen who submitted without an account (or for whom a KIM pengurus filed) cannot log in to
confirm, rate, reopen or correct their aspiration. They get a link instead,
`/aspirasi/lacak/<code>/?k=<key>`, on the receipt page (once, right after submitting) and in
every message about the aspiration. The key is an HMAC of the ticket code (django.core.signing,
its own salt), so nothing is stored and a key opens one aspiration only; rotating SECRET_KEY
(with SECRET_KEY_FALLBACKS for a while) replaces every link.

Whoever opens a valid link acts as an `AuthorKeyHolder`: an anonymous user that
`selectors.identity.is_own` recognises as the author of that one aspiration and nothing else.
Aspirations with an author account get no key: the author logs in.
"""

from typing import Final

from django.contrib.auth.models import AnonymousUser
from django.core import signing

from sikim.aspirations.models import Aspiration

SALT: Final = "sikim.aspirations.author-link"
QUERY_PARAMETER: Final = "k"
KEY_MAX_LENGTH: Final = 100


class AuthorKeyHolder(AnonymousUser):
    """The holder of one aspiration's secret link: its author for that aspiration only."""

    def __init__(self, aspiration_id: int) -> None:
        self.aspiration_id = aspiration_id

    def __str__(self) -> str:
        return "AuthorKeyHolder"


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def has_author_key(aspiration: Aspiration) -> bool:
    """Only an aspiration without an author account has a secret link."""
    return aspiration.author_id is None


def author_key_for(aspiration: Aspiration) -> str:
    """The key of the aspiration's secret link ("" when it has an author account)."""
    if not has_author_key(aspiration):
        return ""
    return _signer().signature(aspiration.code)


def author_key_holder(aspiration: Aspiration, key: str) -> AuthorKeyHolder | None:
    """The author acting through the link, or None for a wrong key (or an aspiration without one)."""
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX_LENGTH or not has_author_key(aspiration):
        return None
    try:
        _signer().unsign(f"{aspiration.code}{_signer().sep}{key}")
    except signing.BadSignature:
        return None
    return AuthorKeyHolder(aspiration.pk)
