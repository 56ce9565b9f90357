"""The filter form of the public bulletin feed: a plain GET form that works without JavaScript."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sikim.dissemination.models import BulletinCategory
from sikim.wilayah.models import Region, RegionLevel
from sikim.wilayah.selectors import provinces, region_ancestors, region_children

REGION_CODE_MAX_LENGTH = 13


def _region_label(region: Region) -> str:
    indent = "\u00a0\u00a0" * (region.level - 1)
    if region.level in (RegionLevel.PROVINSI, RegionLevel.KABUPATEN_KOTA):  # "Kota Banjarbaru" says its kind
        return f"{indent}{region.name}"
    return f"{indent}{region.get_kind_display()} {region.name}"


class FeedFilterForm(forms.Form):
    """Category and region. The region select drills down without JavaScript: with no region
    chosen it offers the provinces; with one, that region's ancestors, itself and its children."""

    kategori = forms.ChoiceField(label=_("Category"), required=False)
    wilayah = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kategori"]).choices = [
            ("", _("All categories")),
            *BulletinCategory.choices,
        ]
        code = str(self.data.get("wilayah", ""))[:REGION_CODE_MAX_LENGTH]
        region = Region.objects.filter(pk=code).first() if code else None
        regions = [*region_ancestors(region), region, *region_children(region)] if region else list(provinces())
        cast(forms.ChoiceField, self.fields["wilayah"]).choices = [("", _("All of Indonesia"))] + [
            (r.code, _region_label(r)) for r in regions
        ]
        self.region = region

    def filters(self) -> tuple[str, Region | None]:
        """The valid filters: (category or "", region or None). An invalid value is ignored."""
        self.is_valid()  # cleaned_data then holds the valid fields only
        category = self.cleaned_data.get("kategori") or ""
        return category, self.region if self.cleaned_data.get("wilayah") else None
