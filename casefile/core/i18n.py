"""Languages of the dossier: gettext catalogs (Babel) for every label, Babel for dates.

The convention (templates and Python code that builds labels both follow it):

- **Templates** use `jinja2.ext.i18n`, newstyle: `{{ _("Label") }}`,
  `{{ _("Page %(num)s of %(total)s", num=n, total=t) }}` (placeholders are named and
  autoescaped), `{{ ngettext("%(num)s item", "%(num)s items", n) }}`, and
  `{% trans %}longer text{% endtrans %}`. `render.environment(user_dir, lang)` is one jinja2
  environment per language with the callables installed as globals, so macros imported with
  `{% import %}` / `{% from … import %}` see them too (also in the sandbox used for
  `--templates`). Write a label once, in English, inside `_()`; never build a sentence from
  translated pieces.
- **Python code** that builds labels (view.py) gets a translator for the language:
  `tr = translator(lang)`, then `tr.gettext("Victims")`, `tr.ngettext(s, p, n)`.
  Module-level tables mark their strings with `N_("...")` (identity, only for extraction) and
  translate at use: `tr.gettext(CONFLICT_LABELS[key])`.
- **Catalogs**: `casefile/locale/casefile.pot` (English is the source language) and
  `casefile/locale/<lang>/LC_MESSAGES/casefile.po` for uk, fr and es. No `.mo` files are kept:
  a `.po` is compiled in memory the first time a language is used (fuzzy and empty entries fall
  back to English), so a catalog can never be out of date with its compiled form.
- **Updating**: `python3 scripts/i18n.py extract` regenerates the .pot from casefile/*.py and
  templates/**/*.j2 (babel.cfg), `python3 scripts/i18n.py update` merges it into every .po
  (new messages empty, changed ones fuzzy), `python3 scripts/i18n.py check` lists what is
  missing. tests/test_i18n.py fails on any untranslated or fuzzy message and on a stale .pot.
- **Debugging**: with `CASEFILE_I18N_DEBUG=1` in the environment, a message with no translation
  in a non-English language renders as `⟦message⟧`, so a missed label stands out (the tests
  render with it).
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "casefile"
SOURCE_LANGUAGE = "en"
DEBUG_ENV = "CASEFILE_I18N_DEBUG"
DEBUG_OPEN, DEBUG_CLOSE = "⟦", "⟧"


def N_(message: str) -> str:
    """Marks a string for extraction without translating it (module-level label tables)."""
    return message


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


class Translator:
    """gettext/ngettext for one language. English (or a language without a catalog) returns
    the source text; in debug mode a message missing from a catalog comes back marked."""

    def __init__(self, lang: str, catalog: _gettext.NullTranslations | None, debug: bool = False):
        self.lang = lang
        self._catalog = catalog
        self._debug = debug and catalog is not None

    def gettext(self, message: str) -> str:
        if self._catalog is None:
            return message
        if self._debug and message and message not in self._catalog._catalog:  # type: ignore[attr-defined]
            return f"{DEBUG_OPEN}{message}{DEBUG_CLOSE}"
        return self._catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._catalog is None:
            return singular if n == 1 else plural
        result = self._catalog.ngettext(singular, plural, n)
        if self._debug and (singular, 0) not in self._catalog._catalog:  # type: ignore[attr-defined]
            return f"{DEBUG_OPEN}{result}{DEBUG_CLOSE}"
        return result

    # the names jinja2's install_gettext_translations would look for
    ugettext = gettext
    ungettext = ngettext


@cache
def _compiled(lang: str) -> _gettext.GNUTranslations | None:
    """The language's .po compiled in memory (fuzzy entries left out), or None."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if lang == SOURCE_LANGUAGE or not path.is_file():
        return None
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def translator(lang: str | None) -> Translator:
    """The translator for a language code (`en`, `uk`, `fr`, `es`; anything else is English).
    Templates call it for every message, so each (language, debug) pair is built once."""
    return _translator(lang or SOURCE_LANGUAGE, debug_enabled())


@cache
def _translator(lang: str, debug: bool) -> Translator:
    return Translator(lang, _compiled(lang), debug)


__all__ = ["DEBUG_ENV", "DOMAIN", "LOCALE_DIR", "N_", "Translator", "po_path", "translator"]
