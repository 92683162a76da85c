"""`casefile doctor`: the Python and system pieces casefile's output depends on.

Each piece is reported as ok or missing, with what its absence costs and the command that
installs it. Required pieces (Python, casefile's Python packages, WeasyPrint and Pango for
PDF output, the packaged fonts covering every dossier language) decide the exit code; the
optional ones (harfbuzz-subset, git, qpdf, Java and the Nu HTML Checker, Chromium, pyHanko)
only cost speed or features. Nothing here reaches the network.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TypedDict

from casefile.core.languages import LANGUAGES

MIN_PYTHON = (3, 11)
MIN_PANGO = (1, 44)

# digits and punctuation every language needs; each language's own letters are in
# core.languages (its `sample`)
COMMON = "0123456789.,;:!?'\"()[]/-–—‘’“”…§%&@#*+=€"
# Python distributions casefile imports (pyproject.toml [project.dependencies]); fontTools
# comes with WeasyPrint and is used for the font check and subsetting.
PACKAGES = ("click", "jinja2", "pyyaml", "pydantic", "markdown-it-py", "pypdf", "babel", "fonttools")
REINSTALL = "python3 -m pip install --force-reinstall casefile  (from a checkout: python3 -m pip install -e .)"


class CheckDict(TypedDict):
    """A check as JSON (`casefile doctor --json`)."""

    name: str
    required: bool
    ok: bool
    detail: str
    cost: str
    install: str
    status: str


class ReportDict(TypedDict):
    ok: bool
    checks: list[CheckDict]


@dataclass
class Check:
    """One piece: whether it is there, and what its absence costs."""

    name: str
    required: bool
    ok: bool
    detail: str  # the version found, or what is wrong
    cost: str  # what is lost without it
    install: str  # the command that installs it

    @property
    def status(self) -> str:
        return "ok" if self.ok else "missing"

    def as_dict(self) -> CheckDict:
        return {"name": self.name, "required": self.required, "ok": self.ok, "detail": self.detail,
                "cost": self.cost, "install": self.install, "status": self.status}

    def lines(self) -> list[str]:
        kind = "" if self.required else " (optional)"
        lines = [f"{self.status:<8} {self.name:<18} {self.detail}{kind}"]
        if not self.ok:
            lines += [f"{'':<8} {'':<18} costs: {self.cost}", f"{'':<8} {'':<18} install: {self.install}"]
        return lines


@dataclass
class Report:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks if c.required)

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def summary(self) -> str:
        required = [c for c in self.missing if c.required]
        optional = [c for c in self.missing if not c.required]
        head = ("all required pieces present" if not required
                else f"{len(required)} required piece(s) missing: {', '.join(c.name for c in required)}")
        return f"casefile doctor: {head}; {len(optional)} optional piece(s) missing"

    def text(self) -> str:
        return "\n".join(line for c in self.checks for line in c.lines()) + "\n" + self.summary() + "\n"

    def as_dict(self) -> ReportDict:
        return {"ok": self.ok, "checks": [c.as_dict() for c in self.checks]}


# --- probes (module functions so that tests can replace them) -------------------------------
# the letters each dossier language needs, as doctor checks them against the fonts
SAMPLES: dict[str, str] = {language.code: COMMON + language.sample for language in LANGUAGES}

def _python_version() -> tuple[int, int, int]:
    return sys.version_info[:3]


def _distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _import(name: str) -> ModuleType | Exception:
    """The module, or the exception importing it raised (WeasyPrint raises OSError without Pango)."""
    try:
        return importlib.import_module(name)
    except Exception as exc:  # any failure to import is "missing"
        return exc


def _which(name: str) -> str | None:
    return shutil.which(name)


def _find_library(name: str) -> str | None:
    import ctypes.util

    return ctypes.util.find_library(name)


def _fonts_dir() -> Path:
    from casefile.core.resources import FONTS_DIR

    return FONTS_DIR


def _vnu_jar() -> Path | None:
    """The Nu HTML Checker: $VNU_JAR, or vnu-jar installed by npm in a checkout's tools/."""
    configured = os.environ.get("VNU_JAR")
    candidates = [Path(configured)] if configured else []
    root = Path(__file__).resolve().parent.parent.parent  # a checkout: casefile/core/doctor.py
    candidates.append(root / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
    return next((c for c in candidates if c.is_file()), None)


# --- checks --------------------------------------------------------------------------------
def check_python() -> Check:
    version = _python_version()
    return Check("python", True, version >= MIN_PYTHON, ".".join(map(str, version)),
                 "casefile does not run (it needs Python 3.11 or later)",
                 "install Python 3.11 or later (Debian 12: apt-get install python3)")


def check_packages() -> Check:
    found = {name: _distribution_version(name) for name in PACKAGES}
    missing = [name for name, version in found.items() if version is None]
    detail = (f"missing: {', '.join(missing)}" if missing
              else ", ".join(f"{name} {version}" for name, version in found.items()))
    return Check("python-packages", True, not missing, detail,
                 "commands that need the missing package fail", "python3 -m pip install casefile"
                 + (f"  (or: python3 -m pip install {' '.join(missing)})" if missing else ""))


def check_weasyprint() -> tuple[Check, ModuleType | None]:
    module = _import("weasyprint")
    ok = not isinstance(module, Exception)
    detail = (f"WeasyPrint {getattr(module, '__version__', '?')}" if ok
              else f"cannot import WeasyPrint: {' '.join(str(module).split())[:160]}")
    check = Check("weasyprint", True, ok, detail,
                  "no PDF output: render, packet and build fail for PDF (HTML still works)",
                  "python3 -m pip install 'weasyprint>=66'  (it needs Pango: see pango)")
    return check, None if isinstance(module, Exception) else module


def _ffi(weasyprint: ModuleType | None) -> ModuleType | None:
    if weasyprint is None:
        return None
    ffi = _import("weasyprint.text.ffi")
    return None if isinstance(ffi, Exception) else ffi


def check_pango(ffi: ModuleType | None) -> Check:
    install = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    cost = "no PDF output (WeasyPrint lays out text with Pango)"
    if ffi is not None:
        number = int(ffi.pango.pango_version())
        version = (number // 10000, number // 100 % 100, number % 100)
        ok = version[:2] >= MIN_PANGO
        detail = f"Pango {'.'.join(map(str, version))}" + ("" if ok else " (1.44 or later needed)")
        return Check("pango", True, ok, detail, cost, install)
    library = _find_library("pango-1.0")
    return Check("pango", True, library is not None,
                 f"{library} (version unknown: WeasyPrint does not import)" if library else "libpango-1.0 not found",
                 cost, install)


def check_harfbuzz_subset(ffi: ModuleType | None) -> Check:
    if ffi is not None:
        ok = getattr(ffi, "harfbuzz_subset", None) is not None
    else:
        ok = _find_library("harfbuzz-subset") is not None
    return Check("harfbuzz-subset", False, ok, "libharfbuzz-subset" if ok else "libharfbuzz-subset not found",
                 "fonts are embedded whole, about 1.7 MB more per PDF (output stays reproducible)",
                 "apt-get install libharfbuzz-subset0")


def _stylesheet_fonts() -> list[str]:
    """The font files the dossier stylesheet loads (templates/css/fonts.css)."""
    try:
        from casefile.core.resources import template_path

        css = template_path("css/fonts.css").read_text(encoding="utf-8")
    except OSError:
        return sorted(p.name for p in _fonts_dir().glob("*.ttf"))
    return sorted(set(re.findall(r"casefile-asset:fonts/([\w.-]+\.[ot]tf)", css)))


def check_fonts() -> list[Check]:
    """One check per dossier language: every packaged font has a glyph for its letters."""
    from fontTools.ttLib import TTFont

    folder = _fonts_dir()
    cmaps: dict[str, set[int] | None] = {}
    for name in _stylesheet_fonts():
        try:
            with TTFont(folder / name, lazy=True) as font:
                cmaps[name] = set(font.getBestCmap() or {})
        except Exception:  # absent or unreadable font file
            cmaps[name] = None
    checks = []
    for language in LANGUAGES:
        lang, sample = language.code, SAMPLES[language.code]
        problems = []
        for name, cmap in cmaps.items():
            if cmap is None:
                problems.append(f"{name} missing or unreadable")
                continue
            lacking = "".join(sorted({c for c in sample if ord(c) not in cmap}))
            if lacking:
                problems.append(f"{name} lacks {' '.join(f'U+{ord(c):04X}' for c in lacking)} ({lacking!r})")
        label = language.name
        detail = (f"{len(cmaps)} font(s) cover the {label} sample ({len(set(sample))} characters)"
                  if not problems else "; ".join(problems))
        checks.append(Check(f"fonts-{lang}", True, not problems and bool(cmaps), detail or "no fonts found",
                            f"{label} text would be set in a fallback font or shown as empty boxes",
                            REINSTALL))
    return checks


def check_git() -> Check:
    path = _which("git")
    return Check("git", False, path is not None, _version([path, "--version"]) if path else "git not found",
                 "dossiers carry no provenance (footer and Annex D say 'not in git'), `casefile diff` "
                 "does not run, `casefile init` creates no repository",
                 "apt-get install git")


def check_qpdf() -> Check:
    path = _which("qpdf")
    return Check("qpdf", False, path is not None, _version([path, "--version"]) if path else "qpdf not found",
                 "PDF structure checks (qpdf --check, as the test suite runs them) cannot run",
                 "apt-get install qpdf")


def check_java_vnu() -> list[Check]:
    java = _which("java")
    jar = _vnu_jar()
    return [
        Check("java", False, java is not None, java or "java not found",
              "the Nu HTML Checker cannot run: the HTML edition is not checked against the HTML standard",
              "apt-get install default-jre-headless"),
        Check("vnu", False, jar is not None, str(jar) if jar else "vnu.jar not found (set VNU_JAR)",
              "the HTML edition is not checked against the HTML standard (Nu HTML Checker)",
              "in a casefile checkout: scripts/install-system-deps; elsewhere: npm install vnu-jar and "
              "set VNU_JAR=node_modules/vnu-jar/build/dist/vnu.jar"),
    ]


def check_chromium() -> Check:
    path = next((p for p in map(_which, ("chromium", "chromium-browser")) if p), None)
    return Check("chromium", False, path is not None, path or "chromium not found",
                 "the HTML edition's accessibility checks (axe-core in Chromium) cannot run",
                 "apt-get install chromium")


def check_pyhanko() -> Check:
    module = _import("pyhanko")
    ok = not isinstance(module, Exception)
    version = _distribution_version("pyhanko") if ok else None
    return Check("pyhanko", False, ok, f"pyHanko {version or '?'}" if ok else "pyHanko not importable",
                 "no signed PDFs (render/packet --sign) and no signature checks",
                 "python3 -m pip install 'casefile[sign]'")


def _version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{command[0]} ({exc})"
    first = (result.stdout or result.stderr).strip().splitlines()
    return first[0] if first else command[0]


def run() -> Report:
    """Every check, in the order they are printed."""
    weasyprint_check, weasyprint = check_weasyprint()
    ffi = _ffi(weasyprint)
    checks = [check_python(), check_packages(), weasyprint_check, check_pango(ffi), check_harfbuzz_subset(ffi)]
    checks += check_fonts()
    checks += [check_git(), check_qpdf(), *check_java_vnu(), check_chromium(), check_pyhanko()]
    return Report(checks)
