"""Page stamps for print-ready packets: a running number on every page, and DRAFT.

The stamp is an overlay drawn with a standard PDF font (Helvetica, not embedded: it carries
only digits, capitals and '-'), merged onto each page, so any PDF (the letter, the dossier,
an exhibit from elsewhere) can be stamped the same way.
"""

from __future__ import annotations

from pypdf import PageObject, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

FONT_SIZE = 7
MARGIN = 28  # points from the right and bottom edges


def _font() -> DictionaryObject:
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def stamp_pages(writer: PdfWriter, prefix: str, *, draft: bool = False, start: int = 1) -> None:
    for number, page in enumerate(writer.pages, start=start):
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        left, bottom = float(box.left), float(box.bottom)
        label = _escape(f"{prefix}-{number:06d}")
        # Helvetica capitals and digits are about 0.6 em wide
        x = left + width - MARGIN - 0.6 * FONT_SIZE * len(label)
        ops = [f"q BT /CFStamp {FONT_SIZE} Tf 0 g {x:.2f} {bottom + 12:.2f} Td ({label}) Tj ET Q"]
        if draft:
            ops.append(f"q 0.6 g BT /CFStamp 60 Tf 0.7071 0.7071 -0.7071 0.7071 "
                       f"{left + width * 0.28:.2f} {bottom + height * 0.38:.2f} Tm (DRAFT) Tj ET Q")
            ops.append(f"q BT /CFStamp 9 Tf 0 g {left + MARGIN:.2f} {bottom + height - 16:.2f} Td "
                       f"(DRAFT - NOT FOR SUBMISSION) Tj ET Q")
        overlay = PageObject.create_blank_page(width=width, height=height)
        overlay[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/CFStamp"): _font()})})
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        overlay[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(overlay)
