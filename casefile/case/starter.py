"""The commented starter case `casefile new` writes (it validates)."""

from __future__ import annotations


def starter_case(schema: str | None = None) -> str:
    """The commented starter case `casefile new` writes (it validates); with `schema`, its first
    line is the yaml-language-server modeline pointing there."""
    from casefile.case.schema import modeline
    from casefile.core.resources import template_path

    text = template_path("starter-case.yaml").read_text(encoding="utf-8")
    return (modeline(schema) if schema else "") + text
