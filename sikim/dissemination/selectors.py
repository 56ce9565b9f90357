"""Reads for dissemination: who a bulletin reaches, on which channel, and how far it got.

Everything here is set-based: the audience is one queryset (turned into SQL by the fan-out),
the preview and the reach are one aggregate query each.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from sikim.accounts.authz import AnyUser, is_national_admin, organisation_ids, region_scope_q
from sikim.dissemination.models import (
    MESSAGING_CHANNELS,
    Bulletin,
    BulletinStatus,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    FanOutRun,
    KimInboxItem,
    PushSubscription,
    RedisseminationMode,
)
from sikim.dissemination.permissions import DisseminationAction
from sikim.kim.models import DisseminationGroup, Kim, KimMember, KimStatus
from sikim.kim.selectors.members import members_visible_to
from sikim.wilayah.models import subtree_q

# A member gets a channel only with consent and an address for it.
CHANNEL_Q: dict[str, Q] = {
    DeliveryChannel.EMAIL: Q(consent_email=True) & ~Q(email=""),
    DeliveryChannel.SMS: Q(consent_sms=True, phone__isnull=False),
    DeliveryChannel.WHATSAPP: Q(consent_whatsapp=True, phone__isnull=False),
    DeliveryChannel.TELEGRAM: Q(consent_telegram=True, telegram_link__isnull=False),
    # A subscription is the consent. EXISTS, not a join: a member with two browsers counts once.
    DeliveryChannel.WEBPUSH: Q(Exists(PushSubscription.objects.filter(member_id=OuterRef("pk")))),
}


def _targets_q(bulletin: Bulletin) -> Q:
    q = Q(pk__in=[])
    group_ids: list[int] = []
    for target in bulletin.targets.all():
        if target.region_id:
            q |= subtree_q("kim__region_id", target.region_id)
        elif target.kim_id:
            q |= Q(kim_id=target.kim_id)
        elif target.group_id:
            group_ids.append(target.group_id)
    if group_ids:
        through = DisseminationGroup.members.through.objects.filter(disseminationgroup_id__in=group_ids)
        q |= Q(pk__in=through.values("kimmember_id"))
    return q


def audience_for(bulletin: Bulletin, *, kim: Kim | None = None) -> QuerySet[KimMember]:
    """The active members the bulletin's targets and segment filters reach (optionally of one KIM)."""
    qs = KimMember.objects.filter(is_active=True).exclude(kim__status=KimStatus.DIBUBARKAN).filter(_targets_q(bulletin))
    if bulletin.kim_id:  # a KIM publishes to its own members only, whatever the targets say
        qs = qs.filter(kim_id=bulletin.kim_id)
    if kim is not None:
        qs = qs.filter(kim_id=kim.pk)
    if bulletin.segment_sectors:
        qs = qs.filter(sector__in=bulletin.segment_sectors)
    if bulletin.segment_occupations:
        qs = qs.filter(occupation__in=bulletin.segment_occupations)
    if bulletin.segment_genders:
        qs = qs.filter(gender__in=bulletin.segment_genders)
    if bulletin.segment_age_groups:
        qs = qs.filter(age_group__in=bulletin.segment_age_groups)
    return qs.order_by()


def direct_audience_for(bulletin: Bulletin) -> QuerySet[KimMember]:
    """Whom publishing reaches at once: a KIM's own audience, or the members of KIMs that
    re-disseminate automatically. Other KIMs get the bulletin in their inbox first."""
    qs = audience_for(bulletin)
    if bulletin.kim_id:
        return qs
    return qs.filter(kim__dissemination_setting__mode=RedisseminationMode.AUTOMATIC)


def audience_kim_ids(bulletin: Bulletin) -> QuerySet[Kim]:
    """The KIMs the audience lives in (one query): the cascade's inboxes."""
    return Kim.objects.filter(pk__in=audience_for(bulletin).values("kim_id")).order_by()


def audience_preview(bulletin: Bulletin) -> dict[str, int]:
    """How many members the bulletin reaches in all, and per channel, honouring consent."""
    aggregates: dict[str, Any] = {"total": Count("pk")}
    for channel, q in CHANNEL_Q.items():
        aggregates[str(channel)] = Count("pk", filter=q)
    result = audience_for(bulletin).aggregate(**aggregates)
    return {key: int(value or 0) for key, value in result.items()}


def reach_for(bulletin: Bulletin) -> dict[str, dict[str, int]]:
    """Deliveries per channel per status, in one grouped query."""
    reach: dict[str, dict[str, int]] = {
        str(channel): {str(status): 0 for status in DeliveryStatus.values} | {"total": 0}
        for channel in MESSAGING_CHANNELS
    }
    rows = Delivery.objects.filter(bulletin=bulletin).values("channel", "status").annotate(n=Count("pk")).order_by()
    for row in rows:
        per_channel = reach.setdefault(row["channel"], {str(s): 0 for s in DeliveryStatus.values} | {"total": 0})
        per_channel[row["status"]] = row["n"]
        per_channel["total"] += row["n"]
    return reach


def fanout_progress(bulletin: Bulletin) -> dict[str, Any]:
    """The live progress of a bulletin's fan-outs: deliveries created and how many are finished."""
    runs = list(FanOutRun.objects.filter(bulletin=bulletin))
    counts = Delivery.objects.filter(bulletin=bulletin).aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING])),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
    )
    total = counts["total"] or 0
    done = total - (counts["pending"] or 0)
    return {
        "runs": runs,
        "total": total,
        "done": done,
        "failed": counts["failed"] or 0,
        "percent": round(100 * done / total) if total else 100,
        "finished": (counts["pending"] or 0) == 0,
    }


def bulletins_for_user(user: AnyUser) -> QuerySet[Bulletin]:
    """The bulletins a user may manage: in their region subtree, or of the KIMs they run."""
    qs = Bulletin.objects.select_related("pembina_office", "kim", "forum")
    if is_national_admin(user):
        return qs
    kim_ids = organisation_ids(user, DisseminationAction.PUBLISH, ContentType.objects.get_for_model(Kim).pk)
    return qs.filter(region_scope_q(user, DisseminationAction.PUBLISH, "region_code") | Q(kim_id__in=kim_ids))


def published_bulletins() -> QuerySet[Bulletin]:
    """The public web feed."""
    return Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).select_related("pembina_office", "kim", "forum")


def inbox_for_kim(kim: Kim) -> QuerySet[KimInboxItem]:
    return KimInboxItem.objects.filter(kim=kim).select_related("bulletin")


def publishers_for(user: AnyUser) -> dict[str, list[Any]]:
    """The pembina offices and KIMs a user may publish as (for the "new bulletin" links)."""
    from sikim.kim.models import PembinaOffice

    offices = PembinaOffice.objects.filter(region_scope_q(user, DisseminationAction.PUBLISH, "region_id"))
    kim_ids = organisation_ids(user, DisseminationAction.PUBLISH, ContentType.objects.get_for_model(Kim).pk)
    kims = Kim.objects.filter(pk__in=kim_ids)
    return {"offices": list(offices[:50]), "kims": list(kims[:50])}


def target_kims_for(bulletin_publisher: Any) -> QuerySet[Kim]:
    """KIMs a publisher may target by name: itself for a KIM, the KIMs of its region otherwise."""
    if isinstance(bulletin_publisher, Kim):
        return Kim.objects.filter(pk=bulletin_publisher.pk)
    region_id = getattr(bulletin_publisher, "region_id", None)
    qs = Kim.objects.exclude(status=KimStatus.DIBUBARKAN)
    return qs.filter(subtree_q("region_id", region_id)) if region_id else qs


def bulletin_for_manage(user: AnyUser, pk: int) -> Bulletin:
    """A bulletin the user may manage, or Http404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(bulletins_for_user(user), pk=pk)


def inbox_kim_for(user: AnyUser, slug: str) -> Kim:
    """A KIM whose inbox the user may work (its pengurus, its pembina), or Http404."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from sikim.accounts.authz import can

    kim = get_object_or_404(Kim, slug=slug)
    if not can(user, DisseminationAction.REDISSEMINATE, kim):
        raise Http404
    return kim


def inbox_counts(bulletin: Bulletin) -> dict[str, int]:
    """How many KIM inboxes hold the bulletin, per status (one grouped query)."""
    rows = KimInboxItem.objects.filter(bulletin=bulletin).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def push_subscriptions_of(member_id: int) -> list[PushSubscription]:
    """Every browser a member subscribed (for the web push channel: it sends to each)."""
    return list(PushSubscription.objects.filter(member_id=member_id).order_by("pk"))


def push_subscriptions_visible_to(user: AnyUser) -> QuerySet[PushSubscription]:
    """Browser subscriptions of the members whose personal data `user` may see (for the admin)."""
    return PushSubscription.objects.filter(member__in=members_visible_to(user)).select_related("member__kim")
