"""A cached copy of public pages for anonymous visitors.

Most visitors of the KIM directory, the KIM profiles, the region pages and the public
aspiration pages (list, map points, tracking page) are not logged in,
and for them these pages are the same for everyone who asks for the same URL in the same
language. Rendering one costs 5-20 ms on the national data set; serving a stored copy costs
about as much as a trivial view. So a view marked with `@public_cacheable` is answered from
the cache `public_pages` (settings.CACHES) when all of these hold:

- the request is a GET or HEAD without a session cookie (so without a logged-in user) and
  without a messages cookie (flash messages are per visitor);
- the copy was stored at most SIKIM_PUBLIC_CACHE_SECONDS ago (0 switches the cache off), and
  nothing the page shows has been saved or deleted since (see "Freshness").

A copy is keyed by scheme, host, full path with its query string, the active language (as
LocaleMiddleware resolved it from the language cookie or Accept-Language) and the htmx
headers that change what a view renders (HX-Request, HX-Boosted, HX-Target): a partial is
never served for a full page, nor Indonesian for English. It is stored only from a GET that
answered 200 with HTML (or the GeoJSON of a map), set no cookie, holds no CSRF token, is not marked private/no-store
and varies on nothing but the headers in the key. Logged-in users always get a fresh page.
Marked pages leave the per-visitor CSRF header out of base.html for anonymous visitors (their
forms are GET forms, and the language switch is a GET link), so they can be stored at all.

Why not Django's `cache_page` / cache middleware: it keys on the response's Vary headers, and
every page here varies on Cookie (sessions, the CSRF cookie, the language cookie). Two
anonymous visitors with different cookies (a language cookie, a load balancer's sticky
cookie, a stale CSRF cookie) would never share a copy, and a visitor with a session cookie
would get the copy of nobody. It also caches any view it wraps, logged in or not, and knows
nothing of htmx. The rules above are simpler to state, test and reason about.

Freshness: the models the public pages show (PUBLIC_MODELS) are grouped by their app, and each
app has a "public version" in the cache. A marked view names the apps whose models it shows
(`@public_cacheable("kim", "wilayah")`); its copy carries their versions as they were when it
was rendered, and a save or delete of a model in PUBLIC_MODELS sets a new version for that
model's app only. So the next anonymous request after a change renders afresh the pages that
show it, while a busy app (supports on aspirations) leaves the others' copies alone. A view
that names too few apps is stale for at most SIKIM_PUBLIC_CACHE_SECONDS, never wrong for longer.
The versions live in the same cache: with Redis all web processes see them at once; with
LocMemCache (one box, embedded) each process has its own, so a change made through one
gunicorn worker may show on another worker after at most SIKIM_PUBLIC_CACHE_SECONDS. That
TTL is the guarantee; the versions make it sooner.

A cache that fails (Redis down) never breaks a page: the page is rendered as if uncached.
"""

import hashlib
import logging
import secrets
import zlib
from collections.abc import Callable
from functools import wraps
from typing import Any, Final, cast

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

logger = logging.getLogger(__name__)

CACHE_ALIAS: Final = "public_pages"
VERSION_KEY_PREFIX: Final = "sikim:public-pages:version:"  # + an app label
# Set on a marked view: the app labels whose models it shows.
MARKER: Final = "sikim_public_cacheable"
# Set on the request by the decorator: base.html then leaves the CSRF header out for anonymous visitors.
REQUEST_FLAG: Final = "sikim_public_page"
MESSAGES_COOKIE: Final = "messages"  # django.contrib.messages' CookieStorage
# A response varying on anything else would need it in the key: such a response is not stored.
KEYED_VARY_HEADERS: Final = frozenset(
    {"cookie", "accept-language", "accept-encoding", "hx-request", "hx-boosted", "hx-target"}
)
UNCACHEABLE_CACHE_CONTROL: Final = ("private", "no-store", "no-cache")
CSRF_MARKS: Final = (b"csrfmiddlewaretoken", b"X-CSRFToken")
# What the public pages show: a save or delete of one of these renders them afresh.
PUBLIC_MODELS: Final = (
    "kim.PembinaOffice",
    "kim.Kim",
    "kim.KimSector",
    "kim.Formation",
    "kim.FormationPhoto",
    "kim.KimDocument",
    "kim.KimMember",
    "kim.BoardTerm",
    "kim.BoardPosition",
    "kim.DisseminationGroup",
    "forums.KimForum",
    "forums.ForumMembership",
    "forums.ForumBoardPosition",
    "wilayah.Region",
    "dissemination.Bulletin",  # the feed boxes on region and KIM pages
    # The aspiration list, map and tracking pages: a state change, an answer, a hidden text,
    # a correction, a photo or a support shows at once (a support only bumps the counter
    # through an UPDATE, so its own row is the signal).
    "aspirations.Aspiration",
    "aspirations.AspirationEvent",
    "aspirations.AspirationCorrection",
    "aspirations.AspirationPhoto",
    "aspirations.AspirationSupport",
    # The Daftar Informasi Publik pages: an entry added, edited, withdrawn or published from a
    # decision, and a body renamed or closed, show at once. (The KIP statistics may lag the TTL.)
    "kip.RegisterEntry",
    "offices.GovernmentOffice",
)
# What may be stored besides HTML pages: the map's points (no CSRF token can hide in them).
STORABLE_CONTENT_TYPES: Final = ("text/html", "application/geo+json")

PUBLIC_APPS: Final = frozenset(model.split(".")[0] for model in PUBLIC_MODELS)

Entry = tuple[str, bytes, str]  # (the apps' public versions, zlib-compressed body, Content-Type)
# Level 1 compresses a page 5-8x in well under a millisecond: more copies per worker in
# LocMemCache, less memory and network with Redis. Decompressing a copy costs ~0.05 ms.
COMPRESSION_LEVEL: Final = 1


def public_cacheable[View: Callable[..., HttpResponseBase]](*apps: str) -> Callable[[View], View]:
    """Mark a page view as the same for every anonymous visitor (see the module docstring).

    `apps` are the labels of the apps in PUBLIC_MODELS whose models the page shows: a change to
    any of them renders the page afresh. Put it outermost, above `@require_GET`. The view must
    not render anything per visitor for anonymous users other than through the session (user,
    messages) and the language.
    """
    unknown = set(apps) - PUBLIC_APPS
    if not apps or unknown:
        raise ValueError(f"public_cacheable needs the apps the page shows, from {sorted(PUBLIC_APPS)}: {apps}")
    shown = tuple(sorted(set(apps)))

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            setattr(request, REQUEST_FLAG, True)
            return view(request, *args, **kwargs)

        setattr(wrapper, MARKER, shown)
        return cast(View, wrapper)

    return decorate


def _cache() -> BaseCache:
    return caches[CACHE_ALIAS]


def _version_key(app: str) -> str:
    return VERSION_KEY_PREFIX + app


def public_pages_changed(app: str) -> None:
    """Make every stored copy of the pages that show `app`'s models stale."""
    if settings.SIKIM_PUBLIC_CACHE_SECONDS <= 0:
        return
    try:
        _cache().set(_version_key(app), secrets.token_hex(8), timeout=None)
    except Exception:  # noqa: BLE001 - a cache that is down has nothing stale to serve
        logger.warning("public page cache: could not set a new version of %s", app, exc_info=True)


def _on_public_model_change(sender: type[Model], **kwargs: Any) -> None:
    public_pages_changed(sender._meta.app_label)


for _model in PUBLIC_MODELS:
    post_save.connect(_on_public_model_change, sender=_model, dispatch_uid=f"public-cache-save-{_model}", weak=False)
    post_delete.connect(
        _on_public_model_change, sender=_model, dispatch_uid=f"public-cache-delete-{_model}", weak=False
    )


def _versions(cache: BaseCache, apps: tuple[str, ...], found: dict[str, Any]) -> str | None:
    """The current versions of `apps`, one string; a missing version is set anew first."""
    versions = []
    for app in apps:
        key = _version_key(app)
        version = found.get(key)
        if version is None:
            # First request, or the version was evicted: a new version, so no copy made
            # before the eviction can be mistaken for a fresh one.
            cache.add(key, secrets.token_hex(8), timeout=None)
            version = cache.get(key)
        if not isinstance(version, str):
            return None
        versions.append(version)
    return " ".join(versions)


def _anonymous_read(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def cache_key(request: HttpRequest) -> str:
    """Everything a marked page's HTML depends on for an anonymous visitor."""
    headers = request.headers
    htmx = headers.get("HX-Request") == "true"
    parts = [
        request.scheme or "",
        request.get_host(),
        translation.get_language() or "",
        "htmx" if htmx else "page",
        headers.get("HX-Boosted", "") if htmx else "",
        headers.get("HX-Target", "") if htmx else "",
        request.get_full_path(),
    ]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()
    return f"sikim:public-page:{digest}"


def _storable(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(STORABLE_CONTENT_TYPES):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in UNCACHEABLE_CACHE_CONTROL):
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}
    if not vary <= KEYED_VARY_HEADERS:
        return False
    content = cast(HttpResponse, response).content
    return not any(mark in content for mark in CSRF_MARKS)


class PublicPageCacheMiddleware:
    """Serves and stores the anonymous copies of `@public_cacheable` pages.

    Placed right after WhiteNoise, before the session middleware: its response side then
    sees every cookie the other middleware set (session, CSRF, messages) and refuses to store
    such a response. The lookup happens in `process_view`, which Django calls after every
    middleware has seen the request (so the language is resolved and `request.user` exists)
    and only once the view is known, so unmarked pages never touch the cache. A copy served
    from there still goes out through every middleware (security headers, Vary,
    Content-Language, X-Frame-Options), as the original did.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        pending: tuple[str, str, int] | None = getattr(request, "_sikim_public_cache_pending", None)
        if pending is not None and request.method == "GET" and _storable(response):
            key, version, seconds = pending
            body = zlib.compress(cast(HttpResponse, response).content, COMPRESSION_LEVEL)
            entry: Entry = (version, body, response["Content-Type"])
            try:
                _cache().set(key, entry, timeout=seconds)
            except Exception:  # noqa: BLE001 - not storing a copy is always safe
                logger.warning("public page cache: could not store %s", request.path, exc_info=True)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        seconds = settings.SIKIM_PUBLIC_CACHE_SECONDS
        apps: tuple[str, ...] = getattr(view_func, MARKER, ())
        if seconds <= 0 or not apps or not _anonymous_read(request):
            return None
        key = cache_key(request)
        try:
            cache = _cache()
            found = cache.get_many([*map(_version_key, apps), key])
            version = _versions(cache, apps, found)
        except Exception:  # noqa: BLE001 - a failing cache means a fresh page, never an error
            logger.warning("public page cache: lookup failed for %s", request.path, exc_info=True)
            return None
        if version is None:
            return None
        entry = found.get(key)
        if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == version:
            _, body, content_type = cast(Entry, entry)
            try:
                return HttpResponse(zlib.decompress(body), content_type=content_type)
            except (zlib.error, TypeError):  # not a copy this module stored: render afresh
                pass
        request._sikim_public_cache_pending = (key, version, seconds)  # type: ignore[attr-defined]
        return None
