"""Included from sikim.dissemination.urls (app namespace "dissemination"): web push subscription."""

from django.urls import path

from sikim.dissemination import views_push

urlpatterns = [
    path("sw.js", views_push.service_worker, name="push_service_worker"),
    path("notifikasi/<str:token>/", views_push.push_subscribe, name="push_subscribe"),
    path("notifikasi/<str:token>/langganan/", views_push.push_save, name="push_save"),
    path("notifikasi/<str:token>/matikan/", views_push.push_delete, name="push_delete"),
]
