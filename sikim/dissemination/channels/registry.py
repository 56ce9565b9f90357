"""Which channels exist, which are switched on, and one rate limiter per channel per process.

    channel = get_channel("telegram")      # raises ChannelNotConfigured when switched off
    limiter = rate_limiter("telegram")      # the sender calls limiter.acquire() before send()

Channel instances (each holding a keep-alive connection to its provider) are made once per
process and dropped when a setting they read changes (tests override settings).
"""

import threading
from dataclasses import dataclass

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .base import Channel, ChannelNotConfigured
from .email import EmailChannel
from .ratelimit import TokenBucket
from .sms import SmsChannel
from .telegram import TelegramChannel
from .webpush import WebPushChannel
from .whatsapp import WhatsAppChannel

CHANNEL_CLASSES: dict[str, type[Channel]] = {
    cls.name: cls for cls in (EmailChannel, TelegramChannel, WhatsAppChannel, SmsChannel, WebPushChannel)
}
# Shown in the admin when a channel is switched off: which settings switch it on.
MISSING_SETTINGS_WARNINGS: dict[str, Promise] = {
    "email": _("Email is switched off: no mailer is configured (set SIKIM_EMAIL_HOST)."),
    "telegram": _("Telegram is switched off: set SIKIM_TELEGRAM_BOT_TOKEN."),
    "whatsapp": _("WhatsApp is switched off: set SIKIM_WHATSAPP_TOKEN and SIKIM_WHATSAPP_PHONE_NUMBER_ID."),
    "sms": _("SMS is switched off: set SIKIM_SMS_GATEWAY_URL and SIKIM_SMS_GATEWAY_TOKEN."),
    "webpush": _(
        "Web push is switched off: set SIKIM_VAPID_PUBLIC_KEY and SIKIM_VAPID_PRIVATE_KEY"
        " (python manage.py vapid_keys makes a pair)."
    ),
}

_lock = threading.Lock()
_instances: dict[str, Channel] = {}
_limiters: dict[str, TokenBucket] = {}


@dataclass(frozen=True)
class ChannelStatus:
    name: str
    configured: bool
    warning: str  # empty when all is well


def _instance(name: str) -> Channel:
    try:
        cls = CHANNEL_CLASSES[name]
    except KeyError:
        raise ChannelNotConfigured(f"Unknown channel {name!r}") from None
    with _lock:
        channel = _instances.get(name)
        if channel is None:
            channel = _instances[name] = cls()
        return channel


def get_channel(name: str) -> Channel:
    """The channel `name`, ready to send; ChannelNotConfigured when it is switched off or unknown."""
    channel = _instance(name)
    if not channel.is_configured():
        raise ChannelNotConfigured(str(MISSING_SETTINGS_WARNINGS.get(name, name)))
    return channel


def configured_channels() -> list[str]:
    return [name for name in CHANNEL_CLASSES if _instance(name).is_configured()]


def channel_status() -> list[ChannelStatus]:
    """For the admin: every channel, whether it is on, and a warning when something is amiss."""
    statuses = []
    for name in CHANNEL_CLASSES:
        channel = _instance(name)
        configured = channel.is_configured()
        warning = "" if configured else str(MISSING_SETTINGS_WARNINGS[name])
        if configured and isinstance(channel, EmailChannel) and not channel.delivers():
            warning = str(_("Email is not delivered: the mailer only prints or keeps messages (development)."))
        if configured and isinstance(channel, WebPushChannel) and channel.key_error:
            warning = str(_("Web push cannot send: %(problem)s.") % {"problem": channel.key_error})
        statuses.append(ChannelStatus(name=name, configured=configured, warning=warning))
    return statuses


def rate_limiter(name: str) -> TokenBucket:
    """The token bucket of channel `name` in this process, at the channel's `rate_per_second`."""
    channel = _instance(name)
    with _lock:
        limiter = _limiters.get(name)
        if limiter is None or limiter.rate != channel.rate_per_second:
            limiter = _limiters[name] = TokenBucket(channel.rate_per_second)
        return limiter


def reset() -> None:
    """Forget every channel instance and limiter (closing their connections)."""
    with _lock:
        for channel in _instances.values():
            close = getattr(channel, "close", None)
            if close is not None:
                close()
        _instances.clear()
        _limiters.clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("SIKIM_") or setting in {"MAILERS", "DEFAULT_FROM_EMAIL", "SITE_URL"}:
        reset()
