from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey.contrib.djhuey import HUEY


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


# SIKIM's blue (Pico's primary colour), also in templates/base.html and static/img/sikim-icon.svg.
THEME_COLOUR = "#0172ad"


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: a villager can put SIKIM on their phone's home screen, with its icon.

    Browsers fetch it without cookies, so it speaks the default language (or Accept-Language).
    """
    icons = [
        {"src": static("img/sikim-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("img/sikim-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("img/sikim-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": static("img/sikim-icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
    ]
    manifest = {
        "name": _("SIKIM — Community Information Groups"),
        "short_name": "SIKIM",
        "description": _("SIKIM — the information system of Indonesia's Community Information Groups (KIM)."),
        "lang": get_language(),
        "start_url": reverse("core:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": icons,
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _database_status() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", reported as such
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _queue_status() -> dict[str, object]:
    try:
        pending = HUEY.pending_count()
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "backend": type(HUEY.storage).__name__, "pending": pending}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database and the queue answer, else 503."""
    database = _database_status()
    queue = _queue_status()
    healthy = bool(database["ok"]) and bool(queue["ok"])
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "queue": queue},
        status=200 if healthy else 503,
    )


# Uploaded files that are public by nature (KIM logos, formation photos). Documents and
# member imports are NOT here: they are served by views that check permission first.
PUBLIC_MEDIA_PREFIXES = ("kim/logos/", "kim/formation/")


@require_GET
def public_media(request: HttpRequest, path: str) -> FileResponse:
    """Serve public uploads. Behind a reverse proxy, let it serve /media/kim/logos/ and
    /media/kim/formation/ directly (docs/deploy.md); this view is the embedded fallback."""
    if not path.startswith(PUBLIC_MEDIA_PREFIXES) or ".." in path.split("/"):
        raise Http404
    full_path = (Path(settings.MEDIA_ROOT) / path).resolve()
    if not full_path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not full_path.is_file():
        raise Http404
    response = FileResponse(full_path.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _same_site_path(request: HttpRequest, url: str) -> str | None:
    """`url` if it is a path on this site (`/kim/?provinsi=63`), else None: never an open redirect."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    return url


@never_cache
@require_GET
def set_language(request: HttpRequest) -> HttpResponseRedirect:
    """/bahasa/?language=en&next=/kim/: remember the language in its cookie and go back.

    A GET form (Django's own `set_language` wants a POST with a CSRF token), so that public
    pages carry no per-visitor token and can be served from the public page cache. Choosing a
    language changes nothing but that visitor's own preference, so it needs no CSRF check.
    `next` must be a path on this site; anything else goes to the home page.
    """
    next_url = _same_site_path(request, request.GET.get("next", "")) or reverse("core:home")
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
