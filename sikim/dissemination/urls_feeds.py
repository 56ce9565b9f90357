"""Included from sikim.dissemination.urls (app namespace "dissemination"): RSS/Atom and the printout.

Public and the same for everyone, so cached for SIKIM_PUBLIC_CACHE_SECONDS (0 in the tests).
"""

from django.conf import settings
from django.urls import path
from django.views.decorators.cache import cache_page

from sikim.dissemination import views_public
from sikim.dissemination.feeds import BulletinAtomFeed, BulletinFeed

cached = cache_page(settings.SIKIM_PUBLIC_CACHE_SECONDS)

urlpatterns = [
    path("rss/", cached(BulletinFeed("all")), name="rss"),
    path("atom/", cached(BulletinAtomFeed("all")), name="atom"),
    path("kim/<slug:key>/rss/", cached(BulletinFeed("kim")), name="kim_rss"),
    path("kim/<slug:key>/atom/", cached(BulletinAtomFeed("kim")), name="kim_atom"),
    path("wilayah/<str:key>/rss/", cached(BulletinFeed("region")), name="region_rss"),
    path("wilayah/<str:key>/atom/", cached(BulletinAtomFeed("region")), name="region_atom"),
    path("kategori/<slug:key>/rss/", cached(BulletinFeed("category")), name="category_rss"),
    path("kategori/<slug:key>/atom/", cached(BulletinAtomFeed("category")), name="category_atom"),
    path("buletin/<int:pk>/cetak.pdf", cached(views_public.print_pdf), name="print_pdf"),
    # Not cached here: a draft's files are served to its managers only (the view decides).
    path("buletin/<int:pk>/lampiran/", views_public.bulletin_file, {"kind": "attachment"}, name="attachment"),
    path("buletin/<int:pk>/gambar/", views_public.bulletin_file, {"kind": "image"}, name="image"),
]
