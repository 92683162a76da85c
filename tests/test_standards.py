"""Outputs that meet published standards, checked with the standards' own tools.

- HTML dossiers and registers: the Nu HTML Checker (vnu.jar from the npm package vnu-jar, run with
  Java) finds no error; axe-core in headless Chromium finds no serious or critical violation.
- Every dossier PDF is tagged (structure tree, /MarkInfo, /Lang, title shown by viewers).
- `--pdf-variant pdf/a-3b`: PDF/A-3b identification, an ICC output intent, every font embedded,
  the case file and the manifest as associated files. (veraPDF is not reachable from the
  package registries this project may use, so the PDF/A properties are asserted one by one.)
- `qpdf --check` passes on every PDF casefile writes.

The tools are installed by `bash scripts/install-system-deps` (Debian: chromium, qpdf,
default-jre-headless; npm: tools/package-lock.json). Under CI (env CI set) a missing tool fails
these tests; elsewhere they skip with the reason.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import BooleanObject, IndirectObject

from casefile import api
from casefile.cli import cli
from casefile.dossier import pdf as casefile_pdf

from . import pdfcheck
from .conftest import CASES, DONETSK, ROOT, WITNESS, unavailable
from .pdfcheck import assert_qpdf_ok, require_tool

# One worker runs this module: its module fixtures (the Nu checker's and axe's runs over every
# HTML file, the PDFs of the parametrized checks, reached through request.getfixturevalue where
# the xdist grouping of conftest.py cannot see them) are made once, beside the session's shared
# renders they read.
pytestmark = pytest.mark.xdist_group("documents")

TOOLS = ROOT / "tools"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_CHECK = TOOLS / "axe-check.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NOT_INSTALLED = "run `bash scripts/install-system-deps`"

# A page with errors each checker must report: the control that shows the checker ran.
BROKEN_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>control</title></head>
<body><p>unclosed <div>block in a paragraph</p></div>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<span aria-label="x">y</span></body></html>
"""
# A well-formed page whose only fault is a table that scrolls sideways without being reachable
# by keyboard: axe's control for the check the dossier's wide tables must pass on a phone.
SCROLLING_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>control</title></head>
<body><main><h1>Control</h1>
<div style="overflow-x: auto"><table style="width: 300rem"><tr>
<td style="width: 250rem">a table wider</td><td>than the screen: this cell is out of sight</td>
</tr></table></div>
</main></body></html>
"""


def require_file(path: Path, what: str) -> Path:
    if path.is_file():
        return path
    unavailable(f"{what} is missing: {path} ({NOT_INSTALLED})")


def copy_case(source_dir: Path, target: Path) -> Path:
    shutil.copytree(source_dir, target, ignore=shutil.ignore_patterns(".casefile-cache"))
    for path in target.rglob("*"):
        path.chmod(0o644 if path.is_file() else 0o755)
    return target


# ------------------------------------------------------------------------------------------
# HTML: the Nu HTML Checker and axe-core
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def html_files(tmp_path_factory, rendered) -> dict[str, Path]:
    """Every HTML document casefile writes for the two example cases: the dossier in both
    editions (and in the one-line evidence layout, in Ukrainian), and the register in both
    editions. (The dossiers are the session's shared renders of the examples.)"""
    out = tmp_path_factory.mktemp("html")
    files = {}
    for name, case in (("donetsk", DONETSK), ("witness", WITNESS)):
        for edition in ("internal", "public"):
            files[f"{name}.{edition}"] = rendered(case, format="html", edition=edition)
    # the one-line evidence layout of large cases, in Ukrainian
    files["witness.lines.uk"] = rendered(WITNESS, format="html", edition="public", language="uk",
                                         evidence_layout="register")
    for edition in ("internal", "public"):
        written = api.register(CASES, edition=edition, output=out / f"register-{edition}")
        (page,) = [p for p in written if p.suffix == ".html"]
        files[f"register.{edition}"] = page
    control = out / "control.html"
    control.write_text(BROKEN_HTML, encoding="utf-8")
    files["control"] = control
    scrolling = out / "scrolling-control.html"
    scrolling.write_text(SCROLLING_HTML, encoding="utf-8")
    files["scrolling-control"] = scrolling
    return files


@pytest.fixture(scope="module")
def vnu_messages(html_files) -> dict[str, list[dict]]:
    """The Nu HTML Checker's errors per document (one JVM for all of them)."""
    java = require_tool("java", NOT_INSTALLED)
    jar = require_file(VNU_JAR, "vnu.jar (npm package vnu-jar)")
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--format", "json", "--stdout",
                             *map(str, html_files.values())],
                            capture_output=True, text=True, timeout=600)
    assert result.stdout.startswith("{"), f"vnu.jar failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
    report = json.loads(result.stdout)  # exit 1 when it found errors
    names = {path.resolve(): name for name, path in html_files.items()}
    by_name: dict[str, list[dict]] = {name: [] for name in html_files}
    for message in report["messages"]:
        path = Path(unquote(urlsplit(message.get("url", "")).path)).resolve()
        assert path in names, message  # a message about no document of ours: report it as is
        by_name[names[path]].append(message)
    return by_name


def _describe_vnu(messages: list[dict]) -> str:
    return "\n".join(f"  line {m.get('lastLine')}: {m.get('message')} | {m.get('extract', '')[:120]!r}"
                     for m in messages)


def test_the_nu_checker_reports_errors_in_a_broken_page(vnu_messages):
    errors = [m for m in vnu_messages["control"] if m.get("type") == "error"]
    text = " ".join(m["message"] for m in errors)
    assert "alt" in text and "aria-label" in text, text  # the checker ran and reports what we rely on


@pytest.mark.parametrize("name", ["donetsk.internal", "donetsk.public", "witness.internal", "witness.public",
                                  "witness.lines.uk", "register.internal", "register.public"])
def test_html_passes_the_nu_html_checker(vnu_messages, name):
    errors = [m for m in vnu_messages[name] if m.get("type") in ("error", "non-document-error")]
    assert not errors, f"Nu HTML Checker errors in {name}:\n{_describe_vnu(errors)}"


@pytest.fixture(scope="module")
def axe_results(html_files) -> dict[tuple[str, int], list[dict]]:
    """axe-core's violations per document and viewport width (a phone's 390 px and a desktop's
    1280 px), run in the system's headless Chromium."""
    node = require_tool("node", NOT_INSTALLED)
    if not Path(CHROMIUM).is_file():
        require_tool("chromium", NOT_INSTALLED)
    for package in ("axe-core/axe.min.js", "playwright-core/package.json"):
        require_file(TOOLS / "node_modules" / package, f"npm package {package.split('/')[0]}")
    paths = {str(path): name for name, path in html_files.items()}
    result = subprocess.run([node, str(AXE_CHECK), *paths], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "CHROMIUM": CHROMIUM, "AXE_WIDTHS": ",".join(map(str, WIDTHS))})
    assert result.returncode == 0, f"axe-check failed:\n{result.stderr[-3000:]}"
    report = json.loads(result.stdout)
    assert report["axe"] and report["browser"]
    found = {(paths[r["file"]], r["width"]): r["violations"] for r in report["results"]}
    assert set(found) == {(name, width) for name in html_files for width in WIDTHS}
    return found


def _severe(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


WIDTHS = (390, 1280)


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_reports_violations_in_a_broken_page(axe_results, width):
    found = {v["id"] for v in _severe(axe_results["control", width])}
    assert {"image-alt", "html-has-lang"} <= found, found
    scrolling = {v["id"] for v in _severe(axe_results["scrolling-control", width])}
    assert scrolling == {"scrollable-region-focusable"}, scrolling


@pytest.mark.parametrize("name", ["donetsk.internal", "donetsk.public", "witness.internal", "witness.public",
                                  "witness.lines.uk", "register.internal", "register.public"])
@pytest.mark.parametrize("width", WIDTHS)
def test_html_has_no_serious_or_critical_accessibility_violation(axe_results, name, width):
    severe = _severe(axe_results[name, width])
    assert not severe, f"axe-core in {name} at {width} px:\n" + "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}" for v in severe)


# ------------------------------------------------------------------------------------------
# PDF: rendered once per module, shared by the tests below
# ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def witness_copy(pdf_dir) -> Path:
    return copy_case(WITNESS.parent, pdf_dir / "protected-witness") / "case.yaml"


@pytest.fixture(scope="module")
def internal_pdf(rendered) -> Path:
    return rendered(DONETSK)


@pytest.fixture(scope="module")
def public_pdf(rendered) -> Path:
    return rendered(WITNESS, edition="public")


@pytest.fixture(scope="module")
def pdfa_pdf(rendered) -> Path:
    return rendered(WITNESS, pdf_variant="pdf/a-3b")


@pytest.fixture(scope="module")
def unverified_pdf(pdf_dir) -> Path:
    """An evidence file altered after hashing, rendered with --allow-unverified (every page is
    marked), as PDF/UA-1."""
    case = copy_case(WITNESS.parent, pdf_dir / "tampered") / "case.yaml"
    with open(case.parent / "evidence" / "E3-statement-W1.txt", "a", encoding="utf-8") as fh:
        fh.write("altered\n")
    return api.render(case, allow_unverified=True, pdf_variant="pdf/ua-1", output=pdf_dir / "unverified.pdf")


@pytest.fixture(scope="module")
def packet_folder(pdf_dir, witness_copy) -> Path:
    """A draft packet (every page of the print-ready PDF stamped, DRAFT too)."""
    (result,) = api.packet(witness_copy, to="icc-otp", draft=True, output=pdf_dir / "packets")
    return result.folder


PDFS = ["internal", "public", "pdf/a-3b", "unverified", "packet letter", "packet dossier", "packet print-ready"]


@pytest.fixture
def written_pdf(request) -> Path:
    name = request.param
    if name.startswith("packet "):
        folder = request.getfixturevalue("packet_folder")
        part = name.removeprefix("packet ")
        if part == "print-ready":
            (path,) = folder.glob("*-print.pdf")
            return path
        return folder / {"letter": "01-letter.pdf", "dossier": "02-dossier.pdf"}[part]
    fixture = {"internal": "internal_pdf", "public": "public_pdf", "pdf/a-3b": "pdfa_pdf",
               "unverified": "unverified_pdf"}[name]
    return request.getfixturevalue(fixture)


def resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def is_true(value) -> bool:
    return isinstance(value, BooleanObject) and value.value is True


def struct_elements(reader: PdfReader):
    """The elements of the structure tree, depth first in document order."""
    stack = [resolve(reader.trailer["/Root"]["/StructTreeRoot"]).get("/K")]
    while stack:
        node = resolve(stack.pop())
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if "/S" in node:
                yield node
            if "/K" in node:
                stack.append(node["/K"])


def struct_roles(reader: PdfReader) -> list[str]:
    """The structure types (/S) of the structure tree, depth first."""
    return [str(element["/S"]) for element in struct_elements(reader)]


def xmp(reader: PdfReader) -> ET.Element:
    return ET.fromstring(resolve(reader.trailer["/Root"]["/Metadata"]).get_data())


def xmp_attribute(root: ET.Element, namespace: str, name: str) -> str | None:
    key = f"{{{namespace}}}{name}"
    for element in root.iter():
        if key in element.attrib:
            return element.attrib[key]
        if element.tag == key:
            return element.text
    return None


PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"


# ------------------------------------------------------------------------------------------
# qpdf --check on every PDF casefile writes
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("written_pdf", PDFS, indirect=True)
def test_qpdf_check_passes(written_pdf):
    assert_qpdf_ok(written_pdf)


def test_qpdf_inflate_boundary_warning_is_accepted_only_for_a_whole_stream():
    body = zlib.compress(os.urandom(3000).hex().encode())
    head = b"%%PDF-1.7\n7 0 obj\n<</Filter /FlateDecode/Length %d>>\nstream\n" % len(body)
    data = head + body + b"\nendstream\nendobj\n"
    warning = f"WARNING: x.pdf (offset {len(head)}): input stream is complete but output may still be valid"
    assert pdfcheck._valid_flate_at(data, warning)
    cut = head.replace(b"/Length %d" % len(body), b"/Length %d" % (len(body) - 9)) + body
    assert not pdfcheck._valid_flate_at(cut, warning)  # the stream does not inflate completely
    assert not pdfcheck._valid_flate_at(data, warning.replace(str(len(head)), str(len(head) + 1)))
    assert not pdfcheck._valid_flate_at(data, "WARNING: x.pdf (offset 9): object has offset 0")


def test_qpdf_check_fails_on_a_damaged_pdf(internal_pdf, tmp_path):
    damaged = tmp_path / "damaged.pdf"
    data = internal_pdf.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])  # cut in half: no cross-reference table, streams cut
    with pytest.raises(AssertionError, match="qpdf --check"):
        assert_qpdf_ok(damaged)


# ------------------------------------------------------------------------------------------
# tagged PDF (PDF/UA structure)
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("written_pdf", ["internal", "public", "pdf/a-3b", "unverified", "packet letter",
                                         "packet dossier"], indirect=True)
def test_every_dossier_and_letter_pdf_is_tagged(written_pdf):
    reader = PdfReader(written_pdf)
    root = reader.trailer["/Root"]
    assert is_true(resolve(root["/MarkInfo"])["/Marked"])
    assert "/StructTreeRoot" in root
    roles = struct_roles(reader)
    assert roles[0] == "/Document"
    assert {"/H1", "/P"} <= set(roles), sorted(set(roles))
    assert str(root["/Lang"]) == "en"
    title = reader.metadata["/Title"]
    assert title and title.strip()
    assert is_true(resolve(root["/ViewerPreferences"])["/DisplayDocTitle"])


def test_dossier_structure_has_the_sections_tables_and_lists(internal_pdf):
    roles = struct_roles(PdfReader(internal_pdf))
    assert roles.count("/H1") >= 12  # cover title + the numbered sections and annexes
    assert {"/Table", "/TR", "/TH", "/TD", "/L", "/LI", "/Link"} <= set(roles)


# ------------------------------------------------------------------------------------------
# PDF/A-3b and PDF/UA-1
# ------------------------------------------------------------------------------------------
def test_pdf_a_3b_identification_and_output_intent(pdfa_pdf):
    reader = PdfReader(pdfa_pdf)
    root = reader.trailer["/Root"]
    assert reader.pdf_header == "%PDF-1.7"
    assert "/Encrypt" not in reader.trailer and "/ID" in reader.trailer
    meta = xmp(reader)
    assert xmp_attribute(meta, PDFAID, "part") == "3"
    assert xmp_attribute(meta, PDFAID, "conformance") == "B"
    (intent,) = [resolve(i) for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = resolve(intent["/DestOutputProfile"])
    icc = profile.get_data()
    assert icc[36:40] == b"acsp" and profile["/N"] == 3  # an ICC profile, RGB
    assert intent["/OutputConditionIdentifier"]


def _fonts(resources, seen: set) -> list:
    resources = resolve(resources) or {}
    fonts = [resolve(f) for f in resolve(resources.get("/Font", {})).values()]
    for xobject in resolve(resources.get("/XObject", {})).values():
        xobject = resolve(xobject)
        if id(xobject) not in seen and xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            seen.add(id(xobject))
            fonts += _fonts(xobject["/Resources"], seen)
    return fonts


def test_pdf_a_3b_embeds_every_font(pdfa_pdf):
    reader = PdfReader(pdfa_pdf)
    fonts = [font for page in reader.pages for font in _fonts(page.get("/Resources"), set())]
    assert fonts
    for font in fonts:
        descendants = [resolve(d) for d in resolve(font.get("/DescendantFonts", []))] or [font]
        for described in descendants:
            descriptor = resolve(described["/FontDescriptor"])
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font.get("/BaseFont")


def test_pdf_a_3b_carries_the_case_and_manifest_as_associated_files(pdfa_pdf):
    reader = PdfReader(pdfa_pdf)
    associated = [resolve(f) for f in reader.trailer["/Root"]["/AF"]]
    by_name = {str(spec["/UF"]): spec for spec in associated}
    assert sorted(by_name) == ["case.yaml", "manifest.sha256"]  # each once
    assert by_name["case.yaml"]["/AFRelationship"] == "/Source"
    assert by_name["manifest.sha256"]["/AFRelationship"] == "/Data"
    for spec in associated:
        assert spec["/Type"] == "/Filespec" and str(spec["/F"]) == str(spec["/UF"]) and spec["/Desc"]
        stream = resolve(spec["/EF"]["/F"])
        assert stream["/Subtype"] and resolve(stream["/Params"])["/ModDate"]
    assert resolve(by_name["case.yaml"]["/EF"]["/F"]).get_data() == WITNESS.read_bytes()
    manifest = resolve(by_name["manifest.sha256"]["/EF"]["/F"]).get_data().decode()
    assert re.fullmatch(r"# casefile seal: TEST-KHE-2024-007\n# case-file: [0-9a-f]{64}  case\.yaml\n"
                        r"([0-9a-f]{64}  evidence/\S+\n)+", manifest), manifest
    # the same files are the PDF's ordinary attachments, so any reader can save them
    assert sorted(reader.attachments) == ["case.yaml", "manifest.sha256"]


def _page_validation(data: bytes, profile: str) -> list[str]:
    """The rules veraPDF's rule set (as the `page-validation` package implements it) finds
    broken, as 'RULE-ID: message'."""
    try:
        import page
    except ImportError:
        unavailable("the page-validation package is not installed (pip install -e '.[test]')")
    report = page.validate_pdf_bytes(data, profile=profile)
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


# Each check renders its documents: these cover a photograph as given (internal) and blurred and
# re-encoded (public), a case with no evidence file, and Ukrainian text.
@pytest.mark.parametrize("case, options", [
    (WITNESS, {}), (WITNESS, {"edition": "public"}), (DONETSK, {"language": "uk"}),
], ids=["witness", "witness-public", "donetsk-uk"])
def test_pdf_a_3b_passes_the_verapdf_rules(rendered, case, options):
    assert _page_validation(rendered(case, pdf_variant="pdf/a-3b", **options).read_bytes(), "3b") == []


def test_pdf_a_3b_metadata_is_uncompressed_and_images_are_not_interpolated(pdfa_pdf):
    reader = PdfReader(pdfa_pdf)
    metadata = resolve(reader.trailer["/Root"]["/Metadata"])
    assert "/Filter" not in metadata and b"pdfaid:part" in metadata._data
    images = [resolve(x) for page in reader.pages
              for x in resolve(resolve(page["/Resources"]).get("/XObject", {})).values()
              if resolve(x).get("/Subtype") == "/Image"]
    assert images and all(image.get("/Interpolate") in (None, False) for image in images)


def test_every_stream_ends_with_crlf_before_endstream(pdfa_pdf):
    """A stream whose data ends with a CR byte, then an LF, reads one byte short to a validator
    taking CR LF as the end of line: casefile ends every stream it writes with CR LF. (The
    object stream and the cross-reference stream, which pydyf makes while writing, after
    casefile's last look, are the exceptions.)"""
    data = pdfa_pdf.read_bytes()
    assert data.count(b"endstream") > 10
    assert data.count(b"endstream") - data.count(b"\r\nendstream") <= 2


def test_the_verapdf_rules_catch_what_weasyprint_alone_writes(tmp_path):
    """The control: WeasyPrint's own PDF/A-3b of a page with a photograph asks for image
    interpolation and compresses its XMP; casefile corrects both (above)."""
    import weasyprint

    photo = WITNESS.parent / "evidence" / "E2-outbuilding.jpg"
    html = f'<html lang="en"><body><p>Photo</p><img alt="x" src="{photo.as_uri()}"></body></html>'
    rules = {rule.split(":")[0] for rule in _page_validation(
        weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3b"), "3b")}
    assert {"PDFA3B-IMAGE-INTERPOLATE-001", "PDFA3B-METADATA-FILTER-001"} <= rules, rules


@pytest.mark.parametrize("case, options", [
    (WITNESS, {}), (WITNESS, {"edition": "public"}), (DONETSK, {"language": "uk"}),
], ids=["witness", "witness-public", "donetsk-uk"])
def test_pdf_ua_1_passes_the_verapdf_rules(rendered, case, options):
    assert _page_validation(rendered(case, pdf_variant="pdf/ua-1", **options).read_bytes(), "ua1") == []


def test_the_pdf_ua_rules_catch_what_weasyprint_alone_writes():
    """The control: WeasyPrint's own PDF/UA-1 of a definition list grouped in <div>s and a link
    around a <span> breaks the list and link rules that casefile's output keeps."""
    import weasyprint

    html = ('<html lang="en"><head><title>t</title></head><body><h1>t</h1>'
            '<dl><div><dt>Term</dt><dd>Definition</dd></div></dl>'
            '<p><a href="#x"><span>link</span></a></p><p id="x">x</p></body></html>')
    rules = {rule.split(":")[0] for rule in _page_validation(
        weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"), "ua1")}
    assert {"PDFUA1-L-KIDS-001", "PDFUA1-LINK-LINK-TAG-001"} <= rules, rules


def test_a_heading_that_wraps_is_one_heading(tmp_path):
    """A heading laid out on three lines is one H1 element (its lines are spans in it)."""
    from datetime import UTC, datetime

    from casefile.dossier.pdf import html_to_pdf

    title = "Killing of two captured servicemen at a farm outbuilding near the village " * 2
    html = (f'<html lang="en"><head><title>t</title></head><body><h1 style="width: 8cm">{title}</h1>'
            '<p>text</p></body></html>')
    reader = PdfReader(io.BytesIO(html_to_pdf(html, created=datetime(2025, 1, 1, tzinfo=UTC),
                                              pdf_variant="pdf/ua-1")))
    assert len(reader.pages[0].extract_text().splitlines()) > 3  # it did wrap
    kinds = [e["/S"] for e in struct_elements(reader)]
    assert kinds.count("/H1") == 1 and kinds.count("/P") == 1, kinds


def test_header_cells_have_a_scope_and_the_page_furniture_is_an_artifact(rendered):
    reader = PdfReader(rendered(WITNESS, pdf_variant="pdf/ua-1"))
    headers = [e for e in struct_elements(reader) if e["/S"] == "/TH"]
    assert headers and all(resolve(e["/A"])["/Scope"] in ("/Column", "/Row") for e in headers)
    assert {"/Lbl", "/LBody"} <= {e["/S"] for e in struct_elements(reader)}  # the <dl> facts
    # every marked content sequence is either an artifact or belongs to an element of the tree:
    # WeasyPrint tags the running header and footer with elements outside it
    reachable = {id(e) for e in struct_elements(reader)}
    numbers = resolve(resolve(reader.trailer["/Root"]["/StructTreeRoot"])["/ParentTree"])["/Nums"]
    parents = dict(zip(numbers[::2], numbers[1::2], strict=True))
    for index, page in enumerate(reader.pages):
        content = page.get_contents().get_data()
        assert re.search(rb"/Artifact\s+BMC", content)
        mapped = resolve(parents[index])
        for mcid in map(int, re.findall(rb"/MCID (\d+)", content)):
            assert id(resolve(mapped[mcid])) in reachable, (index, mcid)
    tagged = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Page 2 of" in tagged  # still text a reader extracts


def test_pdf_ua_1_identification_and_the_unverified_mark(unverified_pdf):
    reader = PdfReader(unverified_pdf)
    assert xmp_attribute(xmp(reader), PDFUAID, "part") == "1"
    for page in reader.pages:
        assert "EVIDENCE NOT VERIFIED" in " ".join(page.extract_text().split())


def test_pdf_variant_choices_are_the_ones_casefile_supports():
    option = next(p for p in cli.commands["render"].params if p.name == "pdf_variant")
    assert tuple(option.type.choices) == casefile_pdf.PDF_VARIANTS


@pytest.mark.parametrize("args, message", [
    (["--pdf-variant", "pdf/a-1b"], "'pdf/a-1b' is not one of"),
    (["--pdf-variant", "pdf/a-3b", "--format", "html"], "--pdf-variant needs --format pdf"),
])
def test_pdf_variant_usage_errors(args, message, tmp_path):
    result = CliRunner().invoke(cli, ["render", str(DONETSK), "-o", str(tmp_path / "x"), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists()


def test_api_refuses_an_unknown_pdf_variant(tmp_path):
    with pytest.raises(api.UsageError, match="unknown PDF variant 'pdf/a-2b'"):
        api.render(DONETSK, pdf_variant="pdf/a-2b", output=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_ci_runs_the_readme_test_command_which_installs_the_checkers():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ci.startswith("bash scripts/install-system-deps && ")
    assert f"\n{ci}\n" in readme  # the set-up section shows exactly what CI runs
    script = (ROOT / "scripts" / "install-system-deps").read_text(encoding="utf-8")
    for package in ("chromium", "qpdf", "default-jre-headless", "npm ci --ignore-scripts"):
        assert package in script
    lock = json.loads((TOOLS / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((TOOLS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, version in pinned.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), (name, version)  # exact versions
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_case_text_in_another_language_has_its_own_lang_in_the_pdf(rendered):
    """The Donetsk case is written in English; its Ukrainian dossier marks that text /Lang en
    on its structure elements (the catalog says uk), so a screen reader reads it as English,
    and leaves the dossier's own Ukrainian headings and labels alone."""
    reader = PdfReader(rendered(DONETSK, pdf_variant="pdf/ua-1", language="uk"))
    assert str(reader.trailer["/Root"]["/Lang"]) == "uk"
    marked = [element for element in struct_elements(reader) if "/Lang" in element]
    assert {str(element["/Lang"]) for element in marked} == {"en"}
    # the narratives (Div) and the titles of allegations and evidence (Span); no section heading
    assert {str(element["/S"]) for element in marked} == {"/Div", "/Span"}
    assert len(marked) >= 8
    html = rendered(DONETSK, format="html", language="uk").read_text(encoding="utf-8")
    english = re.findall(r'<(?:div|span) lang="en">(.*?)</(?:div|span)>', html, flags=re.S)
    assert any("captured, unarmed servicemen" in text for text in english)
    assert not any("Резюме" in text or "Обвинувачення" in text for text in english)
    # the English dossier of the same case marks nothing
    own = rendered(DONETSK, format="html").read_text(encoding="utf-8")
    assert 'lang="en">' not in own.split("<body", 1)[1]
