from django.apps import AppConfig


class DisseminationConfig(AppConfig):
    name = "sikim.dissemination"
    label = "dissemination"
    verbose_name = "Diseminasi"

    def ready(self) -> None:
        from sikim.dissemination import permissions  # noqa: F401  (registers the actions with authz)
