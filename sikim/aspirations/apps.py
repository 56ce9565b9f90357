from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AspirationsConfig(AppConfig):
    name = "sikim.aspirations"
    label = "aspirations"
    verbose_name = _("Aspirations")

    def ready(self) -> None:
        from sikim.aspirations import permissions  # noqa: F401  (registers the aspiration actions with authz)
