"""Recognising a file's format from its content, and the dispatcher: the format's reader, then
(for text with NUL bytes, a format no reader reads, or a reader that failed) the raw strings.
`extract` and `extract_bytes` start here."""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ._base import HEAD_BYTES, Budget, Ctx, Items, Limits, Piece, Reader, Unreadable, guard, too_deep
from ._files import read_at
from .archives import read_compressed, read_tar, read_zip, zip_end
from .images import read_exif, read_gif, read_jpeg, read_png
from .mail import read_email
from .media import read_audio, read_bmff, read_mkv, read_riff
from .pdf import read_pdf
from .raw import raw_strings
from .rtf import read_rtf
from .text import text_encoding, text_file


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
    encoding = text_encoding(head)
    if encoding is not None:
        if encoding == "utf-8" and _looks_like_email(head):
            return _Kind("email")
        return _Kind("text", encoding=encoding)
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return _Kind("audio")  # an MPEG audio frame; the audio reader says when it is not one
    if zip_end(f, size) is not None:
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


def _looks_like_email(head: bytes) -> bool:
    """Headers from the first byte: a mbox 'From ' line, or header lines with a name only mail
    has (Received:, MIME-Version:, ...) or From: together with Subject:/To:/Date:."""
    names: set[bytes] = set()
    pos, mbox = 0, head.startswith(b"From ")
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


def _extract_file(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """Everything readable in one file or nested content: its format's text, then its raw strings."""
    if size <= 0:
        return
    head = read_at(f, 0, HEAD_BYTES)
    kind = _sniff(head, f, size)
    raw_needed = True
    if kind.name == "text":
        clean = yield from guard(text_file(f, head, kind.encoding or "utf-8", ctx), ctx.whole, "the text")
        raw_needed = not clean
    elif kind.name in _READERS:
        # a format casefile reads holds its text where the reader looks; the rest is compressed
        # payload (pixels, sound, deflated streams), whose "strings" are noise that would match
        # short names by chance in a large file. Its raw strings are read only if the reader failed.
        failed = False
        for item in guard(_READERS[kind.name](f, size, ctx), ctx.whole, f"the {kind.name} content"):
            failed = failed or (isinstance(item, Unreadable) and item.where == ctx.whole)
            yield item
        raw_needed = failed
        if kind.name != "zip" and zip_end(f, size) is not None:
            if ctx.can_open_members:
                yield from guard(read_zip(f, size, ctx.inner("appended zip archive")), ctx.at("appended zip archive"),
                                 "the appended zip archive")
            else:
                yield too_deep(ctx)
    if raw_needed:
        yield from guard(raw_strings(f, size, ctx), ctx.whole, "the raw strings")
    # an unknown part inside a container casefile reads (a document's printer settings, an
    # embedded binary) has had its raw strings read: only a whole file of unknown format is
    # reported as unreadable
    if kind.note and not (kind.name == "unknown" and ctx.depth > 0):
        yield Unreadable(ctx.whole, kind.note)


_READERS: dict[str, Reader] = {
    "pdf": read_pdf, "zip": read_zip, "tar": read_tar, "gzip": read_compressed("gzip"),
    "bzip2": read_compressed("bzip2"), "xz": read_compressed("xz"), "png": read_png, "jpeg": read_jpeg, "gif": read_gif,
    "tiff": lambda f, size, ctx: read_exif(f, 0, size, ctx),
    "riff": read_riff, "mkv": read_mkv, "bmff": read_bmff, "audio": read_audio, "rtf": read_rtf, "email": read_email,
}


_DEFAULT_LIMITS = Limits()  # frozen: one instance serves every call


def extract(path: Path, *, limits: Limits = _DEFAULT_LIMITS) -> Iterator[Piece | Unreadable]:
    """Text of the file at `path` (see the package docstring). Streams: memory does not grow
    with the file's size."""
    ctx = Ctx(limits, Budget(limits.max_expanded_bytes), _extract_file)
    with contextlib.ExitStack() as stack:
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                yield Unreadable(ctx.whole, "not a regular file: not read")
                return
            handle = stack.enter_context(open(path, "rb"))
        except OSError as error:
            yield Unreadable(ctx.whole, f"the file cannot be opened ({type(error).__name__})")
            return
        yield from _extract_file(handle, info.st_size, ctx)


def extract_bytes(data: bytes, *, label: str = "file",
                  limits: Limits = _DEFAULT_LIMITS) -> Iterator[Piece | Unreadable]:
    """Text of `data` (see the package docstring). `label` names the whole input in the `where`
    of items about all of it (e.g. an unknown format); keep file names out of it."""
    ctx = Ctx(limits, Budget(limits.max_expanded_bytes), _extract_file, label=label)
    yield from _extract_file(io.BytesIO(data), len(data), ctx)
