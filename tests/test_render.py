"""Rendering: open what was produced and check its text, outline, metadata and safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from casefile import api
from casefile.case.catalog import load_catalog
from casefile.dossier.html import render_html
from casefile.dossier.pdf import html_to_pdf
from casefile.dossier.view import build_view

from .conftest import DONETSK, WITNESS

SECTIONS = ["1 Summary", "2 Incident", "3 Persons", "4 Allegations", "5 Evidence", "6 Sources",
            "7 Actions taken by authorities", "8 Filings", "A Annex: provisions cited", "B Annex: exhibits",
            "C Annex: evidence manifest", "D Annex: revision history"]


def outline(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                titles.append("  " * depth + item.title)

    walk(reader.outline, 0)
    return titles


def page_texts(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@pytest.fixture
def donetsk_pdf(rendered) -> Path:
    return rendered(DONETSK)


def test_pdf_outline_follows_the_sections(donetsk_pdf):
    assert outline(PdfReader(donetsk_pdf)) == [
        "1 Summary", "2 Incident", "3 Persons", "  3.1 Victims", "  3.2 Alleged perpetrators", "  3.3 Witnesses",
        "4 Allegations", "  4.1 A1 Wilful killing of prisoners of war", "5 Evidence", "  5.1 Register",
        "  5.2 Chain of custody", "6 Sources", "7 Actions taken by authorities", "8 Filings",
        "A Annex: provisions cited", "B Annex: exhibits", "C Annex: evidence manifest",
        "D Annex: revision history",
    ]


def test_pdf_metadata(donetsk_pdf):
    meta = PdfReader(donetsk_pdf).metadata
    assert meta["/Title"] == "UA-DON-2025-001 — Execution of six Ukrainian prisoners of war, Donetsk region"
    assert meta["/Author"] == "Example Human Rights Documentation Unit"
    assert meta["/Subject"].startswith("A video circulated on Telegram channels")
    assert meta["/Keywords"] == "UA-DON-2025-001, gc3:13, gc3:130, ap1:41, rome:8.2.a.i, cihl:89, ua-cc:438"
    assert meta["/CreationDate"] == "D:20250203000000+00'00'" or meta["/CreationDate"].startswith("D:20250203")


def test_every_page_carries_case_id_classification_and_page_x_of_y(donetsk_pdf):
    pages = page_texts(donetsk_pdf)
    total = len(pages)
    assert total >= 5
    for number, text in enumerate(pages, start=1):
        assert "UA-DON-2025-001" in text, number
        assert "RESTRICTED" in text, number
        if number == 1:
            assert "Page 1 of" not in text  # the cover counts but shows no number
        else:
            assert f"Page {number} of {total}" in text, number


def test_cover_and_contents(donetsk_pdf):
    pages = page_texts(donetsk_pdf)
    cover = pages[0]
    for expected in ("Execution of six Ukrainian prisoners of war", "RESTRICTED", "Review", "Internal edition",
                     "Example Human Rights Documentation Unit", "cases@example.org", "3 February 2025"):
        assert expected in cover
    contents = pages[1]
    assert "Contents" in contents
    for title in SECTIONS:
        number, name = title.split(" ", 1)
        assert re.search(rf"{re.escape(name)} \.+ \d+", contents), title  # dotted leader, page number
        assert re.search(rf"(^| ){re.escape(number)} ", contents), title


def test_every_section_is_rendered_with_its_content(donetsk_pdf):
    text = " ".join(page_texts(donetsk_pdf))
    for title in SECTIONS:
        assert title in text
    for expected in (
        "Victim group 1",  # the group of six, unnamed: a stable label
        "Alleged perpetrator 1",
        "Video of the shootings circulated on Telegram",  # evidence register
        "Unverified",
        "Example Human Rights Documentation Unit",  # custody
        "Kyiv investigates another case of Russian soldiers executing Ukraine POWs",  # sources
        "Opened criminal proceedings",  # actions
        "United Nations Special Rapporteur on extrajudicial, summary or arbitrary executions",  # filings
        "GC III art. 130", "Grave breaches",  # annex
    ):
        assert expected in text, expected


def test_proof_chart_marks_elements_without_evidence(donetsk_pdf):
    text = " ".join(page_texts(donetsk_pdf))
    # rome:8.2.a.i has five elements; the case supports 1 and 2 with E1
    assert text.count("No evidence yet") == 3
    assert "rome:8.2.a.i/5" in text


def test_every_digest_copies_out_whole_with_pdftotext(rendered):
    """A receiver pastes a digest from the PDF into `sha256sum -c`: pdftotext must give each one
    as 64 hex digits on one line, with nothing inside, while the eye reads it in groups of 8
    (a shade on every other group: see the HTML)."""
    import hashlib
    import subprocess

    from pypdf import PdfReader

    from .pdfcheck import require_tool

    path = rendered(WITNESS)
    text = subprocess.run([require_tool("pdftotext"), str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    seal = PdfReader(path).attachments["manifest.sha256"][0]
    digests = [line[:64] for line in seal.decode().splitlines() if not line.startswith("#")]
    digests += [hashlib.sha256(seal).hexdigest(), hashlib.sha256(WITNESS.read_bytes()).hexdigest()]
    assert len(digests) == 5
    for digest in digests:
        assert digest in text, digest
    html = rendered(WITNESS, format="html").read_text()
    assert ('<span class="digest digest-full"><span class="dg">b2b83cb5</span><span class="dg">ff3ee8c6</span>'
            '<span class="dg">0741ab5a</span>') in html


def test_html_is_one_self_contained_file(rendered):
    path = rendered(DONETSK, format="html")
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert re.search(r'<html lang="en"[ >]', html)
    assert "<style>" in html and "<link" not in html and "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", html)
    assert not re.search(r"url\((?!['\"]?#)", html), "the HTML must not load anything"
    for title in SECTIONS:
        _number, name = title.split(" ", 1)
        assert name in html
    assert 'href="#section-evidence"' in html  # contents are links


HOSTILE = {
    "summary: >": "summary: |\n  <script>alert('x')</script> <img src=\"file:///etc/passwd\"> {{ 7*7 }}\n"
                  "  ![local](evidence/x.png) ![remote](https://evil.example/p.png) [l](https://evil.example)\n"
                  "  <style>body{background:url(https://evil.example/css)}</style> {% raw %}\n  original:",
}


def hostile_case(write_case, text: str) -> Path:
    text = text.replace("summary: >", HOSTILE["summary: >"], 1)
    text = text.replace("title: Execution of six", "title: <b>{{ config }}</b> Execution of six", 1)
    return write_case(text)


def test_hostile_text_is_inert_in_html(write_case, donetsk_text, tmp_path):
    case = hostile_case(write_case, donetsk_text)
    html = api.render(case, format="html", output=tmp_path / "h.html").read_text()
    assert "<script>alert" not in html and "<img src" not in html and "<b>{{" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-20:]
    assert "evil.example" in html  # shown as text ...
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://evil""", html)  # ... never as a link or image


def test_hostile_text_is_inert_in_pdf_and_nothing_is_fetched(write_case, donetsk_text, assert_no_warnings):
    case_path = hostile_case(write_case, donetsk_text)
    result = api.validate(case_path)
    assert result.ok, [p.format() for p in result.problems]
    view = build_view(result.case, load_catalog(), mode="pdf", base_dir=case_path.parent)
    requests: list[str] = []
    pdf = html_to_pdf(render_html(view), created=view.doc.created_at, base_dir=case_path.parent, requests=requests)
    assert requests and all(url.startswith("casefile-asset:fonts/") for url in requests), requests
    out = case_path.parent / "h.pdf"
    out.write_bytes(pdf)
    text = " ".join(page_texts(out))
    assert "<script>alert('x')</script>" in text
    assert "{{ 7*7 }}" in text
    assert "![remote](https://evil.example/p.png)" in text.replace(" ", "")


def test_fetcher_refuses_everything_but_assets_and_case_files(tmp_path, caplog):
    from casefile.dossier.pdf import make_fetcher

    (tmp_path / "ok.png").write_bytes(b"png")
    fetcher = make_fetcher(tmp_path)
    assert fetcher.fetch((tmp_path / "ok.png").as_uri()).read() == b"png"
    assert fetcher.fetch("casefile-asset:fonts/NotoSerif-Regular.ttf").read()[:4] == b"\x00\x01\x00\x00"
    for url in ("https://example.org/x.png", "http://127.0.0.1/", "file:///etc/passwd",
                "casefile-asset:../../../etc/passwd", "casefile-asset:catalog/provisions.yaml",
                "data:text/html,<b>x</b>", "ftp://example.org/x", (tmp_path / ".." / "x").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert sum("refused to fetch" in r.getMessage() for r in caplog.records) == 8


def test_render_is_reproducible(rendered, tmp_path):
    for fmt in ("pdf", "html"):
        first = rendered(WITNESS, format=fmt).read_bytes()  # the session's render, made earlier
        second = api.render(WITNESS, format=fmt, output=tmp_path / f"2.{fmt}").read_bytes()
        assert first == second, fmt


def test_public_edition_uses_pseudonyms(rendered):
    pdf = rendered(WITNESS, edition="public")
    html = rendered(WITNESS, edition="public", format="html").read_text()
    text = " ".join(page_texts(pdf))
    for name in ("Olena Koval", "Taras Bondar", "Andrii Melnyk", "Андрій Мельник"):
        assert name not in text and name not in html
    assert "Witness 1" in text and "Victim 1" in text and "Victim 2" in text
    assert "Public edition — identities withheld" in text
    assert "46.8000" not in text  # exact coordinates stay out
    internal = " ".join(page_texts(rendered(WITNESS)))
    for name in ("Olena Koval", "Taras Bondar", "Андрій Мельник (Andrii Melnyk)"):
        assert name in internal  # the check above can fail: the internal edition names them


def test_invalid_case_writes_nothing(write_case, donetsk_text, tmp_path):
    case = write_case(donetsk_text.replace("summary:", "sumary:"))
    target = tmp_path / "out" / "x.pdf"
    with pytest.raises(api.InvalidCase):
        api.render(case, output=target)
    assert not target.exists() and not target.parent.exists()


def test_failed_render_keeps_the_previous_file(monkeypatch, tmp_path):
    target = tmp_path / "d.html"
    target.write_text("previous")
    import casefile.dossier.html

    def fail(view, **kwargs):
        raise RuntimeError("template broke half way")

    monkeypatch.setattr(casefile.dossier.html, "render_html", fail)
    with pytest.raises(RuntimeError):
        api.render(DONETSK, format="html", output=target)
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["d.html"]


def test_case_text_cannot_break_out_of_the_css_in_the_html_edition(write_case, donetsk_text, tmp_path):
    from casefile.dossier.html import css_string

    assert css_string('a"b\\c\f;d\nx') == '"a\\000022b\\00005cc\\00000c\\00003bd\\00000ax"'
    line = 'title: "x\\f\\"; background: url(https://evil.example/t) ; y"'  # YAML escapes: \f and \"
    hostile = re.sub(r"^title: .*$", lambda m: line, donetsk_text, count=1, flags=re.M)
    html = api.render(write_case(hostile), format="html", output=tmp_path / "t.html").read_text()
    style = re.search(r"<html[^>]*style='([^']*)'", html).group(1)
    assert "url(https://evil.example" in style  # present only inside an escaped CSS string ...
    assert '\\00003b background' in style and "\f" not in style  # ... that it cannot leave


def test_project_templates_override_builtin_ones_in_a_sandbox(tmp_path):
    custom = tmp_path / "templates"
    (custom / "css").mkdir(parents=True)
    (custom / "css" / "print.css").write_text("/* project print css */")
    html = api.render(DONETSK, format="html", output=tmp_path / "a.html", templates=custom).read_text()
    assert "/* project print css */" in html  # the override is used ...
    assert "Execution of six Ukrainian prisoners of war" in html  # ... the rest stays built-in
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "dossier.html.j2").write_text("{{ case.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}")
    with pytest.raises(api.CasefileError) as info:
        api.render(DONETSK, format="html", output=tmp_path / "b.html", templates=hostile)
    assert info.value.message == "template refused by the sandbox: access to attribute '__class__' of 'CaseView' object is unsafe."  # noqa: E501
    assert not (tmp_path / "b.html").exists()
    undefined = tmp_path / "undefined"
    undefined.mkdir()
    (undefined / "dossier.html.j2").write_text("{{ no_such_value }}")
    with pytest.raises(api.CasefileError, match="'no_such_value' is undefined"):
        api.render(DONETSK, format="html", output=tmp_path / "c.html", templates=undefined)


def test_source_date_epoch_fixes_the_pdf_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    meta = PdfReader(api.render(DONETSK, output=tmp_path / "d.pdf")).metadata
    assert meta["/CreationDate"].startswith("D:20231114221320")
    assert meta["/ModDate"].startswith("D:20231114221320")


def test_the_public_edition_is_marked_public_and_persons_are_alleged_perpetrators(rendered):
    """A public edition is made for publication: its marking is PUBLIC, not the case's
    classification (which the internal edition keeps). Perpetrators are 'alleged' (presumption
    of innocence), and a photograph's caption gives the date it was collected as such."""
    public = rendered(WITNESS, format="html", edition="public").read_text()
    internal = rendered(WITNESS, format="html").read_text()
    assert '<span class="classification-mark">PUBLIC</span>' in public and "CONFIDENTIAL" not in public
    assert '<span class="classification-mark">CONFIDENTIAL</span>' in internal
    for page in (public, internal):
        assert '<span class="title">Alleged perpetrators</span>' in page and ">Perpetrators<" not in page
        assert "<dt>Collected</dt><dd>18 March 2024, 10:15 +02:00" in page and "Captured" not in page
