"""Mounted at /informasi/ (app namespace "kip"): requests, the PPID desk, registers, statistics."""

from django.urls import include, path

app_name = "kip"

urlpatterns: list = [
    path("", include("sikim.kip.urls_public")),
    path("", include("sikim.kip.urls_desk")),
    path("", include("sikim.kip.urls_register")),
    path("", include("sikim.kip.urls_stats")),
]
