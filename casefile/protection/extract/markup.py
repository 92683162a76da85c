"""Markup and escapes, streamed: tags removed and entities decoded (inline tags without a space,
so a name split by them reads whole), JSON \\u and URL %-escapes decoded, base64 data: URIs
decoded into spools to be opened as files."""

from __future__ import annotations

import binascii
import contextlib
import functools
import html
import re
import urllib.parse

from ._base import Budget
from ._files import Spool, rewound
from ._pieces import clean

# an attempt at a '<' never runs past the next '<' outside quotes, nor far inside them: no
# quadratic time on text full of unfinished tags
_MARKUP = re.compile(
    r"<!\[CDATA\[|\]\]>|<!--|-->"
    r"|<(/?)([A-Za-z_][\w:.\-]*)(?:[^<>\"']|\"[^\"]{0,65536}\"|'[^']{0,65536}')*>"
    r"|<[!?][^<>]*>"
)
# tags that run inside a line of text: removed without a space so 'Ol<b>ena</b>' reads 'Olena'
_INLINE = frozenset((
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "blink", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "nobr", "q", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr",
    # SpreadsheetML rich text (unprefixed): <r><t>Ol</t></r><r><t>ena</t></r>
    "r", "t", "rpr", "rfont", "sz", "color", "family", "scheme", "charset", "condense", "extend", "outline", "shadow",
    "vertalign", "is",
))
# in the WordprocessingML (w:), DrawingML (a:) and ODF text (text:) vocabularies everything is
# inline except these, which end a paragraph or a cell
_BLOCK = frozenset((
    "p", "h", "tc", "tr", "tbl", "body", "document", "hdr", "ftr", "footnote", "endnote", "comment", "txbxcontent",
    "sectpr", "list", "list-item", "list-header", "section", "note", "note-body", "note-citation", "table", "table-row",
    "table-cell", "index-body", "txbody", "annotation",
))
_SPECIAL_TAGS = {
    "br": "\n", "w:br": "\n", "w:cr": "\n", "a:br": "\n", "text:line-break": "\n", "w:tab": "\t",
    "text:tab": "\t", "w:ptab": "\t", "text:s": " ", "w:nobreakhyphen": "-", "w:softhyphen": "",
    "w:sym": "",
}
_INLINE_PREFIXES = frozenset(("w", "a", "text"))


@functools.lru_cache(maxsize=4096)
def _tag_separator(name: str) -> str:
    lower = name.lower()
    prefix, _, local = lower.rpartition(":")
    if lower in _SPECIAL_TAGS:
        return _SPECIAL_TAGS[lower]
    if prefix in _INLINE_PREFIXES:
        return "\n" if local in _BLOCK else ""
    if not prefix:
        return "" if local in _INLINE else "\n"
    return "\n"


def _markup_separator(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return _tag_separator(match.group(2))
    token = match.group(0)
    return "" if token in ("<![CDATA[", "]]>") else "\n"


_TAG_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_/!?")
MAX_TAG_CHARS = 64 << 10  # an unfinished tag longer than this is passed on as text


class TagStripper:
    """Streaming: text with tags removed and entities decoded. A tag or entity cut by a chunk
    boundary is held back until the next chunk."""

    def __init__(self) -> None:
        self._carry = ""

    def feed(self, text: str) -> str:
        buf = self._carry + text
        cut = len(buf)
        lt = buf.rfind("<")
        if lt != -1 and buf.find(">", lt) == -1 and len(buf) - lt < MAX_TAG_CHARS \
                and (lt == len(buf) - 1 or buf[lt + 1] in _TAG_START):
            cut = lt
        amp = buf.rfind("&", 0, cut)
        if amp != -1 and cut - amp <= 32 and buf.find(";", amp, cut) == -1:
            cut = amp
        self._carry = buf[cut:]
        return self._strip(buf[:cut])

    def close(self) -> str:
        text, self._carry = self._carry, ""
        return self._strip(text)

    @staticmethod
    def _strip(text: str) -> str:
        if "<" in text or "]]>" in text or "-->" in text:
            text = _MARKUP.sub(_markup_separator, text)
        return html.unescape(text) if "&" in text else text


class Unescaper:
    """Streaming: JSON/JavaScript \\uXXXX escapes or URL %XX escapes decoded, for chunks that
    have any (names exported by json.dumps or in links are written this way)."""

    # each starts with a literal, which the regex engine looks for quickly
    _JSON = re.compile(r"\\u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})*")
    _PERCENT = re.compile(r"%[0-9a-fA-F]{2}(?:%[0-9a-fA-F]{2})*")
    _JSON_ONE = re.compile(r"\\u[0-9a-fA-F]{4}")
    _PERCENT_ONE = re.compile(r"%[0-9a-fA-F]{2}")

    def __init__(self, kind: str):
        self.kind = kind
        self._carry = ""

    def feed(self, text: str) -> str:
        buf = self._carry + text
        # escapes at the end wait for the next chunk: the sequence may go on there, and its bytes
        # (UTF-8 of one letter, a surrogate pair) must be decoded together
        json = self.kind == "json"
        one, step = (self._JSON_ONE, 6) if json else (self._PERCENT_ONE, 3)
        cut = buf.rfind("\\u" if json else "%", max(len(buf) - 12, 0))
        if cut == -1:
            cut = len(buf)
        while cut >= step and len(buf) - cut < 4096 and one.fullmatch(buf, cut - step, cut):
            cut -= step
        self._carry = buf[cut:]
        return self._decode(buf[:cut])

    def close(self) -> str:
        text, self._carry = self._carry, ""
        return self._decode(text)

    @staticmethod
    def _json_escapes(match: re.Match[str]) -> str:
        text = match.group(0).encode("ascii").decode("unicode_escape", "replace")
        # a pair of surrogate escapes is one character
        return clean(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))

    def _decode(self, text: str) -> str:
        if self.kind == "json":
            if "\\u" not in text:
                return ""
            return self._JSON.sub(self._json_escapes, text)
        if "%" not in text or not self._PERCENT.search(text):
            return ""
        return self._PERCENT.sub(lambda m: urllib.parse.unquote(m.group(0), errors="replace"), text)


class DataUris:
    """Streaming: base64 data: URIs in markup (an inline picture or document), decoded into
    spools to be opened as files. `feed` returns the (number, spool) of those completed."""

    _START = re.compile(r"data:[\w.+/-]{0,100}(?:;[\w.+=-]{0,100}){0,5};base64,", re.I)
    _BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
    _NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")

    def __init__(self, budget: Budget, limit: int):
        self._budget, self._limit = budget, limit
        self._spool: Spool | None = None
        self._pending = ""
        self._carry = ""
        self.count = 0

    def feed(self, text: str, final: bool = False) -> list[tuple[int, Spool]]:
        done: list[tuple[int, Spool]] = []
        buf, self._carry, pos = self._carry + text, "", 0
        while True:
            if self._spool is not None:
                match = self._BASE64.match(buf, pos)
                assert match is not None  # the pattern matches the empty string
                self._write(match.group(0))
                pos = match.end()
                if pos == len(buf) and not final:
                    return done
                done.append((self.count, self._finish()))
            match = self._START.search(buf, pos)
            if match is None or self.count >= self._limit:
                if not final:
                    self._carry = buf[max(pos, len(buf) - 120) :]  # a 'data:' cut by the chunk boundary
                return done
            self.count += 1
            self._spool, self._pending, pos = Spool(self._budget), "", match.end()

    def close(self) -> list[tuple[int, Spool]]:
        return self.feed("", final=True)

    def _write(self, text: str) -> None:
        self._pending += self._NOT_BASE64.sub("", text)
        usable = len(self._pending) // 4 * 4
        if usable and self._spool is not None:
            self._spool.write(binascii.a2b_base64(self._pending[:usable]))
            self._pending = self._pending[usable:]

    def _finish(self) -> Spool:
        spool, self._spool = self._spool, None
        assert spool is not None
        if len(self._pending) > 1:
            with contextlib.suppress(binascii.Error):
                spool.write(binascii.a2b_base64(self._pending + "=" * (-len(self._pending) % 4)))
        self._pending = ""
        return rewound(spool)
