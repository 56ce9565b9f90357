"""Reads of the region tree. Regions are public data: nothing here depends on who asks.

Subtrees are one range over the indexed code (`subtree_q`), never a walk down the tree.
"""

from typing import Final

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from sikim.wilayah.models import Region, RegionLevel, RegionSearchTerm, subtree_q
from sikim.wilayah.services import normalize_search_text

SEARCH_MAX_LENGTH: Final = 100
SEARCH_MAX_LIMIT: Final = 50
# A query of several words that matches no name is also tried as "name words + place words"
# ("guntung paikat banjarbaru"); beyond this many words that is not worth the queries.
SEARCH_MAX_WORDS: Final = 5
# Terms hold only [0-9a-z' ] (see `normalize_search_text`), all below "\x7f".
_AFTER_LAST_TERM_CHAR: Final = "\x7f"


def provinces() -> QuerySet[Region]:
    """The 38 provinces, each with how many kabupaten/kota it has (`children_count`)."""
    return Region.objects.filter(level=RegionLevel.PROVINSI).annotate(children_count=Count("children")).order_by("code")


def region_children(region: Region) -> QuerySet[Region]:
    """The regions directly below `region`, in code order, each with its own `children_count`.

    Villages have no children, so their count is a constant and not a join.
    """
    children = Region.objects.filter(parent_id=region.code).order_by("code")
    if region.level + 1 >= RegionLevel.DESA_KELURAHAN:
        return children.annotate(children_count=Value(0, output_field=IntegerField()))
    return children.annotate(children_count=Count("children"))


def region_ancestors(region: Region) -> list[Region]:
    """The regions above `region`, province first, in one query (the codes say which)."""
    codes = region.ancestor_codes()
    if not codes:
        return []
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def _prefix_q(normalized: str) -> Q:
    if connection.vendor == "sqlite":
        # SQLite does not use the index for LIKE 'x%' (its LIKE is case-insensitive, the index
        # is not), so `term__startswith` scans the whole table. The terms only hold
        # [0-9a-z' ], so the range [q, q + "\x7f") is the same set and the index answers it.
        return Q(term__gte=normalized, term__lt=normalized + _AFTER_LAST_TERM_CHAR)
    # PostgreSQL answers LIKE 'x%' from the varchar_pattern_ops index Django adds to an
    # indexed CharField; a range would depend on the database's collation instead.
    return Q(term__startswith=normalized)


def _search_terms(
    normalized: str, *, limit: int, level: int | None, within: str | None, path_words: list[str] | None = None
) -> list[Region]:
    """Regions with a name word-start beginning with `normalized`, best first, no duplicates.

    Best: the query is the whole rest of the name ("banjarbaru" is all of "Kota *Banjarbaru*"),
    then higher levels (a province before a village), then alphabetically by the name from the
    matching word on, then by code. The ranking uses the term table alone: sorting on the
    region's name would join every candidate (16,000 of them for "s") before the sort, which
    made a one-letter search three times slower.
    """
    terms = RegionSearchTerm.objects.filter(_prefix_q(normalized))
    if level is not None:
        terms = terms.filter(level=level)
    if within:
        terms = terms.filter(subtree_q("region_id", within))
    for word in path_words or []:
        terms = terms.filter(region__parent_path__icontains=word)
    ranked = (
        terms.annotate(
            partial=Case(When(term=normalized, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("partial", "level", "term", "region_id")
        .values_list("region_id", flat=True)
    )
    # A region can match through several of its words ("s" → "Sungai Sipai"); fetch a little
    # more than asked and drop the repeats, fetching again in the rare case that was not enough.
    batch = limit * 3
    codes: dict[str, None] = {}
    offset = 0
    while len(codes) < limit:
        rows = list(ranked[offset : offset + batch])
        codes.update(dict.fromkeys(rows))
        if len(rows) < batch:
            break
        offset += batch
    wanted = list(codes)[:limit]
    if not wanted:
        return []
    regions = Region.objects.in_bulk(wanted)
    return [regions[code] for code in wanted if code in regions]


def regions_search(query: str, *, limit: int = 10, level: int | None = None, within: str | None = None) -> list[Region]:
    """Regions whose name has a word starting with `query`: "paikat" finds Guntung Paikat.

    Anything may be typed: the query is cut to 100 characters and reduced to lower-case
    letters, digits and spaces; nothing left means no results. `within` (a region code) keeps
    the regions inside that region. A query like "guntung paikat banjarbaru" that matches no
    name is tried again as a name ("guntung paikat") followed by words of the place above it.
    """
    normalized = normalize_search_text(query[:SEARCH_MAX_LENGTH])
    if not normalized:
        return []
    limit = max(1, min(limit, SEARCH_MAX_LIMIT))
    found = _search_terms(normalized, limit=limit, level=level, within=within)
    words = normalized.split()
    if found or not 1 < len(words) <= SEARCH_MAX_WORDS:
        return found
    for split in range(len(words) - 1, 0, -1):
        found = _search_terms(
            " ".join(words[:split]), limit=limit, level=level, within=within, path_words=words[split:]
        )
        if found:
            return found
    return []
