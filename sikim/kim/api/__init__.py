from ninja import Router

from sikim.kim.api import manage, members, public

router = Router()
router.add_router("", public.router)
router.add_router("", manage.router)
router.add_router("", members.router)
