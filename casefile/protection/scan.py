"""Looking for hidden names in anything casefile writes or sends: text, HTML, PDF, files.

One `Scanner` per edition (or per filing body) holds the `NameIndex` of the persons it hides
and reports `Leak`s by person id, rule and place, never by name:

- **text** (file names, commit messages, a checklist): every word, as `NameIndex.find` reads it;
- **HTML**: the text with tags removed (inline tags such as `<em>` joined without a space, so
  "Ol<em>en</em>a" is "Olena"), every attribute value, character references decoded, the
  string literals of `<style>` with CSS escapes decoded, comments, and every `data:` URI
  decoded and read as a file;
- **PDF**: every string object (metadata, bookmarks, link targets, alternate and actual
  text, attachment names) in the file and in every compressed stream, the XMP metadata, and
  the embedded files read as files. `thorough=True` (check-leaks, exhibits) also reads the
  text of every page (pypdf's text extraction, which is how subset fonts are read) and every
  stream's printable strings; a dossier casefile renders does not need it, because its
  page text is the HTML it came from, which is scanned first;
- **files** (exhibits, attachments): whatever `extract` reads from them; parts it cannot
  read reliably are reported as `Unreadable`.

A hit on a word of casefile's own text (templates, translations, the legal catalog) or on a
word the case declares not to be the person (`false_matches`) is not a leak: both are passed
in as `ignore` and only consulted when something is found.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from casefile.protection.names import Hit, NameIndex

if TYPE_CHECKING:
    from casefile.protection.extract import Piece, Unreadable


@dataclass(frozen=True)
class Leak:
    person: str  # id of the person named
    rule: str
    where: str

    def describe(self) -> str:
        return f"{self.person} in {self.where} ({self.rule})"


class Scanner:
    def __init__(self, index: NameIndex, ignore: Callable[[Hit], bool] | None = None):
        self.index = index
        self.ignore = ignore

    def __bool__(self) -> bool:
        return bool(self.index)

    # ---- text ----
    def text(self, text: str, where: str) -> list[Leak]:
        if not self.index or not text:
            return []
        hits = self.index.find(text)
        if hits and self.ignore is not None:
            hits = [h for h in hits if not self.ignore(h)]
        rules: dict[str, str] = {}  # one leak per person here, with the plainest rule that matched
        for hit in hits:
            if hit.person not in rules or len(hit.rule) < len(rules[hit.person]):
                rules[hit.person] = hit.rule
        return [Leak(person, rule, where) for person, rule in rules.items()]

    def texts(self, pieces: Iterable[tuple[str, str]]) -> list[Leak]:
        return _unique(leak for where, text in pieces for leak in self.text(text, where))

    # ---- documents ----
    def document(self, data: bytes, where: str = "file", *, thorough: bool = False) -> list[Leak]:
        """A PDF or an HTML document casefile wrote (or any other bytes, read as a file)."""
        if data.startswith(b"%PDF"):
            return self.pdf(data, where, thorough=thorough)
        head = data[:512].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html")):
            return self.html(data.decode("utf-8", "replace"), where)
        return self.data(data, where)[0]

    def html(self, html: str, where: str = "HTML") -> list[Leak]:
        if not self.index:
            return []
        leaks = self.texts(_html_texts(html, where))
        for i, match in enumerate(_DATA_URI.finditer(html), start=1):
            try:
                blob = base64.b64decode(re.sub(r"\s+", "", match.group(1)), validate=False)
            except ValueError:
                continue
            leaks += self.data(blob, f"{where} data: URI {i}")[0]
        return _unique(leaks)

    def pdf(self, data: bytes, where: str = "PDF", *, thorough: bool = False) -> list[Leak]:
        if not self.index:
            return []
        leaks = self.texts(_pdf_texts(data, where, thorough))
        for i, blob in enumerate(_embedded_files(data), start=1):
            leaks += self.data(blob, f"{where} embedded file {i}")[0]
        if thorough:
            leaks += self.texts(_pdf_page_texts(data, where))
        return _unique(leaks)

    # ---- files ----
    def file(self, path: Path, where: str | None = None) -> tuple[list[Leak], list[Unreadable]]:
        """(leaks, unreadable parts) of a file, read in chunks (constant memory)."""
        from casefile.protection import extract

        return self._pieces(extract.extract(path), where or path.name)

    def data(self, data: bytes, where: str) -> tuple[list[Leak], list[Unreadable]]:
        from casefile.protection import extract

        return self._pieces(extract.extract_bytes(data, label=where), where)

    def _pieces(self, pieces: Iterator[Piece | Unreadable], where: str) -> tuple[list[Leak], list[Unreadable]]:
        from casefile.protection.extract import Unreadable

        leaks: list[Leak] = []
        unreadable: list[Unreadable] = []
        for piece in pieces:
            if isinstance(piece, Unreadable):
                unreadable.append(piece)
            elif self.index:
                leaks += self.text(piece.text, f"{where}: {piece.where}")
        return _unique(leaks), unreadable


@lru_cache(maxsize=8)
def own_words(folders: tuple[Path, ...]) -> frozenset[str]:
    """The word keys of casefile's own text in these folders (templates, stylesheets,
    translations, the legal catalog): a hidden name's form that is also such a word ("Mark",
    "Roman") cannot be told from it in a produced file, so it is looked for only in case text
    (validation) and in what a dossier's view shows."""
    from casefile.protection.normalize import words

    found: set[str] = set()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".j2", ".css", ".js", ".po", ".yaml", ".html") and path.is_file():
                text = words(path.read_text(encoding="utf-8", errors="replace"))
                found.update(text.keys, text.cyrillic)
    return frozenset(found)


def refuse(leaks: list[Leak], what: str) -> None:
    """Stop (nothing is written) when a scan found a hidden person's name in `what`."""
    if leaks:
        from casefile.core.errors import CheckFailed

        where = sorted({leak.describe() for leak in leaks})
        raise CheckFailed(f"the {what.lower()} would contain the name of a person it must hide "
                          f"({'; '.join(where[:5])}{'; …' if len(where) > 5 else ''}); nothing was written",
                          "write the person as @id everywhere, and protect relatives who share the name")


def _unique(leaks: Iterable[Leak]) -> list[Leak]:
    return list(dict.fromkeys(leaks))


# ------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------
_INLINE_TAGS = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s",
                "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "del", "ins"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_ATTRIBUTE = re.compile(r"""[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_STYLE = re.compile(r"(?is)<style\b[^>]*>(.*?)</style\s*>")
_SCRIPT = re.compile(r"(?is)<script\b[^>]*>(.*?)</script\s*>")
_COMMENT = re.compile(r"(?s)<!--(.*?)-->")
_CSS_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""", re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6})\s?|\\(.)", re.S)
_DATA_URI = re.compile(r"data:[^;,\"'\s]*;base64,([A-Za-z0-9+/=\s]+)")


def _css_unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(replace, text)


def _html_texts(html: str, where: str) -> Iterator[tuple[str, str]]:
    styles = [_css_unescape(a or b) for css in _STYLE.findall(html) for a, b in _CSS_STRING.findall(css)]
    if styles:
        yield f"{where} stylesheet strings", "\n".join(styles)
    scripts = _SCRIPT.findall(html)
    if scripts:
        yield f"{where} scripts", html_lib.unescape("\n".join(scripts))
    comments = _COMMENT.findall(html)
    if comments:
        yield f"{where} comments", "\n".join(comments)
    body = _COMMENT.sub(" ", _SCRIPT.sub(" ", _STYLE.sub(" ", html)))
    attributes: list[str] = []

    def tag(match: re.Match[str]) -> str:
        attributes.extend(a or b or c for a, b, c in _ATTRIBUTE.findall(match.group(3)))
        return "" if match.group(2).lower() in _INLINE_TAGS else " "

    yield f"{where} text", html_lib.unescape(_TAG.sub(tag, body))
    if attributes:
        yield f"{where} attributes", html_lib.unescape("\n".join(attributes))


# ------------------------------------------------------------------------------------------
# PDF, read fast: strings and metadata of the file and of every stream
# ------------------------------------------------------------------------------------------
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_LITERAL = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)", re.S)
_HEX = re.compile(rb"<(FEFF|feff|EFBBBF|efbbbf)([0-9A-Fa-f\s]*)>")
_LITERAL_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")",
            b"\\": b"\\", b"\n": b"", b"\r": b""}
_DICT_BEFORE = 2048


def _streams(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(dictionary text before it, inflated content) of every stream, without a PDF parser."""
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - _DICT_BEFORE):match.start()]
        head = head[head.rfind(b" obj") + 1:] if b" obj" in head else head
        if b"/FlateDecode" not in head and b"/Filter" in head:
            continue  # DCT images and other filters: no text
        body = memoryview(data)[match.end():]
        if b"/FlateDecode" in head:
            try:
                yield head, zlib.decompressobj().decompress(body, 64 * 1024 * 1024)
            except zlib.error:
                continue
        else:
            end = data.find(b"endstream", match.end())
            yield head, data[match.end():end if end >= 0 else match.end()]


def _decode_pdf_string(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")  # PDFDocEncoding differs from Latin-1 only in punctuation


def _literal(raw: bytes) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        escape = match.group(1)
        if escape[:1] in b"01234567":
            return bytes([int(escape, 8) & 0xFF])
        return _ESCAPES.get(escape, escape)

    return _LITERAL_ESCAPE.sub(replace, raw[1:-1])


def _strings(buffer: bytes) -> list[str]:
    out = [_decode_pdf_string(_literal(m.group(0))) for m in _LITERAL.finditer(buffer)]
    for match in _HEX.finditer(buffer):
        digits = re.sub(rb"\s", b"", match.group(2))
        try:
            raw = bytes.fromhex((match.group(1) + digits).decode("ascii") + ("0" if len(digits) % 2 else ""))
        except ValueError:
            continue
        out.append(_decode_pdf_string(raw))
    return out


def _outside_streams(data: bytes) -> bytes:
    """The file without its stream bodies (objects, dictionaries, the trailer)."""
    parts, position = [], 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue
        parts.append(data[position:match.start()])
        end = data.find(b"endstream", match.end())
        position = end + len(b"endstream") if end >= 0 else len(data)
    parts.append(data[position:])
    return b"".join(parts)


def _pdf_texts(data: bytes, where: str, thorough: bool) -> Iterator[tuple[str, str]]:
    yield f"{where} strings", "\n".join(_strings(_outside_streams(data)))
    for i, (head, content) in enumerate(_streams(data), start=1):
        if b"/FontFile" in head or b"/Length1" in head or b"/Subtype /Image" in head or b"/Subtype/Image" in head:
            continue  # font programs and images carry no text casefile put there
        if b"/Type /Metadata" in head or b"/Type/Metadata" in head or b"<x:xmpmeta" in content[:4096]:
            text = content.decode("utf-8", "replace")
            yield f"{where} XMP metadata", html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
            continue
        strings = _strings(content)
        if strings:
            yield f"{where} stream {i} strings", "\n".join(strings)
        if thorough:
            printable = b"\n".join(re.findall(rb"[\x20-\x7e\t\r\n]{4,}", content))
            yield f"{where} stream {i} bytes", printable.decode("ascii")


def _embedded_files(data: bytes) -> Iterator[bytes]:
    for head, content in _streams(data):
        if b"/EmbeddedFile" in head:
            yield content


def _pdf_page_texts(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            yield f"{where} page {number} text", text
            # table cells hyphenate: a name split "Petren-" / "ko" at a line end is read joined too
            joined = _HYPHEN_BREAK.sub("", text)
            if joined != text:
                yield f"{where} page {number} text (hyphenation undone)", joined
        for key, value in (reader.metadata or {}).items():
            yield f"{where} metadata {key}", str(value)
    except Exception as exc:  # a PDF pypdf cannot read: its strings and streams were read above
        yield f"{where} (page text unreadable: {type(exc).__name__})", ""


_HYPHEN_BREAK = re.compile("[-\u2010\u00ad]\\s*\n\\s*")


def scan_path(scanner: Scanner, path: Path) -> list[Leak]:
    """Every file under `path` (or the file itself), thoroughly, and every file name. A path
    may itself be the leak, so files are reported by their place in sorted order."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    leaks: list[Leak] = []
    for number, one in enumerate(files, start=1):
        where = f"file {number} of {len(files)} (sorted)" if path.is_dir() else "the file"
        leaks += scanner.text(one.relative_to(path).as_posix() if path.is_dir() else one.name, f"name of {where}")
        try:
            data = one.read_bytes()
        except OSError as exc:
            from casefile.core.errors import UsageError

            raise UsageError(f"cannot read {one}: {exc.strerror or exc}") from None
        leaks += scanner.document(data, where, thorough=True)
    return list(dict.fromkeys(leaks))
