"""Mounted at /aspirasi/ (app namespace "aspirations"): the public pages, the desk, dashboards."""

from django.urls import include, path

from sikim.aspirations import views

app_name = "aspirations"

urlpatterns: list = [
    path("", include("sikim.aspirations.urls_dashboard")),
    path("", include("sikim.aspirations.urls_intake")),
    # In public.
    path("", views.list_page, name="list"),
    path("peta.geojson", views.map_geojson, name="map_geojson"),
    path("pilih-wilayah/", views.region_selects, name="region_selects"),
    path("baru/", views.submit, name="submit"),
    path("baru/serupa/", views.similar_partial, name="similar"),
    path("lacak/", views.track_lookup, name="track_lookup"),
    path("lacak/<str:code>/", views.track, name="track"),
    path("lacak/<str:code>/terkirim/", views.receipt, name="receipt"),
    path("lacak/<str:code>/foto/<int:photo_id>/", views.photo, name="photo"),
    path("lacak/<str:code>/dukung/", views.support, name="support"),
    path("lacak/<str:code>/laporkan/", views.report, name="report"),
    # The author.
    path("lacak/<str:code>/koreksi/", views.track_correct, name="correct"),
    path("lacak/<str:code>/selesai/", views.track_confirm, name="confirm"),
    path("lacak/<str:code>/nilai/", views.track_rate, name="rate"),
    path("lacak/<str:code>/buka-kembali/", views.track_reopen, name="reopen"),
    # Moderation: the verifying KIM's pengurus, the pembina of the region.
    path("moderasi/", views.moderation, name="moderation"),
    path("moderasi/<str:code>/sembunyikan/", views.moderation_hide, name="moderation_hide"),
    path("moderasi/<str:code>/tampilkan/", views.moderation_unhide, name="moderation_unhide"),
    path("moderasi/<str:code>/abaikan/", views.moderation_dismiss, name="moderation_dismiss"),
    # The desk: KIM pengurus, pembina, office officers.
    path("meja/", views.desk, name="desk"),
    path("meja/<str:code>/", views.case, name="case"),
    path("meja/<str:code>/verifikasi/", views.case_verify, name="case_verify"),
    path("meja/<str:code>/tolak/", views.case_reject, name="case_reject"),
    path("meja/<str:code>/teruskan/", views.case_forward, name="case_forward"),
    path("meja/<str:code>/tindak-lanjut/", views.case_follow_up, name="case_follow_up"),
    path("meja/<str:code>/jawab/", views.case_answer, name="case_answer"),
    path("meja/<str:code>/bukan-wewenang/", views.case_not_our_remit, name="case_not_our_remit"),
]
