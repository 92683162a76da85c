"""Archives and compressed streams: ZIP (DOCX/XLSX/PPTX, ODT/ODS/ODP, EPUB, plain; also
truncated ones, read from their local headers), tar, gzip, bzip2, xz. Member names and comments
are Pieces; every member is opened as a file."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import struct
import tarfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from ._base import LEGACY, READ_BYTES, Budget, CannotRead, Ctx, Item, Items, LimitReached, Reader, Unreadable, too_deep
from ._files import Spool, chunks, extract_member, extract_spool, inflate, read_at, rewound, window
from ._pieces import meta

if TYPE_CHECKING:
    from ._files import Decompressor


# --- ZIP ------------------------------------------------------------------------------------
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


def zip_end(f: IO[bytes], size: int) -> tuple[int, int, int, bytes, int] | None:
    """(entries, central directory size, its offset, archive comment, shift) from the end record,
    or None when the file does not end like a zip archive. `shift`: bytes of other data before
    the archive (self-extracting archives), to add to the offsets the archive records."""
    if size < 22:
        return None
    tail_start = max(0, size - 22 - 65535)
    tail = read_at(f, tail_start, size - tail_start)
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
    locator = read_at(f, record - 20, 20) if record >= 20 else b""
    if len(locator) < 20 or not locator.startswith(b"PK\x06\x07"):
        return None
    (offset,) = struct.unpack("<Q", locator[8:16])
    end = read_at(f, offset, 56)
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
        fixed = read_at(f, pos, 46)
        if len(fixed) < 46 or not fixed.startswith(b"PK\x01\x02"):
            raise CannotRead("the zip central directory is damaged: the rest of the archive was not read")
        (flags, method, crc, compressed, size, name_len, extra_len, comment_len, offset) = struct.unpack(
            "<8xHH4xIIIHHH8xI", fixed)
        variable = read_at(f, pos + 46, name_len + extra_len + comment_len)
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


def read_zip(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    end = zip_end(f, size)
    if end is None:
        yield Unreadable(ctx.whole, "the zip archive is truncated or damaged (no central directory): "
                                    "its members were read from their local headers")
        yield from _zip_salvage(f, size, ctx)
        return
    entries, cd_size, cd_offset, comment, shift = end
    if comment:
        yield from meta(ctx.at("zip comment"), comment)
    if entries > ctx.limits.max_members:
        yield Unreadable(ctx.whole, f"the archive has {entries} entries, more than {ctx.limits.max_members}: "
                                    f"only the first {ctx.limits.max_members} were read")
    if not ctx.can_open_members:
        yield too_deep(ctx)
    count = 0
    for entry in _zip_entries(f, cd_offset, cd_size, shift, ctx.limits.max_members):
        count += 1
        if count > ctx.limits.max_members:
            break
        yield from _zip_names(entry, ctx)
        if (entry.name.endswith(b"/") and entry.size == 0) or not ctx.can_open_members:
            continue
        stop = yield from _zip_member(f, entry, ctx)
        if stop:
            return


def _zip_names(entry: _ZipEntry, ctx: Ctx) -> Items:
    where = ctx.at(f"zip member {entry.index} name")
    if entry.unicode_name:
        yield from meta(where, entry.unicode_name)
    if entry.flags & 0x800:
        yield from meta(where, entry.name.decode("utf-8", "replace"))
    else:  # legacy names: Windows writes the OEM code page (cp866 for Cyrillic)
        yield from meta(where, entry.name, ("cp866", *LEGACY))
    if entry.comment:
        yield from meta(ctx.at(f"zip member {entry.index} comment"), entry.comment)


def _zip_member(f: IO[bytes], entry: _ZipEntry, ctx: Ctx) -> Generator[Item, None, bool]:
    """Unpacks one member and reads it. Returns True when the archive must not be read further
    (the expansion budget is used up)."""
    where = ctx.at(f"zip member {entry.index}")
    if entry.flags & 0x1:
        yield Unreadable(where, "encrypted: its content cannot be read")
        return False
    header = read_at(f, entry.offset, 30)
    if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
        yield Unreadable(where, "its local header is missing or damaged: not read")
        return False
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = entry.offset + 30 + name_len + extra_len
    try:
        content, damaged = _unzip(f, start, entry.compressed, entry.method, crc=entry.crc, budget=ctx.budget)
    except LimitReached as error:
        yield Unreadable(where, error.reason)
        return True
    except CannotRead as error:
        yield Unreadable(where, error.reason)
        return False
    if damaged:
        yield Unreadable(where, damaged)
    yield from extract_spool(content, ctx.inner(f"zip member {entry.index}"))
    return False


def _decompressor(method: int, f: IO[bytes], start: int) -> tuple[Decompressor, int]:
    """A decompressor object and where its data starts, for a zip compression method."""
    if method == 8:
        return zlib.decompressobj(-15), start
    if method == 12:
        return bz2.BZ2Decompressor(), start
    if method == 14:  # LZMA: a 4-byte header and the properties, then a raw LZMA1 stream
        header = read_at(f, start, 4)
        if len(header) < 4:
            raise CannotRead("its LZMA header is truncated: not read")
        (props_len,) = struct.unpack("<H", header[2:4])
        props = read_at(f, start + 4, props_len)
        # as zipfile does; a private helper that typeshed does not declare
        filters = [lzma._decode_filter_properties(lzma.FILTER_LZMA1, props)]  # type: ignore[attr-defined]
        return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters), start + 4 + props_len
    names = {9: "Deflate64", 10: "PKWARE implode", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES encryption"}
    raise CannotRead(f"compressed with {names.get(method, f'method {method}')}, which cannot be unpacked here")


def _unzip(f: IO[bytes], start: int, compressed: int, method: int, *, crc: int,
           budget: Budget) -> tuple[Spool, str | None]:
    """(content, a damage reason or None) of one member. Stored members are not copied."""
    if method == 0:
        budget.take(compressed)
        return Spool.view(f, start, compressed), None
    decompressor, data_start = _decompressor(method, f, start)
    spool = Spool(budget)
    check = 0
    try:
        for out in inflate(chunks(f, data_start, compressed - (data_start - start), 64 << 10), decompressor):
            spool.write(out)
            check = zlib.crc32(out, check)
    except LimitReached:
        spool.close()
        raise
    except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError):
        return rewound(spool), "its compressed data is damaged: only the part before the damage was read"
    if not decompressor.eof:
        return rewound(spool), "its compressed data is truncated: only the part present was read"
    if check != crc:
        return rewound(spool), "its checksum does not match (damaged or altered)"
    return rewound(spool), None


def _zip_salvage(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """Members of a zip without its central directory (a truncated download), from the local
    headers in order."""
    pos = 0
    for index in range(1, ctx.limits.max_members + 1):
        header = read_at(f, pos, 30)
        if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
            return
        flags, method, crc, compressed, length, name_len, extra_len = struct.unpack("<6xHH4xIIIHH", header)
        name = read_at(f, pos + 30, name_len)
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
        except CannotRead as error:
            yield Unreadable(where, error.reason)
            return
        yield from extract_spool(content, ctx.inner(f"zip member {index}"))
        pos = start + used
        if flags & 0x8:  # the data descriptor, with or without its signature
            pos += 16 if read_at(f, pos, 4) == b"PK\x07\x08" else 12


def _unzip_local(f: IO[bytes], start: int, compressed: int, method: int, budget: Budget) -> tuple[Spool, int]:
    """(content, bytes of the archive it took) of a member found by its local header. Damaged
    data ends the content: what came before it is read."""
    if method == 0:
        budget.take(compressed)
        return Spool.view(f, start, compressed), compressed
    decompressor, data_start = _decompressor(method, f, start)
    spool, fed = Spool(budget), [0]
    try:
        for out in inflate(_counted(chunks(f, data_start, compressed - (data_start - start), 64 << 10), fed),
                           decompressor):
            spool.write(out)
    except LimitReached:
        spool.close()
        raise
    except (zlib.error, lzma.LZMAError, OSError, EOFError, ValueError):
        return rewound(spool), compressed
    unused = len(getattr(decompressor, "unused_data", b"")) + len(getattr(decompressor, "unconsumed_tail", b""))
    return rewound(spool), (data_start - start) + fed[0] - unused


def _counted(pieces: Iterable[bytes], total: list[int]) -> Iterator[bytes]:
    for piece in pieces:
        total[0] += len(piece)
        yield piece


# --- tar, gzip, bzip2, xz -------------------------------------------------------------------
def read_tar(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    f.seek(0)
    with tarfile.open(fileobj=f, mode="r:") as archive:  # closing it leaves `f` open
        if not ctx.can_open_members:
            yield too_deep(ctx)
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
            # tarfile keeps every member read: memory must not grow with their number
            archive.members.clear()  # type: ignore[attr-defined]  # an attribute typeshed does not declare
            yield from meta(ctx.at(f"tar member {index} name"), member.name)
            for label, value in (("link target", member.linkname), ("owner", member.uname),
                                 ("group", member.gname)):
                if value:
                    yield from meta(ctx.at(f"tar member {index} {label}"), value)
            for number, value in enumerate(member.pax_headers.values(), start=1):
                yield from meta(ctx.at(f"tar member {index} header {number}"), str(value))
            if member.isfile() and member.size and ctx.can_open_members:
                try:
                    ctx.budget.take(member.size)
                except LimitReached as error:
                    yield Unreadable(ctx.at(f"tar member {index}"), error.reason)
                    return
                yield from extract_member(window(f, member.offset_data, member.size),
                                          min(member.size, max(0, size - member.offset_data)),
                                          ctx.inner(f"tar member {index}"))


def _gzip_header_names(f: IO[bytes], ctx: Ctx) -> Items:
    """The original file name and comment in the gzip header (they may name a person)."""
    header = read_at(f, 0, 10)
    flags = header[3] if len(header) >= 4 else 0
    pos = 10
    if flags & 0x04:
        (extra_len,) = struct.unpack("<H", read_at(f, 10, 2).ljust(2, b"\0"))
        pos += 2 + extra_len
    for bit, label in ((0x08, "gzip original file name"), (0x10, "gzip comment")):
        if flags & bit:
            data = read_at(f, pos, 65536)
            end = data.find(b"\x00")
            value = data if end == -1 else data[:end]
            yield from meta(ctx.at(label), value)
            pos += len(value) + 1


# the decompressed stream of each format (closing it leaves the compressed file open)
_DECOMPRESSING: dict[str, Callable[[IO[bytes]], io.BufferedIOBase]] = {
    "gzip": lambda f: gzip.GzipFile(fileobj=f, mode="rb"), "bzip2": bz2.BZ2File, "xz": lzma.LZMAFile,
}


def read_compressed(kind: str) -> Reader:
    def read(f: IO[bytes], size: int, ctx: Ctx) -> Items:
        if kind == "gzip":
            yield from _gzip_header_names(f, ctx)
        if not ctx.can_open_members:
            yield too_deep(ctx)
            return
        f.seek(0)
        spool, damaged = Spool(ctx.budget), None
        with _DECOMPRESSING[kind](f) as stream:
            try:
                while True:
                    data = stream.read(READ_BYTES)  # bounded output per call whatever the ratio
                    if not data:
                        break
                    spool.write(data)
            except LimitReached as error:
                spool.close()
                yield Unreadable(ctx.at(f"{kind} content"), error.reason)
                return
            except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError):
                damaged = f"the {kind} stream is truncated or damaged: only the part before the damage was read"
        if damaged:
            yield Unreadable(ctx.at(f"{kind} content"), damaged)
        yield from extract_spool(rewound(spool), ctx.inner(f"{kind} content"))

    return read
