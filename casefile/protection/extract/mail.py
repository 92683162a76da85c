"""E-mail (RFC 822, .eml, mbox): every header (RFC 2047 decoded), every text part in its charset
(and as the legacy encodings when it is missing or may be wrong), attachment names, every
attachment opened as a file. A message over MAX_EMAIL_BYTES is read as plain text only. (Named
`mail`, not `email`, so that it does not shadow the standard library's package.)"""

from __future__ import annotations

import base64
import binascii
import codecs
import email
import email.policy
import itertools
import re
from collections.abc import Generator
from email.message import EmailMessage
from typing import IO

from ._base import LEGACY, MAX_EMAIL_BYTES, SHOWN, Ctx, Item, Items, Unreadable, guard, human, too_deep
from ._files import extract_data, read_at, window
from ._pieces import clean, meta, pieces_of
from .text import text_data, text_stream

_ENCODED_WORD = re.compile(rb"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")


def _header_variants(raw: str) -> list[tuple[str, str]]:
    """(suffix, text) of a raw header value: RFC 2047 encoded words in their charsets, 8-bit
    bytes as UTF-8; when a charset is missing, unknown or wrong, also as each legacy encoding."""
    # parsed from bytes, undecodable bytes are surrogate escapes: back to the original bytes
    data = re.sub(r"\r?\n(?=[ \t])", "", raw).encode("utf-8", "surrogateescape")
    segments: list[tuple[bytes, str | None]] = []  # (bytes, declared charset)
    pos = 0
    for match in _ENCODED_WORD.finditer(data):
        between = data[pos : match.start()]
        if between and not (segments and segments[-1][1] and between.isspace()):  # space between words is dropped
            segments.append((between, None))
        charset: str | None = match.group(1).split(b"*")[0].decode("ascii", "replace")
        payload = match.group(3)
        try:
            if match.group(2) in b"Bb":
                decoded = base64.b64decode(payload + b"=" * (-len(payload) % 4))
            else:
                decoded = binascii.a2b_qp(payload.replace(b"_", b" "), header=True)
        except (binascii.Error, ValueError):
            decoded = match.group(0)
            charset = None
        segments.append((decoded, charset or "ascii"))
        pos = match.end()
    segments.append((data[pos:], None))
    declared: list[str] = []
    failed = False
    for chunk, charset in segments:
        try:
            declared.append(chunk.decode(charset or "utf-8"))
        except (LookupError, UnicodeDecodeError):
            failed = True
            declared.append(chunk.decode("utf-8", "replace"))
    out = [("", "".join(declared))]
    if failed:
        out += [(f" (as {SHOWN.get(enc, enc)})", "".join(chunk.decode(enc, "replace") for chunk, _ in segments))
                for enc in LEGACY]
    return out


def read_email(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    starts = _mbox_starts(f, ctx.limits.max_members) if read_at(f, 0, 5) == b"From " else [0]
    if len(starts) <= 1:
        yield from _email_message(f, size, ctx)
        return
    if len(starts) > ctx.limits.max_members:
        yield Unreadable(ctx.whole, f"more than {ctx.limits.max_members} messages: the rest were not read")
        starts = starts[: ctx.limits.max_members]
    if not ctx.can_open_members:
        yield too_deep(ctx)
        return
    for index, (start, end) in enumerate(itertools.pairwise([*starts, size]), start=1):
        inner = ctx.inner(f"mbox message {index}")
        message = window(f, start, end - start)
        yield from guard(_email_message(message, end - start, inner), inner.whole, "the message")


def _mbox_starts(f: IO[bytes], limit: int) -> list[int]:
    """Offsets of the messages of a mbox file: a 'From ' line after a blank line."""
    f.seek(0)
    starts: list[int] = []
    pos, blank = 0, True
    while len(starts) <= limit:
        line = f.readline(1 << 16)
        if not line:
            break
        if blank and line.startswith(b"From "):
            starts.append(pos)
        blank = line in (b"\n", b"\r\n")
        pos += len(line)
    return starts


def _email_message(f: IO[bytes], size: int, ctx: Ctx) -> Items:
    if size > MAX_EMAIL_BYTES:
        yield Unreadable(ctx.whole, f"an e-mail larger than {human(MAX_EMAIL_BYTES)}: read as plain text, "
                                    "its encoded parts and attachments were not decoded")
        yield from text_stream(f, ctx.at("text"), ctx, "utf-8", markup=None)
        return
    f.seek(0)
    message = email.message_from_binary_file(f, policy=email.policy.default)
    attachments = 0
    for index, part in enumerate(message.walk(), start=1):
        if index > ctx.limits.max_members:
            yield Unreadable(ctx.whole, f"more than {ctx.limits.max_members} parts: the rest were not read")
            return
        label = "e-mail" if index == 1 else f"e-mail part {index}"
        for number, (name, raw) in enumerate(part.raw_items(), start=1):
            for suffix, text in _header_variants(str(raw).strip()):
                yield from pieces_of(ctx.at(f"{label} header {number}{suffix}"), clean(f"{name}: {text}"))
        if part.is_multipart():
            continue
        attachments = yield from _email_part(part, index, attachments, ctx)


_TRANSFER_ENCODINGS = frozenset(("7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "uuencode"))


def _email_part(part: EmailMessage, index: int, attachments: int, ctx: Ctx) -> Generator[Item, None, int]:
    """One leaf part: a text body, or an attachment (its name, then its content as a file).
    Returns the number of attachments so far."""
    encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower() or "7bit"
    if encoding not in _TRANSFER_ENCODINGS:  # the header's text never goes into `where`
        encoding = "other encoding"
    try:
        filename = part.get_filename()
    except Exception:  # a malformed parameter: the raw header was yielded already
        filename = None
    disposition = part.get_content_disposition()
    payload = part.get_payload(decode=True) or b""
    assert isinstance(payload, bytes)  # what a part that is not multipart decodes to
    ctx.budget.take(len(payload))
    content_type = part.get_content_type()
    if content_type.startswith("text/") and not filename and disposition != "attachment":
        charset = part.get_content_charset() or ""
        try:
            codecs.lookup(charset)
            payload.decode(charset)
            declared: str | None = charset
        except (LookupError, UnicodeDecodeError, TypeError):
            declared = None  # missing or wrong: the text reader tries UTF-8, then the legacy encodings
        markup = content_type in ("text/html", "text/xml") or None
        yield from text_data(payload, ctx.at(f"e-mail part {index} ({encoding})"), ctx, encoding=declared,
                             markup=markup, legacy_too=True)
        return attachments
    attachments += 1
    if filename:
        yield from meta(ctx.at(f"e-mail attachment {attachments} name"), str(filename))
    if not payload:
        return attachments
    if ctx.can_open_members:
        yield from extract_data(payload, ctx.inner(f"e-mail attachment {attachments}"))
    else:
        yield Unreadable(ctx.at(f"e-mail attachment {attachments}"),
                         f"nested more than {ctx.limits.max_depth} containers deep: not opened")
    return attachments
