"""The items extraction yields, its limits, and what every reader shares: the context of the
content being read (where it sits, how deep, the expansion budget), the errors readers raise,
and the guard that turns any failure into an Unreadable."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, replace
from typing import IO, TypeVar


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
Items = Generator[Item, None, None]  # what a reader yields

READ_BYTES = 1 << 20  # files are read this much at a time
HEAD_BYTES = 64 << 10  # the start of a file, for recognising its format
SPOOL_MEMORY = 4 << 20  # nested content larger than this goes to a temporary file
MAX_VALUE_BYTES = 16 << 20  # one metadata value (an EXIF tag, a PNG chunk) read into memory
MAX_EMAIL_BYTES = 32 << 20  # the stdlib e-mail parser holds a message in memory: larger ones are read as text
MAX_STRUCTURES = 100_000  # segments, chunks, boxes, IFD entries, parts walked in one file
LEGACY = ("cp1251", "koi8_u", "latin-1")  # 8-bit encodings tried when bytes are not UTF-8
SHOWN = {"cp1251": "cp1251", "koi8_u": "koi8-u", "latin-1": "latin-1", "cp866": "cp866"}


class CannotRead(Exception):
    """Raised inside a reader: the part it reads becomes an Unreadable with this reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class LimitReached(CannotRead):
    """The expansion budget of the whole file is used up: nothing more is unpacked."""


def human(n: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


class Budget:
    """Bytes that may still be unpacked from the containers of one file (shared by all levels)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.left = limit

    def take(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise LimitReached(f"the file unpacks to more than {human(self.limit)} (the limit): "
                               "the rest was not read")


@dataclass(frozen=True)
class Ctx:
    limits: Limits
    budget: Budget
    # the dispatcher, which reads nested content (a member, an attachment) as a file: passed in
    # rather than imported, so the readers it calls do not import it back
    read_file: Reader
    depth: int = 0
    prefix: str = ""  # where this content sits in the top-level file ("zip member 3"); "" at the top
    label: str = "file"

    def at(self, local: str) -> str:
        return f"{self.prefix} > {local}" if self.prefix else local

    @property
    def whole(self) -> str:
        return self.prefix or self.label

    def inner(self, local: str) -> Ctx:
        return replace(self, depth=self.depth + 1, prefix=self.at(local))

    @property
    def can_open_members(self) -> bool:
        return self.depth < self.limits.max_depth


# a format's reader: (the file, its size, where it sits) -> its items
Reader = Callable[[IO[bytes], int, Ctx], Items]


def too_deep(ctx: Ctx) -> Unreadable:
    return Unreadable(ctx.whole, f"nested more than {ctx.limits.max_depth} containers deep: its content was not opened")


T = TypeVar("T")


def guard(items: Generator[Item, None, T], where: str, what: str) -> Generator[Item, None, T | None]:
    """Items of a reader; an exception becomes an Unreadable (for bad input nothing may raise).
    Returns what the reader returns (None when it failed)."""
    try:
        return (yield from items)
    except CannotRead as error:
        yield Unreadable(where, error.reason)
    except RecursionError:
        yield Unreadable(where, f"{what} is nested too deeply to be read")
    except MemoryError:
        yield Unreadable(where, f"{what} is too large to be read")
    except Exception as error:  # a parser's bug or a malformed file: never out of the generator
        yield Unreadable(where, f"{what} could not be read ({type(error).__name__})")
    return None

