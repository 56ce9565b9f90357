"""Reads for the moderation queue: open abuse reports and hidden texts, limited to what the
moderator reaches (the pembina: their region subtree; the pengurus: their KIM's aspirations)."""

from dataclasses import dataclass
from typing import Final

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404

from sikim.accounts import authz
from sikim.accounts.authz import AnyUser
from sikim.aspirations.models import AbuseReport, Aspiration
from sikim.aspirations.permissions import AspirationAction
from sikim.aspirations.selectors.access import aspirations_for_action, normalise_code

QUEUE_MAX: Final = 200


def is_moderator(user: AnyUser) -> bool:
    """Handles abuse reports somewhere (the moderation queue opens for them)."""
    return authz.can(user, AspirationAction.HANDLE_REPORTS) or authz.can(user, AspirationAction.MODERATE)


def aspirations_moderated_by(user: AnyUser) -> QuerySet[Aspiration]:
    """Every aspiration `user` may hide, show again, or whose reports they may dismiss."""
    by_reports = aspirations_for_action(user, AspirationAction.HANDLE_REPORTS)
    by_role = aspirations_for_action(user, AspirationAction.MODERATE)
    return (by_reports | by_role).select_related("region", "kim", "office", "author").distinct()


def aspiration_for_moderator(user: AnyUser, code: str) -> Aspiration:
    """One aspiration `user` moderates, else 404 (never 403: outsiders must not learn it exists)."""
    normalised = normalise_code(code)
    aspiration = aspirations_moderated_by(user).filter(code=normalised).first() if normalised else None
    if aspiration is None:
        raise Http404
    return aspiration


def _open_reports() -> Prefetch:
    return Prefetch(
        "abuse_reports",
        queryset=AbuseReport.objects.filter(resolved_at__isnull=True).order_by("created_at", "id"),
        to_attr="open_reports",
    )


def reported_aspirations(user: AnyUser) -> QuerySet[Aspiration]:
    """Aspirations with open reports, the most reported first; each with `open_reports`."""
    return (
        aspirations_moderated_by(user)
        .filter(abuse_reports__resolved_at__isnull=True)
        .annotate(
            open_report_count=Count("abuse_reports", filter=Q(abuse_reports__resolved_at__isnull=True)),
            first_reported_at=Min("abuse_reports__created_at", filter=Q(abuse_reports__resolved_at__isnull=True)),
        )
        .prefetch_related(_open_reports())
        .order_by("-open_report_count", "first_reported_at", "id")
    )


def hidden_aspirations(user: AnyUser) -> QuerySet[Aspiration]:
    """The hidden texts the moderator may show again, the latest first."""
    return aspirations_moderated_by(user).filter(is_hidden=True).order_by("-updated_at", "-id")


@dataclass(frozen=True)
class QueueCounts:
    reported: int
    hidden: int


def queue_counts(user: AnyUser) -> QueueCounts:
    return QueueCounts(
        reported=aspirations_moderated_by(user).filter(abuse_reports__resolved_at__isnull=True).count(),
        hidden=hidden_aspirations(user).count(),
    )
