"""Templates to HTML: jinja2 with autoescaping and undefined variables as errors.

Case text reaches templates only as values (escaped) or as `Markup` built by `text.py`; case
text is never compiled as a template, so `{{ 7*7 }}` in a narrative stays those characters.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from casefile.resources import template_path, templates_dir
from casefile.view import DossierView

CSS_FILES = ("css/dossier.css", "css/print.css")
FONT_CSS = "css/fonts.css"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _read(name: str) -> str:
    return template_path(name).read_text(encoding="utf-8")


def render_html(view: DossierView, template: str = "dossier.html.j2") -> str:
    """The dossier as one self-contained HTML document (CSS inlined, no external requests)."""
    view.css = "\n".join(_read(name) for name in CSS_FILES)
    view.font_css = _read(FONT_CSS) if view.mode == "pdf" else ""
    return environment().get_template(template).render(view.context())
