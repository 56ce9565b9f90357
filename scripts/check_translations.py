"""`make lint`: every interface string must have its Bahasa Indonesia translation.

Extracts the strings from the code and templates into locale/id (as `make messages` does) and
fails when any is untranslated or fuzzy, listing the first ones. Run `make messages`, translate
them in locale/id/LC_MESSAGES/django.po, and commit the .po and .mo.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"


def main() -> int:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "id",
            "--ignore",
            ".venv/*",
            "--ignore",
            "var/*",
            "--ignore",
            "bench/*",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        check=True,
    )
    catalogue = polib.pofile(str(CATALOGUE))
    missing = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    if missing:
        print(f"{len(missing)} strings have no Indonesian translation, e.g.:", file=sys.stderr)
        for msgid in missing[:15]:
            print(f"  {msgid!r}", file=sys.stderr)
        return 1
    print(f"translations: all {len(catalogue)} strings translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
