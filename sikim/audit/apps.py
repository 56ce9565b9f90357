from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sikim.audit"
    label = "audit"
