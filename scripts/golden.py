#!/usr/bin/env python3
"""Golden HTML outputs: the dossiers of both examples, in both editions, as casefile renders
them now. tests/test_golden.py renders them again and compares byte for byte, so a change in
the output (a refactoring that should change nothing, a template edit) shows as a diff.

    python3 scripts/golden.py           # rewrite tests/golden/*.html from the current code
    python3 scripts/golden.py --check   # compare only; exit 1 and list the files that differ

Review the diff (`git diff tests/golden`) before committing regenerated files. The examples
are rendered from a copy outside any git repository (the footer says "not in git"), without
SOURCE_DATE_EPOCH; images re-encoded for an edition are replaced by a placeholder, since their
bytes depend on the JPEG library's version, not on casefile.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = {"donetsk": ROOT / "cases" / "donetsk-pow-executions.yaml",
            "witness": ROOT / "cases" / "protected-witness" / "case.yaml"}
EDITIONS = ("internal", "public")
_REENCODED = re.compile(r"data:image/(jpeg|png);base64,[A-Za-z0-9+/=]+")


def normalise(html: str, edition: str) -> str:
    """The HTML with what does not come from casefile taken out (see the module docstring)."""
    if edition == "internal":
        return html  # the internal edition embeds the original files, byte for byte
    return _REENCODED.sub(lambda m: f"data:image/{m.group(1)};base64,(re-encoded image)", html)


def render_all() -> dict[str, str]:
    """name -> normalised HTML, for every example and edition."""
    sys.path.insert(0, str(ROOT))
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    from casefile import api

    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["GIT_CEILING_DIRECTORIES"] = str(work)  # not in git, wherever tmp is
        try:
            for name, case in EXAMPLES.items():
                folder = work / name
                shutil.copytree(case.parent, folder, ignore=shutil.ignore_patterns(".casefile-cache", "out"))
                copy = folder / case.name
                for edition in EDITIONS:
                    target = api.render(copy, format="html", edition=edition, output=work / f"{name}.{edition}.html")
                    out[f"{name}.{edition}.html"] = normalise(target.read_text(encoding="utf-8"), edition)
        finally:
            os.environ.pop("GIT_CEILING_DIRECTORIES", None)
    return out


def main() -> None:
    check = "--check" in sys.argv
    different = []
    for name, html in render_all().items():
        path = GOLDEN / name
        if path.exists() and path.read_text(encoding="utf-8") == html:
            continue
        different.append(name)
        if not check:
            GOLDEN.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
    verb = "differ" if check else "rewritten"
    print(f"{len(different)} golden file(s) {verb}: {', '.join(different) or 'none'}")
    sys.exit(1 if check and different else 0)


if __name__ == "__main__":
    main()
