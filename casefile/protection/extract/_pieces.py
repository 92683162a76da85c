"""Text into Pieces: long texts cut into overlapping chunks, short byte strings (metadata values)
decoded as UTF-8 or as each legacy encoding, lone surrogates removed."""

from __future__ import annotations

from collections.abc import Iterable

from ._base import CHUNK_CHARS, LEGACY, OVERLAP_CHARS, SHOWN, Piece


class Chunker:
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


def pieces_of(where: str, text: str) -> list[Piece]:
    chunker = Chunker(where)
    return chunker.feed(text) + chunker.close()


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def variants(data: bytes, legacy: Iterable[str] = LEGACY) -> list[tuple[str, str]]:
    """(suffix for `where`, text) of a short byte string: as UTF-8 (or UTF-16 with a BOM) when
    valid, otherwise as each legacy encoding: guessing one would miss the others."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and len(data) % 2 == 0:
        return [("", data.decode("utf-16", "replace"))]
    if is_utf8(data):
        return [("", data.decode("utf-8"))]
    return [(f" (as {SHOWN.get(enc, enc)})", data.decode(enc, "replace")) for enc in legacy]


def meta(where: str, value: bytes | str, legacy: Iterable[str] = LEGACY) -> list[Piece]:
    """Pieces of one metadata value (a tag, a header, a name)."""
    if isinstance(value, str):
        return pieces_of(where, clean(value))
    value = value.strip(b"\x00")
    out: list[Piece] = []
    for suffix, text in variants(value, legacy):
        out += pieces_of(where + suffix, text.replace("\x00", "\n"))
    return out


def clean(text: str) -> str:
    """No lone surrogates (from undecodable bytes) in a Piece."""
    return text.encode("utf-8", "replace").decode("utf-8") if any("\ud800" <= c <= "\udfff" for c in text) else text
