"""Extract a room's texts and update its Danish and English catalogues (docs/portal.md, "Translations").

    .venv/bin/python tools/translations.py access      # or: make translations ROOM=access

Reads src/toldsystem/<room>/ (its .py and templates/, by babel.cfg), writes the msgids (the English texts) into
<room>/locale/{da,en}/LC_MESSAGES/messages.po: new ones are added untranslated, gone ones are dropped, the
translations already made are kept. Then translate the new entries of the da catalogue (msgstr); the en one
may stay empty (English is the msgid itself). No .mo is made: web/i18n.py compiles the .po files in memory.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "toldsystem"
PYBABEL = Path(sys.executable).parent / "pybabel"


def update(room: str) -> None:
    folder = PACKAGE / room
    if not folder.is_dir():
        sys.exit(f"{room}: no such room under {PACKAGE} / ingen sådan del af systemet")
    with tempfile.TemporaryDirectory() as scratch:
        template = Path(scratch) / "messages.pot"
        # web.i18n.gettext(language, "…") and ngettext(language, "…", "…", n): the text is the second argument
        subprocess.run([PYBABEL, "extract", "-F", ROOT / "babel.cfg", "-o", template, "--no-location",
                        "--omit-header", "--sort-output", "-k", "gettext:2", "-k", "ngettext:2,3", folder],
                       check=True, capture_output=True)
        for language in ("da", "en"):
            catalogue = folder / "locale" / language / "LC_MESSAGES" / "messages.po"
            verb = "update" if catalogue.exists() else "init"
            command = [PYBABEL, "--quiet", verb, "-i", template, "-d", folder / "locale", "-l", language]
            if verb == "update":
                command += ["--no-fuzzy-matching", "--ignore-obsolete"]
            subprocess.run(command, check=True)
            print(catalogue.relative_to(ROOT))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for name in sys.argv[1:]:
        update(name)
