"""The register's HTML page: what its template sees (summary, rows, the incidents chart).

Views are frozen dataclasses like the dossier's; the chart is numbers only (coordinates of
bars, labels and gridlines), laid out by the template as inline SVG. The page carries its own
style and script under a Content-Security-Policy that allows nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import math
from dataclasses import dataclass
from datetime import date

from casefile import __version__
from casefile.case.catalog import Catalog, load_catalog
from casefile.case.values import PartialDate
from casefile.dossier.view import CLASSIFICATION_LABELS, WITHHELD_PATH, Formatter
from casefile.repository.register.rows import RegisterRow

TEMPLATE = "register/register.html.j2"
CSS = "register/register.css"
SCRIPT = "register/sort.js"
EDITION_LABELS = {
    "internal": "Internal register — may name protected persons; do not share",
    "public": "Public register — identities withheld",
}
_STATUS_ORDER = ("draft", "review", "final", "submitted", "closed")


@dataclass(frozen=True)
class EditionView:
    key: str
    label: str
    public: bool


@dataclass(frozen=True)
class Summary:
    cases: int
    victims: int
    evidence: int
    verified: int
    share: str | None  # verified share of evidence items: "83%"
    text: str
    invalid_text: str | None


@dataclass(frozen=True)
class ProvisionCell:
    id: str
    label: str
    title: str


@dataclass(frozen=True)
class FilingCell:
    id: str
    label: str
    name: str
    status: str
    status_label: str


@dataclass(frozen=True)
class RowView:
    id: str
    title: str
    path: str
    withheld_path: bool
    status: str
    status_label: str
    status_rank: int
    classification: str
    classification_label: str
    classification_rank: int
    incident_date: str
    incident_label: str
    place: str
    place_sort: str
    victims: int
    allegations: tuple[str, ...]
    provisions: tuple[ProvisionCell, ...]
    evidence: int
    verified: int
    filings: tuple[FilingCell, ...]


@dataclass(frozen=True)
class Bar:
    month: str
    x: float
    y: float
    w: float
    h: float
    count: int
    cx: float
    count_y: float
    title: str


@dataclass(frozen=True)
class AxisLabel:
    x: float
    text: str
    sub: str


@dataclass(frozen=True)
class GridLine:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    width: float
    height: int
    left: int
    top: int
    plot_w: float
    plot_h: int
    bottom_y: int
    right_x: float
    bars: tuple[Bar, ...]
    labels: tuple[AxisLabel, ...]
    grid: tuple[GridLine, ...]
    every_month: bool
    first: str
    last: str
    tick_x: int
    tick_y: int
    label_y: int
    sub_y: int
    x_title: float
    x_title_y: int
    y_title_x: int
    y_title_y: float
    months: int
    peak: int


def render_html(rows: list[RegisterRow], invalid: list[tuple[str, int]], *, edition: str, generated: str,
                catalog: Catalog | None = None) -> bytes:
    from casefile.dossier.html import environment, read_asset

    catalog = catalog or load_catalog()
    css = read_asset(CSS)
    script = read_asset(SCRIPT)
    context = {
        "lang": "en",
        "generator": f"casefile {__version__}",
        "generated": generated,
        "edition": EditionView(edition, EDITION_LABELS[edition], edition == "public"),
        "summary": summary(rows, invalid),
        "rows": [_row_view(row, catalog) for row in rows],
        "invalid": invalid,
        "chart": chart(rows),
        "css": css,
        "script": script,
        "csp": _csp(css, script),
    }
    return environment().get_template(TEMPLATE).render(context).encode("utf-8")


def _csp(css: str, script: str) -> str:
    """Only the page's own style and script run; nothing is ever fetched."""
    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    return (f"default-src 'none'; style-src {digest(css)}; script-src {digest(script)}; "
            "img-src 'none'; form-action 'none'; base-uri 'none'")


def _word(key: str) -> str:
    words = key.replace("-", " ")
    return words[:1].upper() + words[1:]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def summary(rows: list[RegisterRow], invalid: list[tuple[str, int]]) -> Summary:
    victims = sum(r.victims for r in rows)
    evidence = sum(r.evidence for r in rows)
    verified = sum(r.verified for r in rows)
    share = f"{math.floor(100 * verified / evidence + 0.5)}%" if evidence else None
    parts = [_plural(len(rows), "case"), _plural(victims, "victim"),
             f"{verified:,} of {_plural(evidence, 'evidence item')} verified" + (f" ({share})" if share else "")]
    return Summary(cases=len(rows), victims=victims, evidence=evidence, verified=verified, share=share,
                   text=" · ".join(parts),
                   invalid_text=(f"{_plural(len(invalid), 'case file')} did not validate and "
                                 f"{'is' if len(invalid) == 1 else 'are'} not in the register (listed at the end)")
                   if invalid else None)


def _row_view(row: RegisterRow, catalog: Catalog) -> RowView:
    fmt = Formatter("en")
    provisions = []
    for pid in row.provisions:
        provision = catalog.provisions.get(pid)
        provisions.append(ProvisionCell(pid, provision.label if provision else pid,
                                        provision.title if provision else ""))
    filings = []
    for body_id, status in row.filings:
        body = catalog.bodies.get(body_id)
        filings.append(FilingCell(body_id, body.short if body and body.short else body_id,
                                  body.name if body else body_id, status, _word(status)))
    place = ", ".join(x for x in (row.region, fmt.country(row.country)) if x)
    return RowView(
        id=row.id, title=row.title, path=row.path, withheld_path=row.path == WITHHELD_PATH,
        status=row.status, status_label=_word(row.status), status_rank=_STATUS_ORDER.index(row.status),
        classification=row.classification, classification_label=CLASSIFICATION_LABELS[row.classification],
        classification_rank=list(CLASSIFICATION_LABELS).index(row.classification),
        incident_date=row.incident_date, incident_label=row.incident_label,
        place=place, place_sort=place.casefold(), victims=row.victims,
        allegations=tuple(row.allegations), provisions=tuple(provisions), evidence=row.evidence,
        verified=row.verified, filings=tuple(filings),
    )


# ------------------------------------------------------------------------------------------
# the chart: numbers only; the template lays them out
# ------------------------------------------------------------------------------------------
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _num(value: float) -> int | float:
    """A coordinate as written in the SVG: 2 decimals at most, whole numbers without '.0'."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _ticks(top: int) -> list[int]:
    """Whole-number gridlines from 0 to at least `top`, at most about 5 steps."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        step = candidate
        if top / candidate <= 5:
            break
    else:
        step = 10 ** len(str(top))
    return list(range(0, (math.ceil(top / step) or 1) * step + 1, step))


def chart(rows: list[RegisterRow]) -> Chart | None:
    """Incidents per month, from the earliest to the latest incident month: one bar per month
    (an empty month has a bar of height 0). A range counts in the month it starts."""
    if not rows:
        return None
    starts = [date.fromisoformat(r.incident_date) for r in rows]
    months = _months(min(starts), max(starts))
    counts = dict.fromkeys(months, 0)
    for d in starts:
        counts[(d.year, d.month)] += 1
    ticks = _ticks(max(counts.values()))
    top = ticks[-1]
    fmt = Formatter("en")

    left, right, top_pad, bottom = 56, 16, 16, 58
    plot_h = 200
    slot = max(4.0, min(48.0, 820 / len(months)))
    plot_w = slot * len(months)
    width = left + plot_w + right
    height = top_pad + plot_h + bottom
    gap = slot * 0.2 if slot >= 8 else slot * 0.1
    # month labels: every month when they fit, else Januaries (and every n-th year when crowded)
    every_month = slot >= 44
    years = sorted({y for y, _ in months})
    year_step = 1
    while len(years) / year_step * 44 > plot_w and year_step < 1000:
        year_step = {1: 2, 2: 5, 5: 10}.get(year_step, year_step * 2)
    bars: list[Bar] = []
    labels: list[AxisLabel] = []
    for i, (year, month) in enumerate(months):
        count = counts[(year, month)]
        h = round(plot_h * count / top, 2)
        x = round(left + i * slot + gap / 2, 2)
        name = fmt.date(PartialDate(year, month)) or f"{year}-{month:02d}"
        bars.append(Bar(month=f"{year:04d}-{month:02d}", x=_num(x), y=_num(top_pad + plot_h - h),
                        w=_num(slot - gap), h=_num(h), count=count, cx=_num(x + (slot - gap) / 2),
                        count_y=_num(top_pad + plot_h - h - 4), title=f"{name}: {_plural(count, 'case')}"))
        centre = _num(left + i * slot + slot / 2)
        if every_month:
            labels.append(AxisLabel(x=centre, text=_MONTH_ABBR[month - 1],
                                    sub=str(year) if month == 1 or i == 0 else ""))
        elif month == 1 and (year - years[0]) % year_step == 0:
            labels.append(AxisLabel(x=_num(left + i * slot), text=str(year), sub=""))
        elif i == 0 and (len(years) == 1 or slot * (13 - month) >= 40):
            # the first month's year, when there is room before the next January
            labels.append(AxisLabel(x=_num(left + i * slot), text=str(year), sub=""))
    grid = [GridLine(value=t, y=_num(top_pad + plot_h - plot_h * t / top)) for t in ticks]
    bottom_y = top_pad + plot_h
    return Chart(
        width=_num(width), height=height, left=left, top=top_pad, plot_w=_num(plot_w), plot_h=plot_h,
        bottom_y=bottom_y, right_x=_num(left + plot_w), bars=tuple(bars), labels=tuple(labels), grid=tuple(grid),
        every_month=every_month, first=bars[0].title.split(":")[0], last=bars[-1].title.split(":")[0],
        tick_x=left - 6, tick_y=bottom_y + 18, label_y=bottom_y + 15, sub_y=bottom_y + 29,
        x_title=_num(left + plot_w / 2),
        x_title_y=height - 8, y_title_x=16, y_title_y=_num(top_pad + plot_h / 2),
        months=len(months), peak=max(counts.values()),
    )


