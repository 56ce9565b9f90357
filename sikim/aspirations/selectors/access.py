"""Reads of aspirations, already limited to what the reader may see.

Inside (the KIM, the pembina, the office): `aspirations_visible_to`. An office officer sees only
the cases routed to their office; a KIM pengurus those of their KIM; a pembina those of their
region subtree; a citizen their own. Anything else answers "not found" (404).

In public: `aspirations_public` (never a confidential, hidden, unverified or rejected case) and
`aspiration_for_tracking` (by ticket code). Public texts go through `public_title` /
`public_text`, which mask personal data; names through `selectors.identity.author_display`.
"""

import re
from typing import Final

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.aspirations.masking import mask_personal_data
from sikim.aspirations.models import (
    PUBLIC_STATES,
    Aspiration,
    AspirationEvent,
    Category,
    Visibility,
)
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.identity import is_own
from sikim.kim.models import Kim
from sikim.offices.models import GovernmentOffice
from sikim.wilayah.models import subtree_q

CODE_REGEX: Final = re.compile(r"^ASP-\d{4}-[0-9A-Z]{4,8}$")


def _related(aspirations: QuerySet[Aspiration]) -> QuerySet[Aspiration]:
    return aspirations.select_related("region", "kim", "office", "author")


def _scope(user: AnyUser, action: str) -> Q | None:
    """Aspirations `user` may do `action` to through a role; None means every aspiration."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    by_region = authz.region_scope_q(user, action, "region_id")
    if not by_region:  # Q(): a national admin or a superuser
        return None
    q = by_region
    kims = authz.organisation_ids(user, action, ContentType.objects.get_for_model(Kim).pk)
    if kims:
        q |= Q(kim_id__in=kims)
    offices = authz.organisation_ids(user, action, ContentType.objects.get_for_model(GovernmentOffice).pk)
    if offices:
        q |= Q(office_id__in=offices)
    return q


def aspirations_for_action(user: AnyUser, action: str) -> QuerySet[Aspiration]:
    """Aspirations `user` may do `action` to (by region, KIM or office grant)."""
    scope = _scope(user, action)
    aspirations = Aspiration.objects.all() if scope is None else Aspiration.objects.filter(scope)
    return _related(aspirations)


def aspirations_visible_to(user: AnyUser) -> QuerySet[Aspiration]:
    """Every aspiration `user` may open inside SIKIM: their role's, and their own."""
    scope = _scope(user, AspirationAction.VIEW_INTERNAL)
    if scope is None:
        return _related(Aspiration.objects.all())
    if user.is_authenticated:
        scope |= Q(author_id=user.pk) | Q(filed_by_id=user.pk)
    return _related(Aspiration.objects.filter(scope))


def aspiration_for(user: AnyUser, code: str) -> Aspiration:
    """One aspiration `user` may open, or 404 (never 403: outsiders must not learn it exists)."""
    aspiration = aspirations_visible_to(user).filter(code=normalise_code(code)).first()
    if aspiration is None:
        raise Http404
    return aspiration


def may_view_internal(aspiration: Aspiration, user: AnyUser) -> bool:
    return authz.can(user, AspirationAction.VIEW_INTERNAL, aspiration)


def aspirations_of_office(office: GovernmentOffice) -> QuerySet[Aspiration]:
    """The cases an office holds now (callers have checked the reader works there)."""
    return _related(Aspiration.objects.filter(office=office))


def normalise_code(code: str) -> str:
    """ "asp-2026-7k3qfm " → "ASP-2026-7K3QFM"; anything unlike a code → ""."""
    code = (code or "").strip().upper()[:20]
    return code if CODE_REGEX.match(code) else ""


def aspiration_for_tracking(code: str) -> Aspiration:
    """Any aspiration by its ticket code (the code is the key); 404 for an unknown code.

    The tracking page shows the timeline and the answer; what it shows of the text and the
    author follows the visibility (`public_text`, `author_display`).
    """
    normalised = normalise_code(code)
    aspiration = _related(Aspiration.objects.filter(code=normalised)).first() if normalised else None
    if aspiration is None:
        raise Http404
    return aspiration


def aspirations_public(
    *, region_code: str = "", category: str = "", state: str = "", office_id: int | None = None
) -> QuerySet[Aspiration]:
    """The public list and map: verified, not confidential, not hidden; narrowed by the filters."""
    aspirations = Aspiration.objects.filter(
        visibility__in=[Visibility.PUBLIC, Visibility.PUBLIC_ANONYMOUS], is_hidden=False, state__in=PUBLIC_STATES
    )
    if region_code:
        aspirations = aspirations.filter(subtree_q("region_id", region_code[:13]))
    if category in Category.values:
        aspirations = aspirations.filter(category=category)
    if state in PUBLIC_STATES:
        aspirations = aspirations.filter(state=state)
    if office_id is not None:
        aspirations = aspirations.filter(office_id=office_id)
    return aspirations.select_related("region", "office").order_by("-submitted_at", "-id")


def public_title(aspiration: Aspiration) -> str:
    return mask_personal_data(aspiration.title)


def public_text(aspiration: Aspiration) -> str:
    """The text for public pages: masked, and nothing at all of a confidential or hidden case."""
    if aspiration.visibility == Visibility.CONFIDENTIAL or aspiration.is_hidden:
        return ""
    return mask_personal_data(aspiration.text)


def aspiration_timeline(aspiration: Aspiration, user: AnyUser) -> QuerySet[AspirationEvent]:
    """The events `user` may read: internal notes only for officials who may see the case."""
    events = aspiration.events.select_related("office", "actor").order_by("created_at", "id")
    if may_view_internal(aspiration, user):
        return events
    return events.filter(is_public=True)


def aspirations_of_user(user: AnyUser) -> QuerySet[Aspiration]:
    """A citizen's own aspirations (as author or as the pengurus who filed them)."""
    if not user.is_authenticated:
        return Aspiration.objects.none()
    return _related(Aspiration.objects.filter(Q(author_id=user.pk) | Q(filed_by_id=user.pk)))


def may_act_as_author(aspiration: Aspiration, user: AnyUser) -> bool:
    return is_own(aspiration, user)
