"""Included from sikim.dissemination.urls (app namespace "dissemination")."""

from django.urls import path

from sikim.dissemination import views_reach

urlpatterns = [
    path("l/<str:code>/", views_reach.tracked_link_open, name="tracked_link"),
    path("kotak-masuk/<slug:slug>/<int:bulletin_pk>/laporan/", views_reach.offline_report, name="offline_report"),
    path("kelola/<int:pk>/jangkauan/", views_reach.reach_page, name="reach"),
    path("kelola/<int:pk>/jangkauan.csv", views_reach.reach_csv, name="reach_csv"),
    path("kelola/<int:pk>/jangkauan.xlsx", views_reach.reach_xlsx, name="reach_xlsx"),
    path("jangkauan/", views_reach.region_reach, name="region_reach"),
    path("jangkauan.csv", views_reach.region_reach_csv, name="region_reach_csv"),
    path("jangkauan.xlsx", views_reach.region_reach_xlsx, name="region_reach_xlsx"),
]
