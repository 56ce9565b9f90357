"""A per-hour limit on anonymous submissions (aspirations, information requests) by client address.

Anonymous forms are the easiest thing on the site to flood. Logged-in users are not limited here:
their account is the brake (and axes guards the login). The counter lives in the default cache:
Redis when `REDIS_URL` is set (shared by every web process), otherwise per process, which is
enough for one village laptop.
"""

import time

from django.core.cache import cache
from django.http import HttpRequest

from sikim.core.middleware import client_ip

WINDOW_SECONDS = 3600


def _key(scope: str, address: str, window: int) -> str:
    return f"intake-limit:{scope}:{address}:{window}"


def anonymous_limit_reached(request: HttpRequest, *, scope: str, per_hour: int) -> bool:
    """Count one anonymous submission for this address; True when it is over `per_hour`.

    `per_hour` 0 switches the limit off. Logged-in users are never counted.
    """
    if per_hour <= 0 or request.user.is_authenticated:
        return False
    address = client_ip(request) or "unknown"
    key = _key(scope, address, int(time.time()) // WINDOW_SECONDS)
    # add() is atomic: the first submission of the hour creates the counter, the rest increment it.
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return per_hour < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > per_hour
