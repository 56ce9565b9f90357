"""Which office an aspiration goes to, and which deadlines apply where.

Routing: the active rules whose region contains the aspiration's village and whose category
is the aspiration's (or "any"). The most specific wins: a rule naming the category over an
"any category" rule (those are fallbacks), then the deepest region, then the higher priority,
then the oldest rule. Offices that already said
"bukan wewenang" for this aspiration are skipped, and so are inactive offices and offices whose
jurisdiction does not contain the village.
"""

from collections.abc import Collection

from django.db.models import Q, QuerySet

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.aspirations.models import RoutingRule, ServiceLevel
from sikim.aspirations.permissions import AspirationAction
from sikim.kim.models import Kim, KimStatus
from sikim.offices.models import GovernmentOffice
from sikim.offices.selectors import covering_codes
from sikim.wilayah.models import code_in_subtree, subtree_q

VERIFYING_STATUSES = [KimStatus.AKTIF, KimStatus.TERDAFTAR, KimStatus.DIBENTUK]


def routing_candidates(category: str, region_code: str) -> list[RoutingRule]:
    """The matching rules, best first."""
    rules = RoutingRule.objects.filter(
        Q(category=category) | Q(category=""),
        region_id__in=covering_codes(region_code),
        is_active=True,
        office__is_active=True,
    ).select_related("office", "office__region")
    return sorted(
        rules,
        key=lambda rule: (rule.category == "", -rule.region_id.count("."), -rule.priority, rule.pk),
    )


def route_for(category: str, region_code: str, *, exclude_office_ids: Collection[int] = ()) -> GovernmentOffice | None:
    """The office the rules choose for an aspiration of `category` in `region_code`, or None."""
    for rule in routing_candidates(category, region_code):
        if rule.office_id in exclude_office_ids or not rule.office.covers(region_code):
            continue
        return rule.office
    return None


def routing_rules_for_admin(user: AnyUser) -> QuerySet[RoutingRule]:
    rules = RoutingRule.objects.select_related("region", "office")
    if authz.is_national_admin(user):
        return rules
    return rules.filter(authz.region_scope_q(user, AspirationAction.MANAGE_ROUTING, "region_id"))


def service_levels_for_admin(user: AnyUser) -> QuerySet[ServiceLevel]:
    """National admins see every setting; a pembina the national default and their region's."""
    levels = ServiceLevel.objects.select_related("region")
    if authz.is_national_admin(user):
        return levels
    return levels.filter(
        Q(region__isnull=True) | authz.region_scope_q(user, AspirationAction.MANAGE_ROUTING, "region_id")
    )


def service_level_for(region_code: str) -> ServiceLevel:
    """The most specific service level covering `region_code`; the built-in defaults without one."""
    codes = covering_codes(region_code)
    levels = {level.region_id: level for level in ServiceLevel.objects.filter(Q(region_id__in=codes) | Q(region=None))}
    for code in reversed(codes):
        if code in levels:
            return levels[code]
    return levels.get(None) or ServiceLevel()


def verifying_kim_for(region_code: str) -> Kim | None:
    """The KIM that verifies aspirations from a village: the village's own KIM (an active one
    first), else a KIM of the same kecamatan; None where there is no KIM nearby yet."""
    parts = region_code.split(".")
    if len(parts) != 4:
        return None
    kecamatan = ".".join(parts[:3])
    rank: dict[str, int] = {status: index for index, status in enumerate(VERIFYING_STATUSES)}
    kims = Kim.objects.filter(subtree_q("region_id", kecamatan), status__in=list(rank)).only(
        "pk", "name", "region_id", "status", "slug"
    )
    ordered = sorted(kims, key=lambda kim: (kim.region_id != region_code, rank[kim.status], kim.name, kim.pk))
    return ordered[0] if ordered else None


def kim_may_verify(kim: Kim, region_code: str) -> bool:
    """A KIM verifies aspirations of its own kecamatan, while it is formed and not dissolved."""
    kecamatan = ".".join(region_code.split(".")[:3])
    return kim.status in VERIFYING_STATUSES and code_in_subtree(kim.region_id, kecamatan)
