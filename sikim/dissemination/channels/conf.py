"""Channel settings, read from `django.conf.settings` with defaults (see docs/channels.md)."""

from typing import Any

from django.conf import settings


def setting(name: str, default: Any = "") -> Any:
    value = getattr(settings, name, default)
    return default if value is None else value


def timeout() -> float:
    """Seconds a provider call may take before it counts as a temporary failure."""
    return float(setting("SIKIM_CHANNEL_TIMEOUT", 10.0))
