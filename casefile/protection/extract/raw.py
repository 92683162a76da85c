"""Raw strings, like `strings`: the printable runs of the raw bytes in UTF-8, UTF-16 (both byte
orders, both alignments) and legacy Cyrillic (cp1251, KOI8-U), for a format no reader reads
(or whose reader failed)."""

from __future__ import annotations

import codecs
import itertools
import re
from typing import IO, AnyStr

from ._base import OVERLAP_CHARS, Ctx, Items
from ._files import chunks
from ._pieces import Chunker

RAW_OVERLAP = 512  # bytes re-read from the previous chunk, so a string cut by a chunk boundary is seen whole
_UTF8_CLASS = r"[^\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ud800-\udfff]"
_UTF8_RUN = re.compile(_UTF8_CLASS + r"{4,}")
_UTF8_TRAILING = re.compile(_UTF8_CLASS + r"+\Z")
_UTF16_RUN = re.compile(r"[\x20-\x7e\xa0-\u05ff\u2000-\u2027\u2030-\u205e\u20a0-\u20cf]{4,}")
# legacy Cyrillic letters: 0xC0-0xFF in both code pages, and Ukrainian letters and the apostrophe
# (U+2019) below them
_CYRILLIC = rb"\xc0-\xff\x92\xa4-\xa7\xaa\xad\xaf\xb2-\xb4\xb6\xb7\xba\xbd\xbf"
_CYRILLIC_RUN = re.compile(rb"[" + _CYRILLIC + rb"][" + _CYRILLIC + rb" '\-]{2,}[" + _CYRILLIC + rb"]")
_CYRILLIC_TRAILING = re.compile(rb"[" + _CYRILLIC + rb" '\-]+\Z")
_MASK_RUN = re.compile(rb"\x01{4,}")
_HIGH_ZERO = bytes(1 if b == 0 else 0 for b in range(256))
_HIGH_OTHER = bytes(1 if b in (1, 2, 3, 4, 5, 0x20) else 0 for b in range(256))
_LOW_PRINTABLE = bytes(1 if 0x20 <= b < 0x7F or b >= 0xA0 else 0 for b in range(256))


_ZEROS = b"\x00" * 16  # shortened to two NUL bytes: strings stay apart, UTF-16 keeps its alignment


def _split_trailing(data: AnyStr, trailing: re.Pattern[AnyStr], limit: int) -> tuple[AnyStr, AnyStr]:
    """(what to scan now, what to scan with the next chunk): a string at the end of a chunk may
    go on in the next one, so it waits. One longer than `limit` is scanned now and its last
    `limit` characters again with the next chunk (a name in it is whole in one of the two)."""
    match = trailing.search(data, max(0, len(data) - limit))
    if match is None:
        return data, data[:0]
    if match.start() > len(data) - limit:
        return data[: match.start()], data[match.start() :]
    return data, data[-limit:]


def raw_strings(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    # findall, not finditer: millions of short strings in compressed data are built in C
    sinks = {name: Chunker(ctx.at(f"raw strings ({name})")) for name in
             ("utf-8", "utf-16-le", "utf-16-be", "cp1251", "koi8-u")}
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    text_carry, cyrillic_carry, byte_tail = "", b"", b""
    for chunk in itertools.chain(chunks(f), [b""]):
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
