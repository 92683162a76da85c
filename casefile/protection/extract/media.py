"""Audio and video metadata: ID3 (MP3, WAV, AIFF), Vorbis comments (FLAC, Ogg), WMA/ASF and APE
tags (through mutagen); MP4/M4A/MOV/3GP tags; RIFF INFO (WAV, AVI; EXIF and XMP of WebP);
Matroska/WebM titles, tags and attachments. Embedded cover pictures and files are opened as
files; sound and pictures are not read (no speech recognition)."""

from __future__ import annotations

import base64
import io
import struct
from collections import Counter
from collections.abc import Iterable
from typing import IO, Protocol

import mutagen
from mutagen._vorbis import VComment
from mutagen.flac import Picture
from mutagen.id3 import ID3, Frames, Frames_2_2

from ._base import MAX_STRUCTURES, MAX_VALUE_BYTES, CannotRead, Ctx, Items, Unreadable, guard, human
from ._files import extract_data, extract_member, read_at, window
from ._pieces import clean, meta, pieces_of, variants
from .images import read_exif
from .text import text_data


class _TagMapping(Protocol):
    """The tags of a format whose tags are not a list of (key, value) pairs (APEv2, MP4)."""

    def items(self) -> Iterable[tuple[str, object]]: ...


_RIFF_INFO = frozenset(("INAM", "IART", "ICMT", "ICOP", "ICRD", "IENG", "IGNR", "IKEY", "IMED", "IPRD", "ISBJ", "ISFT",
                        "ISRC", "ISRF", "ITCH", "ISTR", "IPRT", "ITRK", "IDIT", "ILNG", "ISMP", "IARL", "ICMS",
                        "IDPI", "IMUS", "IPRO", "ISGN", "ISHP", "IWRI", "IPDS"))


def read_riff(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """RIFF files (WebP, WAV, AVI): INFO lists, EXIF, XMP, iXML, bext, ID3 chunks."""
    (declared,) = struct.unpack("<I", read_at(f, 4, 4))
    end = size if declared == 0xFFFFFFFF or read_at(f, 0, 4) == b"RF64" else min(size, 8 + declared)
    stack, count, entries = [(12, end, False)], 0, 0
    while stack:
        pos, limit, info = stack.pop()
        while pos + 8 <= limit:
            count += 1
            if count > MAX_STRUCTURES:
                return
            chunk_id, length = struct.unpack("<4sI", read_at(f, pos, 8))
            data_at, pos = pos + 8, pos + 8 + length + (length & 1)
            name = chunk_id.decode("latin-1")
            if name == "LIST":
                list_type = read_at(f, data_at, 4)
                if list_type != b"movi" and len(stack) < 16:
                    stack.append((pos, limit, info))
                    pos, limit, info = data_at + 4, min(data_at + length, limit), list_type == b"INFO"
                continue
            wanted = info or name in ("EXIF", "XMP ", "_PMX", "iXML", "id3 ", "ID3 ", "strn", "bext", "DISP")
            if not wanted or length > MAX_VALUE_BYTES:
                continue
            data = read_at(f, data_at, length)
            if info:
                entries += 1
                label = f"RIFF INFO {name}" if name in _RIFF_INFO else f"RIFF INFO entry {entries}"
                yield from meta(ctx.at(label), data)
            elif name == "EXIF":
                exif = data[6:] if data.startswith(b"Exif\x00") else data
                yield from read_exif(io.BytesIO(exif), 0, len(exif), ctx)
            elif name in ("XMP ", "_PMX", "iXML"):
                yield from text_data(data, ctx.at("XMP" if name != "iXML" else "iXML"), ctx, markup=True)
            elif name in ("id3 ", "ID3 "):
                yield from guard(_id3_bytes(data, ctx), ctx.at("ID3"), "the ID3 tag")
            elif name == "DISP" and data[:4] == b"\x01\x00\x00\x00":
                yield from meta(ctx.at("RIFF DISP"), data[4:])
            else:
                yield from meta(ctx.at(f"RIFF {name.strip()}"), data)


def _id3_bytes(data: bytes, ctx: Ctx) -> Items:
    tags = ID3(io.BytesIO(data))  # type: ignore[no-untyped-call]  # mutagen is not annotated
    yield from _id3_frames(tags, ctx)


def _id3_frames(tags: ID3, ctx: Ctx) -> Items:
    pictures = 0
    frames = list(tags.values())  # type: ignore[no-untyped-call]  # mutagen is not annotated
    for index, frame in enumerate(frames[:MAX_STRUCTURES], start=1):
        frame_id = getattr(frame, "FrameID", "")
        known = frame_id in Frames or frame_id in Frames_2_2  # an unknown id is the file's text
        label = f"ID3 {frame_id}" if known else f"ID3 frame {index}"
        yield from pieces_of(ctx.at(label), clean(frame.pprint()))
        data = getattr(frame, "data", None)
        if frame_id in ("APIC", "GEOB", "PIC") and isinstance(data, bytes) and data:
            pictures += 1
            yield from _embedded(data, f"ID3 {frame_id} {pictures}", ctx)
        for sub in getattr(frame, "sub_frames", {}).values() if hasattr(frame, "sub_frames") else ():
            yield from pieces_of(ctx.at(f"{label} sub-frame"), clean(sub.pprint()))


def _embedded(data: bytes, label: str, ctx: Ctx) -> Items:
    """A file inside a media file (cover picture, attachment): opened as a file."""
    if not ctx.can_open_members:
        yield Unreadable(ctx.at(label), f"nested more than {ctx.limits.max_depth} containers deep: not opened")
        return
    ctx.budget.take(len(data))
    yield from extract_data(data, ctx.inner(label))


def read_audio(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """Tags read by mutagen: ID3 (MP3, AIFF), Vorbis comments (FLAC, Ogg), ASF (WMA), APEv2."""
    head = read_at(f, 0, 10)
    if head.startswith(b"ID3") and len(head) == 10:
        tag_size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)
        if tag_size > 4 * MAX_VALUE_BYTES:
            raise CannotRead(f"its ID3 tag is larger than {human(4 * MAX_VALUE_BYTES)}: not read")
    media, failure = None, None
    try:  # through a window: mutagen looks at a file object's name, which a temporary file lacks
        media = mutagen.File(window(f, 0, size))
    except Exception as error:
        failure = error
    if media is None and head.startswith(b"ID3"):  # broken or truncated audio: its tag alone
        try:
            tags = ID3(window(f, 0, size))  # type: ignore[no-untyped-call]  # mutagen is not annotated
        except Exception as error:
            raise CannotRead(f"its ID3 tag cannot be read ({type(error).__name__})") from None
        yield from _id3_frames(tags, ctx)
        return
    if failure is not None:
        raise CannotRead(f"its tags cannot be read ({type(failure).__name__})")
    if media is None:
        raise CannotRead("unknown format: its text cannot be read reliably")
    tags = media.tags
    if tags is not None:
        yield from _media_tags(tags, ctx)
    for index, picture in enumerate(getattr(media, "pictures", []) or [], start=1):  # FLAC
        if getattr(picture, "desc", ""):
            yield from pieces_of(ctx.at(f"picture {index} description"), clean(picture.desc))
        if getattr(picture, "data", b""):
            yield from _embedded(picture.data, f"picture {index}", ctx)


def _media_tags(tags: ID3 | list[tuple[str, object]] | _TagMapping, ctx: Ctx) -> Items:
    if isinstance(tags, ID3):
        yield from _id3_frames(tags, ctx)
        return
    kind = {"ASFTags": "ASF tag", "APEv2": "APE tag"}.get(type(tags).__name__, "tag")
    if isinstance(tags, VComment):
        kind = "Vorbis comment"
    items = list(tags) if isinstance(tags, list) else list(tags.items())
    for index, (key, value) in enumerate(items[:MAX_STRUCTURES], start=1):
        values = value if isinstance(value, list) else [value]
        texts: list[str] = []
        for entry in values:
            if isinstance(entry, str):
                texts.append(entry)
                if key.upper() == "METADATA_BLOCK_PICTURE":
                    yield from _vorbis_picture(entry, index, ctx)
            elif isinstance(entry, bytes):
                texts += [text for _, text in variants(bytes(entry))] if len(entry) < 4096 else []
            elif hasattr(entry, "value") and isinstance(entry.value, str):
                texts.append(entry.value)
            elif hasattr(entry, "__str__") and not isinstance(entry, (int, float, tuple)):
                texts.append(str(entry))
        if texts:
            yield from pieces_of(ctx.at(f"{kind} {index}"), clean(f"{key}=" + "\n".join(texts)))


def _vorbis_picture(value: str, index: int, ctx: Ctx) -> Items:
    try:
        picture = Picture(base64.b64decode(value))  # type: ignore[no-untyped-call]  # mutagen is not annotated
    except Exception:
        return
    if picture.desc:
        yield from pieces_of(ctx.at(f"picture {index} description"), clean(picture.desc))
    if picture.data:
        yield from _embedded(picture.data, f"picture {index}", ctx)


# --- Matroska / WebM ------------------------------------------------------------------------
_EBML_CONTAINERS = frozenset((0x18538067, 0x1549A966, 0x1654AE6B, 0xAE, 0x1043A770, 0x45B9, 0xB6, 0x80, 0x1254C367,
                              0x7373, 0x67C8, 0x1941A469, 0x61A7))
_EBML_TEXT = {0x7BA9: "title", 0x4D80: "muxing application", 0x5741: "writing application", 0x536E: "track name",
              0x85: "chapter title", 0x45A3: "tag name", 0x4487: "tag", 0x467E: "attachment description",
              0x466E: "attachment name"}
_EBML_FILE_DATA = 0x465C


def _ebml_id(f: IO[bytes], pos: int) -> tuple[int, int]:
    """(element ID, its length) of the EBML element at `pos`."""
    return _ebml_number(f, pos, 4)


def _ebml_size(f: IO[bytes], pos: int) -> tuple[int | None, int]:
    """(data size, its length) of an EBML element whose size is at `pos`; None for an unknown size."""
    value, length = _ebml_number(f, pos, 8)
    value &= (1 << (7 * length)) - 1
    return (None if value == (1 << (7 * length)) - 1 else value), length


def _ebml_number(f: IO[bytes], pos: int, longest: int) -> tuple[int, int]:
    """(value with its length marker, length) of an EBML variable-length number at `pos`."""
    first = read_at(f, pos, 1)
    if not first or first[0] == 0:
        raise CannotRead("its Matroska structure is damaged: the rest was not read")
    length = 9 - first[0].bit_length()
    if length > longest:
        raise CannotRead("its Matroska structure is damaged: the rest was not read")
    raw = read_at(f, pos, length)
    if len(raw) < length:
        raise CannotRead("the Matroska file is truncated")
    return int.from_bytes(raw, "big"), length


def read_mkv(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """Matroska elements walked flat (IDs are unique): containers are entered, text elements read,
    attached files opened, everything else (clusters of video) skipped by its size."""
    counts: Counter[int] = Counter()
    pos, attachment = 0, 0
    for _ in range(MAX_STRUCTURES * 10):
        if pos >= size:
            return
        element, id_len = _ebml_id(f, pos)
        length, size_len = _ebml_size(f, pos + id_len)
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
            yield from meta(ctx.at(label), read_at(f, data_at, length))
        elif element == _EBML_FILE_DATA:
            label = f"MKV attachment {max(attachment, 1)}"
            if not ctx.can_open_members:
                yield Unreadable(ctx.at(label), f"nested more than {ctx.limits.max_depth} containers deep: not opened")
                continue
            ctx.budget.take(length)
            present = min(length, max(0, size - data_at))
            yield from extract_member(window(f, data_at, length), present, ctx.inner(label))
    yield Unreadable(ctx.whole, "too many Matroska elements: the rest was not read")


# --- MP4, MOV, 3GP, HEIC (ISO base media) ----------------------------------------------------
_BMFF_CONTAINERS = frozenset((b"moov", b"trak", b"udta", b"meta", b"ilst", b"----"))
_3GPP_TEXT = frozenset((b"titl", b"auth", b"perf", b"dscp", b"cprt", b"gnre", b"albm", b"kywd", b"loci", b"clsf"))
_XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def read_bmff(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    """Boxes of moov/udta/meta/ilst: iTunes-style tags, QuickTime text atoms, 3GPP text boxes,
    XMP. The media data is skipped."""
    stack, count, texts = [(0, size, b"")], 0, 0
    while stack:
        pos, end, parent = stack.pop()
        while pos + 8 <= end:
            count += 1
            if count > MAX_STRUCTURES:
                return
            length, box = struct.unpack(">I4s", read_at(f, pos, 8))
            header = 8
            if length == 1:
                (length,) = struct.unpack(">Q", read_at(f, pos + 8, 8).ljust(8, b"\0"))
                header = 16
            elif length == 0:
                length = end - pos
            if length < header:
                break
            data_at, next_pos = pos + header, min(pos + length, end)
            body = next_pos - data_at
            if box in _BMFF_CONTAINERS or parent == b"ilst":
                if box == b"meta" and read_at(f, data_at + 8, 4) in (b"hdlr", b"keys", b"ilst", b"pitm", b"iinf"):
                    data_at += 4  # ISO 'meta' is a full box: version and flags first (QuickTime's is not)
                if len(stack) < 16:
                    stack.append((next_pos, end, parent))
                    pos, end, parent = data_at, next_pos, box
                    continue
            elif 0 < body <= MAX_VALUE_BYTES and (box == b"data" or box[:1] == b"\xa9" or box in _3GPP_TEXT
                                                 or box in (b"XMP_", b"keys", b"name", b"mean")
                                                 or (box == b"uuid" and read_at(f, data_at, 16) == _XMP_UUID)):
                texts += 1
                yield from _bmff_box(box, read_at(f, data_at, body), parent, texts, ctx)
            pos = next_pos


def _bmff_box(box: bytes, data: bytes, parent: bytes, index: int, ctx: Ctx) -> Items:
    where = ctx.at(f"MP4 tag {index}")
    if box == b"data":  # iTunes-style value: a type code, a locale, the value
        kind = int.from_bytes(data[1:4], "big") if len(data) >= 8 else -1
        value = data[8:]
        if kind in (13, 14, 27):
            yield from _embedded(value, f"MP4 picture {index}", ctx)
        elif kind in (2, 5):
            yield from pieces_of(where, value.decode("utf-16-be", "replace"))
        elif kind in (0, 1, 4) and value:
            yield from meta(where, value)
    elif box == b"XMP_" or (box == b"uuid" and data[:16] == _XMP_UUID):
        yield from text_data(data[16:] if box == b"uuid" else data, ctx.at("XMP"), ctx, markup=True)
    elif box == b"keys":  # QuickTime metadata key names
        pos = 8
        names: list[bytes] = []
        while pos + 8 <= len(data) and len(names) < 10_000:
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            if length < 8:
                break
            names.append(data[pos + 8 : pos + length])
            pos += length
        yield from meta(where, b"\n".join(names))
    elif box in (b"name", b"mean"):
        yield from meta(where, data[4:] if parent == b"----" else data)
    elif box in _3GPP_TEXT:  # full box, language, then UTF-8 or UTF-16 with a BOM
        yield from meta(where, data[6:])
    elif box[:1] == b"\xa9" and parent != b"ilst":  # QuickTime text atom: (length, language, text)*
        pos = 0
        while pos + 4 <= len(data):
            (length,) = struct.unpack(">H", data[pos : pos + 2])
            yield from meta(where, data[pos + 4 : pos + 4 + length])
            pos += 4 + length
