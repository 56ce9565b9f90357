"""Proposing a KIM (public) and managing one (pembina and pengurus)."""

from django.urls import URLPattern, path

from sikim.kim.views import manage

urlpatterns: list[URLPattern] = [
    path("usulkan/", manage.propose, name="propose"),
    path("usulkan/terkirim/", manage.propose_thanks, name="propose_thanks"),
    path("kelola/", manage.manage_list, name="manage_list"),
    path("kelola/<slug:slug>/", manage.manage_detail, name="manage_detail"),
    path("kelola/<slug:slug>/pembentukan/", manage.manage_formation, name="manage_formation"),
    path("kelola/<slug:slug>/daftarkan/", manage.manage_register, name="manage_register"),
    path("kelola/<slug:slug>/status/", manage.manage_status, name="manage_status"),
    path("kelola/<slug:slug>/profil/", manage.manage_profile, name="manage_profile"),
    path("kelola/<slug:slug>/dokumen/", manage.manage_documents, name="manage_documents"),
    path(
        "kelola/<slug:slug>/dokumen/<int:document_id>/unduh/",
        manage.manage_document_download,
        name="manage_document_download",
    ),
    path(
        "kelola/<slug:slug>/dokumen/<int:document_id>/publik/",
        manage.manage_document_visibility,
        name="manage_document_visibility",
    ),
    path(
        "kelola/<slug:slug>/dokumen/<int:document_id>/hapus/",
        manage.manage_document_delete,
        name="manage_document_delete",
    ),
]
