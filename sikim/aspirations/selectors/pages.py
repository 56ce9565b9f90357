"""Reads for the aspiration pages: the submit form's place, the public list and map, the desk.

Everything here builds on the scoped selectors in `access` and `identity`: the desk lists only
what the worker's role reaches, the public list only what `aspirations_public` allows, and
the actions offered on a case page come from the transition table in `permissions`.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.aspirations.masking import mask_personal_data
from sikim.aspirations.models import (
    ASPIRATION_TRANSITIONS,
    AWAITING_OFFICE,
    PUBLIC_STATES,
    Aspiration,
    AspirationCorrection,
    AspirationEvent,
    AspirationPhoto,
    AspirationState,
    AspirationSupport,
    Visibility,
)
from sikim.aspirations.permissions import TRANSITION_ACTIONS, AspirationAction
from sikim.aspirations.selectors.access import (
    aspirations_for_action,
    aspirations_public,
    may_view_internal,
    normalise_code,
    public_text,
    public_title,
)
from sikim.aspirations.selectors.deadlines import is_overdue, overdue_q
from sikim.aspirations.selectors.identity import is_own, may_see_identity
from sikim.kim.models import Kim, KimMember
from sikim.offices.models import GovernmentOffice
from sikim.offices.selectors import offices_covering
from sikim.wilayah.models import Region, RegionLevel

DESK_PAGE_SIZE: Final = 25
LIST_PAGE_SIZE: Final = 20
MAP_MAX_POINTS: Final = 2000
SLUG_MAX_LENGTH: Final = 200
CLOSED_STATES: Final = (AspirationState.DITOLAK, AspirationState.SELESAI)


# --- Submitting -------------------------------------------------------------------------------


def known_village_for(user: AnyUser) -> Region | None:
    """The citizen's desa/kelurahan if SIKIM knows it: their profile, else their KIM's village."""
    if not user.is_authenticated:
        return None
    home = getattr(user, "home_region", None)
    if home is not None and home.level == RegionLevel.DESA_KELURAHAN:
        return home
    membership = (
        KimMember.objects.filter(user_id=user.pk, is_active=True, kim__region__level=RegionLevel.DESA_KELURAHAN)
        .select_related("kim__region")
        .order_by("pk")
        .first()
    )
    return membership.kim.region if membership is not None else None


def similar_rows(similar: list[Any]) -> list[dict[str, Any]]:
    """Similar aspirations as the submit form shows them (masked titles, no names)."""
    return [
        {
            "code": item.aspiration.code,
            "title": public_title(item.aspiration),
            "state": str(AspirationState(item.aspiration.state).label),
            "supports": item.aspiration.support_count,
        }
        for item in similar
    ]


def kim_for_filing(user: AnyUser, slug: str) -> Kim:
    """The KIM whose pengurus `user` is, to file an aspiration on a citizen's behalf; else 404."""
    kim = Kim.objects.select_related("region").filter(slug=slug[:SLUG_MAX_LENGTH]).first()
    if kim is None or not authz.can(user, AspirationAction.VERIFY, kim):
        raise Http404
    return kim


def region_by_code(code: str) -> Region | None:
    code = (code or "").strip()[:13]
    return Region.objects.filter(code=code).first() if code else None


# --- Tracking (public) ------------------------------------------------------------------------


def aspiration_photos(aspiration: Aspiration) -> list[AspirationPhoto]:
    return list(aspiration.photos.order_by("created_at", "id"))


def aspiration_photo_for(aspiration: Aspiration, photo_id: int, user: AnyUser) -> AspirationPhoto:
    """A photo `user` may see: of a public case, or of a case they may open inside; else 404."""
    if not (aspiration.is_public or is_own(aspiration, user) or may_view_internal(aspiration, user)):
        raise Http404
    photo = aspiration.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    return photo


def aspiration_corrections(aspiration: Aspiration) -> list[AspirationCorrection]:
    return list(aspiration.corrections.order_by("created_at", "id"))


def text_for(aspiration: Aspiration, user: AnyUser, text: str) -> str:
    """A text of the citizen as `user` may read it: whole for the author and those who may know
    who wrote it; masked for everyone else (the office of a confidential case, the public)."""
    if is_own(aspiration, user) or (may_see_identity(aspiration, user) and may_view_internal(aspiration, user)):
        return text
    return mask_personal_data(text)


def tracking_text(aspiration: Aspiration, user: AnyUser) -> str:
    """The text on the public tracking page: the author's own, else the masked public text."""
    if is_own(aspiration, user):
        return aspiration.text
    if may_view_internal(aspiration, user):
        return text_for(aspiration, user, aspiration.text)
    return public_text(aspiration)


def tracking_title(aspiration: Aspiration, user: AnyUser) -> str:
    return aspiration.title if is_own(aspiration, user) else public_title(aspiration)


def public_timeline(aspiration: Aspiration) -> list[AspirationEvent]:
    """The public events of the timeline (internal notes never show on the tracking page)."""
    return list(aspiration.events.filter(is_public=True).select_related("office", "actor").order_by("created_at", "id"))


SNIPPET_LENGTH: Final = 220


def public_snippet(aspiration: Aspiration) -> str:
    """The start of the masked public text, for the list."""
    text = " ".join(public_text(aspiration).split())
    return text if len(text) <= SNIPPET_LENGTH else f"{text[: SNIPPET_LENGTH - 1].rsplit(' ', 1)[0]}…"


def has_supported(aspiration: Aspiration, user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return AspirationSupport.objects.filter(aspiration=aspiration, user_id=user.pk).exists()


@dataclass(frozen=True)
class AuthorActions:
    """What the author may do on the tracking page now."""

    correct: bool
    confirm: bool
    rate: bool
    reopen: bool

    @property
    def any(self) -> bool:
        return self.correct or self.confirm or self.rate or self.reopen


def author_actions(aspiration: Aspiration, user: AnyUser) -> AuthorActions:
    if not is_own(aspiration, user):
        return AuthorActions(False, False, False, False)
    answered = aspiration.answered_at is not None and aspiration.state in (
        AspirationState.DIJAWAB,
        AspirationState.SELESAI,
    )
    return AuthorActions(
        correct=aspiration.state != AspirationState.DITOLAK,
        confirm=aspiration.can_move_to(AspirationState.SELESAI) and aspiration.state == AspirationState.DIJAWAB,
        rate=answered and aspiration.rating is None,
        reopen=answered and aspiration.reopened_count < 1,
    )


# --- The public list and map ------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilters:
    region_code: str = ""
    category: str = ""
    state: str = ""
    office_id: int | None = None

    def public(self) -> QuerySet[Aspiration]:
        return aspirations_public(
            region_code=self.region_code, category=self.category, state=self.state, office_id=self.office_id
        )


def offices_for_list_filter(region_code: str) -> QuerySet[GovernmentOffice]:
    """Offices offered in the list's filter: those holding a public aspiration (in the region)."""
    holding = aspirations_public(region_code=region_code).filter(office__isnull=False).values("office_id")
    return GovernmentOffice.objects.filter(pk__in=holding).order_by("name")


def map_features(filters: ListFilters) -> dict[str, Any]:
    """The listed aspirations that have a point, as GeoJSON (masked titles, no names)."""
    rows = (
        filters.public()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .only("code", "title", "state", "category", "latitude", "longitude", "region__name", "office__name")
    )[:MAP_MAX_POINTS]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(a.longitude or 0), float(a.latitude or 0)]},
            "properties": {
                "code": a.code,
                "title": public_title(a),
                "state": str(AspirationState(a.state).label),
                "village": a.region.name,
            },
        }
        for a in rows
    ]
    return {"type": "FeatureCollection", "features": features}


# --- The desk (workers) -----------------------------------------------------------------------


def is_worker(user: AnyUser) -> bool:
    """Anyone whose role lets them open aspirations inside: pengurus, pembina, office officers."""
    return authz.can(user, AspirationAction.VIEW_INTERNAL)


DESK_VIEWS: Final = ("open", "overdue", "closed", "all")


def desk_aspirations(user: AnyUser, *, view: str = "open", now: datetime | None = None) -> QuerySet[Aspiration]:
    """The cases `user`'s role reaches (not their own as a citizen), the overdue ones first."""
    now = now or timezone.now()
    cases = aspirations_for_action(user, AspirationAction.VIEW_INTERNAL)
    if view == "overdue":
        cases = cases.filter(overdue_q(now))
    elif view == "closed":
        cases = cases.filter(state__in=CLOSED_STATES)
    elif view != "all":
        cases = cases.exclude(state__in=CLOSED_STATES)
    return cases.annotate(
        overdue_rank=Case(When(overdue_q(now), then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("overdue_rank", "verify_due", "id")


def desk_counts(user: AnyUser, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cases = aspirations_for_action(user, AspirationAction.VIEW_INTERNAL)
    return {
        "open": cases.exclude(state__in=CLOSED_STATES).count(),
        "overdue": cases.filter(overdue_q(now)).count(),
    }


def case_for_worker(user: AnyUser, code: str) -> Aspiration:
    """A case `user` may open on the desk (their role reaches it), else 404."""
    normalised = normalise_code(code)
    aspiration = (
        aspirations_for_action(user, AspirationAction.VIEW_INTERNAL).filter(code=normalised).first()
        if normalised
        else None
    )
    if aspiration is None:
        raise Http404
    return aspiration


def case_timeline(aspiration: Aspiration) -> list[AspirationEvent]:
    """Every event, for the workers' case page (`case_page_events` decides how actors show)."""
    return list(aspiration.events.select_related("office", "actor").order_by("created_at", "id"))


# The desk's actions and the transition each one makes.
DESK_ACTIONS: Final = {
    "verify": AspirationState.DIVERIFIKASI,
    "reject": AspirationState.DITOLAK,
    "forward": AspirationState.DITERUSKAN,
    "follow_up": AspirationState.DITINDAKLANJUTI,
    "answer": AspirationState.DIJAWAB,
    "not_our_remit": AspirationState.DIVERIFIKASI,
}


WORKER_ACTIONS: Final = frozenset(AspirationAction)


def desk_actions(aspiration: Aspiration, user: AnyUser) -> list[str]:
    """The desk actions `user` may take on the case now (from `TRANSITION_ACTIONS`)."""
    state = aspiration.state
    allowed: list[str] = []
    for name, to_state in DESK_ACTIONS.items():
        if to_state not in ASPIRATION_TRANSITIONS.get(state, set()):
            continue
        # verify and "bukan wewenang" both lead to diverifikasi: from different states.
        if name == "verify" and state != AspirationState.DIAJUKAN:
            continue
        if name == "not_our_remit" and state not in AWAITING_OFFICE:
            continue
        if name == "forward" and state not in (AspirationState.DIVERIFIKASI, *AWAITING_OFFICE):
            continue
        actions = TRANSITION_ACTIONS.get((state, to_state), frozenset())
        if any(action in WORKER_ACTIONS and authz.can(user, action, aspiration) for action in actions):
            allowed.append(name)
    return allowed


# What a role must hold for each desk action (whatever the state is now).
DESK_ACTION_ROLES: Final = {
    "verify": (AspirationAction.VERIFY,),
    "reject": (AspirationAction.VERIFY, AspirationAction.FORWARD),
    "forward": (AspirationAction.FORWARD,),
    "follow_up": (AspirationAction.RESPOND,),
    "answer": (AspirationAction.RESPOND,),
    "not_our_remit": (AspirationAction.RESPOND,),
}


def role_may(aspiration: Aspiration, user: AnyUser, name: str) -> bool:
    """Whether `user`'s role allows the desk action on this case at all (403 if not)."""
    return any(authz.can(user, action, aspiration) for action in DESK_ACTION_ROLES.get(name, ()))


def kims_user_files_for(user: AnyUser) -> list[Kim]:
    """The KIMs whose pengurus `user` is (to file an aspiration on a citizen's behalf)."""
    kim_ids = authz.organisation_ids(user, AspirationAction.VERIFY, ContentType.objects.get_for_model(Kim).pk)
    return list(Kim.objects.filter(pk__in=kim_ids).order_by("name")) if kim_ids else []


def offices_for_forwarding(aspiration: Aspiration) -> QuerySet[GovernmentOffice]:
    """Active offices acting for the case's village, except the one holding it now."""
    offices = offices_covering(aspiration.region_id)
    if aspiration.office_id is not None:
        offices = offices.exclude(pk=aspiration.office_id)
    return offices


def case_is_overdue(aspiration: Aspiration) -> bool:
    return is_overdue(aspiration)


def is_confidential(aspiration: Aspiration) -> bool:
    return aspiration.visibility == Visibility.CONFIDENTIAL


def public_state_values() -> list[str]:
    return [str(state) for state in PUBLIC_STATES]


def overdue_filter(now: datetime | None = None) -> Q:
    return overdue_q(now or timezone.now())
