"""A KIM's own pages: /kim/<slug>/anggota/ (members, import, export), /pengurus/ (board) and
/kelompok/ (kelompok desiminasi). Names live in the "kim" namespace."""

from django.urls import path

from sikim.kim.views import members as views

urlpatterns = [
    path("<slug:slug>/anggota/", views.member_list, name="member_list"),
    path("<slug:slug>/anggota/tambah/", views.member_add, name="member_add"),
    path("<slug:slug>/anggota/<int:member_id>/ubah/", views.member_edit, name="member_edit"),
    path("<slug:slug>/anggota/<int:member_id>/nonaktifkan/", views.member_deactivate, name="member_deactivate"),
    path("<slug:slug>/anggota/ekspor.csv", views.member_export, {"file_format": "csv"}, name="member_export_csv"),
    path("<slug:slug>/anggota/ekspor.xlsx", views.member_export, {"file_format": "xlsx"}, name="member_export_xlsx"),
    path("<slug:slug>/anggota/impor/", views.member_import, name="member_import"),
    path("<slug:slug>/anggota/impor/contoh.csv", views.member_import_template, name="member_import_template"),
    path("<slug:slug>/anggota/impor/<int:import_id>/", views.member_import_detail, name="member_import_detail"),
    path(
        "<slug:slug>/anggota/impor/<int:import_id>/progres/",
        views.member_import_progress,
        name="member_import_progress",
    ),
    path(
        "<slug:slug>/anggota/impor/<int:import_id>/konfirmasi/",
        views.member_import_confirm,
        name="member_import_confirm",
    ),
    path("<slug:slug>/pengurus/", views.board, name="board"),
    path("<slug:slug>/pengurus/periode-baru/", views.board_term_add, name="board_term_add"),
    path("<slug:slug>/pengurus/<int:term_id>/akhiri/", views.board_term_end, name="board_term_end"),
    path("<slug:slug>/kelompok/", views.group_list, name="group_list"),
    path("<slug:slug>/kelompok/tambah/", views.group_add, name="group_add"),
    path("<slug:slug>/kelompok/<int:group_id>/ubah/", views.group_edit, name="group_edit"),
    path("<slug:slug>/kelompok/<int:group_id>/hapus/", views.group_delete, name="group_delete"),
]
