"""The whole of Indonesia, imported once (about 12 s): the counts Kepmendagri 300.2.2-2138/2025 gives.

Marked `slow`: `pytest -m "not slow"` leaves it out of a quick run.
"""

import pytest
from django.db.models import Count

from sikim.wilayah.models import Region, RegionKind, RegionLevel, RegionSearchTerm
from sikim.wilayah.selectors import regions_search
from sikim.wilayah.services import region_tree_import

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_the_full_tree_has_every_region_of_indonesia():
    summary = region_tree_import()

    by_level = dict(Region.objects.values_list("level").annotate(n=Count("code")))
    by_kind = dict(Region.objects.values_list("kind").annotate(n=Count("code")))
    assert by_level == {
        RegionLevel.PROVINSI: 38,
        RegionLevel.KABUPATEN_KOTA: 514,
        RegionLevel.KECAMATAN: 7_285,
        RegionLevel.DESA_KELURAHAN: 83_762,
    }
    assert by_kind[RegionKind.DESA] == 75_266
    assert by_kind[RegionKind.KELURAHAN] == 8_496
    assert summary.created + summary.unchanged + summary.updated == Region.objects.count() == 91_599
    assert RegionSearchTerm.objects.filter(region__level=RegionLevel.PROVINSI).values("region").distinct().count() == 38
    assert regions_search("Guntung Paikat")[0].full_name == (
        "Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"
    )
