"""Fixed-width text listings: the evidence register of a large case, as printed pages.

A table row costs WeasyPrint about 10 ms to lay out (seven cells, each a block with its own
styles and line boxes), so 10,000 rows take minutes and gigabytes. The same register as
monospaced lines in a `<pre>` is one box per page: about three times faster and a fraction of
the memory (README, Performance). The columns are laid out here, in Python, so that every line
fits the page width and every page holds a known number of lines: each page is its own
`<pre>` that starts on a new page with the column header, so no header is ever orphaned and
no line is cut.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # in character cells


@dataclass(frozen=True)
class Line:
    text: str
    anchor: str | None = None  # the id a cross-reference links to (first line of a row only)


def cells(text: str) -> int:
    """Character cells a string takes in a monospaced font: wide East Asian characters take
    two, combining marks none."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


def wrap(text: str, width: int) -> list[str]:
    """Wrap to `width` cells, breaking long words (ids, digests) rather than overflowing."""
    text = " ".join(text.split())
    if not text:
        return [""]
    lines = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False)
    # textwrap counts code points; re-split the rare line with wide characters by cells
    out: list[str] = []
    for line in lines:
        while cells(line) > width:
            cut = width
            while cells(line[:cut]) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out or [""]


def fit_columns(titles: list[str], rows: list[list[str]], total: int, flexible: int, *,
                gap: int = 2, caps: dict[int, int] | None = None) -> list[Column]:
    """Column widths: each as wide as its widest value (and title), capped by `caps`; the
    `flexible` column takes what is left of `total` (at least 12 cells)."""
    caps = caps or {}
    widths = []
    for i, title in enumerate(titles):
        widest = max([cells(title), *(cells(row[i]) for row in rows)]) if rows else cells(title)
        widths.append(min(widest, caps.get(i, widest)))
    used = sum(w for i, w in enumerate(widths) if i != flexible) + gap * (len(titles) - 1)
    widths[flexible] = max(12, min(widths[flexible], total - used))
    return [Column(t, w) for t, w in zip(titles, widths, strict=True)]


def render_row(values: list[str], columns: list[Column], gap: int = 2) -> list[str]:
    wrapped = [wrap(v, c.width) for v, c in zip(values, columns, strict=True)]
    height = max(len(w) for w in wrapped)
    lines = []
    for k in range(height):
        parts = [pad(w[k] if k < len(w) else "", c.width) for w, c in zip(wrapped, columns, strict=True)]
        lines.append((" " * gap).join(parts).rstrip())
    return lines


def paginate(columns: list[Column], rows: list[tuple[list[str], str | None]], lines_per_page: int,
             gap: int = 2) -> tuple[list[str], list[list[Line]]]:
    """(header lines, pages): every page holds at most `lines_per_page` lines after the header,
    and a row is never split across pages."""
    header = [(" " * gap).join(pad(c.title, c.width) for c in columns).rstrip(),
              (" " * gap).join("─" * c.width for c in columns)]
    pages: list[list[Line]] = []
    page: list[Line] = []
    for values, anchor in rows:
        lines = render_row(values, columns, gap)
        if page and len(page) + len(lines) > lines_per_page:
            pages.append(page)
            page = []
        page.extend(Line(text, anchor if k == 0 else None) for k, text in enumerate(lines))
    if page:
        pages.append(page)
    return header, pages
