from django.urls import path

from sikim.wilayah import views

app_name = "wilayah"
urlpatterns = [
    path("", views.index, name="index"),
    path("cari/", views.search, name="search"),
    path("<str:code>/", views.region_page, name="region"),
]
