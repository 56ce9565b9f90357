from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "sikim.offices"
    label = "offices"
    verbose_name = _("Government offices")

    def ready(self) -> None:
        from sikim.offices import permissions  # noqa: F401  (registers the office actions with authz)
