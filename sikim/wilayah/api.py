"""The region tree over the API: public (no token needed), read only."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sikim.core.api_pagination import BoundedPagination
from sikim.wilayah.models import REGION_CODE_PATTERN, Region
from sikim.wilayah.selectors import (
    SEARCH_MAX_LIMIT,
    provinces,
    region_ancestors,
    region_children,
    regions_search,
)

router = Router()

CHILDREN_PAGE_SIZE = 100


class RegionRefOut(Schema):
    code: str
    name: str
    level: int = Field(description="1 province, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan")
    kind: str


class RegionOut(RegionRefOut):
    parent_code: str | None = Field(None, alias="parent_id")
    parent_path: str = Field(description="The ancestors' names, nearest first")
    full_name: str = Field(description='"Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"')
    postal_code: str = Field(description="Villages only; empty where unknown")


class RegionWithCountOut(RegionOut):
    children_count: int = Field(description="How many regions are directly below this one")


class RegionDetailOut(RegionOut):
    path: list[RegionRefOut] = Field(description="The ancestors, province first")
    children_count: int


class RegionErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]]


class RegionSearchFilters(Schema):
    q: str = Field("", description="Words of the name; longer than 100 characters is cut")
    level: int | None = Field(None, ge=1, le=4, description="Only regions of this level")
    within: str | None = Field(None, pattern=REGION_CODE_PATTERN, description="Only regions inside this region code")
    limit: int = Field(10, ge=1, le=SEARCH_MAX_LIMIT)


@router.get("/", response=list[RegionWithCountOut], auth=None, summary="The provinces")
def list_provinces(request: HttpRequest) -> Any:
    """The 38 provinces of Indonesia, each with its number of kabupaten/kota."""
    return provinces()


@router.get(
    "/search", response={200: list[RegionOut], 422: RegionErrorOut}, auth=None, summary="Search regions by name"
)
def search_regions(request: HttpRequest, filters: Query[RegionSearchFilters]) -> Any:
    """Regions with a name word starting with `q`, best match first ("paikat" finds Guntung Paikat)."""
    return regions_search(filters.q, limit=filters.limit, level=filters.level, within=filters.within)


@router.get("/{code}", response={200: RegionDetailOut, 404: RegionErrorOut}, auth=None, summary="One region")
def get_region(request: HttpRequest, code: str) -> Any:
    """A region with its ancestors (`path`, province first) and its number of children."""
    region = get_object_or_404(Region, pk=code)
    region.path = region_ancestors(region)  # type: ignore[attr-defined]
    region.children_count = Region.objects.filter(parent_id=region.code).count()  # type: ignore[attr-defined]
    return region


@router.get(
    "/{code}/children",
    response={200: list[RegionWithCountOut], 404: RegionErrorOut, 422: RegionErrorOut},
    auth=None,
    summary="The regions below a region",
)
@paginate(BoundedPagination, page_size=CHILDREN_PAGE_SIZE)
def list_children(request: HttpRequest, code: str) -> Any:
    """The regions directly below `code`, in code order, 100 a page."""
    return region_children(get_object_or_404(Region, pk=code))
