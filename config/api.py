"""The REST API at /api/v1/: one NinjaAPI, one router per domain app."""

from ninja import NinjaAPI

from sikim.accounts.api import router as accounts_router
from sikim.accounts.api_auth import ApiTokenAuth, SessionAuth
from sikim.aspirations.api import router as aspirations_router
from sikim.audit.api import router as audit_router
from sikim.core.api_errors import install_error_handlers
from sikim.dissemination.api import router as dissemination_router
from sikim.forums.api import router as forums_router
from sikim.kim.api import router as kim_router
from sikim.kip.api import router as kip_router
from sikim.wilayah.api import router as wilayah_router

api = NinjaAPI(
    title="SIKIM API",
    version="1",
    description=(
        "Sistem Informasi Kelompok Informasi Masyarakat. Authenticate with a browser session "
        "or a personal API token (`Authorization: Bearer sikim_…`). Every error is JSON: "
        '`{"code": "...", "message": "...", "details": [...]}`.'
    ),
    auth=[ApiTokenAuth(), SessionAuth()],
    urls_namespace="api",
)
install_error_handlers(api)

api.add_router("/wilayah/", wilayah_router, tags=["wilayah"])
api.add_router("/accounts/", accounts_router, tags=["accounts"])
api.add_router("/audit/", audit_router, tags=["audit"])
api.add_router("/kim/", kim_router, tags=["kim"])
api.add_router("/forums/", forums_router, tags=["forums"])
api.add_router("/dissemination/", dissemination_router, tags=["dissemination"])
api.add_router("/aspirations/", aspirations_router, tags=["aspirations"])
api.add_router("/kip/", kip_router, tags=["kip"])
