"""Files and nested content: views of part of a file, spools for unpacked content, reading in
chunks, bounded decompression, and reading nested content as a file (through the dispatcher the
context carries)."""

from __future__ import annotations

import bz2
import io
import lzma
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING

from ._base import READ_BYTES, SPOOL_MEMORY, Budget, Ctx, Items, guard

if TYPE_CHECKING:
    from typing import TypeAlias

    from _typeshed import WriteableBuffer

    # zlib's decompressor class is not exposed at runtime (typeshed calls it _Decompress)
    Decompressor: TypeAlias = zlib._Decompress | bz2.BZ2Decompressor | lzma.LZMADecompressor


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

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        view = memoryview(buffer).cast("B")
        n = min(len(view), self._length - self._pos)
        if n <= 0:
            return 0
        self._base.seek(self._start + self._pos)
        data = self._base.read(n)
        view[: len(data)] = data
        self._pos += len(data)
        return len(data)


def window(base: IO[bytes], start: int, length: int) -> IO[bytes]:
    """A buffered _Window: readers that read a few bytes at a time (lines, headers) stay fast."""
    return io.BufferedReader(_Window(base, start, length), 1 << 16)


class Spool:
    """Unpacked content being written: in memory while small, then in a temporary file. The
    budget is charged for every byte written."""

    def __init__(self, budget: Budget):
        # no `with`: the spool outlives this call, and close() closes the file
        self.file: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=SPOOL_MEMORY, prefix="casefile-extract-")
        self.size = 0
        self._budget: Budget | None = budget

    @classmethod
    def view(cls, base: IO[bytes], start: int, length: int) -> Spool:
        """Content that is a stretch of `base` as it is (a stored member): not copied."""
        spool = cls.__new__(cls)
        spool.file, spool.size, spool._budget = window(base, start, length), length, None
        return spool

    def write(self, data: bytes) -> None:
        if data:
            if self._budget is None:
                raise io.UnsupportedOperation("a view of stored content is read-only")
            self._budget.take(len(data))
            self.file.write(data)
            self.size += len(data)

    def close(self) -> None:
        self.file.close()


def chunks(f: IO[bytes], start: int = 0, length: int | None = None, size: int = READ_BYTES) -> Iterator[bytes]:
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


def read_at(f: IO[bytes], offset: int, n: int) -> bytes:
    f.seek(offset)
    return f.read(n)


_ZLIB = type(zlib.decompressobj())


def inflate(pieces: Iterable[bytes], decompressor: Decompressor) -> Iterator[bytes]:
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


def rewound(spool: Spool) -> Spool:
    spool.file.seek(0)
    return spool


def extract_member(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """A member of a container (already under ctx.inner): recursion with every failure contained."""
    yield from guard(ctx.read_file(f, size, ctx), ctx.whole, "the member")


def extract_data(data: bytes, ctx: Ctx) -> Items:
    yield from extract_member(io.BytesIO(data), len(data), ctx)


def extract_spool(spool: Spool, ctx: Ctx) -> Items:
    try:
        yield from extract_member(spool.file, spool.size, ctx)
    finally:
        spool.close()
