"""Every piece of human-readable text in an evidence file ("exhibit"), for the protected-name scan.

`extract(path)` and `extract_bytes(data)` yield `Piece`s (a text of at most CHUNK_CHARS, and
where in the file it came from) and `Unreadable`s (a part whose text cannot be read reliably,
and why). `where` holds indexes ("zip member 3 > page 2 text"), never names found in the file.
Nothing is matched here: the scanner looks for the names in the Pieces.

They never raise for bad input and never execute or fetch anything. Memory stays bounded
whatever the file size: files are read in chunks, nested content (members, decompressed
streams, attachments) goes to temporary files, long texts are cut into overlapping Pieces, and
`Limits` caps nesting, total unpacked bytes (zip bombs), archive entries and PDF pages.

The format is recognised from the content, never from the file name. What is read:
- plain text: UTF-8, UTF-16 and UTF-32 (with or without BOM); other bytes as each of cp1251,
  KOI8-U and Latin-1 (and a charset the file declares): a guess would miss the others. HTML and
  XML also without tags (inline tags like <b> and DOCX/ODF runs removed without a space, so a
  name split by them reads whole) and with entities decoded; base64 data: URIs opened as files;
  JSON \\u escapes and URL %-escapes decoded;
- RTF: the text of every group (document info included), \\' escapes in the document's and the
  fonts' code pages, \\u escapes; embedded pictures and objects opened as files;
- e-mail (RFC 822, .eml, mbox): every header (RFC 2047 decoded), every text part in its charset
  (and as the legacy encodings when it is missing or may be wrong), attachment names, every
  attachment opened as a file. A message over 32 MiB is read as plain text only (Unreadable);
- ZIP (DOCX/XLSX/PPTX, ODT/ODS/ODP, EPUB, plain; also truncated ones), tar, gzip, bzip2, xz:
  member names and comments, every member opened as a file;
- PDF (pypdf): page text, document info, XMP, bookmarks, annotations, form fields, embedded
  files. A page drawing text with a font that has no text map (ToUnicode) and no standard
  encoding is Unreadable; so is a PDF that needs a password;
- images (JPEG, PNG, GIF, WebP, TIFF): EXIF (XP* tags, UserComment), XMP, IPTC, JPEG and GIF
  comments, PNG tEXt/zTXt/iTXt chunks;
- audio and video: ID3 (MP3, WAV, AIFF), Vorbis comments (FLAC, Ogg), WMA/ASF and APE tags
  (mutagen); MP4/M4A/MOV/3GP tags; RIFF INFO (WAV, AVI); Matroska/WebM titles, tags and
  attachments; embedded cover pictures and files opened as files;
- a format none of the above reads (and one whose reader failed): the printable strings of the
  raw bytes, like `strings`, in UTF-8, UTF-16 (both byte orders) and legacy Cyrillic (cp1251,
  KOI8-U). A format that is read is not searched this way: outside the places its reader looks,
  it holds compressed payload (pixels, sound, deflated streams), whose "strings" are noise in
  which a short name turns up by chance in any large video.
What is not read: text drawn inside pictures or scanned pages (no OCR), speech in audio and
video, the content of other formats (old binary Office and Outlook files, 7-Zip, RAR,
Zstandard: only their raw strings, and an Unreadable says so; an unrecognised format likewise),
encrypted content (Unreadable).
"""

from __future__ import annotations

import base64
import binascii
import bz2
import codecs
import functools
import gzip
import html
import io
import itertools
import logging
import lzma
import os
import re
import stat
import struct
import tempfile
import urllib.parse
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator


@dataclass(frozen=True)
class Piece:
    where: str  # where in the file the text comes from: indexes only, never names found in the file
    text: str  # at most CHUNK_CHARS characters


@dataclass(frozen=True)
class Unreadable:
    where: str
    reason: str  # one line


@dataclass(frozen=True)
class Limits:
    max_depth: int = 4  # containers inside containers (zip in zip, e-mail attachment in zip, ...)
    max_expanded_bytes: int = 512 * 2**20  # total bytes unpacked from all containers of one file
    max_members: int = 10_000  # entries of one archive
    max_pdf_pages: int = 5_000


CHUNK_CHARS = 1 << 20  # 1 Mi characters per Piece
OVERLAP_CHARS = 256  # consecutive chunks of one long text overlap by this many characters, so a
# name split across a chunk boundary is still seen whole in one chunk

Item = Piece | Unreadable

READ_BYTES = 1 << 20  # files are read this much at a time
HEAD_BYTES = 64 << 10  # the start of a file, for recognising its format
SPOOL_MEMORY = 4 << 20  # nested content larger than this goes to a temporary file
MAX_VALUE_BYTES = 16 << 20  # one metadata value (an EXIF tag, a PNG chunk) read into memory
MAX_EMAIL_BYTES = 32 << 20  # the stdlib e-mail parser holds a message in memory: larger ones are read as text
MAX_STRUCTURES = 100_000  # segments, chunks, boxes, IFD entries, parts walked in one file
LEGACY = ("cp1251", "koi8_u", "latin-1")  # 8-bit encodings tried when bytes are not UTF-8
_SHOWN = {"cp1251": "cp1251", "koi8_u": "koi8-u", "latin-1": "latin-1", "cp866": "cp866"}


def extract(path: Path, *, limits: Limits = Limits()) -> Iterator[Piece | Unreadable]:
    """Text of the file at `path` (see the module docstring). Streams: memory does not grow
    with the file's size."""
    ctx = _Ctx(limits, _Budget(limits.max_expanded_bytes))
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            yield Unreadable(ctx.whole, "not a regular file: not read")
            return
        handle = open(path, "rb")
    except OSError as error:
        yield Unreadable(ctx.whole, f"the file cannot be opened ({type(error).__name__})")
        return
    with handle:
        yield from _extract_file(handle, info.st_size, ctx)


def extract_bytes(data: bytes, *, label: str = "file", limits: Limits = Limits()) -> Iterator[Piece | Unreadable]:
    """Text of `data` (see the module docstring). `label` names the whole input in the `where`
    of items about all of it (e.g. an unknown format); keep file names out of it."""
    ctx = _Ctx(limits, _Budget(limits.max_expanded_bytes), label=label)
    yield from _extract_file(io.BytesIO(data), len(data), ctx)


# ------------------------------------------------------------------------------------------
# context, limits, errors, files
# ------------------------------------------------------------------------------------------
class _Unreadable(Exception):
    """Raised inside a reader: the part it reads becomes an Unreadable with this reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _LimitReached(_Unreadable):
    """The expansion budget of the whole file is used up: nothing more is unpacked."""


def _human(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


class _Budget:
    """Bytes that may still be unpacked from the containers of one file (shared by all levels)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.left = limit

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise _LimitReached(f"the file unpacks to more than {_human(self.limit)} (the limit): "
                                "the rest was not read")


@dataclass(frozen=True)
class _Ctx:
    limits: Limits
    budget: _Budget
    depth: int = 0
    prefix: str = ""  # where this content sits in the top-level file ("zip member 3"); "" at the top
    label: str = "file"

    def at(self, local: str) -> str:
        return f"{self.prefix} > {local}" if self.prefix else local

    @property
    def whole(self) -> str:
        return self.prefix or self.label

    def inner(self, local: str) -> _Ctx:
        return replace(self, depth=self.depth + 1, prefix=self.at(local))

    @property
    def can_open_members(self) -> bool:
        return self.depth < self.limits.max_depth


def _too_deep(ctx: _Ctx) -> Unreadable:
    return Unreadable(ctx.whole, f"nested more than {ctx.limits.max_depth} containers deep: its content was not opened")


def _guard(items: Iterator[Item], where: str, what: str):
    """Items of a reader; an exception becomes an Unreadable (for bad input nothing may raise).
    Returns what the reader returns (None when it failed)."""
    try:
        return (yield from items)
    except _Unreadable as error:
        yield Unreadable(where, error.reason)
    except RecursionError:
        yield Unreadable(where, f"{what} is nested too deeply to be read")
    except MemoryError:
        yield Unreadable(where, f"{what} is too large to be read")
    except Exception as error:  # a parser's bug or a malformed file: never out of the generator
        yield Unreadable(where, f"{what} could not be read ({type(error).__name__})")
    return None


class _Window(io.RawIOBase):
    """A read-only view of `length` bytes of `base` from `start` (a tar or stored zip member,
    a PDF attachment), so members are read without copying them."""

    def __init__(self, base: IO[bytes], start: int, length: int):
        super().__init__()
        self._base, self._start, self._length, self._pos = base, start, max(0, length), 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        origin = {0: 0, 1: self._pos, 2: self._length}[whence]
        self._pos = max(0, origin + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self._length - self._pos)
        if n <= 0:
            return 0
        self._base.seek(self._start + self._pos)
        data = self._base.read(n)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


def _window(base: IO[bytes], start: int, length: int) -> IO[bytes]:
    """A buffered _Window: readers that read a few bytes at a time (lines, headers) stay fast."""
    return io.BufferedReader(_Window(base, start, length), 1 << 16)


class _Spool:
    """Unpacked content being written: in memory while small, then in a temporary file. The
    budget is charged for every byte written."""

    def __init__(self, budget: _Budget):
        self.file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY, prefix="casefile-extract-")
        self.size = 0
        self._budget = budget

    @classmethod
    def view(cls, base: IO[bytes], start: int, length: int) -> _Spool:
        """Content that is a stretch of `base` as it is (a stored member): not copied."""
        spool = cls.__new__(cls)
        spool.file, spool.size, spool._budget = _window(base, start, length), length, None
        return spool

    def write(self, data: bytes) -> None:
        if data:
            self._budget.take(len(data))
            self.file.write(data)
            self.size += len(data)

    def close(self) -> None:
        self.file.close()


def _chunks(f: IO[bytes], start: int = 0, length: int | None = None, size: int = READ_BYTES) -> Iterator[bytes]:
    """`length` bytes of `f` from `start` (to the end when None), `size` at a time. Seeks before
    every read, so the caller may use `f` in between."""
    pos, left = start, length
    while left is None or left > 0:
        f.seek(pos)
        data = f.read(size if left is None else min(size, left))
        if not data:
            return
        pos += len(data)
        if left is not None:
            left -= len(data)
        yield data


def _read_at(f: IO[bytes], offset: int, n: int) -> bytes:
    f.seek(offset)
    return f.read(n)


# ------------------------------------------------------------------------------------------
# text into Pieces
# ------------------------------------------------------------------------------------------
class _Chunker:
    """Cuts one long text into Pieces of at most CHUNK_CHARS that overlap by OVERLAP_CHARS.
    `feed` and `close` return the Pieces that are complete."""

    def __init__(self, where: str):
        self.where = where
        self._parts: list[str] = []
        self._size = 0
        self._fresh = 0  # characters not yet in any Piece

    def feed(self, text: str) -> list[Piece]:
        if not text:
            return []
        self._parts.append(text)
        self._size += len(text)
        self._fresh += len(text)
        if self._size < CHUNK_CHARS:
            return []
        whole, start, out = "".join(self._parts), 0, []
        while len(whole) - start >= CHUNK_CHARS:
            chunk = whole[start : start + CHUNK_CHARS]
            if not chunk.isspace():
                out.append(Piece(self.where, chunk))
            start += CHUNK_CHARS - OVERLAP_CHARS
        rest = whole[start:]
        self._parts, self._size, self._fresh = [rest], len(rest), max(0, len(rest) - OVERLAP_CHARS)
        return out

    def close(self) -> list[Piece]:
        text = "".join(self._parts)
        fresh = self._fresh
        self._parts, self._size, self._fresh = [], 0, 0
        if fresh and text.strip():
            return [Piece(self.where, text)]
        return []


def _pieces(where: str, text: str) -> list[Piece]:
    chunker = _Chunker(where)
    return chunker.feed(text) + chunker.close()


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _variants(data: bytes, legacy: Iterable[str] = LEGACY) -> list[tuple[str, str]]:
    """(suffix for `where`, text) of a short byte string: as UTF-8 (or UTF-16 with a BOM) when
    valid, otherwise as each legacy encoding: guessing one would miss the others."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and len(data) % 2 == 0:
        return [("", data.decode("utf-16", "replace"))]
    if _is_utf8(data):
        return [("", data.decode("utf-8"))]
    return [(f" (as {_SHOWN.get(enc, enc)})", data.decode(enc, "replace")) for enc in legacy]


def _meta(where: str, value: bytes | str, legacy: Iterable[str] = LEGACY) -> list[Piece]:
    """Pieces of one metadata value (a tag, a header, a name)."""
    if isinstance(value, str):
        return _pieces(where, _clean(value))
    value = value.strip(b"\x00")
    out: list[Piece] = []
    for suffix, text in _variants(value, legacy):
        out += _pieces(where + suffix, text.replace("\x00", "\n"))
    return out


def _clean(text: str) -> str:
    """No lone surrogates (from undecodable bytes) in a Piece."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text


# --- markup: tags removed, entities decoded -------------------------------------------------
# an attempt at a '<' never runs past the next '<' outside quotes, nor far inside them: no
# quadratic time on text full of unfinished tags
_MARKUP = re.compile(
    r"<!\[CDATA\[|\]\]>|<!--|-->"
    r"|<(/?)([A-Za-z_][\w:.\-]*)(?:[^<>\"']|\"[^\"]{0,65536}\"|'[^']{0,65536}')*>"
    r"|<[!?][^<>]*>"
)
# tags that run inside a line of text: removed without a space so 'Ol<b>ena</b>' reads 'Olena'
_INLINE = frozenset(
    "a abbr acronym b bdi bdo big blink cite code data del dfn em font i ins kbd mark nobr q rp rt rtc "
    "ruby s samp small span strike strong sub sup time tt u var wbr "
    # SpreadsheetML rich text (unprefixed): <r><t>Ol</t></r><r><t>ena</t></r>
    "r t rpr rfont sz color family scheme charset condense extend outline shadow vertalign is".split()
)
# in the WordprocessingML (w:), DrawingML (a:) and ODF text (text:) vocabularies everything is
# inline except these, which end a paragraph or a cell
_BLOCK = frozenset(
    "p h tc tr tbl body document hdr ftr footnote endnote comment txbxcontent sectpr list list-item "
    "list-header section note note-body note-citation table table-row table-cell index-body txbody "
    "annotation".split()
)
_SPECIAL_TAGS = {
    "br": "\n", "w:br": "\n", "w:cr": "\n", "a:br": "\n", "text:line-break": "\n", "w:tab": "\t",
    "text:tab": "\t", "w:ptab": "\t", "text:s": " ", "w:nobreakhyphen": "-", "w:softhyphen": "",
    "w:sym": "",
}
_INLINE_PREFIXES = frozenset(("w", "a", "text"))


@functools.lru_cache(maxsize=4096)
def _tag_separator(name: str) -> str:
    lower = name.lower()
    prefix, _, local = lower.rpartition(":")
    if lower in _SPECIAL_TAGS:
        return _SPECIAL_TAGS[lower]
    if prefix in _INLINE_PREFIXES:
        return "\n" if local in _BLOCK else ""
    if not prefix:
        return "" if local in _INLINE else "\n"
    return "\n"


def _markup_separator(match: re.Match) -> str:
    if match.group(2) is not None:
        return _tag_separator(match.group(2))
    token = match.group(0)
    return "" if token in ("<![CDATA[", "]]>") else "\n"


_TAG_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_/!?")
MAX_TAG_CHARS = 64 << 10  # an unfinished tag longer than this is passed on as text


class _TagStripper:
    """Streaming: text with tags removed and entities decoded. A tag or entity cut by a chunk
    boundary is held back until the next chunk."""

    def __init__(self) -> None:
        self._carry = ""

    def feed(self, text: str) -> str:
        buf = self._carry + text
        cut = len(buf)
        lt = buf.rfind("<")
        if lt != -1 and buf.find(">", lt) == -1 and len(buf) - lt < MAX_TAG_CHARS \
                and (lt == len(buf) - 1 or buf[lt + 1] in _TAG_START):
            cut = lt
        amp = buf.rfind("&", 0, cut)
        if amp != -1 and cut - amp <= 32 and buf.find(";", amp, cut) == -1:
            cut = amp
        self._carry = buf[cut:]
        return self._strip(buf[:cut])

    def close(self) -> str:
        text, self._carry = self._carry, ""
        return self._strip(text)

    @staticmethod
    def _strip(text: str) -> str:
        if "<" in text or "]]>" in text or "-->" in text:
            text = _MARKUP.sub(_markup_separator, text)
        return html.unescape(text) if "&" in text else text


class _Unescaper:
    """Streaming: JSON/JavaScript \\uXXXX escapes or URL %XX escapes decoded, for chunks that
    have any (names exported by json.dumps or in links are written this way)."""

    # each starts with a literal, which the regex engine looks for quickly
    _JSON = re.compile(r"\\u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})*")
    _PERCENT = re.compile(r"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")
    _JSON_ONE = re.compile(r"\\u[0-9a-fA-F]{4}")
    _PERCENT_ONE = re.compile(r"%[0-9a-fA-F]{2}")

    def __init__(self, kind: str):
        self.kind = kind
        self._carry = ""

    def feed(self, text: str) -> str:
        buf = self._carry + text
        # escapes at the end wait for the next chunk: the sequence may go on there, and its bytes
        # (UTF-8 of one letter, a surrogate pair) must be decoded together
        json = self.kind == "json"
        one, step = (self._JSON_ONE, 6) if json else (self._PERCENT_ONE, 3)
        cut = buf.rfind("\\u" if json else "%", max(len(buf) - 12, 0))
        if cut == -1:
            cut = len(buf)
        while cut >= step and len(buf) - cut < 4096 and one.fullmatch(buf, cut - step, cut):
            cut -= step
        self._carry = buf[cut:]
        return self._decode(buf[:cut])

    def close(self) -> str:
        text, self._carry = self._carry, ""
        return self._decode(text)

    @staticmethod
    def _json_escapes(match: re.Match) -> str:
        text = match.group(0).encode("ascii").decode("unicode_escape", "replace")
        # a pair of surrogate escapes is one character
        return _clean(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))

    def _decode(self, text: str) -> str:
        if self.kind == "json":
            if "\\u" not in text:
                return ""
            return self._JSON.sub(self._json_escapes, text)
        if "%" not in text or not self._PERCENT.search(text):
            return ""
        return self._PERCENT.sub(lambda m: urllib.parse.unquote(m.group(0), errors="replace"), text)


class _DataUris:
    """Streaming: base64 data: URIs in markup (an inline picture or document), decoded into
    spools to be opened as files. `feed` returns the (number, spool) of those completed."""

    _START = re.compile(r"data:[\w.+/-]{0,100}(?:;[\w.+=-]{0,100}){0,5};base64,", re.I)
    _BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
    _NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")

    def __init__(self, budget: _Budget, limit: int):
        self._budget, self._limit = budget, limit
        self._spool: _Spool | None = None
        self._pending = ""
        self._carry = ""
        self.count = 0

    def feed(self, text: str, final: bool = False) -> list[tuple[int, _Spool]]:
        done: list[tuple[int, _Spool]] = []
        buf, self._carry, pos = self._carry + text, "", 0
        while True:
            if self._spool is not None:
                match = self._BASE64.match(buf, pos)
                self._write(match.group(0))
                pos = match.end()
                if pos == len(buf) and not final:
                    return done
                done.append((self.count, self._finish()))
            match = self._START.search(buf, pos)
            if match is None or self.count >= self._limit:
                if not final:
                    self._carry = buf[max(pos, len(buf) - 120) :]  # a 'data:' cut by the chunk boundary
                return done
            self.count += 1
            self._spool, self._pending, pos = _Spool(self._budget), "", match.end()

    def close(self) -> list[tuple[int, _Spool]]:
        return self.feed("", final=True)

    def _write(self, text: str) -> None:
        self._pending += self._NOT_BASE64.sub("", text)
        usable = len(self._pending) // 4 * 4
        if usable and self._spool is not None:
            self._spool.write(binascii.a2b_base64(self._pending[:usable]))
            self._pending = self._pending[usable:]

    def _finish(self) -> _Spool:
        spool, self._spool = self._spool, None
        assert spool is not None
        if len(self._pending) > 1:
            try:
                spool.write(binascii.a2b_base64(self._pending + "=" * (-len(self._pending) % 4)))
            except binascii.Error:
                pass
        self._pending = ""
        return _rewound(spool)


class _TextSinks:
    """One decoded text stream into Pieces: as is, and (when asked) without tags, with \\u and
    %-escapes decoded."""

    def __init__(self, base: str, suffix: str, markup: bool):
        self._plain = _Chunker(base + suffix)
        self._tags = (_TagStripper(), _Chunker(f"{base} without tags{suffix}")) if markup else None
        self._escapes = [(_Unescaper(kind), _Chunker(f"{base} ({name} decoded){suffix}"))
                         for kind, name in (("json", "\\u escapes"), ("percent", "%-escapes"))]

    def feed(self, text: str) -> list[Piece]:
        out = self._plain.feed(text)
        if self._tags:
            stripper, chunker = self._tags
            out += chunker.feed(stripper.feed(text))
        for unescaper, chunker in self._escapes:
            out += chunker.feed(unescaper.feed(text))
        return out

    def close(self) -> list[Piece]:
        out = self._plain.close()
        if self._tags:
            stripper, chunker = self._tags
            out += chunker.feed(stripper.close()) + chunker.close()
        for unescaper, chunker in self._escapes:
            out += chunker.feed(unescaper.close()) + chunker.close()
        return out


# ------------------------------------------------------------------------------------------
# recognising the format
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Kind:
    name: str
    note: str | None = None  # an Unreadable reason for the whole input
    encoding: str | None = None  # for text


_UNSUPPORTED = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office or Outlook (OLE2) document"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard-compressed data"),
    (b"MSCF\x00\x00\x00\x00", "a Microsoft Cabinet archive"),
    (b"\x04\x22\x4d\x18", "LZ4-compressed data"),
    (b"\x1f\x9d", "Unix-compressed (.Z) data"),
)
_AUDIO_MAGIC = (b"ID3", b"fLaC", b"OggS", b"MAC ", b"wvpk", b"MPCK", b"MP+", b"TTA1", b"DSD ",
                b"0&\xb2u\x8ef\xcf\x11\xa6\xd9\x00\xaa\x00b\xcel")
_BMFF_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot")
_EMAIL_HEADER = re.compile(rb"([!-9;-~]{1,76}):[ \t]?[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*")
_EMAIL_STRONG = frozenset((b"received", b"return-path", b"mime-version", b"message-id", b"delivered-to",
                           b"dkim-signature", b"x-mailer", b"content-transfer-encoding", b"x-originating-ip",
                           b"authentication-results", b"in-reply-to", b"references", b"x-mozilla-status"))
_EMAIL_WEAK = frozenset((b"subject", b"to", b"date", b"cc", b"reply-to", b"sender", b"content-type"))
# bytes that do not occur in text: controls other than \t \n \v \f \r and ESC
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def _sniff(head: bytes, f: IO[bytes], size: int) -> _Kind:
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return _Kind("pdf")
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _Kind("zip")
    if head.startswith(b"\x1f\x8b"):
        return _Kind("gzip")
    if head.startswith(b"BZh") and head[3:4].isdigit():
        return _Kind("bzip2")
    if head.startswith(b"\xfd7zXZ\x00"):
        return _Kind("xz")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _Kind("png")
    if head.startswith(b"\xff\xd8\xff"):
        return _Kind("jpeg")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _Kind("gif")
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return _Kind("tiff")
    if head[:4] in (b"RIFF", b"RF64") and len(head) >= 12:
        return _Kind("riff")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _Kind("mkv")
    if head[4:8] in _BMFF_BOXES:
        return _Kind("bmff")
    if head.startswith(_AUDIO_MAGIC) or (head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC")):
        return _Kind("audio")
    if head.startswith(b"{\\rtf"):
        return _Kind("rtf")
    if head[257:262] == b"ustar":
        return _Kind("tar")
    for magic, what in _UNSUPPORTED:
        if head.startswith(magic):
            return _Kind("unsupported", f"{what}: its content cannot be read reliably (only its raw strings were read)")
    if _is_picture_without_text(head, size):
        return _Kind("picture")
    if _is_font(head):
        return _Kind("font")  # its names (designer, copyright) are in its raw strings
    encoding = _text_encoding(head)
    if encoding is not None:
        if encoding == "utf-8" and _looks_like_email(head):
            return _Kind("email")
        return _Kind("text", encoding=encoding)
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return _Kind("audio")  # an MPEG audio frame; the audio reader says when it is not one
    if _zip_end(f, size) is not None:
        return _Kind("zip")  # a zip after other data (self-extracting archives)
    return _Kind("unknown", "unknown format: its text cannot be read reliably")


def _is_picture_without_text(head: bytes, size: int) -> bool:
    """BMP, WMF and EMF pictures: no metadata to read (their raw strings still are)."""
    if head.startswith(b"BM") and len(head) >= 18:
        (declared,), (header,) = struct.unpack("<I", head[2:6]), struct.unpack("<I", head[14:18])
        return head[6:10] == b"\x00" * 4 and header in (12, 40, 52, 56, 64, 108, 124) and declared <= size + 4
    if head.startswith(b"\xd7\xcd\xc6\x9a") or head[:6] in (b"\x01\x00\x09\x00\x00\x03", b"\x02\x00\x09\x00\x00\x03"):
        return True
    return head.startswith(b"\x01\x00\x00\x00") and head[40:44] == b" EMF"


_FONT_TABLES = frozenset((b"OS/2", b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name",
                          b"post", b"cvt ", b"fpgm", b"prep", b"GDEF", b"GPOS", b"GSUB", b"CFF ", b"kern", b"gasp"))


def _is_font(head: bytes) -> bool:
    """TrueType/OpenType/WOFF, also the obfuscated fonts of DOCX (first 32 bytes scrambled): its
    table directory names known tables."""
    if head[:4] in (b"OTTO", b"wOFF", b"wOF2", b"ttcf"):
        return True
    tags = [head[at : at + 4] for at in range(12, min(len(head), 12 + 16 * 32), 16)]
    return sum(tag in _FONT_TABLES for tag in tags) >= 4


def _text_encoding(head: bytes) -> str | None:
    """The encoding to read a text file with, or None when the bytes are not text. 8-bit text
    answers 'utf-8'; the reader falls back to the legacy encodings when it is not valid UTF-8."""
    if head.startswith((b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")):
        return "utf-32"
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xfe\xff", b"\xff\xfe")):
        return "utf-16"
    sample = head[:HEAD_BYTES]
    if b"\x00" not in sample:
        controls = len(sample.translate(None, _TEXT_BYTES))
        if controls <= len(sample) // 100:
            return "utf-8"
        return _utf16_without_nuls(sample)
    for encoding in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        if _nul_pattern(sample, encoding) and _plausible_text(sample, encoding):
            return encoding
    return None


def _nul_pattern(sample: bytes, encoding: str) -> bool:
    if encoding.startswith("utf-32"):
        n = len(sample) // 4 * 4
        zero = (2, 3) if encoding.endswith("le") else (0, 1)
        return n >= 8 and all(not sample[i:n:4].strip(b"\x00") for i in zero)
    n = len(sample) // 2 * 2
    high, low = (sample[1:n:2], sample[0:n:2]) if encoding.endswith("le") else (sample[0:n:2], sample[1:n:2])
    high_nuls, low_nuls = high.count(0), low.count(0)
    return n >= 4 and high_nuls >= 0.9 * (high_nuls + low_nuls) and high_nuls >= len(high) * 0.05


def _utf16_without_nuls(sample: bytes) -> str | None:
    """UTF-16 text in one non-Latin script (Cyrillic: every high byte 0x04) has no NUL bytes:
    its high bytes take one or two values."""
    n = len(sample) // 2 * 2
    if n < 8:
        return None
    for encoding, high in (("utf-16-le", sample[1:n:2]), ("utf-16-be", sample[0:n:2])):
        common = Counter(high).most_common(2)
        if sum(count for _, count in common) >= 0.9 * len(high) and _plausible_text(sample, encoding):
            return encoding
    return None


def _plausible_text(sample: bytes, encoding: str) -> bool:
    unit = 4 if "32" in encoding else 2
    text = sample[: len(sample) // unit * unit].decode(encoding, "replace")
    if not text or not any(c.isalpha() for c in text):
        return False
    bad = sum(1 for c in text if not (c.isprintable() or c in "\t\n\r\f\v") or c == "\ufffd")
    return bad <= len(text) * 0.02


def _looks_like_email(head: bytes) -> bool:
    """Headers from the first byte: a mbox 'From ' line, or header lines with a name only mail
    has (Received:, MIME-Version:, ...) or From: together with Subject:/To:/Date:."""
    pos, names, mbox = 0, set(), head.startswith(b"From ")
    if mbox:
        pos = head.find(b"\n") + 1
    for _ in range(200):
        match = _EMAIL_HEADER.match(head, pos)
        if not match:
            break
        names.add(match.group(1).lower())
        pos = match.end()
    if not names:
        return False
    return mbox or bool(names & _EMAIL_STRONG) or (b"from" in names and bool(names & _EMAIL_WEAK))


# ------------------------------------------------------------------------------------------
# the dispatcher
# ------------------------------------------------------------------------------------------
def _extract_file(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """Everything readable in one file or nested content: its format's text, then its raw strings."""
    if size <= 0:
        return
    head = _read_at(f, 0, HEAD_BYTES)
    kind = _sniff(head, f, size)
    raw_needed = True
    if kind.name == "text":
        clean = yield from _guard(_text_file(f, head, kind.encoding or "utf-8", ctx), ctx.whole, "the text")
        raw_needed = not clean
    elif kind.name in _READERS:
        # a format casefile reads holds its text where the reader looks; the rest is compressed
        # payload (pixels, sound, deflated streams), whose "strings" are noise that would match
        # short names by chance in a large file. Its raw strings are read only if the reader failed.
        failed = False
        for item in _guard(_READERS[kind.name](f, size, ctx), ctx.whole, f"the {kind.name} content"):
            failed = failed or (isinstance(item, Unreadable) and item.where == ctx.whole)
            yield item
        raw_needed = failed
        if kind.name != "zip" and _zip_end(f, size) is not None:
            if ctx.can_open_members:
                yield from _guard(_zip(f, size, ctx.inner("appended zip archive")), ctx.at("appended zip archive"),
                                  "the appended zip archive")
            else:
                yield _too_deep(ctx)
    if raw_needed:
        yield from _guard(_raw_strings(f, size, ctx), ctx.whole, "the raw strings")
    # an unknown part inside a container casefile reads (a document's printer settings, an
    # embedded binary) has had its raw strings read: only a whole file of unknown format is
    # reported as unreadable
    if kind.note and not (kind.name == "unknown" and ctx.depth > 0):
        yield Unreadable(ctx.whole, kind.note)


def _extract_member(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """A member of a container (already under ctx.inner): recursion with every failure contained."""
    yield from _guard(_extract_file(f, size, ctx), ctx.whole, "the member")


def _extract_data(data: bytes, ctx: _Ctx) -> Iterator[Item]:
    yield from _extract_member(io.BytesIO(data), len(data), ctx)


def _extract_spool(spool: _Spool, ctx: _Ctx) -> Iterator[Item]:
    try:
        yield from _extract_member(spool.file, spool.size, ctx)
    finally:
        spool.close()


# ------------------------------------------------------------------------------------------
# plain text
# ------------------------------------------------------------------------------------------
_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:\-]{2,40})""", re.I)
_MARKUP_HINT = re.compile(r"<[A-Za-z!?/][^<>]{0,300}>|&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[A-Za-z]{2,8});")


def _text_file(f: IO[bytes], head: bytes, encoding: str, ctx: _Ctx):
    """A text file: returns True when it was fully decoded (no NUL bytes: no raw strings needed)."""
    extra = _declared_charset(head)
    return (yield from _text_stream(f, ctx.at("text"), ctx, encoding, markup=None, extra_legacy=extra))


def _declared_charset(head: bytes) -> tuple[str, ...]:
    """A charset the file declares (HTML meta, XML declaration) that is not tried anyway."""
    match = _DECLARED_CHARSET.search(head[:4096])
    if not match:
        return ()
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return ()
    tried = {codecs.lookup(e).name for e in (*LEGACY, "utf-8", "ascii", "utf-16", "utf-32")}
    if name in tried or name.startswith(("utf-16", "utf-32")):
        return ()
    return (name,)


def _text_stream(f: IO[bytes], base: str, ctx: _Ctx, encoding: str | None, *, markup: bool | None,
                 extra_legacy: tuple[str, ...] = (), legacy_too: bool = False):
    """Decodes a stream of text into Pieces named `base`. A UTF-8 stream that turns out not to
    be valid UTF-8 is read again as each legacy encoding (so is any 8-bit stream when
    `legacy_too`: a declared charset may be wrong). `encoding` None: recognised from the start;
    `markup` None: decided from the start. Returns True when there was no NUL byte."""
    f.seek(0)
    head = f.read(HEAD_BYTES)
    if encoding is None:
        encoding = _text_encoding(head) or "utf-8"
    if markup is None:
        markup = bool(_MARKUP_HINT.search(head[:16384].decode(encoding, "replace")))
    eight_bit = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    try:
        decoder = codecs.getincrementaldecoder(encoding)("replace")
    except LookupError:
        decoder, encoding, eight_bit = codecs.getincrementaldecoder("utf-8")("replace"), "utf-8", True
    suffix = "" if eight_bit else f" (as {encoding})"
    sinks = _TextSinks(base, suffix, markup)
    uris = _DataUris(ctx.budget, ctx.limits.max_members) if markup and ctx.can_open_members else None
    replaced_in, replaced_out, nul, ascii_only = 0, 0, False, True
    for chunk in itertools.chain(_chunks(f), [b""]):
        text = decoder.decode(chunk, final=not chunk)
        ascii_only = ascii_only and chunk.isascii()
        if eight_bit:
            replaced_in += chunk.count(b"\xef\xbf\xbd")  # U+FFFD written in the file itself
            replaced_out += text.count("\ufffd")
            nul = nul or b"\x00" in chunk
        yield from sinks.feed(text)
        if uris is not None:
            for number, spool in uris.feed(text) if chunk else uris.close():
                yield from _extract_spool(spool, ctx.inner(f"data URI {number}"))
    yield from sinks.close()
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    needs_legacy = replaced_out > replaced_in if eight_bit else legacy_too and not wide and not ascii_only
    if not needs_legacy:
        return not nul
    # not UTF-8: every legacy reading, in one more pass
    legacy = tuple(dict.fromkeys((*extra_legacy, *LEGACY)))
    readers = [(codecs.getincrementaldecoder(enc)("replace"), _TextSinks(base, f" (as {_SHOWN.get(enc, enc)})", markup))
               for enc in legacy]
    for chunk in _chunks(f):
        for decoder, sinks in readers:
            yield from sinks.feed(decoder.decode(chunk))
    for decoder, sinks in readers:
        yield from sinks.feed(decoder.decode(b"", final=True))
        yield from sinks.close()
    return not nul


def _text_data(data: bytes, base: str, ctx: _Ctx, *, encoding: str | None = None, markup: bool | None = None,
               legacy_too: bool = False):
    """A text held in memory (XMP packet, PNG text, e-mail body), through the text reader."""
    clean = yield from _text_stream(io.BytesIO(data), base, ctx, encoding, markup=markup, legacy_too=legacy_too)
    return clean


# ------------------------------------------------------------------------------------------
# RTF
# ------------------------------------------------------------------------------------------
_RTF_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # 1, 2: control word and parameter
    rb"|((?:\\'[0-9a-fA-F]{2})+)"  # 3: bytes in the current code page (Cyrillic text is all escapes)
    rb"|\\([^a-zA-Z'])"  # 4: control symbol
    rb"|([{}])"  # 5: group
    rb"|([^\\{}\r\n]+)"  # 6: text
    rb"|[\r\n]+|\\'?",  # line breaks (not text) and a broken escape at the end
    re.S,
)
_RTF_CHARSETS = {77: "mac_roman", 128: "cp932", 129: "cp949", 134: "gbk", 136: "big5", 161: "cp1253", 162: "cp1254",
                 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874",
                 238: "cp1250", 255: "cp437"}
_RTF_WORDS = {"par": "\n", "line": "\n", "sect": "\n", "page": "\n", "row": "\n", "lbr": "\n", "tab": "\t",
              "cell": "\t", "nestcell": "\t", "emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018",
              "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d", "bullet": "\u2022",
              "emspace": " ", "enspace": " ", "qmspace": " "}
_RTF_SYMBOLS = {b"~": " ", b"_": "-", b"-": "", b"\n": "\n", b"\r": "\n", b":": "", b"|": ""}
# groups whose text is a separate field: a line break before and after, so '{\author X}{\operator Y}'
# does not read 'XY'
_RTF_DESTINATIONS = frozenset(
    "author title subject keywords comment doccomm operator company manager category hlinkbase fldinst "
    "fldrslt footnote annotation atnauthor atnid header headerl headerr headerf footer footerl footerr "
    "footerf fonttbl colortbl stylesheet info txe xe tc bkmkstart bkmkend sp sn sv shptxt userprops "
    "propname staticval docvar listtable listoverridetable revtbl rsidtbl generator xmlnstbl falt".split()
)
_RTF_OBJECTS = frozenset(("pict", "objdata"))  # hex data opened as a file
_RTF_HEX_SKIP = frozenset(("themedata", "colorschememapping", "datastore", "blipuid", "panose", "fontemb",
                           "fontfile", "passwordhash", "bliptag"))


def _rtf_codec(codepage: int | None) -> str | None:
    special = {65001: "utf-8", 10000: "mac_roman", 10007: "mac_cyrillic", 20866: "koi8_r", 21866: "koi8_u",
               28595: "iso8859_5", 866: "cp866", 437: "cp437", 850: "cp850"}
    if codepage is None:
        return None
    name = special.get(codepage, f"cp{codepage}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


@dataclass
class _RtfGroup:
    uc: int = 1
    font: int | None = None
    mode: str = "text"  # text | object (hex data to open) | skip (hex data to drop)
    fonttbl: bool = False
    destination: bool = False
    first: bool = True  # no control word read yet in this group


class _RtfReader:
    """Streaming RTF decoder. `feed` and `close` return events: ('text', str), ('data', bytes)
    of an embedded object, ('end', None) when that object is complete."""

    def __init__(self) -> None:
        self._carry = b""
        self._skip = 0  # raw bytes after \binN
        self._group = _RtfGroup()
        self._stack: list[_RtfGroup] = []
        self._codec = "cp1252"
        self._fonts: dict[int, str] = {}
        self._defining: int | None = None
        self._uc_skip = 0
        self._pending = bytearray()
        self._pending_codec = "cp1252"
        self._units: list[int] = []
        self._hex = b""
        self._out: list[str] = []
        self._events: list[tuple[str, object]] = []

    def feed(self, data: bytes, final: bool = False) -> list[tuple[str, object]]:
        buf = self._carry + data
        pos, end = 0, len(buf)
        safe = end if final else end - 64  # a token may continue in the next chunk
        while pos < end:
            if self._skip:
                n = min(self._skip, end - pos)
                if self._group.mode == "object":
                    self._emit_data(buf[pos : pos + n])
                pos += n
                self._skip -= n
                continue
            if pos >= safe:
                break
            match = _RTF_TOKEN.match(buf, pos)
            if match is None or match.end() == pos:
                pos += 1
                continue
            self._token(match)
            pos = match.end()
        self._carry = buf[pos:]
        self._flush()
        return self._take_events()

    def close(self) -> list[tuple[str, object]]:
        events = self.feed(b"", final=True)
        if self._group.mode == "object" or any(g.mode == "object" for g in self._stack):
            events.append(("end", None))
        return events

    # --- output ---------------------------------------------------------------------------
    def _take_events(self) -> list[tuple[str, object]]:
        if self._out:
            self._events.append(("text", "".join(self._out)))
            self._out = []
        events, self._events = self._events, []
        return events

    def _emit_text(self, text: str) -> None:
        self._flush()
        self._out.append(text)

    def _emit_data(self, data: bytes) -> None:
        self._flush()  # text before the object comes before it
        if self._out:
            self._events.append(("text", "".join(self._out)))
            self._out = []
        self._events.append(("data", data))

    def _bytes(self, data: bytes) -> None:
        codec = self._fonts.get(self._group.font, self._codec) if self._group.font is not None else self._codec
        if self._units or (self._pending and codec != self._pending_codec):
            self._flush()
        self._pending_codec = codec
        self._pending += data

    def _unit(self, value: int) -> None:
        if self._pending:
            self._flush()
        self._units.append(value & 0xFFFF)

    def _flush(self) -> None:
        if self._pending:
            self._out.append(bytes(self._pending).decode(self._pending_codec, "replace"))
            self._pending.clear()
        if self._units:
            raw = struct.pack(f"<{len(self._units)}H", *self._units)
            self._out.append(raw.decode("utf-16-le", "replace"))
            self._units.clear()

    # --- tokens ---------------------------------------------------------------------------
    def _token(self, match: re.Match) -> None:
        word, param, escapes, symbol, brace, text = match.groups()
        if brace is not None:
            self._uc_skip = 0
            self._brace(brace)
            return
        if self._uc_skip:  # the fallback characters after \uN
            if text is not None:
                n = min(self._uc_skip, len(text))
                self._uc_skip -= n
                text = text[n:]
                if not text:
                    return
            elif escapes is not None:
                n = min(self._uc_skip, len(escapes) // 4)  # each \'hh is one fallback character
                self._uc_skip -= n
                escapes = escapes[4 * n :]
                if not escapes:
                    return
            elif word is not None or symbol is not None:
                self._uc_skip -= 1
                return
            else:
                return
        group = self._group
        if word is not None:
            self._word(word.decode("ascii"), int(param) if param else None)
        elif symbol is not None:
            if symbol == b"*":
                return  # an ignorable destination follows: its text is kept
            group.first = False
            if symbol in (b"\\", b"{", b"}"):
                self._text_bytes(symbol)
            elif group.mode == "text" and symbol in _RTF_SYMBOLS:
                self._emit_text(_RTF_SYMBOLS[symbol])
        elif escapes is not None:
            group.first = False
            if group.mode == "text":
                self._bytes(bytes.fromhex(escapes.replace(b"\\'", b"").decode("ascii")))
        elif text is not None:
            group.first = False
            self._text_bytes(text)

    def _text_bytes(self, text: bytes) -> None:
        mode = self._group.mode
        if mode == "text":
            self._bytes(text)
        elif mode == "object":
            digits = self._hex + re.sub(rb"[^0-9a-fA-F]", b"", text)
            usable = len(digits) // 2 * 2
            self._hex = digits[usable:]
            if usable:
                self._emit_data(bytes.fromhex(digits[:usable].decode("ascii")))

    def _brace(self, brace: bytes) -> None:
        if brace == b"{":
            self._stack.append(self._group)
            parent = self._group
            self._group = _RtfGroup(uc=parent.uc, font=parent.font, fonttbl=parent.fonttbl,
                                    mode="text" if parent.mode != "text" else parent.mode)
            if len(self._stack) > 10_000:  # hostile nesting: keep reading flat
                self._stack.pop()
            return
        closing = self._group
        if not self._stack:
            return
        self._group = self._stack.pop()
        if closing.mode == "object" and self._group.mode != "object":
            self._hex = b""
            self._flush()
            self._emit_data(b"")
            self._events.append(("end", None))
        if closing.destination:
            self._emit_text("\n")
        if closing.fonttbl and not self._group.fonttbl:
            self._defining = None

    def _word(self, word: str, param: int | None) -> None:
        group = self._group
        if group.first:
            group.first = False
            if word in _RTF_OBJECTS:
                group.mode = "object"
                self._hex = b""
                return
            if word in _RTF_HEX_SKIP:
                group.mode = "skip"
                return
            if word in _RTF_DESTINATIONS:
                group.destination = True
                self._emit_text("\n")
                if word == "fonttbl":
                    group.fonttbl = True
        if word == "u" and param is not None:
            if group.mode == "text":
                self._unit(param)
            self._uc_skip = group.uc
        elif word == "uc" and param is not None:
            group.uc = max(0, min(param, 10))
        elif word == "bin" and param is not None:
            self._skip = max(0, param)
        elif word == "ansicpg":
            self._codec = _rtf_codec(param) or self._codec
        elif word in ("ansi", "mac", "pc", "pca"):
            self._codec = {"ansi": "cp1252", "mac": "mac_roman", "pc": "cp437", "pca": "cp850"}[word]
        elif word == "f" and param is not None:
            if group.fonttbl:
                self._defining = param
            group.font = param
        elif word == "fcharset" and param is not None and group.fonttbl and self._defining is not None:
            if param in _RTF_CHARSETS:
                self._fonts[self._defining] = _RTF_CHARSETS[param]
        elif word == "cpg" and param is not None and group.fonttbl and self._defining is not None:
            codec = _rtf_codec(param)
            if codec:
                self._fonts[self._defining] = codec
        elif word in _RTF_WORDS and group.mode == "text":
            self._emit_text(_RTF_WORDS[word])


def _rtf(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    reader, chunker = _RtfReader(), _Chunker(ctx.at("RTF text"))
    objects, spool, collecting = 0, None, False
    try:
        for event, value in itertools.chain.from_iterable(
                itertools.chain((reader.feed(chunk) for chunk in _chunks(f)), (reader.close() for _ in (0,)))):
            if event == "text":
                yield from chunker.feed(value)
            elif event == "data":
                if spool is None and not collecting:
                    objects, collecting = objects + 1, True
                    spool = _Spool(ctx.budget) if ctx.can_open_members else None
                    if spool is None and objects == 1:
                        yield _too_deep(ctx)
                if spool is not None:
                    spool.write(value)
            elif event == "end":
                done, spool, collecting = spool, None, False
                if done is not None and done.size:
                    yield from _extract_spool(_rewound(done), ctx.inner(f"RTF embedded object {objects}"))
                elif done is not None:
                    done.close()
    finally:
        if spool is not None:
            spool.close()
    yield from chunker.close()


# ------------------------------------------------------------------------------------------
# e-mail
# ------------------------------------------------------------------------------------------
_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")


def _header_variants(raw: str) -> list[tuple[str, str]]:
    """(suffix, text) of a raw header value: RFC 2047 encoded words in their charsets, 8-bit
    bytes as UTF-8; when a charset is missing, unknown or wrong, also as each legacy encoding."""
    # parsed from bytes, undecodable bytes are surrogate escapes: back to the original bytes
    data = re.sub(r"\r?\n(?=[ \t])", "", raw).encode("utf-8", "surrogateescape")
    segments: list[tuple[bytes, str | None]] = []  # (bytes, declared charset)
    pos = 0
    for match in _ENCODED_WORD.finditer(data):
        between = data[pos : match.start()]
        if between and not (segments and segments[-1][1] and between.isspace()):  # space between words is dropped
            segments.append((between, None))
        charset = match.group(1).split(b"*")[0].decode("ascii", "replace")
        payload = match.group(3)
        try:
            if match.group(2) in b"Bb":
                decoded = base64.b64decode(payload + b"=" * (-len(payload) % 4))
            else:
                decoded = binascii.a2b_qp(payload.replace(b"_", b" "), header=True)
        except (binascii.Error, ValueError):
            decoded = match.group(0)
            charset = None
        segments.append((decoded, charset or "ascii"))
        pos = match.end()
    segments.append((data[pos:], None))
    declared, failed = [], False
    for chunk, charset in segments:
        try:
            declared.append(chunk.decode(charset or "utf-8"))
        except (LookupError, UnicodeDecodeError):
            failed = True
            declared.append(chunk.decode("utf-8", "replace"))
    out = [("", "".join(declared))]
    if failed:
        out += [(f" (as {_SHOWN.get(enc, enc)})", "".join(chunk.decode(enc, "replace") for chunk, _ in segments))
                for enc in LEGACY]
    return out


def _email(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    starts = _mbox_starts(f, ctx.limits.max_members) if _read_at(f, 0, 5) == b"From " else [0]
    if len(starts) <= 1:
        yield from _email_message(f, size, ctx)
        return
    if len(starts) > ctx.limits.max_members:
        yield Unreadable(ctx.whole, f"more than {ctx.limits.max_members} messages: the rest were not read")
        starts = starts[: ctx.limits.max_members]
    if not ctx.can_open_members:
        yield _too_deep(ctx)
        return
    for index, (start, end) in enumerate(zip(starts, [*starts[1:], size]), start=1):
        inner = ctx.inner(f"mbox message {index}")
        message = _window(f, start, end - start)
        yield from _guard(_email_message(message, end - start, inner), inner.whole, "the message")


def _mbox_starts(f: IO[bytes], limit: int) -> list[int]:
    """Offsets of the messages of a mbox file: a 'From ' line after a blank line."""
    f.seek(0)
    starts, pos, blank = [], 0, True
    while len(starts) <= limit:
        line = f.readline(1 << 16)
        if not line:
            break
        if blank and line.startswith(b"From "):
            starts.append(pos)
        blank = line in (b"\n", b"\r\n")
        pos += len(line)
    return starts


def _email_message(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    if size > MAX_EMAIL_BYTES:
        yield Unreadable(ctx.whole, f"an e-mail larger than {_human(MAX_EMAIL_BYTES)}: read as plain text, "
                                    "its encoded parts and attachments were not decoded")
        yield from _text_stream(f, ctx.at("text"), ctx, "utf-8", markup=None)
        return
    import email
    from email import policy

    f.seek(0)
    message = email.message_from_binary_file(f, policy=policy.default)
    attachments = 0
    for index, part in enumerate(message.walk(), start=1):
        if index > ctx.limits.max_members:
            yield Unreadable(ctx.whole, f"more than {ctx.limits.max_members} parts: the rest were not read")
            return
        label = "e-mail" if index == 1 else f"e-mail part {index}"
        for number, (name, raw) in enumerate(part.raw_items(), start=1):
            for suffix, text in _header_variants(str(raw).strip()):
                yield from _pieces(ctx.at(f"{label} header {number}{suffix}"), _clean(f"{name}: {text}"))
        if part.is_multipart():
            continue
        attachments = yield from _email_part(part, index, attachments, ctx)


_TRANSFER_ENCODINGS = frozenset(("7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode"))


def _email_part(part, index: int, attachments: int, ctx: _Ctx):
    """One leaf part: a text body, or an attachment (its name, then its content as a file).
    Returns the number of attachments so far."""
    encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower() or "7bit"
    if encoding not in _TRANSFER_ENCODINGS:  # the header's text never goes into `where`
        encoding = "other encoding"
    try:
        filename = part.get_filename()
    except Exception:  # a malformed parameter: the raw header was yielded already
        filename = None
    disposition = part.get_content_disposition()
    payload = part.get_payload(decode=True) or b""
    ctx.budget.take(len(payload))
    content_type = part.get_content_type()
    if content_type.startswith("text/") and not filename and disposition != "attachment":
        charset = part.get_content_charset()
        try:
            codecs.lookup(charset or "")
            payload.decode(charset)
            declared = charset
        except (LookupError, UnicodeDecodeError, TypeError):
            declared = None  # missing or wrong: the text reader tries UTF-8, then the legacy encodings
        markup = content_type in ("text/html", "text/xml") or None
        yield from _text_data(payload, ctx.at(f"e-mail part {index} ({encoding})"), ctx, encoding=declared,
                              markup=markup, legacy_too=True)
        return attachments
    attachments += 1
    if filename:
        yield from _meta(ctx.at(f"e-mail attachment {attachments} name"), str(filename))
    if not payload:
        return attachments
    if ctx.can_open_members:
        yield from _extract_data(payload, ctx.inner(f"e-mail attachment {attachments}"))
    else:
        yield Unreadable(ctx.at(f"e-mail attachment {attachments}"),
                         f"nested more than {ctx.limits.max_depth} containers deep: not opened")
    return attachments


# ------------------------------------------------------------------------------------------
# ZIP
# ------------------------------------------------------------------------------------------
@dataclass
class _ZipEntry:
    index: int
    name: bytes
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int
    comment: bytes
    unicode_name: str | None


def _zip_end(f: IO[bytes], size: int) -> tuple[int, int, int, bytes, int] | None:
    """(entries, central directory size, its offset, archive comment, shift) from the end record,
    or None when the file does not end like a zip archive. `shift`: bytes of other data before
    the archive (self-extracting archives), to add to the offsets the archive records."""
    if size < 22:
        return None
    tail_start = max(0, size - 22 - 65535)
    tail = _read_at(f, tail_start, size - tail_start)
    pos = tail.rfind(b"PK\x05\x06")
    while pos != -1:
        if len(tail) - pos >= 22:
            entries, cd_size, cd_offset, comment_len = struct.unpack("<10xHII H", tail[pos : pos + 22])
            if pos + 22 + comment_len == len(tail):
                comment = tail[pos + 22 : pos + 22 + comment_len]
                record = tail_start + pos
                if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
                    zip64 = _zip64_end(f, record)
                    if zip64:
                        entries, cd_size, cd_offset = zip64
                # data before the archive (self-extracting): offsets are relative to its start
                shift = max(record - cd_size - cd_offset, 0)
                return entries, cd_size, cd_offset + shift, comment, shift
        pos = tail.rfind(b"PK\x05\x06", 0, pos)
    return None


def _zip64_end(f: IO[bytes], record: int) -> tuple[int, int, int] | None:
    locator = _read_at(f, record - 20, 20) if record >= 20 else b""
    if len(locator) < 20 or not locator.startswith(b"PK\x06\x07"):
        return None
    (offset,) = struct.unpack("<Q", locator[8:16])
    end = _read_at(f, offset, 56)
    if len(end) < 56 or not end.startswith(b"PK\x06\x06"):
        return None
    entries, cd_size, cd_offset = struct.unpack("<QQQ", end[32:56])
    return entries, cd_size, cd_offset


def _zip_entries(f: IO[bytes], cd_offset: int, cd_size: int, shift: int, limit: int) -> Iterator[_ZipEntry]:
    """Central directory entries, read one at a time (memory does not grow with their number)."""
    pos, end = cd_offset, cd_offset + cd_size
    for index in range(1, limit + 2):
        if pos + 46 > end:
            return
        fixed = _read_at(f, pos, 46)
        if len(fixed) < 46 or not fixed.startswith(b"PK\x01\x02"):
            raise _Unreadable("the zip central directory is damaged: the rest of the archive was not read")
        (flags, method, crc, compressed, size, name_len, extra_len, comment_len, offset) = struct.unpack(
            "<8xHH4xIIIHHH8xI", fixed)
        variable = _read_at(f, pos + 46, name_len + extra_len + comment_len)
        name, extra = variable[:name_len], variable[name_len : name_len + extra_len]
        comment = variable[name_len + extra_len :]
        size, compressed, offset = _zip64_sizes(extra, size, compressed, offset)
        yield _ZipEntry(index, name, flags, method, crc, compressed, size, offset + shift, comment,
                        _unicode_path(extra))
        pos += 46 + name_len + extra_len + comment_len


def _zip_extra_fields(extra: bytes) -> Iterator[tuple[int, bytes]]:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack("<HH", extra[pos : pos + 4])
        yield tag, extra[pos + 4 : pos + 4 + length]
        pos += 4 + length


def _zip64_sizes(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    for tag, data in _zip_extra_fields(extra):
        if tag == 0x0001:
            values = [v for (v,) in struct.iter_unpack("<Q", data[: len(data) // 8 * 8])]
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
    return size, compressed, offset


def _unicode_path(extra: bytes) -> str | None:
    """The Info-ZIP Unicode Path field: the UTF-8 name written next to a legacy-encoded one."""
    for tag, data in _zip_extra_fields(extra):
        if tag == 0x7075 and len(data) > 5:
            return data[5:].decode("utf-8", "replace")
    return None


def _zip(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    end = _zip_end(f, size)
    if end is None:
        yield Unreadable(ctx.whole, "the zip archive is truncated or damaged (no central directory): "
                                    "its members were read from their local headers")
        yield from _zip_salvage(f, size, ctx)
        return
    entries, cd_size, cd_offset, comment, shift = end
    if comment:
        yield from _meta(ctx.at("zip comment"), comment)
    if entries > ctx.limits.max_members:
        yield Unreadable(ctx.whole, f"the archive has {entries} entries, more than {ctx.limits.max_members}: "
                                    f"only the first {ctx.limits.max_members} were read")
    if not ctx.can_open_members:
        yield _too_deep(ctx)
    count = 0
    for entry in _zip_entries(f, cd_offset, cd_size, shift, ctx.limits.max_members):
        count += 1
        if count > ctx.limits.max_members:
            break
        yield from _zip_names(entry, ctx)
        if entry.name.endswith(b"/") and entry.size == 0 or not ctx.can_open_members:
            continue
        stop = yield from _zip_member(f, entry, ctx)
        if stop:
            return


def _zip_names(entry: _ZipEntry, ctx: _Ctx) -> Iterator[Item]:
    where = ctx.at(f"zip member {entry.index} name")
    if entry.unicode_name:
        yield from _meta(where, entry.unicode_name)
    if entry.flags & 0x800:
        yield from _meta(where, entry.name.decode("utf-8", "replace"))
    else:  # legacy names: Windows writes the OEM code page (cp866 for Cyrillic)
        yield from _meta(where, entry.name, ("cp866", *LEGACY))
    if entry.comment:
        yield from _meta(ctx.at(f"zip member {entry.index} comment"), entry.comment)


def _zip_member(f: IO[bytes], entry: _ZipEntry, ctx: _Ctx):
    """Unpacks one member and reads it. Returns True when the archive must not be read further
    (the expansion budget is used up)."""
    where = ctx.at(f"zip member {entry.index}")
    if entry.flags & 0x1:
        yield Unreadable(where, "encrypted: its content cannot be read")
        return False
    header = _read_at(f, entry.offset, 30)
    if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
        yield Unreadable(where, "its local header is missing or damaged: not read")
        return False
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = entry.offset + 30 + name_len + extra_len
    try:
        content, damaged = _unzip(f, start, entry.compressed, entry.method, entry.crc, ctx.budget)
    except _LimitReached as error:
        yield Unreadable(where, error.reason)
        return True
    except _Unreadable as error:
        yield Unreadable(where, error.reason)
        return False
    if damaged:
        yield Unreadable(where, damaged)
    yield from _extract_spool(content, ctx.inner(f"zip member {entry.index}"))
    return False


def _decompressor(method: int, f: IO[bytes], start: int):
    """A decompressor object and where its data starts, for a zip compression method."""
    if method == 8:
        return zlib.decompressobj(-15), start
    if method == 12:
        return bz2.BZ2Decompressor(), start
    if method == 14:  # LZMA: a 4-byte header and the properties, then a raw LZMA1 stream
        header = _read_at(f, start, 4)
        if len(header) < 4:
            raise _Unreadable("its LZMA header is truncated: not read")
        (props_len,) = struct.unpack("<H", header[2:4])
        props = _read_at(f, start + 4, props_len)
        filters = [lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)]  # as zipfile does
        return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters), start + 4 + props_len
    names = {9: "Deflate64", 10: "PKWARE implode", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES encryption"}
    raise _Unreadable(f"compressed with {names.get(method, f'method {method}')}, which cannot be unpacked here")


_ZLIB = type(zlib.decompressobj())


def _inflate(pieces: Iterable[bytes], decompressor) -> Iterator[bytes]:
    """Decompressed output, at most READ_BYTES at a time whatever the compression ratio."""
    for data in pieces:
        while True:
            out = decompressor.decompress(data, READ_BYTES)
            if isinstance(decompressor, _ZLIB):
                data = decompressor.unconsumed_tail
                more = bool(data)
            else:
                data = b""
                more = not decompressor.needs_input and not decompressor.eof
            if out:
                yield out
            if decompressor.eof:
                return
            if not more:
                break
    if isinstance(decompressor, _ZLIB):
        tail = decompressor.flush()
        if tail:
            yield tail


def _unzip(f: IO[bytes], start: int, compressed: int, method: int, crc: int, budget: _Budget):
    """(content, a damage reason or None) of one member. Stored members are not copied."""
    if method == 0:
        budget.take(compressed)
        return _Spool.view(f, start, compressed), None
    decompressor, data_start = _decompressor(method, f, start)
    spool = _Spool(budget)
    check = 0
    try:
        for out in _inflate(_chunks(f, data_start, compressed - (data_start - start), 64 << 10), decompressor):
            spool.write(out)
            check = zlib.crc32(out, check)
    except _LimitReached:
        spool.close()
        raise
    except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError):
        return _rewound(spool), "its compressed data is damaged: only the part before the damage was read"
    if not decompressor.eof:
        return _rewound(spool), "its compressed data is truncated: only the part present was read"
    if check != crc:
        return _rewound(spool), "its checksum does not match (damaged or altered)"
    return _rewound(spool), None


def _rewound(spool: _Spool) -> _Spool:
    spool.file.seek(0)
    return spool


def _zip_salvage(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """Members of a zip without its central directory (a truncated download), from the local
    headers in order."""
    pos = 0
    for index in range(1, ctx.limits.max_members + 1):
        header = _read_at(f, pos, 30)
        if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
            return
        flags, method, crc, compressed, length, name_len, extra_len = struct.unpack("<6xHH4xIIIHH", header)
        name = _read_at(f, pos + 30, name_len)
        entry = _ZipEntry(index, name, flags, method, crc, compressed, length, pos, b"", None)
        yield from _zip_names(entry, ctx)
        if not ctx.can_open_members:
            return
        where, start = ctx.at(f"zip member {index}"), pos + 30 + name_len + extra_len
        if flags & 0x1:
            yield Unreadable(where, "encrypted: its content cannot be read")
            return
        if flags & 0x8 and method != 0:
            compressed = size - start  # the sizes follow the data: the compressed stream ends itself
        try:
            content, used = _unzip_local(f, start, compressed, method, ctx.budget)
        except _Unreadable as error:
            yield Unreadable(where, error.reason)
            return
        yield from _extract_spool(content, ctx.inner(f"zip member {index}"))
        pos = start + used
        if flags & 0x8:  # the data descriptor, with or without its signature
            pos += 16 if _read_at(f, pos, 4) == b"PK\x07\x08" else 12


def _unzip_local(f: IO[bytes], start: int, compressed: int, method: int, budget: _Budget) -> tuple[_Spool, int]:
    """(content, bytes of the archive it took) of a member found by its local header. Damaged
    data ends the content: what came before it is read."""
    if method == 0:
        budget.take(compressed)
        return _Spool.view(f, start, compressed), compressed
    decompressor, data_start = _decompressor(method, f, start)
    spool, fed = _Spool(budget), [0]
    try:
        for out in _inflate(_counted(_chunks(f, data_start, compressed - (data_start - start), 64 << 10), fed),
                            decompressor):
            spool.write(out)
    except _LimitReached:
        spool.close()
        raise
    except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError):
        return _rewound(spool), compressed
    unused = len(getattr(decompressor, "unused_data", b"")) + len(getattr(decompressor, "unconsumed_tail", b""))
    return _rewound(spool), (data_start - start) + fed[0] - unused


def _counted(pieces: Iterable[bytes], total: list[int]) -> Iterator[bytes]:
    for piece in pieces:
        total[0] += len(piece)
        yield piece


# ------------------------------------------------------------------------------------------
# tar, gzip, bzip2, xz
# ------------------------------------------------------------------------------------------
def _tar(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    import tarfile

    f.seek(0)
    archive = tarfile.open(fileobj=f, mode="r:")
    if not ctx.can_open_members:
        yield _too_deep(ctx)
    index = 0
    while True:
        try:
            member = archive.next()
        except tarfile.TarError:
            yield Unreadable(ctx.whole, "the tar archive is truncated or damaged: the rest was not read")
            return
        if member is None:
            return
        index += 1
        if index > ctx.limits.max_members:
            yield Unreadable(ctx.whole, f"more than {ctx.limits.max_members} entries: the rest were not read")
            return
        archive.members.clear()  # tarfile keeps every member read: memory must not grow with their number
        yield from _meta(ctx.at(f"tar member {index} name"), member.name)
        for label, value in (("link target", member.linkname), ("owner", member.uname), ("group", member.gname)):
            if value:
                yield from _meta(ctx.at(f"tar member {index} {label}"), value)
        for number, value in enumerate(member.pax_headers.values(), start=1):
            yield from _meta(ctx.at(f"tar member {index} header {number}"), str(value))
        if member.isfile() and member.size and ctx.can_open_members:
            try:
                ctx.budget.take(member.size)
            except _LimitReached as error:
                yield Unreadable(ctx.at(f"tar member {index}"), error.reason)
                return
            yield from _extract_member(_window(f, member.offset_data, member.size),
                                       min(member.size, max(0, size - member.offset_data)),
                                       ctx.inner(f"tar member {index}"))


def _gzip_header_names(f: IO[bytes], ctx: _Ctx) -> Iterator[Item]:
    """The original file name and comment in the gzip header (they may name a person)."""
    header = _read_at(f, 0, 10)
    flags = header[3] if len(header) >= 4 else 0
    pos = 10
    if flags & 0x04:
        (extra_len,) = struct.unpack("<H", _read_at(f, 10, 2).ljust(2, b"\0"))
        pos += 2 + extra_len
    for bit, label in ((0x08, "gzip original file name"), (0x10, "gzip comment")):
        if flags & bit:
            data = _read_at(f, pos, 65536)
            end = data.find(b"\x00")
            value = data if end == -1 else data[:end]
            yield from _meta(ctx.at(label), value)
            pos += len(value) + 1


def _compressed(kind: str) -> Callable[[IO[bytes], int, _Ctx], Iterator[Item]]:
    def read(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
        if kind == "gzip":
            yield from _gzip_header_names(f, ctx)
        if not ctx.can_open_members:
            yield _too_deep(ctx)
            return
        f.seek(0)
        stream = {"gzip": lambda: gzip.GzipFile(fileobj=f, mode="rb"), "bzip2": lambda: bz2.BZ2File(f),
                  "xz": lambda: lzma.LZMAFile(f)}[kind]()
        spool, damaged = _Spool(ctx.budget), None
        try:
            while True:
                data = stream.read(READ_BYTES)  # bounded output per call whatever the ratio
                if not data:
                    break
                spool.write(data)
        except _LimitReached as error:
            spool.close()
            yield Unreadable(ctx.at(f"{kind} content"), error.reason)
            return
        except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError):
            damaged = f"the {kind} stream is truncated or damaged: only the part before the damage was read"
        if damaged:
            yield Unreadable(ctx.at(f"{kind} content"), damaged)
        yield from _extract_spool(_rewound(spool), ctx.inner(f"{kind} content"))

    return read


# ------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------
_STANDARD_ENCODINGS = frozenset(("/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/PDFDocEncoding",
                                 "/MacExpertEncoding"))
_STANDARD_14 = frozenset(
    "Courier Courier-Bold Courier-Oblique Courier-BoldOblique Helvetica Helvetica-Bold Helvetica-Oblique "
    "Helvetica-BoldOblique Times-Roman Times-Bold Times-Italic Times-BoldItalic Symbol ZapfDingbats".split()
)
_TF = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s*[-+]?(?:\d+\.?\d*|\.\d+)\s+Tf")
_GLYPH_NAME = re.compile(r"(?:uni[0-9A-F]{4}(?:[0-9A-F]{4})*|u[0-9A-F]{4,6})(?:\..*)?")
_RESOURCE_NAME = re.compile(r"[A-Za-z]{1,3}[0-9][A-Za-z0-9_.]*")  # 'F2', 'TT1', 'C2_0': not a word


def _pdf_get(obj, key: str):
    """A resolved dictionary entry, or None (pypdf's get() does not resolve references)."""
    try:
        return obj[key] if key in obj else None
    except Exception:  # a broken reference
        return None


def _pdf_text(value) -> str | None:
    from pypdf.generic import ByteStringObject, NameObject, NumberObject, TextStringObject

    if isinstance(value, TextStringObject):
        return str(value)
    if isinstance(value, ByteStringObject):
        return "\n".join(text for _, text in _variants(bytes(value)))
    if isinstance(value, (NameObject, NumberObject)):
        return None
    if isinstance(value, str):
        return value
    return None


def _standard_glyph(name: str, glyphs: dict) -> bool:
    base = name.lstrip("/").split(".", 1)[0]
    if not base or f"/{base}" in glyphs or _GLYPH_NAME.fullmatch(base):
        return True
    return "_" in base and all(f"/{part}" in glyphs for part in base.split("_"))  # ligatures: f_f_i


def _font_unmapped(font) -> bool:
    """A font whose codes cannot be turned into text reliably: no ToUnicode map, and not a
    simple font in a standard encoding (Type0/Identity-H, Type3, a custom /Differences)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

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
        flags = int(_pdf_get(descriptor, "/Flags") or 0) if isinstance(descriptor, DictionaryObject) else 0
        return not (flags & 32 and not flags & 4)  # nonsymbolic: the standard encoding applies
    if isinstance(encoding, NameObject):
        return encoding not in _STANDARD_ENCODINGS
    if isinstance(encoding, DictionaryObject):
        base = _pdf_get(encoding, "/BaseEncoding")
        if base is not None and base not in _STANDARD_ENCODINGS:
            return True
        try:
            from pypdf._codecs.adobe_glyphs import adobe_glyphs
        except ImportError:  # pypdf moved it: accept names of letters and uniXXXX only
            adobe_glyphs = {}
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


def _unmapped_fonts(resources, content: bytes | None, seen: set[int], depth: int = 0) -> list[str]:
    """Resource names of the fonts without a text map that this content (and the forms it
    draws) shows text with."""
    from pypdf.generic import DictionaryObject

    if not isinstance(resources, DictionaryObject) or depth > 8:
        return []
    used, found = _fonts_used(content), []
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
                data = form.get_data()
            except Exception:
                data = None
            inner = _pdf_get(form, "/Resources") or resources
            found += _unmapped_fonts(inner, data, seen, depth + 1)
    return found


def _font_label(name: str, index: int) -> str:
    bare = name.lstrip("/")
    return bare if _RESOURCE_NAME.fullmatch(bare) else f"number {index}"


_PDF_READING = {"count": 0, "level": logging.NOTSET}  # PDFs being read now (their generators may be suspended)


def _pdf(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
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


def _pdf_document(f: IO[bytes], ctx: _Ctx) -> Iterator[Item]:
    from pypdf import PdfReader

    f.seek(0)
    try:
        reader = PdfReader(f, strict=False)
    except Exception as error:
        raise _Unreadable(f"the PDF cannot be parsed ({type(error).__name__})") from None
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as error:
            raise _Unreadable(f"encrypted PDF: it cannot be opened ({type(error).__name__})") from None
        if not opened:
            raise _Unreadable("encrypted PDF: it cannot be opened without its password")
    yield from _guard(_pdf_info(reader, ctx), ctx.at("PDF metadata"), "the PDF metadata")
    yield from _guard(_pdf_xmp(reader, ctx), ctx.at("PDF XMP metadata"), "the XMP metadata")
    yield from _guard(_pdf_outline(reader, ctx), ctx.at("PDF bookmarks"), "the bookmarks")
    yield from _guard(_pdf_pages(reader, ctx), ctx.whole, "the PDF pages")
    yield from _guard(_pdf_fields(reader, ctx), ctx.at("PDF form fields"), "the form fields")
    yield from _guard(_pdf_attachments(reader, ctx), ctx.at("PDF attachments"), "the attachments")


def _pdf_info(reader, ctx: _Ctx) -> Iterator[Item]:
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
            yield from _pieces(ctx.at(f"PDF metadata {key}"), _clean(text))
        else:  # a custom key is text of the file too
            yield from _pieces(ctx.at(f"PDF metadata entry {number}"), _clean(f"{key.lstrip('/')}: {text}"))


def _pdf_xmp(reader, ctx: _Ctx) -> Iterator[Item]:
    root = reader.trailer["/Root"]
    stream = _pdf_get(root, "/Metadata")
    if stream is not None and hasattr(stream, "get_data"):
        data = stream.get_data()
        ctx.budget.take(len(data))
        yield from _text_data(data, ctx.at("PDF XMP metadata"), ctx, markup=True)


def _pdf_outline(reader, ctx: _Ctx) -> Iterator[Item]:
    stack, count = [iter(reader.outline)], 0
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
            yield from _pieces(ctx.at(f"PDF bookmark {count}"), _clean(str(title)))


def _pdf_pages(reader, ctx: _Ctx) -> Iterator[Item]:
    total = len(reader.pages)
    limit = ctx.limits.max_pdf_pages
    if total > limit:
        yield Unreadable(ctx.whole, f"the PDF has {total} pages, more than {limit}: only the first {limit} were read")
    for number in range(1, min(total, limit) + 1):
        yield from _guard(_pdf_page(reader.pages[number - 1], number, ctx), ctx.at(f"page {number}"), f"page {number}")


def _pdf_page(page, number: int, ctx: _Ctx) -> Iterator[Item]:
    try:
        text = page.extract_text() or ""
    except Exception as error:
        yield Unreadable(ctx.at(f"page {number}"), f"its text could not be extracted ({type(error).__name__})")
        text = ""
    yield from _pieces(ctx.at(f"page {number} text"), _clean(text))
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


def _pdf_annotations(page, number: int, ctx: _Ctx) -> Iterator[Item]:
    from pypdf.generic import ArrayObject, DictionaryObject

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
                yield from _pieces(f"{where} {key}", _clean(text))
        rich = _pdf_text(_pdf_get(annot, "/RC"))
        if rich:
            yield from _text_data(rich.encode("utf-8"), f"{where} /RC", ctx, encoding="utf-8", markup=True)
        action = _pdf_get(annot, "/A")
        if isinstance(action, DictionaryObject):
            uri = _pdf_text(_pdf_get(action, "/URI"))
            if uri:
                yield from _pieces(f"{where} link", _clean(uri))
        spec = _pdf_get(annot, "/FS")
        if isinstance(spec, DictionaryObject):
            yield from _pdf_filespec(spec, f"page {number} attachment {index}", ctx)


def _pdf_filespec(spec, label: str, ctx: _Ctx) -> Iterator[Item]:
    from pypdf.generic import DictionaryObject

    for key in ("/UF", "/F", "/Desc"):
        text = _pdf_text(_pdf_get(spec, key))
        if text:
            yield from _pieces(ctx.at(f"{label} {'description' if key == '/Desc' else 'name'}"), _clean(text))
    files = _pdf_get(spec, "/EF")
    stream = _pdf_get(files, "/F") if isinstance(files, DictionaryObject) else None
    if stream is not None and hasattr(stream, "get_data"):
        if not ctx.can_open_members:
            yield _too_deep(ctx)
            return
        data = stream.get_data()
        ctx.budget.take(len(data))
        yield from _extract_data(data, ctx.inner(label))


def _pdf_fields(reader, ctx: _Ctx) -> Iterator[Item]:
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
        yield from _pieces(ctx.at(f"PDF form field {index}"), _clean("\n".join(values)))


def _pdf_attachments(reader, ctx: _Ctx) -> Iterator[Item]:
    attachments = reader.attachments
    for index, name in enumerate(list(attachments.keys())[: ctx.limits.max_members], start=1):
        yield from _pieces(ctx.at(f"PDF attachment {index} name"), _clean(str(name)))
        if not ctx.can_open_members:
            yield _too_deep(ctx)
            continue
        for copy, data in enumerate(attachments[name], start=1):
            ctx.budget.take(len(data))
            label = f"PDF attachment {index}" + (f" copy {copy}" if copy > 1 else "")
            yield from _extract_data(bytes(data), ctx.inner(label))


# ------------------------------------------------------------------------------------------
# images: EXIF/TIFF, IPTC, XMP, JPEG, PNG, GIF
# ------------------------------------------------------------------------------------------
_EXIF_NAMES = {
    269: "DocumentName", 270: "ImageDescription", 271: "Make", 272: "Model", 285: "PageName", 305: "Software",
    306: "DateTime", 315: "Artist", 316: "HostComputer", 33432: "Copyright", 0x9C9B: "XPTitle",
    0x9C9C: "XPComment", 0x9C9D: "XPAuthor", 0x9C9E: "XPKeywords", 0x9C9F: "XPSubject", 0x9286: "UserComment",
    0x9003: "DateTimeOriginal", 0x9004: "DateTimeDigitized", 0xA420: "ImageUniqueID", 0xA430: "CameraOwnerName",
    0xA431: "BodySerialNumber", 0xA433: "LensMake", 0xA434: "LensModel", 0xA435: "LensSerialNumber",
    0xA436: "ImageTitle", 0xA437: "Photographer", 0xA438: "ImageEditor", 700: "XMP", 33723: "IPTC",
    34377: "Photoshop",
}
_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8,
                    17: 8, 18: 8, 129: 1}
_SUB_IFDS = {34665: "Exif", 34853: "GPS", 40965: "Interop", 330: "SubIFD"}
_XP_TAGS = frozenset(range(0x9C9B, 0x9CA0))


def _exif(f: IO[bytes], base: int, limit: int, ctx: _Ctx, label: str = "EXIF") -> Iterator[Item]:
    """Text tags of a TIFF structure (a TIFF file, or EXIF inside JPEG/PNG/WebP) at `base`."""
    header = _read_at(f, base, 16)
    if header[:2] not in (b"II", b"MM"):
        return
    order = "<" if header[:2] == b"II" else ">"
    (magic,) = struct.unpack(order + "H", header[2:4])
    if magic == 42:
        offset_fmt, count_fmt, entry_size, first = "I", "H", 12, struct.unpack(order + "I", header[4:8])[0]
    elif magic == 43 and len(header) >= 16:  # BigTIFF
        offset_fmt, count_fmt, entry_size, first = "Q", "Q", 20, struct.unpack(order + "Q", header[8:16])[0]
    else:
        return
    inline = entry_size - 4 - 4 if entry_size == 12 else 8  # bytes of a value stored in its entry
    count_of_values = "I" if entry_size == 12 else "Q"
    # values are read where their offsets point, and many may point at the same large stretch:
    # the bytes read are capped, so a small file cannot make the reader read for ever
    queue, seen, entries, read_left = [first], set(), 0, 4 * MAX_VALUE_BYTES
    while queue and len(seen) < 1000:
        offset = queue.pop(0)
        if not offset or offset in seen or offset >= limit:
            continue
        seen.add(offset)
        count_size = struct.calcsize(count_fmt)
        raw = _read_at(f, base + offset, count_size)
        if len(raw) < count_size:
            continue
        (count,) = struct.unpack(order + count_fmt, raw)
        count = min(count, 4096)
        table = _read_at(f, base + offset + count_size, count * entry_size + struct.calcsize(offset_fmt))
        for i in range(min(count, len(table) // entry_size)):
            entries += 1
            if entries > MAX_STRUCTURES:
                return
            entry = table[i * entry_size : (i + 1) * entry_size]
            tag, kind = struct.unpack(order + "HH", entry[:4])
            (n,) = struct.unpack(order + count_of_values, entry[4 : 4 + struct.calcsize(count_of_values)])
            field = entry[entry_size - inline :]
            unit = _TIFF_TYPE_SIZES.get(kind)
            if unit is None or n <= 0:
                continue
            length = unit * n
            if tag in _SUB_IFDS:
                values = _tiff_value(f, base, order, field, inline, offset_fmt, length)
                if values and kind in (4, 13, 16, 18):
                    fmt = "I" if unit == 4 else "Q"
                    queue += [v for (v,) in struct.iter_unpack(order + fmt, values[: len(values) // unit * unit])]
                continue
            if kind not in (1, 2, 7, 129) or length > MAX_VALUE_BYTES:
                continue
            read_left -= length
            if read_left < 0:
                yield Unreadable(ctx.at(label), "its metadata values are too large in total: the rest was not read")
                return
            data = _tiff_value(f, base, order, field, inline, offset_fmt, length)
            if data:
                yield from _exif_value(tag, kind, data, order, label, ctx)
        next_at = count * entry_size
        tail = table[next_at : next_at + struct.calcsize(offset_fmt)]
        if len(tail) == struct.calcsize(offset_fmt):
            queue.append(struct.unpack(order + offset_fmt, tail)[0])


def _tiff_value(f: IO[bytes], base: int, order: str, field: bytes, inline: int, offset_fmt: str, length: int) -> bytes:
    if length <= inline:
        return field[:length]
    (offset,) = struct.unpack(order + offset_fmt, field[: struct.calcsize(offset_fmt)])
    return _read_at(f, base + offset, length)


def _exif_value(tag: int, kind: int, data: bytes, order: str, label: str, ctx: _Ctx) -> Iterator[Item]:
    name = _EXIF_NAMES.get(tag, f"tag 0x{tag:04X}")
    where = ctx.at(f"{label} {name}")
    if tag in _XP_TAGS:  # Windows 'XP' tags: UTF-16LE whatever the byte order of the file
        yield from _pieces(where, data.decode("utf-16-le", "replace").rstrip("\x00"))
    elif tag == 0x9286:
        yield from _user_comment(where, data, order)
    elif tag == 700:
        yield from _text_data(data, where, ctx, markup=True)
    elif tag == 33723:
        yield from _iptc(data, ctx)
    elif tag == 34377:
        yield from _photoshop(data, ctx)
    elif kind == 2:
        yield from _meta(where, data)
    elif kind == 129:
        yield from _pieces(where, data.decode("utf-8", "replace").strip("\x00"))


def _user_comment(where: str, data: bytes, order: str) -> list[Piece]:
    """EXIF UserComment: an 8-byte character code, then the text."""
    code, text = data[:8], data[8:]
    if code.startswith(b"UNICODE"):
        if text.startswith((b"\xff\xfe", b"\xfe\xff")):
            return _pieces(where, text.decode("utf-16", "replace").rstrip("\x00"))
        # the standard says the file's byte order; writers disagree: the reading in which more
        # characters are common letters wins
        readings = [text[: len(text) // 2 * 2].decode(e, "replace").rstrip("\x00") for e in
                    (("utf-16-le", "utf-16-be") if order == "<" else ("utf-16-be", "utf-16-le"))]
        return _pieces(where, max(readings, key=_common_letters))
    if code.startswith(b"JIS"):
        for encoding in ("iso2022_jp", "shift_jis", "euc_jp"):
            try:
                return _pieces(where, text.decode(encoding).rstrip("\x00"))
            except UnicodeDecodeError:
                continue
    return _meta(where, text if code.startswith(b"ASCII") or code == b"\x00" * 8 else data)


def _common_letters(text: str) -> int:
    return sum(1 for c in text if c < "\u0600" and (c.isalnum() or c.isspace()))


_IPTC_NAMES = {5: "ObjectName", 15: "Category", 20: "SupplementalCategories", 25: "Keywords", 40: "SpecialInstructions",
               65: "OriginatingProgram", 80: "By-line", 85: "By-lineTitle", 90: "City", 92: "Sub-location",
               95: "Province-State", 100: "CountryCode", 101: "Country", 103: "OriginalTransmissionReference",
               105: "Headline", 110: "Credit", 115: "Source", 116: "CopyrightNotice", 118: "Contact",
               120: "Caption-Abstract", 122: "Writer-Editor"}


def _iptc(data: bytes, ctx: _Ctx) -> Iterator[Item]:
    """IPTC-IIM datasets: 0x1C, record, dataset, length, value."""
    pos, utf8, count = 0, False, 0
    while pos + 5 <= len(data) and count < MAX_STRUCTURES:
        if data[pos] != 0x1C:
            pos += 1
            continue
        record, dataset, (length,) = data[pos + 1], data[pos + 2], struct.unpack(">H", data[pos + 3 : pos + 5])
        pos += 5
        if length & 0x8000:  # extended length: the next (length & 0x7FFF) bytes
            size = length & 0x7FFF
            length = int.from_bytes(data[pos : pos + size], "big") if size <= 4 else 0
            pos += size
        value = data[pos : pos + length]
        pos += length
        count += 1
        if record == 1 and dataset == 90:
            utf8 = b"\x1b%G" in value
        elif record == 2 and dataset not in (0,):
            where = ctx.at(f"IPTC {_IPTC_NAMES.get(dataset, f'2:{dataset}')}")
            yield from (_pieces(where, value.decode("utf-8", "replace")) if utf8 else _meta(where, value))


def _photoshop(data: bytes, ctx: _Ctx) -> Iterator[Item]:
    """Photoshop image resources (JPEG APP13, TIFF tag 34377): IPTC, XMP and EXIF inside."""
    pos, count = 0, 0
    while pos + 12 <= len(data) and count < MAX_STRUCTURES:
        if data[pos : pos + 4] != b"8BIM":
            return
        (resource,) = struct.unpack(">H", data[pos + 4 : pos + 6])
        name_len = data[pos + 6]
        pos += 6 + 1 + name_len + ((1 + name_len) % 2)  # the Pascal name, padded to even
        (size,) = struct.unpack(">I", data[pos : pos + 4].ljust(4, b"\0"))
        value = data[pos + 4 : pos + 4 + size]
        pos += 4 + size + size % 2
        count += 1
        if resource == 0x0404:
            yield from _iptc(value, ctx)
        elif resource == 0x0424:
            yield from _text_data(value, ctx.at("XMP"), ctx, markup=True)
        elif resource in (0x0422, 0x0423):
            yield from _exif(io.BytesIO(value), 0, len(value), ctx)


def _jpeg(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    pos, comments, extended = 2, 0, []
    for _ in range(MAX_STRUCTURES):
        marker = _read_at(f, pos, 4)
        if len(marker) < 2 or marker[0] != 0xFF:
            break
        code = marker[1]
        if code == 0xFF:  # fill byte
            pos += 1
            continue
        if code in (0x01, 0xD8) or 0xD0 <= code <= 0xD7:
            pos += 2
            continue
        if code in (0xD9, 0xDA) or len(marker) < 4:  # end, or the image data: metadata comes before it
            break
        (length,) = struct.unpack(">H", marker[2:4])
        data = _read_at(f, pos + 4, max(0, length - 2))
        pos += 2 + length
        if code == 0xE1 and data.startswith(b"Exif\x00"):
            yield from _exif(io.BytesIO(data[6:]), 0, len(data) - 6, ctx)
        elif code == 0xE1 and data.startswith(b"http://ns.adobe.com/xap/1.0/\x00"):
            yield from _text_data(data[29:], ctx.at("XMP"), ctx, markup=True)
        elif code == 0xE1 and data.startswith(b"http://ns.adobe.com/xmp/extension/\x00"):
            if sum(map(len, extended)) < MAX_VALUE_BYTES:
                extended.append(data[35 + 32 + 8 :])  # GUID, full length, offset, then a part of the packet
        elif code == 0xED and data.startswith(b"Photoshop 3.0\x00"):
            yield from _photoshop(data[14:], ctx)
        elif code == 0xFE:
            comments += 1
            yield from _meta(ctx.at(f"JPEG comment {comments}"), data)
    if extended:
        yield from _text_data(b"".join(extended), ctx.at("extended XMP"), ctx, markup=True)


def _png(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    pos, texts = 8, 0
    for _ in range(MAX_STRUCTURES):
        header = _read_at(f, pos, 8)
        if len(header) < 8:
            return
        length, kind = struct.unpack(">I4s", header)
        start, pos = pos + 8, pos + 12 + length
        if kind == b"IEND":
            return
        if kind not in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
            continue
        texts += kind != b"eXIf"
        where = ctx.at(f"PNG {kind.decode()} chunk {texts}")
        if length > MAX_VALUE_BYTES:
            yield Unreadable(where, f"larger than {_human(MAX_VALUE_BYTES)}: not read")
            continue
        data = _read_at(f, start, length)
        yield from _guard(_png_chunk(kind, data, where, ctx), where, "the chunk")


def _png_chunk(kind: bytes, data: bytes, where: str, ctx: _Ctx) -> Iterator[Item]:
    if kind == b"eXIf":
        yield from _exif(io.BytesIO(data), 0, len(data), ctx)
        return
    keyword, _, rest = data.partition(b"\x00")
    yield from _meta(f"{where} keyword", keyword)
    if kind == b"tEXt":
        yield from _meta(where, rest)  # Latin-1 by the standard, UTF-8 in practice: both are tried
        return
    if kind == b"zTXt":
        yield from _text_data(_png_inflate(rest[1:], ctx), where, ctx)
        return
    compressed, rest = rest[:1] == b"\x01", rest[2:]
    language, _, rest = rest.partition(b"\x00")
    translated, _, text = rest.partition(b"\x00")
    for label, value in (("language", language), ("translated keyword", translated)):
        if value:
            yield from _meta(f"{where} {label}", value)
    if compressed:
        text = _png_inflate(text, ctx)
    yield from _text_data(text, where, ctx, encoding="utf-8", markup=keyword == b"XML:com.adobe.xmp" or None)


def _png_inflate(data: bytes, ctx: _Ctx) -> bytes:
    """A compressed PNG text: bounded by the expansion budget and by MAX_VALUE_BYTES in memory."""
    out, total = [], 0
    for piece in _inflate([data], zlib.decompressobj()):
        ctx.budget.take(len(piece))
        total += len(piece)
        if total > MAX_VALUE_BYTES:
            raise _Unreadable(f"its compressed text is larger than {_human(MAX_VALUE_BYTES)}: not read")
        out.append(piece)
    return b"".join(out)


def _gif(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """GIF blocks: comment, plain text and XMP extensions (image data is skipped)."""
    screen = _read_at(f, 6, 7)
    if len(screen) < 7:
        return
    pos = 13 + (3 * 2 ** ((screen[4] & 7) + 1) if screen[4] & 0x80 else 0)
    comments = 0
    for _ in range(MAX_STRUCTURES):
        intro = _read_at(f, pos, 2)
        if not intro or intro[0] == 0x3B:
            return
        if intro[0] == 0x2C:  # an image: descriptor, optional colour table, LZW size, data blocks
            descriptor = _read_at(f, pos, 10)
            if len(descriptor) < 10:
                return
            pos += 10 + (3 * 2 ** ((descriptor[9] & 7) + 1) if descriptor[9] & 0x80 else 0) + 1
            pos, _ = _gif_blocks(f, pos, keep=False)
            continue
        if intro[0] != 0x21 or len(intro) < 2:
            return
        label = intro[1]
        pos, blocks = _gif_blocks(f, pos + 2, keep=label in (0xFE, 0x01, 0xFF))
        if label == 0xFE:
            comments += 1
            yield from _meta(ctx.at(f"GIF comment {comments}"), b"".join(blocks))
        elif label == 0x01 and blocks:
            comments += 1
            yield from _meta(ctx.at(f"GIF plain text {comments}"), b"".join(blocks[1:]))
        elif label == 0xFF and blocks and blocks[0] == b"XMP DataXMP":
            # XMP in GIF is stored raw: the block length bytes are part of the packet
            packet = b"".join(bytes([len(b)]) + b for b in blocks[1:])
            end = packet.find(b"<?xpacket end")
            yield from _text_data(packet if end == -1 else packet[: packet.find(b">", end) + 1], ctx.at("XMP"), ctx,
                                  markup=True)


def _gif_blocks(f: IO[bytes], pos: int, keep: bool) -> tuple[int, list[bytes]]:
    blocks, total = [], 0
    for _ in range(1 << 20):
        length = _read_at(f, pos, 1)
        if not length or length[0] == 0:
            return pos + 1, blocks
        if keep and total < MAX_VALUE_BYTES:
            blocks.append(_read_at(f, pos + 1, length[0]))
            total += length[0]
        pos += 1 + length[0]
    return pos, blocks


# ------------------------------------------------------------------------------------------
# audio and video
# ------------------------------------------------------------------------------------------
_RIFF_INFO = frozenset(("INAM", "IART", "ICMT", "ICOP", "ICRD", "IENG", "IGNR", "IKEY", "IMED", "IPRD", "ISBJ", "ISFT",
                        "ISRC", "ISRF", "ITCH", "ISTR", "IPRT", "ITRK", "IDIT", "ILNG", "ISMP", "IARL", "ICMS",
                        "IDPI", "IMUS", "IPRO", "ISGN", "ISHP", "IWRI", "IPDS"))


def _riff(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """RIFF files (WebP, WAV, AVI): INFO lists, EXIF, XMP, iXML, bext, ID3 chunks."""
    (declared,) = struct.unpack("<I", _read_at(f, 4, 4))
    end = size if declared == 0xFFFFFFFF or _read_at(f, 0, 4) == b"RF64" else min(size, 8 + declared)
    stack, count, entries = [(12, end, False)], 0, 0
    while stack:
        pos, limit, info = stack.pop()
        while pos + 8 <= limit:
            count += 1
            if count > MAX_STRUCTURES:
                return
            chunk_id, length = struct.unpack("<4sI", _read_at(f, pos, 8))
            data_at, pos = pos + 8, pos + 8 + length + (length & 1)
            name = chunk_id.decode("latin-1")
            if name == "LIST":
                list_type = _read_at(f, data_at, 4)
                if list_type != b"movi" and len(stack) < 16:
                    stack.append((pos, limit, info))
                    pos, limit, info = data_at + 4, min(data_at + length, limit), list_type == b"INFO"
                continue
            wanted = info or name in ("EXIF", "XMP ", "_PMX", "iXML", "id3 ", "ID3 ", "strn", "bext", "DISP")
            if not wanted or length > MAX_VALUE_BYTES:
                continue
            data = _read_at(f, data_at, length)
            if info:
                entries += 1
                label = f"RIFF INFO {name}" if name in _RIFF_INFO else f"RIFF INFO entry {entries}"
                yield from _meta(ctx.at(label), data)
            elif name == "EXIF":
                exif = data[6:] if data.startswith(b"Exif\x00") else data
                yield from _exif(io.BytesIO(exif), 0, len(exif), ctx)
            elif name in ("XMP ", "_PMX", "iXML"):
                yield from _text_data(data, ctx.at("XMP" if name != "iXML" else "iXML"), ctx, markup=True)
            elif name in ("id3 ", "ID3 "):
                yield from _guard(_id3_bytes(data, ctx), ctx.at("ID3"), "the ID3 tag")
            elif name == "DISP" and data[:4] == b"\x01\x00\x00\x00":
                yield from _meta(ctx.at("RIFF DISP"), data[4:])
            else:
                yield from _meta(ctx.at(f"RIFF {name.strip()}"), data)


def _id3_bytes(data: bytes, ctx: _Ctx) -> Iterator[Item]:
    from mutagen.id3 import ID3

    tags = ID3(io.BytesIO(data))
    yield from _id3_frames(tags, ctx)


def _id3_frames(tags, ctx: _Ctx) -> Iterator[Item]:
    from mutagen.id3 import Frames, Frames_2_2

    pictures = 0
    for index, frame in enumerate(list(tags.values())[:MAX_STRUCTURES], start=1):
        frame_id = getattr(frame, "FrameID", "")
        known = frame_id in Frames or frame_id in Frames_2_2  # an unknown id is the file's text
        label = f"ID3 {frame_id}" if known else f"ID3 frame {index}"
        yield from _pieces(ctx.at(label), _clean(frame.pprint()))
        data = getattr(frame, "data", None)
        if frame_id in ("APIC", "GEOB", "PIC") and isinstance(data, bytes) and data:
            pictures += 1
            yield from _embedded(data, f"ID3 {frame_id} {pictures}", ctx)
        for sub in getattr(frame, "sub_frames", {}).values() if hasattr(frame, "sub_frames") else ():
            yield from _pieces(ctx.at(f"{label} sub-frame"), _clean(sub.pprint()))


def _embedded(data: bytes, label: str, ctx: _Ctx) -> Iterator[Item]:
    """A file inside a media file (cover picture, attachment): opened as a file."""
    if not ctx.can_open_members:
        yield Unreadable(ctx.at(label), f"nested more than {ctx.limits.max_depth} containers deep: not opened")
        return
    ctx.budget.take(len(data))
    yield from _extract_data(data, ctx.inner(label))


def _audio(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """Tags read by mutagen: ID3 (MP3, AIFF), Vorbis comments (FLAC, Ogg), ASF (WMA), APEv2."""
    import mutagen

    head = _read_at(f, 0, 10)
    if head.startswith(b"ID3") and len(head) == 10:
        tag_size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)
        if tag_size > 4 * MAX_VALUE_BYTES:
            raise _Unreadable(f"its ID3 tag is larger than {_human(4 * MAX_VALUE_BYTES)}: not read")
    try:  # through a window: mutagen looks at a file object's name, which a temporary file lacks
        media = mutagen.File(_window(f, 0, size))
    except Exception as error:
        media, failure = None, error
    else:
        failure = None
    if media is None and head.startswith(b"ID3"):  # broken or truncated audio: its tag alone
        from mutagen.id3 import ID3

        try:
            tags = ID3(_window(f, 0, size))
        except Exception as error:
            raise _Unreadable(f"its ID3 tag cannot be read ({type(error).__name__})") from None
        yield from _id3_frames(tags, ctx)
        return
    if failure is not None:
        raise _Unreadable(f"its tags cannot be read ({type(failure).__name__})")
    if media is None:
        raise _Unreadable("unknown format: its text cannot be read reliably")
    tags = media.tags
    if tags is not None:
        yield from _media_tags(tags, ctx)
    for index, picture in enumerate(getattr(media, "pictures", []) or [], start=1):  # FLAC
        if getattr(picture, "desc", ""):
            yield from _pieces(ctx.at(f"picture {index} description"), _clean(picture.desc))
        if getattr(picture, "data", b""):
            yield from _embedded(picture.data, f"picture {index}", ctx)


def _media_tags(tags, ctx: _Ctx) -> Iterator[Item]:
    from mutagen.id3 import ID3

    if isinstance(tags, ID3):
        yield from _id3_frames(tags, ctx)
        return
    from mutagen._vorbis import VComment

    kind = {"ASFTags": "ASF tag", "APEv2": "APE tag"}.get(type(tags).__name__, "tag")
    if isinstance(tags, VComment):
        kind = "Vorbis comment"
    items = list(tags) if isinstance(tags, list) else list(tags.items())
    for index, (key, value) in enumerate(items[:MAX_STRUCTURES], start=1):
        values = value if isinstance(value, list) else [value]
        texts = []
        for entry in values:
            if isinstance(entry, str):
                texts.append(entry)
                if key.upper() == "METADATA_BLOCK_PICTURE":
                    yield from _vorbis_picture(entry, index, ctx)
            elif isinstance(entry, bytes):
                texts += [text for _, text in _variants(bytes(entry))] if len(entry) < 4096 else []
            elif hasattr(entry, "value") and isinstance(entry.value, str):
                texts.append(entry.value)
            elif hasattr(entry, "__str__") and not isinstance(entry, (int, float, tuple)):
                texts.append(str(entry))
        if texts:
            yield from _pieces(ctx.at(f"{kind} {index}"), _clean(f"{key}=" + "\n".join(texts)))


def _vorbis_picture(value: str, index: int, ctx: _Ctx) -> Iterator[Item]:
    from mutagen.flac import Picture

    try:
        picture = Picture(base64.b64decode(value))
    except Exception:
        return
    if picture.desc:
        yield from _pieces(ctx.at(f"picture {index} description"), _clean(picture.desc))
    if picture.data:
        yield from _embedded(picture.data, f"picture {index}", ctx)


# --- Matroska / WebM ------------------------------------------------------------------------
_EBML_CONTAINERS = frozenset((0x18538067, 0x1549A966, 0x1654AE6B, 0xAE, 0x1043A770, 0x45B9, 0xB6, 0x80, 0x1254C367,
                              0x7373, 0x67C8, 0x1941A469, 0x61A7))
_EBML_TEXT = {0x7BA9: "title", 0x4D80: "muxing application", 0x5741: "writing application", 0x536E: "track name",
              0x85: "chapter title", 0x45A3: "tag name", 0x4487: "tag", 0x467E: "attachment description",
              0x466E: "attachment name"}
_EBML_FILE_DATA = 0x465C


def _ebml_number(f: IO[bytes], pos: int, is_id: bool) -> tuple[int | None, int]:
    """(value, length) of an EBML variable-length number at `pos`; None for an unknown size."""
    first = _read_at(f, pos, 1)
    if not first or first[0] == 0:
        raise _Unreadable("its Matroska structure is damaged: the rest was not read")
    length = 9 - first[0].bit_length()
    if length > (4 if is_id else 8):
        raise _Unreadable("its Matroska structure is damaged: the rest was not read")
    raw = _read_at(f, pos, length)
    if len(raw) < length:
        raise _Unreadable("the Matroska file is truncated")
    value = int.from_bytes(raw, "big")
    if is_id:
        return value, length
    value &= (1 << (7 * length)) - 1
    return (None if value == (1 << (7 * length)) - 1 else value), length


def _mkv(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """Matroska elements walked flat (IDs are unique): containers are entered, text elements read,
    attached files opened, everything else (clusters of video) skipped by its size."""
    pos, counts, attachment = 0, Counter(), 0
    for _ in range(MAX_STRUCTURES * 10):
        if pos >= size:
            return
        element, id_len = _ebml_number(f, pos, True)
        length, size_len = _ebml_number(f, pos + id_len, False)
        data_at = pos + id_len + size_len
        if element in _EBML_CONTAINERS or length is None:
            pos = data_at
            continue
        pos = data_at + length
        if element in _EBML_TEXT and length <= MAX_VALUE_BYTES:
            counts[element] += 1
            label = _EBML_TEXT[element]
            if element == 0x466E:
                attachment += 1
                label = f"MKV attachment {attachment} name"
            else:
                label = f"MKV {label} {counts[element]}"
            yield from _meta(ctx.at(label), _read_at(f, data_at, length))
        elif element == _EBML_FILE_DATA:
            label = f"MKV attachment {max(attachment, 1)}"
            if not ctx.can_open_members:
                yield Unreadable(ctx.at(label), f"nested more than {ctx.limits.max_depth} containers deep: not opened")
                continue
            ctx.budget.take(length)
            present = min(length, max(0, size - data_at))
            yield from _extract_member(_window(f, data_at, length), present, ctx.inner(label))
    yield Unreadable(ctx.whole, "too many Matroska elements: the rest was not read")


# --- MP4, MOV, 3GP, HEIC (ISO base media) ----------------------------------------------------
_BMFF_CONTAINERS = frozenset((b"moov", b"trak", b"udta", b"meta", b"ilst", b"----"))
_3GPP_TEXT = frozenset((b"titl", b"auth", b"perf", b"dscp", b"cprt", b"gnre", b"albm", b"kywd", b"loci", b"clsf"))
_XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def _bmff(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    """Boxes of moov/udta/meta/ilst: iTunes-style tags, QuickTime text atoms, 3GPP text boxes,
    XMP. The media data is skipped."""
    stack, count, texts = [(0, size, b"")], 0, 0
    while stack:
        pos, end, parent = stack.pop()
        while pos + 8 <= end:
            count += 1
            if count > MAX_STRUCTURES:
                return
            length, box = struct.unpack(">I4s", _read_at(f, pos, 8))
            header = 8
            if length == 1:
                (length,) = struct.unpack(">Q", _read_at(f, pos + 8, 8).ljust(8, b"\0"))
                header = 16
            elif length == 0:
                length = end - pos
            if length < header:
                break
            data_at, next_pos = pos + header, min(pos + length, end)
            body = next_pos - data_at
            if box in _BMFF_CONTAINERS or parent == b"ilst":
                if box == b"meta" and _read_at(f, data_at + 8, 4) in (b"hdlr", b"keys", b"ilst", b"pitm", b"iinf"):
                    data_at += 4  # ISO 'meta' is a full box: version and flags first (QuickTime's is not)
                if len(stack) < 16:
                    stack.append((next_pos, end, parent))
                    pos, end, parent = data_at, next_pos, box
                    continue
            elif 0 < body <= MAX_VALUE_BYTES and (box == b"data" or box[:1] == b"\xa9" or box in _3GPP_TEXT
                                                 or box in (b"XMP_", b"keys", b"name", b"mean")
                                                 or (box == b"uuid" and _read_at(f, data_at, 16) == _XMP_UUID)):
                texts += 1
                yield from _bmff_box(box, _read_at(f, data_at, body), parent, texts, ctx)
            pos = next_pos


def _bmff_box(box: bytes, data: bytes, parent: bytes, index: int, ctx: _Ctx) -> Iterator[Item]:
    where = ctx.at(f"MP4 tag {index}")
    if box == b"data":  # iTunes-style value: a type code, a locale, the value
        kind = int.from_bytes(data[1:4], "big") if len(data) >= 8 else -1
        value = data[8:]
        if kind in (13, 14, 27):
            yield from _embedded(value, f"MP4 picture {index}", ctx)
        elif kind in (2, 5):
            yield from _pieces(where, value.decode("utf-16-be", "replace"))
        elif kind in (0, 1, 4) and value:
            yield from _meta(where, value)
    elif box == b"XMP_" or (box == b"uuid" and data[:16] == _XMP_UUID):
        yield from _text_data(data[16:] if box == b"uuid" else data, ctx.at("XMP"), ctx, markup=True)
    elif box == b"keys":  # QuickTime metadata key names
        pos, names = 8, []
        while pos + 8 <= len(data) and len(names) < 10_000:
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            if length < 8:
                break
            names.append(data[pos + 8 : pos + length])
            pos += length
        yield from _meta(where, b"\n".join(names))
    elif box in (b"name", b"mean"):
        yield from _meta(where, data[4:] if parent == b"----" else data)
    elif box in _3GPP_TEXT:  # full box, language, then UTF-8 or UTF-16 with a BOM
        yield from _meta(where, data[6:])
    elif box[:1] == b"\xa9" and parent != b"ilst":  # QuickTime text atom: (length, language, text)*
        pos = 0
        while pos + 4 <= len(data):
            (length,) = struct.unpack(">H", data[pos : pos + 2])
            yield from _meta(where, data[pos + 4 : pos + 4 + length])
            pos += 4 + length


# ------------------------------------------------------------------------------------------
# raw strings (like `strings`)
# ------------------------------------------------------------------------------------------
RAW_OVERLAP = 512  # bytes re-read from the previous chunk, so a string cut by a chunk boundary is seen whole
_UTF8_CLASS = r"[^\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ud800-\udfff]"
_UTF8_RUN = re.compile(_UTF8_CLASS + r"{4,}")
_UTF8_TRAILING = re.compile(_UTF8_CLASS + r"+\Z")
_UTF16_RUN = re.compile(r"[\x20-\x7e\xa0-\u05ff\u2000-\u2027\u2030-\u205e\u20a0-\u20cf]{4,}")
# legacy Cyrillic letters: 0xC0-0xFF in both code pages, and Ukrainian letters and ’ below them
_CYRILLIC = rb"\xc0-\xff\x92\xa4-\xa7\xaa\xad\xaf\xb2-\xb4\xb6\xb7\xba\xbd\xbf"
_CYRILLIC_RUN = re.compile(rb"[" + _CYRILLIC + rb"][" + _CYRILLIC + rb" '\-]{2,}[" + _CYRILLIC + rb"]")
_CYRILLIC_TRAILING = re.compile(rb"[" + _CYRILLIC + rb" '\-]+\Z")
_MASK_RUN = re.compile(rb"\x01{4,}")
_HIGH_ZERO = bytes(1 if b == 0 else 0 for b in range(256))
_HIGH_OTHER = bytes(1 if b in (1, 2, 3, 4, 5, 0x20) else 0 for b in range(256))
_LOW_PRINTABLE = bytes(1 if 0x20 <= b < 0x7F or b >= 0xA0 else 0 for b in range(256))


_ZEROS = b"\x00" * 16  # shortened to two NUL bytes: strings stay apart, UTF-16 keeps its alignment


def _split_trailing(data, trailing: re.Pattern, limit: int):
    """(what to scan now, what to scan with the next chunk): a string at the end of a chunk may
    go on in the next one, so it waits. One longer than `limit` is scanned now and its last
    `limit` characters again with the next chunk (a name in it is whole in one of the two)."""
    match = trailing.search(data, max(0, len(data) - limit))
    if match is None:
        return data, data[:0]
    if match.start() > len(data) - limit:
        return data[: match.start()], data[match.start() :]
    return data, data[-limit:]


def _raw_strings(f: IO[bytes], size: int, ctx: _Ctx) -> Iterator[Item]:
    # findall, not finditer: millions of short strings in compressed data are built in C
    sinks = {name: _Chunker(ctx.at(f"raw strings ({name})")) for name in
             ("utf-8", "utf-16-le", "utf-16-be", "cp1251", "koi8-u")}
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    text_carry, cyrillic_carry, byte_tail = "", b"", b""
    for chunk in itertools.chain(_chunks(f), [b""]):
        last = not chunk
        chunk = chunk.replace(_ZEROS, b"\x00\x00")  # zero-filled stretches are scanned quickly
        text = text_carry + decoder.decode(chunk, final=last)
        text, text_carry = (text, "") if last else _split_trailing(text, _UTF8_TRAILING, OVERLAP_CHARS)
        runs = _UTF8_RUN.findall(text)
        if runs:
            yield from sinks["utf-8"].feed("\n".join(runs) + "\n")
        data = cyrillic_carry + chunk
        data, cyrillic_carry = (data, b"") if last else _split_trailing(data, _CYRILLIC_TRAILING, RAW_OVERLAP)
        cyrillic = _CYRILLIC_RUN.findall(data)
        if cyrillic:
            joined = b"\n".join(cyrillic) + b"\n"
            yield from sinks["cp1251"].feed(joined.decode("cp1251", "replace"))
            yield from sinks["koi8-u"].feed(joined.decode("koi8_u", "replace"))
        if not last:
            buf = byte_tail + chunk
            for name, found in _utf16_runs(buf, len(byte_tail)):
                yield from sinks[name].feed("\n".join(found) + "\n")
            byte_tail = buf[-RAW_OVERLAP:]
    for sink in sinks.values():
        yield from sink.close()


def _utf16_runs(buf: bytes, seen: int) -> list[tuple[str, list[str]]]:
    """UTF-16 strings (LE and BE, at even and odd offsets) of Latin, Greek, Cyrillic, Hebrew
    letters and punctuation. A quick test on the high bytes skips buffers without any: it is
    done on whole buffers at once with integers as bit vectors."""
    evens, odds = buf[0::2], buf[1::2]
    n = len(odds)
    evens = evens[:n]
    if n < 4:
        return []

    def bits(data: bytes, table: bytes) -> int:
        return int.from_bytes(data.translate(table), "little")

    zero_e, other_e, low_e = bits(evens, _HIGH_ZERO), bits(evens, _HIGH_OTHER), bits(evens, _LOW_PRINTABLE)
    zero_o, other_o, low_o = bits(odds, _HIGH_ZERO), bits(odds, _HIGH_OTHER), bits(odds, _LOW_PRINTABLE)
    candidates = (  # (encoding, byte offset, one bit per character that may belong to a string)
        ("utf-16-le", 0, (zero_o & low_e) | other_o),
        ("utf-16-be", 0, (zero_e & low_o) | other_e),
        ("utf-16-le", 1, ((zero_e >> 8) & low_o) | (other_e >> 8)),
        ("utf-16-be", 1, (zero_o & (low_e >> 8)) | other_o),
    )
    out: dict[str, list[str]] = {}
    for encoding, offset, mask in candidates:
        pairs = mask & (mask >> 8)
        if not pairs & (pairs >> 16):  # no 4 characters in a row
            continue
        found = out.setdefault(encoding, [])
        for run in _MASK_RUN.finditer(mask.to_bytes(n, "little")):  # only the stretches that may be strings
            start, end = offset + 2 * run.start(), offset + 2 * run.end()
            if end > seen:
                found += _UTF16_RUN.findall(buf[start:end].decode(encoding, "replace"))
    return [(encoding, found) for encoding, found in out.items() if found]


_READERS: dict[str, Callable[[IO[bytes], int, _Ctx], Iterator[Item]]] = {
    "pdf": _pdf, "zip": _zip, "tar": _tar, "gzip": _compressed("gzip"), "bzip2": _compressed("bzip2"),
    "xz": _compressed("xz"), "png": _png, "jpeg": _jpeg, "gif": _gif,
    "tiff": lambda f, size, ctx: _exif(f, 0, size, ctx),
    "riff": _riff, "mkv": _mkv, "bmff": _bmff, "audio": _audio, "rtf": _rtf, "email": _email,
}
