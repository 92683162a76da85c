"""Templates to HTML: jinja2 with autoescaping and undefined variables as errors.

Case text reaches templates only as values (escaped) or as `Markup` built by `text.py`; case
text is never compiled as a template, so `{{ 7*7 }}` in a narrative stays those characters.
A project may override built-in templates and CSS with a folder of its own; such templates
are untrusted and run in jinja2's sandbox (no access to Python internals).
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from casefile.case.catalog import Catalog
from casefile.core.errors import CasefileError, Problem, error
from casefile.core.i18n import translator
from casefile.core.resources import templates_dir
from casefile.dossier.view import DossierView

CSS_FILES = ("css/dossier.css", "css/print.css")
PDF_CSS_FILES = ("css/pdf.css",)  # WeasyPrint-only (running elements, bookmarks): not in the HTML edition
FONT_CSS = "css/fonts.css"


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from these folders, in order; a name whose file (after symbolic links) lies
    outside its folder is refused, so a link in a project's templates cannot pull any other
    file of the machine into a dossier."""

    def __init__(self, folders: tuple[Path, ...]):
        self.folders = tuple(Path(f).resolve() for f in folders)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = find_inside(self.folders, template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        source = path.read_text(encoding="utf-8")
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime


def find_inside(folders: tuple[Path, ...], name: str) -> Path | None:
    """The first folder's file `name` (a template or stylesheet), refusing one that leaves it."""
    for folder in folders:
        candidate = folder / name
        if not candidate.exists() and not candidate.is_symlink():
            continue
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            resolved = None
        if resolved is None or folder.resolve() not in resolved.parents or not resolved.is_file():
            raise CasefileError(f"template file '{name}' in {folder} leads outside that folder or is not a file",
                                "templates and stylesheets must be files inside the templates folder")
        return resolved
    return None


# the files of a templates folder that take part in rendering: a template, a stylesheet, a script
_TEMPLATE_SUFFIXES = (".j2", ".css", ".html", ".js")
_READ_AT_MOST = 1 << 20  # bytes of each file searched for the names it uses
_SCAN_AT_MOST = 5_000  # entries of the folder looked at (a folder given by mistake, a home folder)


def stray_templates(folder: Path, catalog: Catalog) -> list[tuple[str, str | None]]:
    """The files of a project's templates folder that change nothing: each replaces no
    built-in template or stylesheet (same path as in templates/), is no body's letter
    (`letters/<body id>.html.j2`), and no other file of the folder names it. A misspelt
    `css/dosier.css` was silently ignored, and the built-in style used. Each comes with the
    built-in path it most likely meant, if any."""
    builtin_root = templates_dir()
    builtin = sorted(p.relative_to(builtin_root).as_posix() for p in builtin_root.rglob("*") if p.is_file())
    files = sorted(p for p in itertools.islice(folder.rglob("*"), _SCAN_AT_MOST) if p.is_file() and not p.is_symlink()
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    texts = {p: _head(p) for p in files if p.suffix in _TEMPLATE_SUFFIXES}
    strays = []
    for path in files:
        name = path.relative_to(folder).as_posix()
        if path.suffix not in _TEMPLATE_SUFFIXES or name in builtin:
            continue
        letter = name[8:-8] if name.startswith("letters/") and name.endswith(".html.j2") else None
        if letter in catalog.bodies:
            continue
        if any(path.name in text for other, text in texts.items() if other != path):
            continue  # included, imported or linked by another file of the folder
        if letter is not None:  # a body's letter: only a typo of a body's id (`icc` is not `icrc`)
            body = catalog.suggest_body(letter)
            strays.append((name, f"letters/{body}.html.j2" if body else None))
        else:
            meant = difflib.get_close_matches(name, builtin, n=1, cutoff=0.8)
            strays.append((name, meant[0] if meant else None))
    return strays


def stray_template_problems(folder: Path, catalog: Catalog) -> list[Problem]:
    """`stray_templates` as errors, each at the file."""
    problems = []
    for name, meant in stray_templates(folder, catalog):
        hint = (f"did you mean {meant}?" if meant else
                "name it as the built-in file it replaces (the folder templates/ of casefile), or use it from one")
        problems.append(error((), f"this file of the templates folder {folder} replaces no built-in template, is no "
                                  "body's letter, and no other file there uses it: it would change nothing",
                              hint).at(str(folder / name), 1, 1))
    return problems


def _head(path: Path) -> str:
    with open(path, "rb") as fh:
        return fh.read(_READ_AT_MOST).decode("utf-8", errors="replace")


def search_path(user_dir: Path | None = None) -> tuple[Path, ...]:
    builtin = templates_dir()
    return (Path(user_dir).resolve(), builtin) if user_dir else (builtin,)


@lru_cache(maxsize=32)
def environment(user_dir: Path | None = None, lang: str = "en") -> jinja2.Environment:
    """One environment per (templates folder, language): `_`, `gettext` and `ngettext` are the
    language's (casefile/i18n.py), installed as globals so imported macros see them too."""
    kind = SandboxedEnvironment if user_dir else jinja2.Environment
    env = kind(
        extensions=["jinja2.ext.i18n"],
        loader=ConfinedLoader(search_path(user_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["css_content"] = css_content
    # looked up per call, so CASEFILE_I18N_DEBUG set after the environment was made still applies
    # (a method the i18n extension adds to the environment, so type checkers do not know it)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translator(lang).gettext(message),
        lambda singular, plural, n: translator(lang).ngettext(singular, plural, n),
        newstyle=True)
    return env


_CSS_SAFE = frozenset(" .,-_:/()#+&")


def css_string(value: object) -> str:
    """A quoted CSS string that no input can break out of: anything but letters, digits and
    a few harmless punctuation marks becomes a 6-digit hex escape."""
    return '"' + "".join(c if (c.isalnum() and c.isprintable()) or c in _CSS_SAFE else f"\\{ord(c):06x}"
                         for c in str(value)) + '"'


_CSS_COUNTERS = {"page": "counter(page)", "pages": "counter(pages)",
                 "target": "target-counter(attr(href), page)"}


def css_content(message: str) -> Markup:
    """A CSS `content` value from a translated message with `{page}`, `{pages}` or `{target}`
    (the page counters): "Page {page} of {pages}" -> "Page " counter(page) " of " counter(pages).
    The text parts go through css_string, so the result is safe inside a <style> element."""
    parts = re.split(r"\{(page|pages|target)\}", str(message))
    values = [_CSS_COUNTERS[part] if i % 2 else css_string(part) for i, part in enumerate(parts) if part]
    return Markup(" ".join(values) or '""')  # noqa: S704 - every part is a CSS string css_string quoted


def read_asset(name: str, user_dir: Path | None = None) -> str:
    """A CSS file from the project's templates folder, else the built-in one."""
    path = find_inside(search_path(user_dir), name)
    if path is not None:
        return path.read_text(encoding="utf-8")
    raise CasefileError(f"template file '{name}' not found in {', '.join(map(str, search_path(user_dir)))}")


def render_html(view: DossierView, template: str = "dossier.html.j2", user_dir: Path | None = None) -> str:
    """The dossier as one self-contained HTML document (CSS inlined, no external requests).
    The stylesheets go to the template beside the view's values (`css`, `font_css`); the view
    itself is not changed."""
    css_files = CSS_FILES + (PDF_CSS_FILES if view.mode == "pdf" else ())
    context = {**view.context(),
               "css": "\n".join(read_asset(name, user_dir) for name in css_files),
               "font_css": read_asset(FONT_CSS, user_dir) if view.mode == "pdf" else ""}
    try:
        return environment(user_dir, view.lang).get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise CasefileError(f"template {exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise CasefileError(f"template error: {exc.message}",
                            "a template uses a value the dossier does not provide") from None
    except jinja2.exceptions.SecurityError as exc:
        raise CasefileError(f"template refused by the sandbox: {exc}") from None
    except jinja2.TemplateNotFound as exc:
        raise CasefileError(f"template '{exc.name}' not found in {', '.join(map(str, search_path(user_dir)))}",
                            "a template includes or extends a file the templates folder does not have") from None
