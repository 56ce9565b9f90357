from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KipConfig(AppConfig):
    name = "sikim.kip"
    label = "kip"
    verbose_name = _("Public information requests")

    def ready(self) -> None:
        from sikim.kip import permissions  # noqa: F401  (registers the KIP actions with authz)
