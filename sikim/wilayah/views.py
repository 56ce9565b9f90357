"""Public region pages: the search, the provinces and one page per region. No login needed.

The search is a plain GET form that works without JavaScript; with htmx the results
appear while typing, fetched from `search` as a partial.
"""

from typing import Final

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from sikim.core.public_cache import public_cacheable
from sikim.wilayah.models import Region, RegionLevel
from sikim.wilayah.selectors import SEARCH_MAX_LENGTH, provinces, region_ancestors, region_children, regions_search

PAGE_RESULTS: Final = 20
AUTOCOMPLETE_RESULTS: Final = 10
CHILDREN_PAGE_SIZE: Final = 100
CHILDREN_HEADINGS: Final = {
    RegionLevel.PROVINSI: _("Regencies and cities"),
    RegionLevel.KABUPATEN_KOTA: _("Districts"),
    RegionLevel.KECAMATAN: _("Villages"),
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _query(request: HttpRequest) -> str:
    return request.GET.get("q", "")[:SEARCH_MAX_LENGTH].strip()


@public_cacheable("wilayah")
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/wilayah/: the search box (with its results after a search) and the 38 provinces."""
    query = _query(request)
    results = regions_search(query, limit=PAGE_RESULTS) if query else []
    return render(request, "wilayah/index.html", {"query": query, "results": results, "provinces": provinces()})


@public_cacheable("wilayah")
@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """/wilayah/cari/: the autocomplete partial htmx asks for while someone types."""
    query = _query(request)
    if not request.htmx:
        # Opened directly (no JavaScript, a shared link): the full page shows the same results.
        index_url = reverse("wilayah:index")
        return redirect(f"{index_url}?{urlencode({'q': query})}" if query else index_url)
    results = regions_search(query, limit=AUTOCOMPLETE_RESULTS) if query else []
    return render(request, "wilayah/_search_results.html", {"query": query, "results": results})


@public_cacheable("wilayah", "kim", "dissemination")
@require_GET
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    """/wilayah/<code>/: where a region sits, its codes and the regions directly below it."""
    region = get_object_or_404(Region, pk=code)
    children = None
    if not region.is_village:
        children = Paginator(region_children(region), CHILDREN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wilayah/region.html",
        {
            "region": region,
            "ancestors": region_ancestors(region),
            "children": children,
            "children_heading": CHILDREN_HEADINGS.get(RegionLevel(region.level)),
        },
    )
