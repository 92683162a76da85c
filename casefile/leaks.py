"""Finding names that must not be there: in case text (at the source) and in produced files.

A name hidden by an edition must not appear in any byte of the output. The scan looks for
each hidden name in several spellings (as written, NFC and NFD, without diacritics, with each
kind of apostrophe, each part of a name that has several), encoded as UTF-8, UTF-16 (both
byte orders) and Latin-1, in:
- the raw file;
- for a PDF: every object's strings (metadata, bookmarks, link targets, attachment names) and
  every stream decompressed (page content, XMP, attachments, images), and the text extracted
  from every page (which is how subset fonts with glyph ids are read);
- for HTML: the file, its entity-decoded text and every base64 data: URI decoded.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"
MIN_PART = 4  # name parts shorter than this are too common to scan for on their own


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def name_parts(name: str) -> list[str]:
    """The whole name, each bracketed or bracket-free part, and each word long enough to
    identify a person on its own ('Андрій Мельник (Andrii Melnyk)' -> 6 strings)."""
    parts = [name.strip()]
    inner = re.findall(r"\(([^()]*)\)", name)
    outer = re.sub(r"\([^()]*\)", " ", name)
    parts += [p.strip() for p in [*inner, outer] if p.strip()]
    for chunk in list(parts):
        parts += [w for w in re.split(r"[\s,;/()]+", chunk) if len(w.strip(APOSTROPHES + "-.")) >= MIN_PART]
    return list(dict.fromkeys(" ".join(p.split()) for p in parts if p.strip()))


def variants(name: str) -> list[str]:
    """Spellings to look for: NFC, NFD, without diacritics, apostrophe variants."""
    out: list[str] = []
    for part in name_parts(name):
        forms = {unicodedata.normalize("NFC", part), unicodedata.normalize("NFD", part), _strip_marks(part)}
        for form in list(forms):
            if any(a in form for a in APOSTROPHES):
                for a in APOSTROPHES:
                    forms.add(re.sub(f"[{re.escape(APOSTROPHES)}]", a, form))
        out += sorted(forms)
    return list(dict.fromkeys(out))


# ------------------------------------------------------------------------------------------
# at the source: a protected name written literally in case text
# ------------------------------------------------------------------------------------------
class NameMatcher:
    """`literal_mentions` for one name over many texts: the name's parts are folded once,
    and each text is folded once by the caller (`fold`) and tested cheaply first."""

    def __init__(self, name: str):
        self.parts = [(part, _fold(part)) for part in name_parts(name)]
        self.patterns = [(part, re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")) for part, folded in self.parts
                         if folded]

    fold = staticmethod(lambda text: _fold(text))

    def find(self, folded_text: str) -> list[str]:
        if not any(folded in folded_text for _, folded in self.parts if folded):
            return []
        return [part for part, pattern in self.patterns if pattern.search(folded_text)]


def literal_mentions(text: str, name: str) -> list[str]:
    """Parts of `name` that `text` contains as whole words (case-insensitive, any apostrophe,
    with or without diacritics)."""
    return NameMatcher(name).find(_fold(text))


def _fold(text: str) -> str:
    text = _strip_marks(unicodedata.normalize("NFC", text)).casefold()
    return re.sub(f"[{re.escape(APOSTROPHES)}]", "'", " ".join(text.split()))


# ------------------------------------------------------------------------------------------
# in produced files
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leak:
    name: str  # the hidden person's name (for the report: never printed in a shared output)
    spelling: str
    where: str  # "raw bytes (utf-16-be)", "PDF stream 12 0 R", "page 3 text", ...


def _needles(names: Iterable[str], words: bool = True) -> list[tuple[str, str, "re.Pattern[bytes]", str]]:
    """Byte patterns per spelling and encoding. A single word must not be part of a longer
    ASCII word ('Koval' does not match 'Kovalenko'); several words match anywhere.
    `words=False` leaves single words out (for bytes that hold the templates' own CSS)."""
    needles = []
    for name in names:
        for spelling in variants(name):
            single = " " not in spelling
            if single and not words and spelling != name.strip():
                continue
            for encoding in ("utf-8", "utf-16-be", "utf-16-le", "latin-1"):
                try:
                    raw = spelling.encode(encoding)
                except UnicodeEncodeError:
                    continue
                pattern = re.escape(raw)
                if single:
                    pattern = rb"(?<![A-Za-z0-9])" + pattern + rb"(?![A-Za-z0-9])" if encoding in ("utf-8", "latin-1") \
                        else pattern
                needles.append((name, spelling, re.compile(pattern, re.IGNORECASE), encoding))
    return needles


@lru_cache(maxsize=16)
def _compiled(names: tuple[str, ...], words: bool = True):
    needles = _needles(names, words)
    # one combined pattern finds quickly whether anything matches at all
    combined = re.compile(b"|".join(p.pattern for _, _, p, _ in needles), re.IGNORECASE) if needles else None
    return needles, combined


def scan_bytes(data: bytes, names: Iterable[str], where: str, words: bool = True) -> list[Leak]:
    needles, combined = _compiled(tuple(names), words)
    if combined is None or not combined.search(data):
        return []
    return [Leak(name, spelling, f"{where} ({encoding})")
            for name, spelling, pattern, encoding in needles if pattern.search(data)]


@lru_cache(maxsize=16)
def _folded_parts(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_fold(part) for name in names for part in name_parts(name))


def scan_text(text: str, names: Iterable[str], where: str) -> list[Leak]:
    names = tuple(names)
    folded = _fold(text)
    if not any(part in folded for part in _folded_parts(names)):  # cheap test first
        return []
    found = []
    for name in names:
        found += [Leak(name, part, where) for part in literal_mentions(text, name)]
    return found


def scan_file(path: Path, names: list[str]) -> list[Leak]:
    return scan_data(path.read_bytes(), names)


def scan_data(data: bytes, names: list[str]) -> list[Leak]:
    if not names:
        return []
    if data.startswith(b"%PDF"):
        return scan_pdf(data, names)
    return scan_html(data, names)


def scan_html(data: bytes, names: list[str]) -> list[Leak]:
    # The file holds the dossier's own CSS, whose words ('column', 'grid') may be a name's
    # single parts: whole names are looked for in every byte, single words in the document
    # without its <style> (tags, attributes and text).
    leaks = scan_bytes(data, names, "HTML bytes", words=False)
    text = data.decode("utf-8", "replace")
    without_style = re.sub(r"(?is)<style\b.*?</style\s*>", " ", text)
    leaks += scan_bytes(without_style.encode("utf-8"), names, "HTML without its stylesheet")
    leaks += scan_text(html_lib.unescape(without_style), names, "HTML text (entities decoded)")
    leaks += scan_text(re.sub(r"<[^>]+>", " ", html_lib.unescape(without_style)), names, "HTML text without tags")
    for i, match in enumerate(re.finditer(r"data:[^;,\"']*;base64,([A-Za-z0-9+/=\s]+)", text)):
        try:
            blob = base64.b64decode(match.group(1))
        except ValueError:
            continue
        leaks += scan_bytes(blob, names, f"HTML data: URI {i + 1}")
    return _unique(leaks)


def scan_pdf(data: bytes, names: list[str]) -> list[Leak]:
    import io

    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject

    leaks = scan_bytes(data, names, "PDF raw bytes")
    reader = PdfReader(io.BytesIO(data))
    seen: set[int] = set()

    def walk(obj, where: str, depth: int = 0) -> Iterator[Leak]:
        if depth > 64:
            return
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            where = f"PDF object {obj.idnum} {obj.generation} R"
            obj = obj.get_object()
        if isinstance(obj, StreamObject):
            try:
                yield from scan_bytes(obj.get_data(), names, f"{where} stream (decoded)")
            except Exception:  # an undecodable stream: scanned raw below
                pass
            yield from scan_bytes(obj._data or b"", names, f"{where} stream (raw)")
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                yield from walk(value, where, depth + 1)
        elif isinstance(obj, ArrayObject):
            for value in obj:
                yield from walk(value, where, depth + 1)
        elif isinstance(obj, TextStringObject):
            yield from scan_text(str(obj), names, f"{where} string")
        elif isinstance(obj, bytes):
            yield from scan_bytes(bytes(obj), names, f"{where} string")

    leaks += list(walk(reader.trailer, "PDF trailer"))
    # objects no other object refers to are still bytes of the file: visit every id
    for idnum in range(1, int(reader.trailer.get("/Size", 0))):
        if idnum not in seen:
            try:
                leaks += list(walk(IndirectObject(idnum, 0, reader), "PDF object"))
            except Exception:  # a free or broken entry: its raw bytes were scanned above
                continue
    for index, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        leaks += scan_text(text, names, f"page {index} text")
        # table cells hyphenate (CSS hyphens: auto): a name split "Petren-" / "ko" at a line end
        # is looked for joined too
        joined = _HYPHEN_BREAK.sub("", text)
        if joined != text:
            leaks += scan_text(joined, names, f"page {index} text (hyphenation undone)")
    if reader.metadata:
        leaks += scan_text(" ".join(str(v) for v in reader.metadata.values()), names, "PDF metadata")
    for name, contents in reader.attachments.items():
        leaks += scan_text(name, names, "attachment name")
        for content in contents:
            leaks += scan_bytes(content, names, f"attachment {name}")
    return _unique(leaks)


_HYPHEN_BREAK = re.compile("[-\u2010\u00ad]\\s*\n\\s*")


def _unique(leaks: list[Leak]) -> list[Leak]:
    return list(dict.fromkeys(leaks))
