"""Included from sikim.aspirations.urls (app namespace "aspirations"): dashboards."""

from django.urls import path

from sikim.aspirations import views_dashboard

urlpatterns: list = [
    path("dasbor/", views_dashboard.dashboard, name="dashboard"),
    path("dasbor.xlsx", views_dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("dasbor.csv", views_dashboard.dashboard_csv, name="dashboard_csv"),
]
