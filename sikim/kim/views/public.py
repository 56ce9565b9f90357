"""Public KIM pages: the directory (with its map) and every KIM's profile. No login needed.

The directory is a plain GET form and a list, so it works without JavaScript; the map and
the htmx-loaded region selects are progressive enhancement on top.
"""

from typing import cast

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sikim.core.public_cache import public_cacheable
from sikim.kim.models import PUBLIC_STATUSES, KimStatus, Sector
from sikim.kim.selectors import directory
from sikim.kim.selectors.directory import DirectoryFilters
from sikim.wilayah.models import Region

# Map tiles are fetched by the visitor's browser, never by the server.
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "&copy; OpenStreetMap contributors"
MAP_CACHE_SECONDS = 300


def _region_choices(regions: list[tuple[str, str]], empty_label: str) -> list[tuple[str, str]]:
    return [("", empty_label), *regions]


class DirectoryFilterForm(forms.Form):
    """The directory's filters. Region selects narrow down: province, then its kabupaten/kota,
    then its kecamatan. `wilayah=<code>` (from a region page) fills them in at once."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=directory.SEARCH_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("KIM, desa/kelurahan, kecamatan…"), "autocomplete": "off"}
        ),
    )
    provinsi = forms.ChoiceField(label=_("Province"), required=False)
    kabupaten = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    sektor = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, data: QueryDict | None = None) -> None:
        data = self._tidy(data if data is not None else QueryDict())
        super().__init__(data)
        self.village: Region | None = None
        province = data.get("provinsi", "")
        kabupaten = data.get("kabupaten", "")
        self._choice("provinsi").choices = _region_choices(directory.provinces(), str(_("All provinces")))
        self._choice("kabupaten").choices = _region_choices(
            directory.region_children(province) if province else [], str(_("All kabupaten/kota"))
        )
        self._choice("kecamatan").choices = _region_choices(
            directory.region_children(kabupaten) if kabupaten else [], str(_("All kecamatan"))
        )
        self._choice("status").choices = [("", _("All statuses"))] + [
            (status.value, status.label) for status in KimStatus if status in PUBLIC_STATUSES
        ]
        self._choice("sektor").choices = [("", _("All sectors")), *Sector.choices]
        village_code = data.get("desa", "")
        if village_code:
            self.village = directory.region_by_code(village_code)

    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    @staticmethod
    def _tidy(data: QueryDict) -> QueryDict:
        """Fill the selects from `wilayah=<code>` and drop choices that no longer fit the one above."""
        data = data.copy()
        code = data.get("wilayah", "").strip()
        if directory.is_region_code(code):
            parts = code.split(".")
            data["provinsi"] = parts[0]
            data["kabupaten"] = ".".join(parts[:2]) if len(parts) > 1 else ""
            data["kecamatan"] = ".".join(parts[:3]) if len(parts) > 2 else ""
            data["desa"] = code if len(parts) > 3 else ""
        province = data.get("provinsi", "").strip()
        kabupaten = data.get("kabupaten", "").strip()
        kecamatan = data.get("kecamatan", "").strip()
        village = data.get("desa", "").strip()
        if not directory.is_region_code(province) or "." in province:
            province = ""
        if not (province and kabupaten.startswith(f"{province}.") and kabupaten.count(".") == 1):
            kabupaten = ""
        if not (kabupaten and kecamatan.startswith(f"{kabupaten}.") and kecamatan.count(".") == 2):
            kecamatan = ""
        if not (kecamatan and village.startswith(f"{kecamatan}.") and directory.is_region_code(village)):
            village = ""
        data["provinsi"], data["kabupaten"], data["kecamatan"], data["desa"] = province, kabupaten, kecamatan, village
        return data

    def filters(self) -> DirectoryFilters:
        """The valid part of what was asked (a wrong value is reported and left out, never a 500)."""
        self.is_valid()
        cleaned = self.cleaned_data
        region = (
            (self.village.code if self.village else "")
            or cleaned.get("kecamatan")
            or cleaned.get("kabupaten")
            or cleaned.get("provinsi")
            or ""
        )
        return DirectoryFilters(
            region_code=region,
            status=cleaned.get("status") or "",
            sector=cleaned.get("sektor") or "",
            q=(cleaned.get("q") or "").strip(),
        )


def _filters_query(filters: DirectoryFilters, *, status: str | None = None) -> str:
    """The filters as a query string (for the pages, the status counts and the map)."""
    query = QueryDict(mutable=True)
    if filters.region_code:
        query["wilayah"] = filters.region_code
    chosen_status = filters.status if status is None else status
    if chosen_status:
        query["status"] = chosen_status
    if filters.sector:
        query["sektor"] = filters.sector
    if filters.q:
        query["q"] = filters.q
    return query.urlencode()


@public_cacheable("kim", "wilayah")
@require_GET
def directory_page(request: HttpRequest) -> HttpResponse:
    """/kim/: every public KIM, filtered by region, status, sector and words; 25 a page."""
    form = DirectoryFilterForm(request.GET)
    filters = form.filters()
    counts = directory.kim_directory_status_counts(filters)
    paginator = Paginator(directory.kim_directory(filters), directory.PAGE_SIZE)
    # The status counts already hold the total: spare the database a second count.
    paginator.count = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = directory.label_directory_page(list(page.object_list))
    status_labels = dict(KimStatus.choices)
    status_counts = [
        {
            "status": status,
            "label": status_labels[status],
            "count": counts.get(status, 0),
            "query": _filters_query(filters, status=status),
            "active": filters.status == status,
        }
        for status in PUBLIC_STATUSES
    ]
    query = _filters_query(filters)
    return render(
        request,
        "kim/public/directory.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query,
            "all_statuses_query": _filters_query(filters, status=""),
            "status_counts": status_counts,
            "total_all_statuses": sum(counts.values()),
            "tile_url": getattr(settings, "SIKIM_MAP_TILE_URL", DEFAULT_TILE_URL),
            "tile_attribution": getattr(settings, "SIKIM_MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        },
    )


@public_cacheable("wilayah")
@require_GET
def region_selects(request: HttpRequest) -> HttpResponse:
    """The province → kabupaten/kota → kecamatan selects, re-rendered by htmx when one changes."""
    form = DirectoryFilterForm(request.GET)
    return render(request, "kim/public/_region_selects.html", {"form": form})


@require_GET
def map_geojson(request: HttpRequest) -> JsonResponse:
    """/kim/peta.geojson: the directory's KIMs with a point, as GeoJSON, with the same filters."""
    filters = DirectoryFilterForm(request.GET).filters()
    response = JsonResponse(directory.kim_map_features(filters), content_type="application/geo+json")
    response["Cache-Control"] = f"public, max-age={MAP_CACHE_SECONDS}"
    return response


@public_cacheable("kim", "forums", "wilayah", "dissemination")
@require_GET
def profile_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/kim/<slug>/: a KIM's public page. A proposed or dissolved KIM is not found (404)."""
    profile = directory.kim_public_profile(slug)
    return render(request, "kim/public/profile.html", {"profile": profile, "kim": profile.kim})


@require_GET
def public_document_download(request: HttpRequest, slug: str, document_id: int) -> FileResponse:
    """A public document of a public KIM (its SK, AD/ART…); internal ones are not found."""
    kim = directory.public_kim_by_slug(slug)
    document = directory.public_document(kim, document_id)
    try:
        handle = document.file.open("rb")
    except OSError:  # the row is there but the file is gone: not found, not a crash
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=False,
        filename=f"{kim.slug}-{document.kind}-{document.pk}.pdf",
        content_type="application/pdf",
    )
