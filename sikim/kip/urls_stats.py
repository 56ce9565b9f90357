"""Included from sikim.kip.urls (app namespace "kip"): public statistics and annual PPID reports.

The HTML pages are `@public_cacheable`; the files are the same for everyone, so they are
cached for SIKIM_PUBLIC_CACHE_SECONDS (0 in the tests), like the printable bulletin.
"""

from django.conf import settings
from django.urls import path
from django.views.decorators.cache import cache_page

from sikim.kip import views_stats

cached = cache_page(settings.SIKIM_PUBLIC_CACHE_SECONDS)

urlpatterns = [
    path("statistik/", views_stats.stats, name="stats"),
    path("statistik.csv", cached(views_stats.stats_csv), name="stats_csv"),
    path("statistik.xlsx", cached(views_stats.stats_xlsx), name="stats_xlsx"),
    path("laporan/<slug:slug>/<int:year>/", views_stats.annual_report, name="annual_report"),
    path("laporan/<slug:slug>/<int:year>.pdf", cached(views_stats.annual_report_pdf), name="annual_report_pdf"),
    path("laporan/<slug:slug>/<int:year>.xlsx", cached(views_stats.annual_report_xlsx), name="annual_report_xlsx"),
]
