from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sikim.wilayah.models import Region

IMPORT_NOTE = _(
    "The region tree comes from the Kemendagri data and is loaded with “manage.py import_wilayah”: "
    "codes, names and the tree are read only here. A superuser may correct a postal code."
)

TREE_FIELDS = ["code", "name", "level", "kind", "parent", "parent_path"]
FIELDS: list[Any] = [*TREE_FIELDS, "postal_code", "created_at", "updated_at"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Regions for the back office; every staff member may look (regions are public data).

    The tree comes from the import, so nobody adds or deletes regions here, and names stay
    read only too: a rename must also update the search index and the paths of every region
    below, which is what the import does. A superuser may correct a postal code.
    `RegionSearchTerm` is not registered: the import derives it from the names.
    """

    list_display = ["code", "name", "kind", "parent_path", "postal_code"]
    list_filter = ["level", "kind"]
    search_fields = ["^code", "name"]
    ordering = ["code"]
    fields = FIELDS
    # 91,599 rows: counting them again for every search is wasted work.
    show_full_result_count = False
    list_per_page = 100

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        editable = {"postal_code"} if request.user.is_superuser else set()
        return [field for field in FIELDS if field not in editable]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "subtitle": IMPORT_NOTE})
