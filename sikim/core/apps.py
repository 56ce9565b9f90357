from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sikim.core"
    label = "core"
    verbose_name = "SIKIM"

    def ready(self) -> None:
        # Connects the "public version" signals in every process, workers included, so a change
        # made by a background task (a member import) also refreshes the cached public pages.
        from sikim.core import public_cache  # noqa: F401
