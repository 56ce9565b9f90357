from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sikim.core"
    label = "core"
    verbose_name = "SIKIM"
