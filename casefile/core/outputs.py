"""The outputs casefile writes, by name: formats, editions, PDF variants and evidence layouts.

One definition each, light enough for the command line to build its choices from without
importing the model or WeasyPrint; the writers check against the same tuples.
"""

from __future__ import annotations

from typing import Literal, get_args

Format = Literal["pdf", "html"]
Edition = Literal["internal", "public"]  # the editions of a dossier; a filing's edition is "for <body>"
PdfVariant = Literal["pdf/a-3b", "pdf/ua-1"]
EvidenceLayout = Literal["auto", "full", "register"]

FORMATS: tuple[Format, ...] = get_args(Format)
EDITIONS: tuple[Edition, ...] = get_args(Edition)
PDF_VARIANTS: tuple[PdfVariant, ...] = get_args(PdfVariant)
EVIDENCE_LAYOUTS: tuple[EvidenceLayout, ...] = get_args(EvidenceLayout)
