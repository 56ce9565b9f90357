from django.urls import path

from sikim.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("bahasa/", views.set_language, name="set_language"),
    path("media/<path:path>", views.public_media, name="public_media"),
]
