"""The documentation ships with the code and stays true to it: the generated reference pages
are up to date (scripts/docs.py), the MkDocs site builds in strict mode (every link and anchor
resolves), every example case in the docs and the README validates, and every relative link
of the README points at a file that exists."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casefile import api
from tests.conftest import ROOT, unavailable

# the tests that run MkDocs share one worker
pytestmark = pytest.mark.xdist_group("docs")

DOCS = ROOT / "docs"
README = ROOT / "README.md"
SCRIPT = ROOT / "scripts" / "docs.py"
_YAML_BLOCK = re.compile(r"^```yaml[^\n]*\n(.*?)^```", re.S | re.M)
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|<a\s[^>]*href=\"([^\"]+)\"")


def docs_tool():
    spec = importlib.util.spec_from_file_location("casefile_docs_tool", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------
# (a) the generated pages
# ------------------------------------------------------------------------------------------
def test_generated_pages_are_up_to_date():
    for path, text in docs_tool().pages().items():
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing: run python3 scripts/docs.py"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is out of date: run python3 scripts/docs.py")


def test_generated_pages_are_deterministic_and_complete():
    from casefile.case.model import Case

    tool = docs_tool()
    first, second = tool.pages(), tool.pages()
    assert first == second
    case_format, cli = first[tool.CASE_FORMAT], first[tool.CLI]
    # every field of every model, by its dotted path (a model found at several places: at the
    # first, with the others listed); every command, by its name
    first: dict[type, str] = {}
    for model, path in tool.walk(Case):
        first.setdefault(model, path)
    for model, path in first.items():
        assert f"### {model.__name__}\n" in case_format
        for name in model.model_fields:
            assert f"| `{f'{path}.{name}'.lstrip('.')}` |" in case_format, (model.__name__, name)
    for heading in ("## casefile", "### casefile packet", "#### casefile import victims"):
        assert f"\n{heading}\n" in cli, heading


def test_check_names_a_stale_page(tmp_path, monkeypatch, capsys):
    tool = docs_tool()
    page = tmp_path / "page.md"
    page.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(tool, "pages", lambda: {page: "new\n"})
    assert tool.main(["--check"]) == 1
    assert str(page) in capsys.readouterr().err
    assert page.read_text(encoding="utf-8") == "old\n"  # --check writes nothing
    assert tool.main([]) == 0
    assert page.read_text(encoding="utf-8") == "new\n"
    assert tool.main(["--check"]) == 0


# ------------------------------------------------------------------------------------------
# (b) the site builds, strictly: this is the link check
# ------------------------------------------------------------------------------------------
def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("mkdocs") is None:
        unavailable("MkDocs is not installed (pip install -e '.[test]')")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, timeout=300)


def test_site_builds_strictly(tmp_path):
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "tutorial/index.html", "receiver/index.html", "reference/case-format/index.html",
                 "reference/cli/index.html", "performance/index.html"):
        assert (tmp_path / "site" / page).is_file(), page
    # nothing is loaded from the network when the site is read
    assert not re.search(r"(src|href)=\"https?://cdn", (tmp_path / "site" / "index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("link", ["[a page](no-such-page.md)", "[a heading](tutorial.md#no-such-heading)"])
def test_site_build_fails_on_a_broken_link(tmp_path, link):
    """The control: the same documentation with one broken link (or anchor) does not build."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(DOCS, tmp_path / "docs")
    index = tmp_path / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + f"\nSee {link}.\n", encoding="utf-8")
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert re.search(r"no-such-(page|heading)", result.stderr), result.stderr


# ------------------------------------------------------------------------------------------
# (c) the example cases validate
# ------------------------------------------------------------------------------------------
def example_cases(text: str) -> list[str]:
    """The ```yaml blocks of a Markdown text that are whole case files (start with `casefile: 1`)."""
    return [block for block in _YAML_BLOCK.findall(text) if block.startswith("casefile: 1")]


def case_errors(block: str, folder: Path) -> list[str]:
    """The errors `casefile validate` finds in a case file with this text (its evidence files
    are not there: a missing file is a warning, not an error)."""
    path = folder / "case.yaml"
    path.write_text(block, encoding="utf-8")
    return [f"{p.line}:{p.column}: {p.message}" for p in api.validate(path).errors]


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def test_the_docs_and_the_readme_have_example_cases():
    assert example_cases(README.read_text(encoding="utf-8"))
    assert example_cases((DOCS / "tutorial.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_example_case_validates(page, tmp_path):
    for number, block in enumerate(example_cases(page.read_text(encoding="utf-8")), 1):
        folder = tmp_path / str(number)
        folder.mkdir()
        assert case_errors(block, folder) == [], f"{page.relative_to(ROOT)}: example case {number}"


def test_an_invalid_example_case_is_reported(tmp_path):
    text = (DOCS / "tutorial.md").read_text(encoding="utf-8").replace("harm: killed", "harm: kiled")
    (block,) = example_cases(text)
    errors = case_errors(block, tmp_path)
    assert len(errors) == 1 and "kiled" in errors[0]


# ------------------------------------------------------------------------------------------
# (d) the README's relative links
# ------------------------------------------------------------------------------------------
def broken_links(text: str, base: Path) -> list[str]:
    """The relative links of a Markdown text whose file does not exist under `base`."""
    broken = []
    for match in _LINK.finditer(re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)):
        target = match.group(1) or match.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
            continue  # https:, mailto:, an anchor in the same page
        if not (base / target.split("#")[0]).exists():
            broken.append(target)
    return broken


def test_readme_links_point_at_files_that_exist():
    text = README.read_text(encoding="utf-8")
    assert "shared/spec" not in text
    assert "docs/reference/case-format.md" in text
    assert broken_links(text, ROOT) == []


def test_a_broken_readme_link_is_found():
    text = "See [the format](docs/no-such-page.md#x), [home](https://example.org) and [top](#top).\n"
    assert broken_links(text, ROOT) == ["docs/no-such-page.md#x"]
    assert broken_links("[ok](docs/index.md#install) <a href=\"CONTRIBUTING.md\">x</a>", ROOT) == []
