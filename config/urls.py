from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from config.api import api
from sikim.core.api_errors import api_not_found

urlpatterns = [
    path("", include("sikim.core.urls")),
    path("akun/", include("sikim.accounts.urls")),
    path("wilayah/", include("sikim.wilayah.urls")),
    path("audit/", include("sikim.audit.urls")),
    path("kim/", include("sikim.kim.urls")),
    path("forum/", include("sikim.forums.urls")),
    path("diseminasi/", include("sikim.dissemination.urls")),
    path("aspirasi/", include("sikim.aspirations.urls")),
    path("informasi/", include("sikim.kip.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", api_not_found),
]
