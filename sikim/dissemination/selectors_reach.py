"""Reach including offline dissemination reports (reads only)."""

from typing import Any

from django.db.models import Count, QuerySet, Sum

from sikim.dissemination.models import Bulletin, OfflineReport
from sikim.dissemination.selectors import reach_for


def offline_reports_for(bulletin: Bulletin) -> QuerySet[OfflineReport]:
    return (
        OfflineReport.objects.filter(bulletin=bulletin).select_related("kim", "reported_by").order_by("-held_on", "-pk")
    )


def reach_with_offline(bulletin: Bulletin) -> dict[str, Any]:
    """Per-channel delivery counts (as `reach_for`) plus offline totals, in two grouped queries."""
    totals = OfflineReport.objects.filter(bulletin=bulletin).aggregate(
        reports=Count("pk"), people=Sum("people_reached"), kims=Count("kim", distinct=True)
    )
    channels = reach_for(bulletin)
    reached_online = sum(c.get("sent", 0) + c.get("delivered", 0) + c.get("read", 0) for c in channels.values())
    offline = {"reports": totals["reports"], "people": totals["people"] or 0, "kims": totals["kims"]}
    return {"channels": channels, "offline": offline, "total_reached": reached_online + offline["people"]}
