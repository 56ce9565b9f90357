from django.urls import URLPattern

app_name = "forums"
urlpatterns: list[URLPattern] = []
