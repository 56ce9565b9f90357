"""Reads of the Daftar Informasi Publik: the public, searchable list, and the entries staff may keep."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.kip.models import AtasanPpid, RegisterCategory, RegisterEntry
from sikim.offices.models import GovernmentOffice

SEARCH_MAX_LENGTH = 100


def register_public(
    *, body: GovernmentOffice | None = None, category: str = "", search: str = "", year: int | None = None
) -> QuerySet[RegisterEntry]:
    """Published entries, narrowed by body, category, year and words in the title or summary."""
    entries = RegisterEntry.objects.filter(is_published=True).select_related("body")
    if body is not None:
        entries = entries.filter(body=body)
    if category in RegisterCategory.values:
        entries = entries.filter(category=category)
    if year is not None:
        entries = entries.filter(year=year)
    for word in (search or "")[:SEARCH_MAX_LENGTH].split()[:5]:
        entries = entries.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return entries.order_by("body__name", "category", "-year", "title")


def _scoped(user: AnyUser, action: str, model_filter: str) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    by_region = authz.region_scope_q(user, action, f"{model_filter}region_id")
    if not by_region:
        return None
    bodies = authz.organisation_ids(user, action, ContentType.objects.get_for_model(GovernmentOffice).pk)
    return by_region | Q(body_id__in=bodies) if bodies else by_region


def register_entries_for_action(user: AnyUser, action: str) -> QuerySet[RegisterEntry]:
    scope = _scoped(user, action, "body__")
    entries = RegisterEntry.objects.all() if scope is None else RegisterEntry.objects.filter(scope)
    return entries.select_related("body")


def atasan_for_action(user: AnyUser, action: str) -> QuerySet[AtasanPpid]:
    scope = _scoped(user, action, "body__")
    rows = AtasanPpid.objects.all() if scope is None else AtasanPpid.objects.filter(scope)
    return rows.select_related("body", "user")


def atasan_of(body: GovernmentOffice) -> AtasanPpid | None:
    return AtasanPpid.objects.filter(body=body, revoked_at__isnull=True).select_related("user").first()
