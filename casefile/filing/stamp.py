"""Page stamps for print-ready packets: a running number on every page, and DRAFT.

The stamp is an overlay merged onto each page, so any PDF (the letter, the dossier, an exhibit
from elsewhere) can be stamped the same way. Its font is embedded: a subset of the packaged
Noto Sans Mono Bold holding only what stamps print (the letters, digits and '.', '_', '-' of
case and body ids, and space), made with
fontTools, so the print-ready PDF has no font a printer or an archive must substitute.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from casefile.core.resources import PACKAGE_DIR

FONT_FILE = PACKAGE_DIR / "fonts" / "NotoSansMono-Bold.ttf"
FONT_NAME = "CFSTMP+NotoSansMono-Bold"  # a subset's name: six capitals, '+', the font's name
CHARS = " -._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
FIRST, LAST = 32, 122  # WinAnsi (here: ASCII) codes of ' ' .. 'z'
FONT_SIZE = 7
MARGIN = 28  # points from the right and bottom edges


@lru_cache(maxsize=1)
def _subset() -> tuple[bytes, dict[str, float], dict[str, Any]]:
    """(TrueType subset, advance width per character in 1/1000 em, font metrics)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.recalc_timestamp = False  # keep the font's own date: output stays reproducible
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and licence names
    options.notdef_outline = True
    font = TTFont(FONT_FILE, recalcTimestamp=False)  # else head.modified is the current time
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=CHARS)
    subsetter.subset(font)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    widths = {c: font["hmtx"][cmap[ord(c)]][0] * scale for c in CHARS}
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    metrics = {"bbox": [head.xMin * scale, head.yMin * scale, head.xMax * scale, head.yMax * scale],
               "ascent": hhea.ascent * scale, "descent": hhea.descent * scale,
               "cap_height": getattr(os2, "sCapHeight", 700) * scale}
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), widths, metrics


def _font(writer: PdfWriter) -> tuple[IndirectObject, dict[str, float]]:
    """The embedded stamp font, added to `writer` once (an indirect object every page shares)."""
    data, widths, metrics = _subset()
    file = StreamObject()
    file._data = data
    file[NameObject("/Length1")] = NumberObject(len(data))
    file = file.flate_encode()
    descriptor = DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"),
        NameObject("/FontName"): NameObject("/" + FONT_NAME),
        NameObject("/Flags"): NumberObject(32 + 1),  # non-symbolic, fixed pitch
        NameObject("/FontBBox"): ArrayObject(FloatObject(round(v, 2)) for v in metrics["bbox"]),
        NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/Ascent"): FloatObject(round(metrics["ascent"], 2)),
        NameObject("/Descent"): FloatObject(round(metrics["descent"], 2)),
        NameObject("/CapHeight"): FloatObject(round(metrics["cap_height"], 2)),
        NameObject("/StemV"): NumberObject(120),
        NameObject("/FontFile2"): writer._add_object(file),
    })
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/TrueType"),
        NameObject("/BaseFont"): NameObject("/" + FONT_NAME),
        NameObject("/FirstChar"): NumberObject(FIRST),
        NameObject("/LastChar"): NumberObject(LAST),
        NameObject("/Widths"): ArrayObject(FloatObject(round(widths.get(chr(code), 0), 2))
                                           for code in range(FIRST, LAST + 1)),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        NameObject("/FontDescriptor"): writer._add_object(descriptor),
    })
    return writer._add_object(font), widths


def _width(text: str, size: float, widths: dict[str, float]) -> float:
    return sum(widths[c] for c in text) * size / 1000


def _check(text: str) -> str:
    unknown = sorted(set(text) - set(CHARS))
    if unknown:  # the subset has no glyph for it: never print a box
        raise ValueError(f"stamp text {text!r} has characters the stamp font lacks: {unknown}")
    return text


def stamp_pages(writer: PdfWriter, prefix: str, *, draft: bool = False, start: int = 1) -> None:
    """Stamp `PREFIX-000001`… at the bottom right of every page (and DRAFT when `draft`)."""
    font, widths = _font(writer)
    prefix = "".join(c if c in CHARS and c != " " else "-" for c in prefix)
    for number, page in enumerate(writer.pages, start=start):
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        left, bottom = float(box.left), float(box.bottom)
        label = _check(f"{prefix}-{number:06d}")
        x = left + width - MARGIN - _width(label, FONT_SIZE, widths)
        ops = [f"q BT /CFStamp {FONT_SIZE} Tf 0 g {x:.2f} {bottom + 12:.2f} Td ({label}) Tj ET Q"]
        if draft:
            ops.append(f"q 0.6 g BT /CFStamp 60 Tf 0.7071 0.7071 -0.7071 0.7071 "
                       f"{left + width * 0.28:.2f} {bottom + height * 0.38:.2f} Tm ({_check('DRAFT')}) Tj ET Q")
            ops.append(f"q BT /CFStamp 9 Tf 0 g {left + MARGIN:.2f} {bottom + height - 16:.2f} Td "
                       f"({_check('DRAFT - NOT FOR SUBMISSION')}) Tj ET Q")
        overlay = PageObject.create_blank_page(width=width, height=height)
        overlay[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/CFStamp"): font})})
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("ascii"))
        overlay[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(overlay)
