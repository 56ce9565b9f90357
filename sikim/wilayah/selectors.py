"""Reads of the region tree. Regions are public data: nothing here depends on who asks.

Subtrees are one range over the indexed code (`subtree_q`), never a walk down the tree.
"""

from typing import Any, Final

from django.db import connection
from django.db.models import Count, IntegerField, QuerySet, Value

from sikim.wilayah.models import Region, RegionLevel, RegionSearchTerm
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


def _prefix_condition(normalized: str) -> tuple[str, list[Any]]:
    if connection.vendor == "sqlite":
        # SQLite does not use the index for LIKE 'x%' (its LIKE is case-insensitive, the index
        # is not), so a `term__startswith` scans the whole table. The terms only hold
        # [0-9a-z' ], so the range [q, q + "\x7f") is the same set and the index answers it.
        return "t.term >= %s AND t.term < %s", [normalized, normalized + _AFTER_LAST_TERM_CHAR]
    # PostgreSQL answers LIKE 'x%' from the varchar_pattern_ops index Django adds to an
    # indexed CharField (a range would depend on the collation). `normalized` holds no % or _.
    return "t.term LIKE %s", [normalized + "%"]


# What a search result shows, in the model's field order (`Model.from_db` needs that); the
# timestamps stay deferred, nobody reads them here.
_SEARCH_FIELDS: Final = [
    field.attname for field in Region._meta.concrete_fields if field.attname not in {"created_at", "updated_at"}
]
# Hand-written because it runs on every keystroke: building it with the ORM took about 1 ms,
# twenty times what SQLite needs to answer it. The inner query ranks the matching terms from
# the term table alone (joining every candidate first made a one-letter search three times
# slower); the outer one fetches the few regions it picked.
_SEARCH_SQL = """
SELECT {columns} FROM (
    SELECT t.region_id, CASE WHEN t.term = %s THEN 0 ELSE 1 END AS partial, t.level, t.term
    FROM {terms} t{join}
    WHERE {conditions}
    ORDER BY partial, t.level, t.term, t.region_id
    LIMIT %s OFFSET %s
) best
JOIN {regions} r ON r.{code} = best.region_id
ORDER BY best.partial, best.level, best.term, best.region_id
"""


def _search_terms(
    normalized: str, *, limit: int, level: int | None, within: str | None, path_words: list[str] | None = None
) -> list[Region]:
    """Regions with a name word-start beginning with `normalized`, best first, no duplicates.

    Best: the query is the whole rest of the name ("banjarbaru" is all of "Kota *Banjarbaru*"),
    then higher levels (a province before a village), then alphabetically by the name from the
    matching word on, then by code.
    """
    quote = connection.ops.quote_name
    prefix, params = _prefix_condition(normalized)
    conditions = [prefix]
    if level is not None:
        conditions.append("t.level = %s")
        params.append(level)
    if within:
        # `subtree_q` as SQL: the region itself or the range of codes below it.
        conditions.append("(t.region_id = %s OR (t.region_id >= %s AND t.region_id < %s))")
        params += [within, f"{within}.", f"{within}/"]
    join = ""
    if path_words:
        join = f" JOIN {quote(Region._meta.db_table)} p ON p.{quote('code')} = t.region_id"
        for word in path_words:
            # Words hold only [0-9a-z'], so they need no LIKE escaping.
            conditions.append(f"LOWER(p.{quote('parent_path')}) LIKE %s")
            params.append(f"%{word}%")
    columns = {field.attname: str(field.column) for field in Region._meta.concrete_fields}
    sql = _SEARCH_SQL.format(
        columns=", ".join(f"r.{quote(columns[name])}" for name in _SEARCH_FIELDS),
        terms=quote(RegionSearchTerm._meta.db_table),
        regions=quote(Region._meta.db_table),
        code=quote("code"),
        join=join,
        conditions=" AND ".join(conditions),
    )
    # A region can match through several of its words ("s" → "Sungai Sipai"); fetch a little
    # more than asked and drop the repeats, fetching again in the rare case that was not enough.
    batch = limit * 3
    found: dict[str, Region] = {}
    offset = 0
    with connection.cursor() as cursor:
        while len(found) < limit:
            cursor.execute(sql, [normalized, *params, batch, offset])
            rows = cursor.fetchall()
            for row in rows:
                region = Region.from_db(connection.alias, _SEARCH_FIELDS, row)
                found.setdefault(region.code, region)
            if len(rows) < batch:
                break
            offset += batch
    return list(found.values())[:limit]


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
