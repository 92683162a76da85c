"""Free text: safe Markdown with `@id` mentions.

Case text is untrusted. Raw HTML is escaped (shown as text), links, images and autolinks are
not parsed (shown as the characters written), headings are not parsed (they would break the
dossier's outline), and nothing is ever evaluated as a template: the result is HTML built by
markdown-it's renderer from escaped text, marked safe only here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererProtocol
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

# `@V1` in free text: an id mentioned (not after a letter, digit or @: e-mail addresses, "@@")
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z][A-Za-z0-9_-]*)")

# (label, anchor) for an id, or None when it is unknown
Resolver = Callable[[str], "tuple[str, str | None] | None"]

_DISABLED = ["html_block", "html_inline", "link", "image", "autolink", "heading", "lheading", "reference"]
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _mention_rule(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    src = state.src
    if src[pos] != "@":
        return False
    if pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "_@"):
        return False  # e-mail addresses, '@@'
    end = pos + 1
    if end >= state.posMax or not src[end].isascii() or not src[end].isalpha():
        return False
    while end < state.posMax and src[end] in _ID_CHARS:
        end += 1
    # a trailing '-' or '_' is punctuation, not part of the id ("@V1-@V2" is rare; "@V1-" rarer)
    while src[end - 1] in "-_":
        end -= 1
    if not silent:
        token = state.push("mention", "", 0)
        token.meta = {"id": src[pos + 1:end]}
    state.pos = end
    return True


def _render_mention(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
    ident: str = tokens[idx].meta["id"]
    resolve: Resolver | None = env.get("resolve") if env else None
    found = resolve(ident) if resolve else None
    if found is None:
        return escape("@" + ident)
    label, anchor = found
    if anchor:
        return f'<a class="ref" href="#{escape(anchor)}">{escape(label)}</a>'
    return f'<span class="ref">{escape(label)}</span>'


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # here: `validate` needs only MENTION_RE (20 ms of start-up)

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(_DISABLED)
    md.inline.ruler.before("emphasis", "mention", _mention_rule)
    md.add_render_rule("mention", _render_mention)
    return md


def render_block(text: str, resolve: Resolver | None = None) -> Markup:
    # markdown-it's HTML, built from escaped text (raw HTML, links and images disabled above)
    return Markup(_markdown().render(text, {"resolve": resolve}))  # noqa: S704  escaped by markdown-it


def render_inline(text: str, resolve: Resolver | None = None) -> Markup:
    return Markup(_markdown().renderInline(text, {"resolve": resolve}))  # noqa: S704  escaped by markdown-it


def plain(text: str, resolve: Resolver | None = None) -> str:
    """Text with mentions replaced by labels, no markup (for metadata, bookmarks, titles)."""
    def replace(match: re.Match[str]) -> str:
        found = resolve(match.group(1)) if resolve else None
        return found[0] if found else match.group(0)

    return " ".join(MENTION_RE.sub(replace, text).split())
