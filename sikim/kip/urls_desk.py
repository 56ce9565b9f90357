"""Included from sikim.kip.urls (app namespace "kip"): the PPID desk and the atasan PPID page."""

from django.urls import path

from sikim.kip import views_desk as views

urlpatterns: list = [
    path("meja/", views.desk, name="desk"),
    path("meja/<str:ref>/", views.case, name="desk_case"),
    path("meja/<str:ref>/daftarkan/", views.case_register, name="desk_register"),
    path("meja/<str:ref>/perpanjang/", views.case_extend, name="desk_extend"),
    path("meja/<str:ref>/putuskan/", views.case_decide, name="desk_decide"),
    path("meja/<str:ref>/terbitkan/", views.case_publish, name="desk_publish"),
    path("meja/<str:ref>/keberatan/jawab/", views.case_answer, name="desk_answer"),
    path("meja/<str:ref>/sengketa/", views.case_dispute, name="desk_dispute"),
    path("meja/<str:ref>/sengketa/putusan/", views.case_dispute_outcome, name="desk_dispute_outcome"),
    path("meja/<str:ref>/dokumen/<int:document_id>/", views.document, name="desk_document"),
    path("atasan/", views.atasan, name="atasan"),
]
