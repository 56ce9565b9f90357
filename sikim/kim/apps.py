from django.apps import AppConfig


class KimConfig(AppConfig):
    name = "sikim.kim"
    label = "kim"
    verbose_name = "KIM"

    def ready(self) -> None:
        from sikim.kim import permissions  # noqa: F401  (registers the KIM actions with authz)
