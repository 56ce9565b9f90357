from django.urls import path

from sikim.forums import views

app_name = "forums"
urlpatterns = [
    path("", views.forum_list, name="list"),
    path("baru/", views.forum_create, name="create"),
    path("<slug:slug>/", views.forum_detail, name="detail"),
    path("<slug:slug>/kelola/", views.forum_manage, name="manage"),
    path("<slug:slug>/kelola/ubah/", views.forum_edit, name="edit"),
    path("<slug:slug>/kelola/kim/", views.forum_add_kim, name="add_kim"),
    path("<slug:slug>/kelola/kim/<slug:kim_slug>/keluarkan/", views.forum_remove_kim, name="remove_kim"),
    path("<slug:slug>/kelola/pengurus/", views.forum_board, name="board"),
]
