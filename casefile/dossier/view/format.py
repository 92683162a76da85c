"""Formatting for the view: dates, times and countries in the dossier's language (Babel), the
dossier's fixed date (`SOURCE_DATE_EPOCH` or the case's `prepared.date`), digests in groups of
eight hex digits, and the anchors that cross-references link to.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime

from babel import Locale
from babel.dates import format_date, format_skeleton

from casefile.case.model import Case
from casefile.case.values import DateRange, PartialDate
from casefile.core import languages
from casefile.core.errors import UsageError

Day = date  # inside Formatter, `date` names the method


class Formatter:
    """Dates, times and country names as the dossier's language writes them."""

    def __init__(self, lang: str):
        self.lang = lang
        self.locale = languages.babel_locale(lang)

    def date(self, value: PartialDate | DateRange | Day | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, DateRange):
            return f"{self.date(value.start)} \N{EN DASH} {self.date(value.end)}"
        if isinstance(value, date):
            return format_date(value, "long", locale=self.locale)
        if value.day:
            return format_date(value.first_day, "long", locale=self.locale)
        if value.month:
            return format_skeleton("yMMMM", value.first_day, locale=self.locale)
        return str(value.year)

    def timestamp(self, value: datetime | None) -> str | None:
        if value is None:
            return None
        offset = value.strftime("%z")
        offset = "UTC" if offset in ("+0000", "") else f"{offset[:3]}:{offset[3:]}"
        return f"{self.date(value.date())}, {value:%H:%M} {offset}"

    def day(self, value: datetime | Day) -> str:
        """ISO 8601 day: short, sortable and the same in every language (one-line register)."""
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()

    def country(self, code: str | None) -> str | None:
        if not code:
            return None
        name = Locale.parse(self.locale).territories.get(code, code)
        return f"{name} ({code})"


def anchor(prefix: str, ident: str) -> str:
    """The id of an element a cross-reference links to: 'evidence', 'E 1' -> 'evidence-E-1'."""
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", ident).strip("-")


def digest_groups(digest: str | None) -> tuple[str, ...] | None:
    """A hex digest in groups of 8 digits (lines break only between groups), or None."""
    if not digest:
        return None
    return tuple(digest[i:i + 8] for i in range(0, len(digest), 8))


# a PDF date has four year digits: the last second of 9999 is the latest time a dossier can carry
_LAST_EPOCH = 253402300799


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds) as a time, or None when it is not set; a value
    that is not a time casefile can write is wrong usage."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > _LAST_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH={value[:40]!r} is not a time casefile can write",
                         "give whole seconds since 1970-01-01 UTC, at most 253402300799 (year 9999)")
    return datetime.fromtimestamp(int(value), tz=UTC)


def build_date(case: Case) -> datetime:
    """The dossier's fixed date: SOURCE_DATE_EPOCH when set, else the case's prepared.date."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    d = case.prepared.date.first_day
    return datetime(d.year, d.month, d.day, tzinfo=UTC)
