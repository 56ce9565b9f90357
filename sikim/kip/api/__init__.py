"""The KIP router at /api/v1/kip/: requests and their decisions and objections, registers, statistics."""

from ninja import Router

from sikim.kip.api import registers, requests, stats

router = Router()
router.add_router("", requests.router)
router.add_router("", registers.router)
router.add_router("", stats.router)
