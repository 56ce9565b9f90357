"""The requester's pages, included from sikim.kip.urls (app namespace "kip")."""

from django.urls import path

from sikim.kip import views_public as views

urlpatterns: list = [
    path("", views.index, name="index"),
    path("minta/", views.request_new, name="request_new"),
    path("saya/", views.mine, name="mine"),
    path("lacak/", views.track_lookup, name="track_lookup"),
    path("lacak/<str:code>/", views.track, name="track"),
    path("lacak/<str:code>/terdaftar/", views.filed, name="filed"),
    path("lacak/<str:code>/tanda-terima.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("lacak/<str:code>/keberatan/", views.objection, name="objection"),
    path("lacak/<str:code>/dokumen/<int:document_id>/", views.response_document, name="response_document"),
]
