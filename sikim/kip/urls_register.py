"""The Daftar Informasi Publik pages, included from sikim.kip.urls (app namespace "kip")."""

from django.urls import path

from sikim.kip import views_register as views

urlpatterns: list = [
    path("daftar/", views.register_index, name="register_index"),
    path("daftar/<slug:slug>/", views.register_body, name="register_body"),
    path("daftar/<slug:slug>/<int:pk>/dokumen/", views.register_document, name="register_document"),
    path("kelola-daftar/", views.register_manage, name="register_manage"),
    path("kelola-daftar/<slug:slug>/", views.register_manage_body, name="register_manage_body"),
    path("kelola-daftar/<slug:slug>/baru/", views.register_entry_create, name="register_entry_create"),
    path("kelola-daftar/<slug:slug>/<int:pk>/ubah/", views.register_entry_edit, name="register_entry_edit"),
    path("kelola-daftar/<slug:slug>/<int:pk>/tarik/", views.register_entry_withdraw, name="register_entry_withdraw"),
]
