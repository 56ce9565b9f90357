"""Public KIM pages (no login): the directory, its map data and every KIM's profile.

`<kimslug:slug>/` would match any single word under /kim/, and these patterns come before
the management ones, so the converter refuses the fixed words other KIM pages and API
routes use ("kelola", "usulkan", "manage"…): Django then tries the next pattern.
"""

from typing import Final

from django.urls import URLPattern, path, register_converter
from django.urls.converters import SlugConverter

from sikim.kim.views import public

# First path segments under /kim/ and /api/v1/kim/ that are not KIM slugs.
RESERVED_SLUGS: Final = frozenset(
    {"kelola", "usulkan", "pilih-wilayah", "peta", "manage", "proposals", "map", "baru", "api"}
)


class KimSlugConverter(SlugConverter):
    """A KIM slug, but never one of the reserved words above."""

    def to_python(self, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(value)
        return value


register_converter(KimSlugConverter, "kimslug")

urlpatterns: list[URLPattern] = [
    path("", public.directory_page, name="directory"),
    path("peta.geojson", public.map_geojson, name="map_geojson"),
    path("pilih-wilayah/", public.region_selects, name="region_selects"),
    path("<kimslug:slug>/", public.profile_page, name="profile"),
    path("<kimslug:slug>/dokumen/<int:document_id>/", public.public_document_download, name="public_document"),
]
