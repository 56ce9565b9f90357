"""Bahasa Indonesia is the default: every string in the interface must be translated.

`make messages` extracts the strings and compiles them; `make lint` fails when extraction
finds strings missing from the catalogue.
"""

from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_indonesian_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_compiled_catalogue_matches_the_source():
    source = polib.pofile(str(CATALOGUE))
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled_by_id = {(entry.msgctxt, entry.msgid): entry for entry in compiled}
    for entry in source.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled_by_id, f"not compiled: {entry.msgid!r}"
        assert compiled_by_id[(entry.msgctxt, entry.msgid)].msgstr == entry.msgstr
