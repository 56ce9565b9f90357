from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from huey.contrib.djhuey import HUEY


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


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
