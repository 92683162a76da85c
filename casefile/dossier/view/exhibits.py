"""Builds Annex "Exhibits": each photo the edition may show, placed with its caption (file,
capture, size, whether it was re-encoded or blurred), and a note in place of an image that
shows a person the edition does not name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from casefile.case.model import Evidence
from casefile.dossier.view.context import Context
from casefile.dossier.view.format import anchor, digest_groups
from casefile.dossier.view.labels import _label
from casefile.dossier.view.people import WITHHELD_PATH

if TYPE_CHECKING:
    from casefile.evidence.exhibits import ExhibitImage


@dataclass(frozen=True)
class ExhibitView:
    id: str
    anchor: str
    evidence_anchor: str
    title_html: Markup
    kind_label: str
    src: str | None  # None: left out of this edition, `note` says why
    note: str | None
    digest_groups: tuple[str, ...] | None
    caption: tuple[tuple[str, str], ...]
    width_px: int | None = None
    height_px: int | None = None


def build_exhibits(ctx: Context, images: Mapping[str, ExhibitImage],
                   depicts_withheld: frozenset[str]) -> tuple[ExhibitView, ...]:
    """`images`: the prepared image of each exhibit by evidence id (evidence/exhibits.py);
    `depicts_withheld`: items whose image shows a person this edition hides."""
    exhibits: list[ExhibitView] = []
    for item in ctx.case.evidence:
        if ctx.disclosure.withholds(item):
            continue
        if item.id in depicts_withheld:
            exhibits.append(_left_out(ctx, item))
            continue
        image = images.get(item.id)
        if image is None:
            continue
        ctx.mentions.link(item.id)
        exhibits.append(ExhibitView(
            id=item.id, anchor=anchor("exhibit", item.id), evidence_anchor=anchor("evidence", item.id),
            title_html=ctx.mentions.inline(item.title), kind_label=_label(item.kind, ctx.tr),
            src=image.data_uri if ctx.mode == "html" else image.url, note=None,
            width_px=image.width, height_px=image.height,
            digest_groups=digest_groups(item.sha256), caption=_caption(ctx, item, image)))
    return tuple(exhibits)


def _left_out(ctx: Context, item: Evidence) -> ExhibitView:
    return ExhibitView(
        id=item.id, anchor=anchor("exhibit", item.id), evidence_anchor=anchor("evidence", item.id),
        title_html=ctx.mentions.inline(item.title), kind_label=_label(item.kind, ctx.tr), src=None,
        note=ctx.tr.gettext("Not shown in this edition: the image shows a person it does not name."),
        digest_groups=digest_groups(item.sha256), caption=())


def _caption(ctx: Context, item: Evidence, image: ExhibitImage) -> tuple[tuple[str, str], ...]:
    _ = ctx.tr.gettext
    caption = [(_("File"), _(WITHHELD_PATH) if ctx.people.reveals(item.file) else item.file or "")]
    if item.collected and (item.collected.at or item.collected.by):
        caption.append((_("Collected"), ", ".join(x for x in (ctx.fmt.timestamp(item.collected.at),
                                                              item.collected.by) if x)))
    size = f"{image.width} \N{MULTIPLICATION SIGN} {image.height} px"
    caption.append((_("Image"), _("%(size)s, re-encoded without metadata for this edition") % {"size": size}
                    if image.reencoded else size))
    if image.blurred:
        caption.append((_("Blurred"), _("a region showing a person this edition does not name")))
    return tuple(caption)
