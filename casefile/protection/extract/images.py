"""Image metadata: EXIF and TIFF tags (XP* tags, UserComment), XMP, IPTC and Photoshop resources,
JPEG and GIF comments, PNG tEXt/zTXt/iTXt/eXIf chunks. Pixels are not read (no OCR)."""

from __future__ import annotations

import io
import struct
import zlib
from typing import IO

from ._base import MAX_STRUCTURES, MAX_VALUE_BYTES, CannotRead, Ctx, Items, Piece, Unreadable, guard, human
from ._files import inflate, read_at
from ._pieces import meta, pieces_of
from .text import text_data

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


def read_exif(f: IO[bytes], base: int, limit: int, ctx: Ctx, label: str = "EXIF") -> Items:
    """Text tags of a TIFF structure (a TIFF file, or EXIF inside JPEG/PNG/WebP) at `base`."""
    header = read_at(f, base, 16)
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
    queue: list[int] = [first]
    seen: set[int] = set()
    entries, read_left = 0, 4 * MAX_VALUE_BYTES
    while queue and len(seen) < 1000:
        offset = queue.pop(0)
        if not offset or offset in seen or offset >= limit:
            continue
        seen.add(offset)
        count_size = struct.calcsize(count_fmt)
        raw = read_at(f, base + offset, count_size)
        if len(raw) < count_size:
            continue
        (count,) = struct.unpack(order + count_fmt, raw)
        count = min(count, 4096)
        table = read_at(f, base + offset + count_size, count * entry_size + struct.calcsize(offset_fmt))
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
                values = _tiff_value(f, base, field, length, order=order, inline=inline, offset_fmt=offset_fmt)
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
            data = _tiff_value(f, base, field, length, order=order, inline=inline, offset_fmt=offset_fmt)
            if data:
                yield from _exif_value(tag, kind, data, ctx, order=order, label=label)
        next_at = count * entry_size
        tail = table[next_at : next_at + struct.calcsize(offset_fmt)]
        if len(tail) == struct.calcsize(offset_fmt):
            queue.append(struct.unpack(order + offset_fmt, tail)[0])


def _tiff_value(f: IO[bytes], base: int, field: bytes, length: int, *, order: str, inline: int,
                offset_fmt: str) -> bytes:
    """The value of an IFD entry: in the entry's `field` when it fits, else where it points."""
    if length <= inline:
        return field[:length]
    (offset,) = struct.unpack(order + offset_fmt, field[: struct.calcsize(offset_fmt)])
    return read_at(f, base + offset, length)


def _exif_value(tag: int, kind: int, data: bytes, ctx: Ctx, *, order: str, label: str) -> Items:
    name = _EXIF_NAMES.get(tag, f"tag 0x{tag:04X}")
    where = ctx.at(f"{label} {name}")
    if tag in _XP_TAGS:  # Windows 'XP' tags: UTF-16LE whatever the byte order of the file
        yield from pieces_of(where, data.decode("utf-16-le", "replace").rstrip("\x00"))
    elif tag == 0x9286:
        yield from _user_comment(where, data, order)
    elif tag == 700:
        yield from text_data(data, where, ctx, markup=True)
    elif tag == 33723:
        yield from _iptc(data, ctx)
    elif tag == 34377:
        yield from _photoshop(data, ctx)
    elif kind == 2:
        yield from meta(where, data)
    elif kind == 129:
        yield from pieces_of(where, data.decode("utf-8", "replace").strip("\x00"))


def _user_comment(where: str, data: bytes, order: str) -> list[Piece]:
    """EXIF UserComment: an 8-byte character code, then the text."""
    code, text = data[:8], data[8:]
    if code.startswith(b"UNICODE"):
        if text.startswith((b"\xff\xfe", b"\xfe\xff")):
            return pieces_of(where, text.decode("utf-16", "replace").rstrip("\x00"))
        # the standard says the file's byte order; writers disagree: the reading in which more
        # characters are common letters wins
        readings = [text[: len(text) // 2 * 2].decode(e, "replace").rstrip("\x00") for e in
                    (("utf-16-le", "utf-16-be") if order == "<" else ("utf-16-be", "utf-16-le"))]
        return pieces_of(where, max(readings, key=_common_letters))
    if code.startswith(b"JIS"):
        for encoding in ("iso2022_jp", "shift_jis", "euc_jp"):
            try:
                return pieces_of(where, text.decode(encoding).rstrip("\x00"))
            except UnicodeDecodeError:
                continue
    return meta(where, text if code.startswith(b"ASCII") or code == b"\x00" * 8 else data)


def _common_letters(text: str) -> int:
    return sum(1 for c in text if c < "\u0600" and (c.isalnum() or c.isspace()))


_IPTC_NAMES = {5: "ObjectName", 15: "Category", 20: "SupplementalCategories", 25: "Keywords", 40: "SpecialInstructions",
               65: "OriginatingProgram", 80: "By-line", 85: "By-lineTitle", 90: "City", 92: "Sub-location",
               95: "Province-State", 100: "CountryCode", 101: "Country", 103: "OriginalTransmissionReference",
               105: "Headline", 110: "Credit", 115: "Source", 116: "CopyrightNotice", 118: "Contact",
               120: "Caption-Abstract", 122: "Writer-Editor"}


def _iptc(data: bytes, ctx: Ctx) -> Items:
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
            yield from (pieces_of(where, value.decode("utf-8", "replace")) if utf8 else meta(where, value))


def _photoshop(data: bytes, ctx: Ctx) -> Items:
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
            yield from text_data(value, ctx.at("XMP"), ctx, markup=True)
        elif resource in (0x0422, 0x0423):
            yield from read_exif(io.BytesIO(value), 0, len(value), ctx)


def read_jpeg(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    pos, comments = 2, 0
    extended: list[bytes] = []
    for _ in range(MAX_STRUCTURES):
        marker = read_at(f, pos, 4)
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
        data = read_at(f, pos + 4, max(0, length - 2))
        pos += 2 + length
        if code == 0xE1 and data.startswith(b"Exif\x00"):
            yield from read_exif(io.BytesIO(data[6:]), 0, len(data) - 6, ctx)
        elif code == 0xE1 and data.startswith(b"http://ns.adobe.com/xap/1.0/\x00"):
            yield from text_data(data[29:], ctx.at("XMP"), ctx, markup=True)
        elif code == 0xE1 and data.startswith(b"http://ns.adobe.com/xmp/extension/\x00"):
            if sum(map(len, extended)) < MAX_VALUE_BYTES:
                extended.append(data[35 + 32 + 8 :])  # GUID, full length, offset, then a part of the packet
        elif code == 0xED and data.startswith(b"Photoshop 3.0\x00"):
            yield from _photoshop(data[14:], ctx)
        elif code == 0xFE:
            comments += 1
            yield from meta(ctx.at(f"JPEG comment {comments}"), data)
    if extended:
        yield from text_data(b"".join(extended), ctx.at("extended XMP"), ctx, markup=True)


def read_png(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    pos, texts = 8, 0
    for _ in range(MAX_STRUCTURES):
        header = read_at(f, pos, 8)
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
            yield Unreadable(where, f"larger than {human(MAX_VALUE_BYTES)}: not read")
            continue
        data = read_at(f, start, length)
        yield from guard(_png_chunk(kind, data, where, ctx), where, "the chunk")


def _png_chunk(kind: bytes, data: bytes, where: str, ctx: Ctx) -> Items:
    if kind == b"eXIf":
        yield from read_exif(io.BytesIO(data), 0, len(data), ctx)
        return
    keyword, _, rest = data.partition(b"\x00")
    yield from meta(f"{where} keyword", keyword)
    if kind == b"tEXt":
        yield from meta(where, rest)  # Latin-1 by the standard, UTF-8 in practice: both are tried
        return
    if kind == b"zTXt":
        yield from text_data(_png_inflate(rest[1:], ctx), where, ctx)
        return
    compressed, rest = rest[:1] == b"\x01", rest[2:]
    language, _, rest = rest.partition(b"\x00")
    translated, _, text = rest.partition(b"\x00")
    for label, value in (("language", language), ("translated keyword", translated)):
        if value:
            yield from meta(f"{where} {label}", value)
    if compressed:
        text = _png_inflate(text, ctx)
    yield from text_data(text, where, ctx, encoding="utf-8", markup=keyword == b"XML:com.adobe.xmp" or None)


def _png_inflate(data: bytes, ctx: Ctx) -> bytes:
    """A compressed PNG text: bounded by the expansion budget and by MAX_VALUE_BYTES in memory."""
    out, total = [], 0
    for piece in inflate([data], zlib.decompressobj()):
        ctx.budget.take(len(piece))
        total += len(piece)
        if total > MAX_VALUE_BYTES:
            raise CannotRead(f"its compressed text is larger than {human(MAX_VALUE_BYTES)}: not read")
        out.append(piece)
    return b"".join(out)


def read_gif(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """GIF blocks: comment, plain text and XMP extensions (image data is skipped)."""
    screen = read_at(f, 6, 7)
    if len(screen) < 7:
        return
    pos = 13 + (3 * 2 ** ((screen[4] & 7) + 1) if screen[4] & 0x80 else 0)
    comments = 0
    for _ in range(MAX_STRUCTURES):
        intro = read_at(f, pos, 2)
        if not intro or intro[0] == 0x3B:
            return
        if intro[0] == 0x2C:  # an image: descriptor, optional colour table, LZW size, data blocks
            descriptor = read_at(f, pos, 10)
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
            yield from meta(ctx.at(f"GIF comment {comments}"), b"".join(blocks))
        elif label == 0x01 and blocks:
            comments += 1
            yield from meta(ctx.at(f"GIF plain text {comments}"), b"".join(blocks[1:]))
        elif label == 0xFF and blocks and blocks[0] == b"XMP DataXMP":
            # XMP in GIF is stored raw: the block length bytes are part of the packet
            packet = b"".join(bytes([len(b)]) + b for b in blocks[1:])
            end = packet.find(b"<?xpacket end")
            yield from text_data(packet if end == -1 else packet[: packet.find(b">", end) + 1], ctx.at("XMP"), ctx,
                                 markup=True)


def _gif_blocks(f: IO[bytes], pos: int, keep: bool) -> tuple[int, list[bytes]]:
    blocks: list[bytes] = []
    total = 0
    for _ in range(1 << 20):
        length = read_at(f, pos, 1)
        if not length or length[0] == 0:
            return pos + 1, blocks
        if keep and total < MAX_VALUE_BYTES:
            blocks.append(read_at(f, pos + 1, length[0]))
            total += length[0]
        pos += 1 + length[0]
    return pos, blocks
