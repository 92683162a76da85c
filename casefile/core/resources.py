"""Where the package's own files are: templates, CSS, fonts.

Installed, templates live inside the package (`casefile/templates`, copied there by the build);
in a source checkout or an editable install they are the top-level `templates/` folder.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # casefile/
FONTS_DIR = PACKAGE_DIR / "fonts"


@lru_cache(maxsize=1)
def templates_dir() -> Path:
    for candidate in (PACKAGE_DIR / "templates", PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("casefile's templates are missing from this installation")


def template_path(name: str) -> Path:
    return templates_dir() / name
