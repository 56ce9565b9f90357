"""Mounted at /diseminasi/ (app namespace "dissemination")."""

from django.urls import include, path

from sikim.dissemination import views

app_name = "dissemination"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("buletin/<int:pk>/", views.public_detail, name="public_detail"),
    path("kelola/", views.bulletin_list, name="manage_list"),
    path("kelola/baru/", views.bulletin_new, name="manage_new"),
    path("kelola/<int:pk>/", views.bulletin_detail, name="manage_detail"),
    path("kelola/<int:pk>/ubah/", views.bulletin_edit, name="manage_edit"),
    path("kelola/<int:pk>/progres/", views.bulletin_progress, name="manage_progress"),
    path("kelola/<int:pk>/terbitkan/", views.bulletin_publish_view, name="manage_publish"),
    path("kelola/<int:pk>/ralat/", views.bulletin_correct_view, name="manage_correct"),
    path("kotak-masuk/<slug:slug>/", views.kim_inbox, name="inbox"),
    path(
        "kotak-masuk/<slug:slug>/<int:item_pk>/sebarkan/",
        views.kim_inbox_redisseminate_view,
        name="inbox_redisseminate",
    ),
    path("", include("sikim.dissemination.urls_webhooks")),
    path("", include("sikim.dissemination.urls_reach")),
    path("", include("sikim.dissemination.urls_feeds")),
    path("", include("sikim.dissemination.urls_push")),
]
