"""Web push subscriptions: the member's personal subscribe link, saving and removing browsers.

A member opens their personal link (`push_subscribe_url`, signed like the Telegram /start token
but without expiry: it only lets its holder add or remove browsers for that one member), allows
notifications, and the browser's subscription is saved here. The subscription is the consent:
removing it ("Matikan" on the page, or the push service answering 404/410) stops the channel.
The actor is None: these come from the member, not from a logged-in user.
"""

import base64
import binascii
import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikim.audit.services import audit_record
from sikim.dissemination.models import PushSubscription
from sikim.kim.models import KimMember

_PUSH_SALT = "sikim.dissemination.webpush-link"
ENDPOINT_MAX_LENGTH = 1000
USER_AGENT_MAX_LENGTH = 200
# A member's phones and computers; beyond this the oldest subscription is dropped, so a leaked
# link cannot grow the table without end.
MAX_SUBSCRIPTIONS_PER_MEMBER = 10
# The push services of the browsers in use (Chrome, Edge, Firefox, Safari, Samsung Internet, Opera).
# Any other https host is refused, so a subscribe link cannot make the server POST to arbitrary
# URLs; SIKIM_WEBPUSH_ENDPOINT_HOSTS (comma-separated suffixes, or "*") overrides the list.
DEFAULT_ENDPOINT_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
)


# --- The personal link -----------------------------------------------------------------------------
def push_token(member: KimMember) -> str:
    """A signed token of the member id; the same each time, never expiring."""
    return signing.Signer(salt=_PUSH_SALT).sign(str(member.pk))


def push_token_read(token: str) -> int | None:
    """The member id of a genuine token, or None when it is forged or malformed."""
    try:
        value = signing.Signer(salt=_PUSH_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def push_subscribe_url(member: KimMember) -> str:
    """The absolute link a pengurus sends to a member so they can switch on web notifications."""
    path = reverse("dissemination:push_subscribe", kwargs={"token": push_token(member)})
    return f"{settings.SITE_URL}{path}"


def vapid_public_key() -> str:
    """The applicationServerKey browsers subscribe with; empty when web push is not configured."""
    public = str(getattr(settings, "SIKIM_VAPID_PUBLIC_KEY", "") or "")
    private = str(getattr(settings, "SIKIM_VAPID_PRIVATE_KEY", "") or "")
    return public if public and private else ""


# --- Validating what the browser sends -------------------------------------------------------------
@dataclass(frozen=True)
class SubscriptionData:
    endpoint: str
    p256dh: str
    auth: str


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _b64url_decode(value: str) -> bytes:
    if not value or any(ch not in _B64URL for ch in value.rstrip("=")):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _endpoint_host_allowed(host: str) -> bool:
    configured = getattr(settings, "SIKIM_WEBPUSH_ENDPOINT_HOSTS", None)
    if configured:
        suffixes = tuple(part.strip().lower() for part in str(configured).split(",") if part.strip())
    else:
        suffixes = DEFAULT_ENDPOINT_HOSTS
    if "*" in suffixes:
        return True
    return any(host == suffix or host.endswith("." + suffix) for suffix in suffixes)


def _clean_endpoint(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(_("The subscription has no endpoint."), code="endpoint")
    if len(value) > ENDPOINT_MAX_LENGTH:
        raise ValidationError(_("The subscription endpoint is too long."), code="endpoint")
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        raise ValidationError(_("The subscription endpoint is not a valid URL."), code="endpoint") from None
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if _is_loopback(host):
        return value  # a local push service (development, tests)
    if parts.scheme != "https" and not settings.DEBUG:
        raise ValidationError(_("The subscription endpoint must use https."), code="endpoint")
    if not settings.DEBUG and not _endpoint_host_allowed(host):
        raise ValidationError(_("The subscription endpoint is not a known push service."), code="endpoint")
    return value


def subscription_clean(payload: Any) -> SubscriptionData:
    """The browser's PushSubscription JSON ({"endpoint", "keys": {"p256dh", "auth"}}), checked.

    Raises ValidationError with a message for the member when something is missing or malformed.
    """
    if not isinstance(payload, dict):
        raise ValidationError(_("Send the browser's push subscription as a JSON object."), code="json")
    endpoint = _clean_endpoint(payload.get("endpoint"))
    keys = payload.get("keys")
    if not isinstance(keys, dict):
        raise ValidationError(_("The subscription has no keys."), code="keys")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    try:
        if not isinstance(p256dh, str) or not isinstance(auth, str):
            raise ValueError("keys must be strings")
        public = _b64url_decode(p256dh)
        secret = _b64url_decode(auth)
        if len(public) != 65 or public[0] != 4 or len(secret) != 16:
            raise ValueError("wrong length")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)  # a point on P-256
    except (ValueError, binascii.Error):
        raise ValidationError(
            _("The subscription keys are not valid (p256dh: 65 bytes, auth: 16 bytes, base64url)."), code="keys"
        ) from None
    return SubscriptionData(endpoint=endpoint, p256dh=p256dh.rstrip("="), auth=auth.rstrip("="))


# --- Writes ----------------------------------------------------------------------------------------
@transaction.atomic
def push_subscription_save(*, member: KimMember, data: SubscriptionData, user_agent: str = "") -> PushSubscription:
    """Save the browser's subscription for `member` (audited when new or moved from another member).

    The endpoint is unique: a browser subscribed before (for this member or another membership on
    the same device) is updated, never duplicated.
    """
    existing = PushSubscription.objects.select_for_update().filter(endpoint=data.endpoint).first()
    previous_member_id = existing.member_id if existing is not None else None
    subscription, created = PushSubscription.objects.update_or_create(
        endpoint=data.endpoint,
        defaults={
            "member": member,
            "p256dh": data.p256dh,
            "auth": data.auth,
            "user_agent": user_agent[:USER_AGENT_MAX_LENGTH],
        },
    )
    stale = PushSubscription.objects.filter(member=member).order_by("-created_at", "-pk")[MAX_SUBSCRIPTIONS_PER_MEMBER:]
    PushSubscription.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    if created or previous_member_id != member.pk:
        audit_record(
            actor=None,
            action="dissemination.push_subscribed",
            obj=member,
            after={"subscription": subscription.pk, "user_agent": subscription.user_agent},
        )
    return subscription


@transaction.atomic
def push_subscription_delete(*, member: KimMember, endpoint: str | None = None) -> int:
    """Remove one browser of `member` (by endpoint), or all of them; answers how many (audited)."""
    qs: QuerySet[PushSubscription] = PushSubscription.objects.filter(member=member)
    if endpoint is not None:
        qs = qs.filter(endpoint=endpoint)
    deleted, _per_model = qs.delete()
    if deleted:
        audit_record(
            actor=None,
            action="dissemination.push_unsubscribed",
            obj=member,
            after={"removed": deleted, "all": endpoint is None},
        )
    return deleted


@transaction.atomic
def push_subscriptions_gone(*, subscription_ids: list[int]) -> int:
    """The push service said these browsers no longer exist (404/410): forget them (audited)."""
    gone = list(PushSubscription.objects.select_related("member__kim").filter(pk__in=subscription_ids))
    for subscription in gone:
        audit_record(
            actor=None,
            action="dissemination.push_subscription_gone",
            obj=subscription.member,
            after={"subscription": subscription.pk},
        )
    deleted, _per_model = PushSubscription.objects.filter(pk__in=[s.pk for s in gone]).delete()
    return deleted


def push_subscriptions_delivered(*, subscription_ids: list[int]) -> int:
    """Note when each browser last accepted a message (one UPDATE)."""
    return PushSubscription.objects.filter(pk__in=subscription_ids).update(last_success_at=timezone.now())
