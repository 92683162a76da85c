"""RTF: the text of every group (document info included), \\' escapes in the document's and the
fonts' code pages, \\u escapes; embedded pictures and objects opened as files."""

from __future__ import annotations

import codecs
import itertools
import re
import struct
from dataclasses import dataclass
from typing import IO

from ._base import Ctx, Items, too_deep
from ._files import Spool, chunks, extract_spool, rewound
from ._pieces import Chunker

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
_RTF_DESTINATIONS = frozenset((
    "author", "title", "subject", "keywords", "comment", "doccomm", "operator", "company", "manager", "category",
    "hlinkbase", "fldinst", "fldrslt", "footnote", "annotation", "atnauthor", "atnid", "header", "headerl", "headerr",
    "headerf", "footer", "footerl", "footerr", "footerf", "fonttbl", "colortbl", "stylesheet", "info", "txe", "xe",
    "tc", "bkmkstart", "bkmkend", "sp", "sn", "sv", "shptxt", "userprops", "propname", "staticval", "docvar",
    "listtable", "listoverridetable", "revtbl", "rsidtbl", "generator", "xmlnstbl", "falt",
))
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


# ('text', str), ('data', bytes) of an embedded object, ('end', None) when that object is complete
_Event = tuple[str, str | bytes | None]


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
        self._events: list[_Event] = []

    def feed(self, data: bytes, final: bool = False) -> list[_Event]:
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

    def close(self) -> list[_Event]:
        events = self.feed(b"", final=True)
        if self._group.mode == "object" or any(g.mode == "object" for g in self._stack):
            events.append(("end", None))
        return events

    # --- output ---------------------------------------------------------------------------
    def _take_events(self) -> list[_Event]:
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
    def _token(self, match: re.Match[bytes]) -> None:
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


def read_rtf(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    reader, chunker = _RtfReader(), Chunker(ctx.at("RTF text"))
    spool: Spool | None = None
    objects, collecting = 0, False
    try:
        for event in itertools.chain.from_iterable(
                itertools.chain((reader.feed(chunk) for chunk in chunks(f)), (reader.close() for _ in (0,)))):
            match event:
                case ("text", str(text)):
                    yield from chunker.feed(text)
                case ("data", bytes(data)):
                    if spool is None and not collecting:
                        objects, collecting = objects + 1, True
                        spool = Spool(ctx.budget) if ctx.can_open_members else None
                        if spool is None and objects == 1:
                            yield too_deep(ctx)
                    if spool is not None:
                        spool.write(data)
                case ("end", _):
                    done, spool, collecting = spool, None, False
                    if done is not None and done.size:
                        yield from extract_spool(rewound(done), ctx.inner(f"RTF embedded object {objects}"))
                    elif done is not None:
                        done.close()
    finally:
        if spool is not None:
            spool.close()
    yield from chunker.close()
