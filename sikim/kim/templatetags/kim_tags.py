"""Template tags other apps' pages use to show KIMs, without importing the KIM app in Python.

The region page (sikim.wilayah) shows the KIMs inside a region with `{% region_kims region.code %}`;
the dependency stays in the template layer, so wilayah does not depend on kim.
"""

from typing import Any

from django import template

from sikim.kim.selectors.directory import kims_in_region

register = template.Library()


@register.inclusion_tag("kim/public/_region_kims.html")
def region_kims(code: str, limit: int = 10) -> dict[str, Any]:
    return {"region_kims": kims_in_region(code, limit=limit)}
