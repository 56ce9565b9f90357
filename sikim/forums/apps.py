from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "sikim.forums"
    label = "forums"
    verbose_name = "Forum KIM"
