"""Plain text: its encoding recognised (UTF-8, UTF-16 and UTF-32 with or without BOM), decoded
in a stream into Pieces (as is, without tags, with escapes decoded), and read again as each
legacy encoding (and a charset the file declares) when it is not UTF-8."""

from __future__ import annotations

import codecs
import io
import itertools
import re
from collections import Counter
from collections.abc import Generator
from typing import IO

from ._base import HEAD_BYTES, LEGACY, SHOWN, Ctx, Item, Piece
from ._files import chunks, extract_spool
from ._pieces import Chunker
from .markup import DataUris, TagStripper, Unescaper

# bytes that do not occur in text: controls other than \t \n \v \f \r and ESC
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)


def text_encoding(head: bytes) -> str | None:
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


class _TextSinks:
    """One decoded text stream into Pieces: as is, and (when asked) without tags, with \\u and
    %-escapes decoded."""

    def __init__(self, base: str, suffix: str, markup: bool):
        self._plain = Chunker(base + suffix)
        self._tags = (TagStripper(), Chunker(f"{base} without tags{suffix}")) if markup else None
        self._escapes = [(Unescaper(kind), Chunker(f"{base} ({name} decoded){suffix}"))
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


_DECLARED_CHARSET = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:\-]{2,40})""", re.I)
_MARKUP_HINT = re.compile(r"<[A-Za-z!?/][^<>]{0,300}>|&(?:#\d{2,7}|#x[0-9a-fA-F]{2,6}|[A-Za-z]{2,8});")


def text_file(f: IO[bytes], head: bytes, encoding: str, ctx: Ctx) -> Generator[Item, None, bool]:
    """A text file: returns True when it was fully decoded (no NUL bytes: no raw strings needed)."""
    extra = _declared_charset(head)
    return (yield from text_stream(f, ctx.at("text"), ctx, encoding, markup=None, extra_legacy=extra))


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


def text_stream(f: IO[bytes], base: str, ctx: Ctx, encoding: str | None, *, markup: bool | None,
                extra_legacy: tuple[str, ...] = (), legacy_too: bool = False) -> Generator[Item, None, bool]:
    """Decodes a stream of text into Pieces named `base`. A UTF-8 stream that turns out not to
    be valid UTF-8 is read again as each legacy encoding (so is any 8-bit stream when
    `legacy_too`: a declared charset may be wrong). `encoding` None: recognised from the start;
    `markup` None: decided from the start. Returns True when there was no NUL byte."""
    f.seek(0)
    head = f.read(HEAD_BYTES)
    if encoding is None:
        encoding = text_encoding(head) or "utf-8"
    if markup is None:
        markup = bool(_MARKUP_HINT.search(head[:16384].decode(encoding, "replace")))
    eight_bit = codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    try:
        decoder = codecs.getincrementaldecoder(encoding)("replace")
    except LookupError:
        decoder, encoding, eight_bit = codecs.getincrementaldecoder("utf-8")("replace"), "utf-8", True
    suffix = "" if eight_bit else f" (as {encoding})"
    sinks = _TextSinks(base, suffix, markup)
    uris = DataUris(ctx.budget, ctx.limits.max_members) if markup and ctx.can_open_members else None
    replaced_in, replaced_out, nul, ascii_only = 0, 0, False, True
    for chunk in itertools.chain(chunks(f), [b""]):
        text = decoder.decode(chunk, final=not chunk)
        ascii_only = ascii_only and chunk.isascii()
        if eight_bit:
            replaced_in += chunk.count(b"\xef\xbf\xbd")  # U+FFFD written in the file itself
            replaced_out += text.count("\ufffd")
            nul = nul or b"\x00" in chunk
        yield from sinks.feed(text)
        if uris is not None:
            for number, spool in uris.feed(text) if chunk else uris.close():
                yield from extract_spool(spool, ctx.inner(f"data URI {number}"))
    yield from sinks.close()
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    needs_legacy = replaced_out > replaced_in if eight_bit else legacy_too and not wide and not ascii_only
    if not needs_legacy:
        return not nul
    # not UTF-8: every legacy reading, in one more pass
    legacy = tuple(dict.fromkeys((*extra_legacy, *LEGACY)))
    readers = [(codecs.getincrementaldecoder(enc)("replace"), _TextSinks(base, f" (as {SHOWN.get(enc, enc)})", markup))
               for enc in legacy]
    for chunk in chunks(f):
        for decoder, sinks in readers:
            yield from sinks.feed(decoder.decode(chunk))
    for decoder, sinks in readers:
        yield from sinks.feed(decoder.decode(b"", final=True))
        yield from sinks.close()
    return not nul


def text_data(data: bytes, base: str, ctx: Ctx, *, encoding: str | None = None, markup: bool | None = None,
              legacy_too: bool = False) -> Generator[Item, None, bool]:
    """A text held in memory (XMP packet, PNG text, e-mail body), through the text reader."""
    clean = yield from text_stream(io.BytesIO(data), base, ctx, encoding, markup=markup, legacy_too=legacy_too)
    return clean
