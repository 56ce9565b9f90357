import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import BANJARBARU, GUNTUNG_PAIKAT
from sikim.wilayah.models import Region, RegionLevel
from sikim.wilayah.selectors import SEARCH_MAX_LIMIT, regions_search
from sikim.wilayah.tests.bad_input import BAD_QUERIES

GUNTUNG_PAIKAT_FULL = "Guntung Paikat — Banjarbaru Selatan, Kota Banjarbaru, Kalimantan Selatan"


def codes(results: list[Region]) -> list[str]:
    return [region.code for region in results]


def test_the_full_name_finds_the_village_with_its_path(regions):
    results = regions_search("Guntung Paikat")

    assert results[0].code == GUNTUNG_PAIKAT
    assert results[0].full_name == GUNTUNG_PAIKAT_FULL


def test_a_later_word_of_the_name_finds_it_too(regions):
    assert GUNTUNG_PAIKAT in codes(regions_search("paikat"))
    assert GUNTUNG_PAIKAT in codes(regions_search("paik"))


def test_case_and_punctuation_do_not_matter(regions):
    assert codes(regions_search("  GUNTUNG-paikat! "))[0] == GUNTUNG_PAIKAT


def test_the_city_comes_before_villages_and_districts_of_the_same_name(regions):
    results = regions_search("banjarbaru")

    assert results[0].code == BANJARBARU
    # The desa called Banjarbaru (in Hulu Sungai Selatan) matches as exactly, but is a lower level;
    # Banjarbaru Selatan/Utara only start with the word.
    assert codes(results)[1:] == ["63.06.07.2004", "63.72.05", "63.72.04"]


def test_whole_word_matches_come_before_longer_names(regions):
    results = regions_search("banjar")

    assert results[0].name == "Kabupaten Banjar"
    assert all(any(word.startswith("banjar") for word in region.name.lower().split()) for region in results)


def test_only_word_starts_match(regions):
    # "Lokpaikat" holds "paikat", but no word of it starts with it.
    assert "63.05.10.2003" not in codes(regions_search("paikat"))


def test_level_keeps_one_level(regions):
    results = regions_search("banjarbaru", level=RegionLevel.KECAMATAN)

    assert codes(results) == ["63.72.05", "63.72.04"]


def test_within_keeps_one_subtree(regions):
    results = regions_search("selatan", within=BANJARBARU, limit=50)

    assert results
    assert all(region.code.startswith(f"{BANJARBARU}.") for region in results)
    assert "63.72.05" in codes(results)


def test_a_region_shows_once_however_many_words_match(regions):
    results = regions_search("s", limit=SEARCH_MAX_LIMIT)

    assert len(results) == SEARCH_MAX_LIMIT
    assert len(set(codes(results))) == SEARCH_MAX_LIMIT


def test_limit_is_kept_between_one_and_the_maximum(regions):
    assert len(regions_search("s", limit=3)) == 3
    assert len(regions_search("s", limit=0)) == 1
    assert len(regions_search("s", limit=10_000)) == SEARCH_MAX_LIMIT


def test_name_words_then_place_words_find_the_village(regions):
    assert codes(regions_search("guntung paikat banjarbaru")) == [GUNTUNG_PAIKAT]
    assert codes(regions_search("paikat kota banjarbaru")) == [GUNTUNG_PAIKAT]
    assert regions_search("guntung paikat jembrana") == []


def test_a_long_query_is_cut_not_refused(regions):
    assert codes(regions_search("Guntung Paikat" + " " * 200 + "zzz"))[0] == GUNTUNG_PAIKAT


def test_odd_input_gives_results_or_nothing(regions, subtests):
    for query in BAD_QUERIES:
        with subtests.test(query=query[:40]):
            assert isinstance(regions_search(query), list)
    assert Region.objects.filter(code=GUNTUNG_PAIKAT).exists()


def test_nothing_to_search_for_finds_nothing_without_a_query(regions, subtests, django_assert_num_queries):
    for query in ["", "   ", "!!!", "🌾🌾", "%", "_", "—"]:
        with subtests.test(query=query), django_assert_num_queries(0):
            assert regions_search(query) == []


def test_a_search_is_one_query(regions, django_assert_num_queries):
    with django_assert_num_queries(1):
        regions_search("paikat")
    with django_assert_num_queries(1):
        regions_search("zzzz")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_sqlite_answers_the_search_from_the_term_index(regions):
    with CaptureQueriesContext(connection) as queries:
        regions_search("paikat")

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries[0]["sql"])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH t USING INDEX wilayah_regionsearchterm_term" in plan, plan
    assert "SCAN t" not in plan, plan
    assert "SCAN wilayah_regionsearchterm" not in plan, plan
