"""`region_tree_import` and the `import_wilayah` command, on Kota Banjarbaru (fast)."""

from io import StringIO

import pytest
from django.core.management import call_command

from conftest import BANJARBARU, GUNTUNG_PAIKAT
from sikim.audit.models import AuditEvent
from sikim.wilayah import services
from sikim.wilayah.models import Region, RegionSearchTerm
from sikim.wilayah.selectors import regions_search
from sikim.wilayah.services import region_tree_import

ONLY = [BANJARBARU]
# Kalimantan Selatan, Kota Banjarbaru, its 5 kecamatan and 20 kelurahan.
BANJARBARU_TREE_SIZE = 1 + 1 + 5 + 20


@pytest.fixture(autouse=True)
def no_regions(db):
    """Start from an empty region table (the test tree is loaded once per database; this
    test's transaction puts it back afterwards). Villages first: a parent is protected."""
    for level in (4, 3, 2, 1):
        Region.objects.filter(level=level).delete()
    AuditEvent.objects.filter(action="wilayah.import").delete()


def snapshot() -> tuple[list[tuple], list[tuple]]:
    regions = list(Region.objects.order_by("code").values_list("code", "name", "parent_path", "updated_at"))
    terms = list(RegionSearchTerm.objects.order_by("term", "region_id").values_list("term", "region_id", "id"))
    return regions, terms


def test_the_first_run_creates_the_tree_and_its_search_index():
    summary = region_tree_import(only_prefixes=ONLY)

    assert summary.created == Region.objects.count() == BANJARBARU_TREE_SIZE
    assert (summary.updated, summary.unchanged) == (0, 0)
    assert RegionSearchTerm.objects.filter(region_id=GUNTUNG_PAIKAT, term="paikat").exists()
    assert AuditEvent.objects.filter(action="wilayah.import").count() == 1


def test_a_second_run_changes_nothing():
    region_tree_import(only_prefixes=ONLY)
    before = snapshot()

    summary = region_tree_import(only_prefixes=ONLY)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, BANJARBARU_TREE_SIZE)
    assert snapshot() == before
    assert AuditEvent.objects.filter(action="wilayah.import").count() == 1


def test_a_renamed_village_is_updated_in_place_with_its_search_terms(monkeypatch):
    region_tree_import(only_prefixes=ONLY)
    original = services._load_json

    def renamed(name: str) -> dict[str, str]:
        data = original(name)
        if name == "desa":
            data = {**data, GUNTUNG_PAIKAT: "Guntung Harapan"}
        return data

    monkeypatch.setattr(services, "_load_json", renamed)

    summary = region_tree_import(only_prefixes=ONLY)

    assert (summary.created, summary.updated) == (0, 1)
    assert Region.objects.count() == BANJARBARU_TREE_SIZE
    assert Region.objects.get(pk=GUNTUNG_PAIKAT).name == "Guntung Harapan"
    assert set(RegionSearchTerm.objects.filter(region_id=GUNTUNG_PAIKAT).values_list("term", flat=True)) == {
        "guntung harapan",
        "harapan",
    }
    assert GUNTUNG_PAIKAT not in [region.code for region in regions_search("paikat")]
    assert regions_search("harapan")[0].code == GUNTUNG_PAIKAT


def test_stale_data_in_the_database_is_put_right():
    region_tree_import(only_prefixes=ONLY)
    Region.objects.filter(pk=GUNTUNG_PAIKAT).update(name="Nama Lama", postal_code="")
    RegionSearchTerm.objects.filter(region_id=GUNTUNG_PAIKAT).delete()
    RegionSearchTerm.objects.create(region_id=GUNTUNG_PAIKAT, term="nama lama", level=4)

    summary = region_tree_import(only_prefixes=ONLY)

    assert summary.updated == 1
    village = Region.objects.get(pk=GUNTUNG_PAIKAT)
    assert (village.name, village.postal_code) == ("Guntung Paikat", "70713")
    assert regions_search("Guntung Paikat")[0].code == GUNTUNG_PAIKAT
    assert regions_search("nama lama") == []


def test_the_command_prints_its_progress_and_a_summary():
    out = StringIO()

    call_command("import_wilayah", "--only", BANJARBARU, stdout=out)

    output = out.getvalue()
    assert "Source: Kepmendagri" in output
    assert f"regions: {BANJARBARU_TREE_SIZE}/{BANJARBARU_TREE_SIZE} (100%)" in output
    assert "search index:" in output
    assert f"Regions: {BANJARBARU_TREE_SIZE} created, 0 updated, 0 unchanged" in output


def test_the_command_run_again_reports_everything_unchanged():
    call_command("import_wilayah", "--only", BANJARBARU, stdout=StringIO())
    out = StringIO()

    call_command("import_wilayah", "--only", BANJARBARU, stdout=out)

    assert f"Regions: 0 created, 0 updated, {BANJARBARU_TREE_SIZE} unchanged" in out.getvalue()
