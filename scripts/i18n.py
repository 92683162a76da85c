#!/usr/bin/env python3
"""Maintain casefile's message catalogs (the convention is in casefile/i18n.py).

    python3 scripts/i18n.py extract   # regenerate casefile/locale/casefile.pot from the sources (babel.cfg)
    python3 scripts/i18n.py update    # extract, then merge the .pot into every casefile/locale/<lang>/.../casefile.po
    python3 scripts/i18n.py init LANG # start a catalog for a new language
    python3 scripts/i18n.py check     # list untranslated and fuzzy messages; exit 1 if any, or if the .pot is stale

No .mo files: casefile compiles a .po in memory when it first uses the language.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casefile.core.i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, po_path  # noqa: E402
from casefile.core.languages import CODES as DOSSIER_LANGUAGES  # noqa: E402

POT = LOCALE_DIR / f"{DOMAIN}.pot"
# a fixed date keeps regenerated files byte-identical when nothing changed
FIXED_DATE = datetime(2025, 1, 1, tzinfo=UTC)
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extract() -> Catalog:
    """Every message of casefile/*.py and templates/**/*.j2, as a catalog template."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="casefile", domain=DOMAIN, creation_date=FIXED_DATE, revision_date=FIXED_DATE,
                      msgid_bugs_address="", copyright_holder="casefile developers", fuzzy=False)
    for path, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        if path.startswith("casefile/core/i18n.py"):
            continue
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path, **options) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, include_lineno=False, sort_output=True, **options)


def write_pot() -> Catalog:
    template = extract()
    _write(template, POT)
    return template


def languages() -> list[str]:
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def update() -> None:
    template = write_pot()
    for lang in languages():
        path = po_path(lang)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
        catalog.update(template, no_fuzzy_matching=False)
        catalog.revision_date = FIXED_DATE
        _write(catalog, path, ignore_obsolete=True)
        print(f"updated {path.relative_to(ROOT)}")


def init(lang: str) -> None:
    template = write_pot()
    path = po_path(lang)
    if path.exists():
        sys.exit(f"{path} exists; use 'update'")
    catalog = Catalog(locale=lang, domain=DOMAIN, project="casefile", creation_date=FIXED_DATE,
                      revision_date=FIXED_DATE, fuzzy=False)
    catalog.update(template)
    _write(catalog, path)
    print(f"created {path.relative_to(ROOT)}")


def problems() -> list[str]:
    """Untranslated and fuzzy messages of every catalog, and messages missing from the .pot."""
    found: list[str] = []
    current = {m.id for m in extract() if m.id}
    with POT.open("rb") as handle:
        recorded = {m.id for m in read_po(handle) if m.id}
    for msgid in sorted(current - recorded, key=str):
        found.append(f"{POT.relative_to(ROOT)}: not extracted yet: {msgid!r}")
    for msgid in sorted(recorded - current, key=str):
        found.append(f"{POT.relative_to(ROOT)}: no longer in the sources: {msgid!r}")
    for lang in languages():
        with po_path(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for msgid in sorted(current, key=str):
            message = catalog.get(msgid)
            strings = message.string if message is not None else None
            if message is None or not (all(strings) if isinstance(strings, tuple) else strings):
                found.append(f"{lang}: untranslated: {msgid!r}")
            elif message.fuzzy:
                found.append(f"{lang}: fuzzy: {msgid!r}")
    return found


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("extract", "update", "init", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "extract":
        write_pot()
        print(f"wrote {POT.relative_to(ROOT)}")
    elif argv[0] == "update":
        update()
    elif argv[0] == "init":
        if len(argv) != 2:
            print("usage: scripts/i18n.py init LANG", file=sys.stderr)
            return 2
        init(argv[1])
    else:
        found = problems()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s) in {', '.join(languages())} (source language {SOURCE_LANGUAGE}; "
              f"dossier languages {', '.join(DOSSIER_LANGUAGES)})")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
