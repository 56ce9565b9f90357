"""A per-hour limit on anonymous submissions (aspirations, information requests) by client address,
and on anything else that must not be repeated too often by one key (a reset SMS to one phone).

Anonymous forms are the easiest thing on the site to flood. Logged-in users are not limited here:
their account is the brake (and axes guards the login). The counter is a row per scope, address
and hour in the database (AnonymousSubmissionCount), so every web process on every machine counts
against the same limit; the address is kept only as a keyed hash, and rows older than the
previous hour are deleted as new hours begin.
"""

import time

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from sikim.core.middleware import client_ip
from sikim.core.models import AnonymousSubmissionCount

WINDOW_SECONDS = 3600
_HASH_SALT = "sikim.core.intake_limit"


def _address_hash(address: str) -> str:
    return salted_hmac(_HASH_SALT, address, algorithm="sha256").hexdigest()


def _count_one(scope: str, address_hash: str, hour: int) -> int:
    """Add one to this hour's counter (created by the first submission) and return it.

    The increment and the read share a transaction: the UPDATE holds the row (PostgreSQL) or the
    database (SQLite) until the commit, so no other process's increment comes in between and
    every submission sees its own number.
    """
    counters = AnonymousSubmissionCount.objects.filter(scope=scope, address_hash=address_hash, hour=hour)

    def increment() -> int | None:
        with transaction.atomic():
            if counters.update(count=F("count") + 1):
                return counters.values_list("count", flat=True).get()
        return None

    count = increment()
    if count is not None:
        return count
    try:
        with transaction.atomic():
            AnonymousSubmissionCount.objects.create(scope=scope, address_hash=address_hash, hour=hour)
    except IntegrityError:  # another process created it at the same moment: count on it
        return increment() or 1
    # The first count of a new hour: forget the hours before the previous one.
    AnonymousSubmissionCount.objects.filter(hour__lt=hour - 1).delete()
    return 1


def limit_reached(*, scope: str, key: str, per_hour: int) -> bool:
    """Count one use of `key` (an address, a phone number) in `scope`; True when it is over
    `per_hour` this hour. `per_hour` 0 switches the limit off. The key is stored hashed."""
    if per_hour <= 0:
        return False
    hour = int(time.time()) // WINDOW_SECONDS
    return _count_one(scope, _address_hash(key), hour) > per_hour


def anonymous_limit_reached(request: HttpRequest, *, scope: str, per_hour: int) -> bool:
    """Count one anonymous submission for this address; True when it is over `per_hour`.

    `per_hour` 0 switches the limit off. Logged-in users are never counted.
    """
    if request.user.is_authenticated:
        return False
    return limit_reached(scope=scope, key=client_ip(request) or "unknown", per_hour=per_hour)
