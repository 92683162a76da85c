"""PDF, through pypdf: page text, document info, XMP, bookmarks, annotations, form fields,
embedded files (opened as files). A page drawing text with a font that has no text map
(ToUnicode) and no standard encoding is Unreadable; so is a PDF that needs a password."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from typing import IO, SupportsInt

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from ._base import MAX_STRUCTURES, CannotRead, Ctx, Items, Unreadable, guard, too_deep
from ._files import extract_data
from ._pieces import clean, pieces_of, variants
from .text import text_data

try:  # pypdf's table of Adobe glyph names (afii10017 = А, ...): a private module
    from pypdf._codecs.adobe_glyphs import adobe_glyphs
except ImportError:
    # If a pypdf release moves it, fail safe: only names of letters and uniXXXX count as
    # standard, so a font with other glyph names is reported as needing a person's reading
    # (never read as if its text were known). tests/test_extract.py's afii10032 case fails
    # then, so the move does not go unnoticed.
    adobe_glyphs = {}

_STANDARD_ENCODINGS = frozenset(("/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/PDFDocEncoding",
                                 "/MacExpertEncoding"))
_STANDARD_14 = frozenset((
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Symbol", "ZapfDingbats",
))
_TF = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*[-+]?(?:\d+\.?\d*|\.\d+)\s+Tf")
_GLYPH_NAME = re.compile(r"(?:uni[0-9A-F]{4}(?:[0-9A-F]{4})*|u[0-9A-F]{4,6})(?:\..*)?")
_RESOURCE_NAME = re.compile(r"[A-Za-z]{1,3}[0-9][A-Za-z0-9_.]*")  # 'F2', 'TT1', 'C2_0': not a word


def _pdf_get(obj: object, key: str) -> object:
    """A resolved dictionary entry (a pypdf object), or None (pypdf's get() does not resolve
    references; an object that is not a dictionary has no entries)."""
    if not isinstance(obj, DictionaryObject):
        return None
    try:
        if key not in obj:
            return None
        return obj[key]
    except Exception:  # a broken reference
        return None


def _pdf_int(value: object) -> int:
    """`int(value or 0)`, which raises for a value that is not a number (a malformed file: the
    page becomes Unreadable)."""
    if not value:
        return 0
    if isinstance(value, (str, bytes, SupportsInt)):
        return int(value)
    raise TypeError(f"not a number: {type(value).__name__}")


def _pdf_text(value: object) -> str | None:
    if isinstance(value, TextStringObject):
        return str(value)
    if isinstance(value, ByteStringObject):
        return "\n".join(text for _, text in variants(bytes(value)))
    if isinstance(value, (NameObject, NumberObject)):
        return None
    if isinstance(value, str):
        return value
    return None


def _standard_glyph(name: str, glyphs: Mapping[str, str]) -> bool:
    base = name.lstrip("/").split(".", 1)[0]
    if not base or f"/{base}" in glyphs or _GLYPH_NAME.fullmatch(base):
        return True
    return "_" in base and all(f"/{part}" in glyphs for part in base.split("_"))  # ligatures: f_f_i


def _font_unmapped(font: DictionaryObject) -> bool:
    """A font whose codes cannot be turned into text reliably: no ToUnicode map, and not a
    simple font in a standard encoding (Type0/Identity-H, Type3, a custom /Differences)."""
    if _pdf_get(font, "/ToUnicode") is not None:
        return False
    subtype = _pdf_get(font, "/Subtype")
    encoding = _pdf_get(font, "/Encoding")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        return not (isinstance(encoding, NameObject) and any(u in encoding for u in ("UCS2", "UTF16", "UTF8", "UTF32")))
    if encoding is None:
        base = str(_pdf_get(font, "/BaseFont") or "").lstrip("/").split("+", 1)[-1]
        if base in _STANDARD_14:
            return False
        descriptor = _pdf_get(font, "/FontDescriptor")
        flags = _pdf_int(_pdf_get(descriptor, "/Flags")) if isinstance(descriptor, DictionaryObject) else 0
        return not (flags & 32 and not flags & 4)  # nonsymbolic: the standard encoding applies
    if isinstance(encoding, NameObject):
        return encoding not in _STANDARD_ENCODINGS
    if isinstance(encoding, DictionaryObject):
        base_encoding = _pdf_get(encoding, "/BaseEncoding")
        if base_encoding is not None and base_encoding not in _STANDARD_ENCODINGS:
            return True
        differences = _pdf_get(encoding, "/Differences")
        if isinstance(differences, ArrayObject):
            return any(isinstance(item, NameObject) and not _standard_glyph(str(item), adobe_glyphs)
                       for item in differences)
        return False
    return True


def _fonts_used(content: bytes | None) -> set[str] | None:
    if content is None:
        return None
    return {"/" + re.sub(rb"#([0-9a-fA-F]{2})", lambda m: bytes.fromhex(m.group(1).decode()), name).decode("latin-1")
            for name in _TF.findall(content)}


def _unmapped_fonts(resources: object, content: bytes | None, seen: set[int | None], depth: int = 0) -> list[str]:
    """Resource names of the fonts without a text map that this content (and the forms it
    draws) shows text with."""
    if not isinstance(resources, DictionaryObject) or depth > 8:
        return []
    used, found = _fonts_used(content), list[str]()
    fonts = _pdf_get(resources, "/Font")
    if isinstance(fonts, DictionaryObject):
        for name in list(fonts.keys()):
            if used is not None and name not in used:
                continue
            font = _pdf_get(fonts, name)
            if isinstance(font, DictionaryObject) and _font_unmapped(font):
                found.append(str(name))
    forms = _pdf_get(resources, "/XObject")
    if isinstance(forms, DictionaryObject):
        for name in list(forms.keys()):
            ref = forms.get(name)
            key = getattr(ref, "idnum", None)
            if key is not None and key in seen:
                continue
            seen.add(key)
            form = _pdf_get(forms, name)
            if _pdf_get(form, "/Subtype") != "/Form":
                continue
            try:
                data = form.get_data() if isinstance(form, StreamObject) else None
            except Exception:
                data = None
            inner = _pdf_get(form, "/Resources") or resources
            found += _unmapped_fonts(inner, data, seen, depth + 1)
    return found


def _font_label(name: str, index: int) -> str:
    bare = name.lstrip("/")
    return bare if _RESOURCE_NAME.fullmatch(bare) else f"number {index}"


_PDF_READING = {"count": 0, "level": logging.NOTSET}  # PDFs being read now (their generators may be suspended)


def read_pdf(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    # pypdf's warnings about a malformed file quote the file's bytes, which may hold a protected
    # name: pypdf does not log while an exhibit is being read
    logger = logging.getLogger("pypdf")
    if _PDF_READING["count"] == 0:
        _PDF_READING["level"] = logger.level
        logger.setLevel(logging.CRITICAL + 10)
    _PDF_READING["count"] += 1
    try:
        yield from _pdf_document(f, ctx)
    finally:
        _PDF_READING["count"] -= 1
        if _PDF_READING["count"] == 0:
            logger.setLevel(_PDF_READING["level"])


def _pdf_document(f: IO[bytes], ctx: Ctx) -> Items:
    f.seek(0)
    try:
        reader = PdfReader(f, strict=False)
    except Exception as error:
        raise CannotRead(f"the PDF cannot be parsed ({type(error).__name__})") from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as error:
            raise CannotRead(f"encrypted PDF: it cannot be opened ({type(error).__name__})") from None
        if not opened:
            raise CannotRead("encrypted PDF: it cannot be opened without its password")
    yield from guard(_pdf_info(reader, ctx), ctx.at("PDF metadata"), "the PDF metadata")
    yield from guard(_pdf_xmp(reader, ctx), ctx.at("PDF XMP metadata"), "the XMP metadata")
    yield from guard(_pdf_outline(reader, ctx), ctx.at("PDF bookmarks"), "the bookmarks")
    yield from guard(_pdf_pages(reader, ctx), ctx.whole, "the PDF pages")
    yield from guard(_pdf_fields(reader, ctx), ctx.at("PDF form fields"), "the form fields")
    yield from guard(_pdf_attachments(reader, ctx), ctx.at("PDF attachments"), "the attachments")


def _pdf_info(reader: PdfReader, ctx: Ctx) -> Items:
    info = reader.metadata
    if not info:
        return
    standard = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate",
                "/Trapped")
    for number, key in enumerate(list(info.keys()), start=1):
        text = _pdf_text(_pdf_get(info, key))
        if not text:
            continue
        if key in standard:
            yield from pieces_of(ctx.at(f"PDF metadata {key}"), clean(text))
        else:  # a custom key is text of the file too
            yield from pieces_of(ctx.at(f"PDF metadata entry {number}"), clean(f"{key.lstrip('/')}: {text}"))


def _pdf_xmp(reader: PdfReader, ctx: Ctx) -> Items:
    root = reader.trailer["/Root"]
    stream = _pdf_get(root, "/Metadata")
    if isinstance(stream, StreamObject):
        data = stream.get_data()
        ctx.budget.take(len(data))
        yield from text_data(data, ctx.at("PDF XMP metadata"), ctx, markup=True)


def _pdf_outline(reader: PdfReader, ctx: Ctx) -> Items:
    stack: list[Iterator[object]] = [iter(reader.outline)]
    count = 0
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        if isinstance(item, list):
            if len(stack) < 64:
                stack.append(iter(item))
            continue
        count += 1
        if count > MAX_STRUCTURES:
            return
        title = getattr(item, "title", None)
        if title:
            yield from pieces_of(ctx.at(f"PDF bookmark {count}"), clean(str(title)))


def _pdf_pages(reader: PdfReader, ctx: Ctx) -> Items:
    total = len(reader.pages)
    limit = ctx.limits.max_pdf_pages
    if total > limit:
        yield Unreadable(ctx.whole, f"the PDF has {total} pages, more than {limit}: only the first {limit} were read")
    for number in range(1, min(total, limit) + 1):
        yield from guard(_pdf_page(reader.pages[number - 1], number, ctx), ctx.at(f"page {number}"), f"page {number}")


def _pdf_page(page: PageObject, number: int, ctx: Ctx) -> Items:
    try:
        text = page.extract_text() or ""
    except Exception as error:
        yield Unreadable(ctx.at(f"page {number}"), f"its text could not be extracted ({type(error).__name__})")
        text = ""
    yield from pieces_of(ctx.at(f"page {number} text"), clean(text))
    content: bytes | None
    try:
        contents = page.get_contents()
        content = contents.get_data() if contents is not None else b""
    except Exception:
        content = None  # unknown: every font of the page counts
    fonts = _unmapped_fonts(_pdf_get(page, "/Resources"), content, set())
    if fonts:
        labels = ", ".join(_font_label(name, i) for i, name in enumerate(dict.fromkeys(fonts), start=1))
        several = len(set(fonts)) > 1
        yield Unreadable(ctx.at(f"page {number}"),
                         f"PDF font{'s' if several else ''} {labels} on page {number} "
                         f"{'have' if several else 'has'} no text map (ToUnicode): its text cannot be read")
    yield from _pdf_annotations(page, number, ctx)


def _pdf_annotations(page: PageObject, number: int, ctx: Ctx) -> Items:
    annots = _pdf_get(page, "/Annots")
    if not isinstance(annots, ArrayObject):
        return
    for index, ref in enumerate(annots[:MAX_STRUCTURES], start=1):
        annot = ref.get_object() if hasattr(ref, "get_object") else ref
        if not isinstance(annot, DictionaryObject):
            continue
        where = ctx.at(f"page {number} annotation {index}")
        for key in ("/Contents", "/T", "/Subj", "/TU", "/V", "/DA"):
            text = _pdf_text(_pdf_get(annot, key))
            if text and key != "/DA":
                yield from pieces_of(f"{where} {key}", clean(text))
        rich = _pdf_text(_pdf_get(annot, "/RC"))
        if rich:
            yield from text_data(rich.encode("utf-8"), f"{where} /RC", ctx, encoding="utf-8", markup=True)
        action = _pdf_get(annot, "/A")
        if isinstance(action, DictionaryObject):
            uri = _pdf_text(_pdf_get(action, "/URI"))
            if uri:
                yield from pieces_of(f"{where} link", clean(uri))
        spec = _pdf_get(annot, "/FS")
        if isinstance(spec, DictionaryObject):
            yield from _pdf_filespec(spec, f"page {number} attachment {index}", ctx)


def _pdf_filespec(spec: DictionaryObject, label: str, ctx: Ctx) -> Items:
    for key in ("/UF", "/F", "/Desc"):
        text = _pdf_text(_pdf_get(spec, key))
        if text:
            yield from pieces_of(ctx.at(f"{label} {'description' if key == '/Desc' else 'name'}"), clean(text))
    files = _pdf_get(spec, "/EF")
    stream = _pdf_get(files, "/F") if isinstance(files, DictionaryObject) else None
    if isinstance(stream, StreamObject):
        if not ctx.can_open_members:
            yield too_deep(ctx)
            return
        data = stream.get_data()
        ctx.budget.take(len(data))
        yield from extract_data(data, ctx.inner(label))


def _pdf_fields(reader: PdfReader, ctx: Ctx) -> Items:
    fields = reader.get_fields() or {}
    for index, (name, field) in enumerate(list(fields.items())[:MAX_STRUCTURES], start=1):
        values = [str(name)]
        for key in ("/V", "/DV", "/TU"):
            value = field.get(key) if hasattr(field, "get") else None
            if isinstance(value, list):
                values += [str(v) for v in value]
            elif value is not None:
                text = _pdf_text(value) if not isinstance(value, str) else value
                values.append(text if text is not None else str(value))
        yield from pieces_of(ctx.at(f"PDF form field {index}"), clean("\n".join(values)))


def _pdf_attachments(reader: PdfReader, ctx: Ctx) -> Items:
    attachments = reader.attachments
    for index, name in enumerate(list(attachments.keys())[: ctx.limits.max_members], start=1):
        yield from pieces_of(ctx.at(f"PDF attachment {index} name"), clean(str(name)))
        if not ctx.can_open_members:
            yield too_deep(ctx)
            continue
        for copy, data in enumerate(attachments[name], start=1):
            ctx.budget.take(len(data))
            label = f"PDF attachment {index}" + (f" copy {copy}" if copy > 1 else "")
            yield from extract_data(bytes(data), ctx.inner(label))
