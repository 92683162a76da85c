"""`casefile doctor`: each piece ok or missing, what a missing one costs, how to install it."""

from __future__ import annotations

import json
from types import SimpleNamespace

from click.testing import CliRunner

from casefile.cli import cli
from casefile.core import doctor


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def by_name(report) -> dict:
    return {check.name: check for check in report.checks}


def test_doctor_on_this_machine_finds_what_the_output_needs():
    result = run("doctor", "--json")
    report = json.loads(result.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert set(checks) >= {"python", "python-packages", "weasyprint", "pango", "harfbuzz-subset", "fonts-en",
                           "fonts-uk", "fonts-fr", "fonts-es", "git", "qpdf", "java", "vnu", "chromium",
                           "pyhanko"}
    for name in ("python", "python-packages", "weasyprint", "pango", "fonts-en", "fonts-uk", "fonts-fr",
                 "fonts-es"):
        assert checks[name]["required"] is True
        assert checks[name]["status"] == "ok", checks[name]
    assert checks["pango"]["detail"].startswith("Pango 1.")
    assert "10 font(s) cover the Ukrainian sample" in checks["fonts-uk"]["detail"]
    assert all(not checks[n]["required"] for n in ("harfbuzz-subset", "git", "qpdf", "java", "vnu", "chromium",
                                                   "pyhanko"))
    assert set(checks["git"]) == {"name", "required", "ok", "status", "detail", "cost", "install"}
    assert report["ok"] is True and result.exit_code == 0


def test_the_ukrainian_sample_has_the_letters_other_cyrillic_fonts_lack():
    assert set("ҐґЄєІіЇї’") <= set(doctor.SAMPLES["uk"])
    assert set("¿¡ñÑ") <= set(doctor.SAMPLES["es"]) and set("œŒçÇ«»") <= set(doctor.SAMPLES["fr"])


def test_missing_harfbuzz_subset_costs_size_not_the_exit_code(monkeypatch):
    real = doctor._ffi

    def without_subset(weasyprint):
        ffi = real(weasyprint)
        return SimpleNamespace(pango=ffi.pango, harfbuzz_subset=None)

    monkeypatch.setattr(doctor, "_ffi", without_subset)
    result = run("doctor")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("missing  harfbuzz-subset"))
    assert lines[at].endswith("(optional)")
    assert " ".join(lines[at + 1].split()) == (
        "costs: fonts are embedded whole, about 1.7 MB more per PDF (output stays reproducible)")
    assert lines[at + 2].strip() == "install: apt-get install libharfbuzz-subset0"
    assert lines[-1].startswith("casefile doctor: all required pieces present; ")


def test_a_font_without_a_letter_is_a_required_piece_missing(monkeypatch):
    monkeypatch.setitem(doctor.SAMPLES, "uk", doctor.SAMPLES["uk"] + "\u4e2d")  # a CJK letter Noto lacks
    result = run("doctor", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    uk = next(c for c in report["checks"] if c["name"] == "fonts-uk")
    assert uk["status"] == "missing" and uk["required"] is True and report["ok"] is False
    assert "NotoSerif-Regular.ttf lacks U+4E2D" in uk["detail"]
    assert uk["cost"] == "Ukrainian text would be set in a fallback font or shown as empty boxes"
    assert "pip install --force-reinstall casefile" in uk["install"]
    assert next(c for c in report["checks"] if c["name"] == "fonts-en")["status"] == "ok"


def test_without_weasyprint_pdf_output_is_reported_missing(monkeypatch):
    real = doctor._import

    def no_weasyprint(name):
        if name.startswith("weasyprint"):
            return OSError("cannot load library 'libpango-1.0-0': error 0x7e")
        return real(name)

    monkeypatch.setattr(doctor, "_import", no_weasyprint)
    monkeypatch.setattr(doctor, "_find_library", lambda name: None)
    result = run("doctor")
    assert result.exit_code == 1
    text = result.stdout
    assert "missing  weasyprint         cannot import WeasyPrint: cannot load library 'libpango-1.0-0'" in text
    assert "costs: no PDF output: render, packet and build fail for PDF (HTML still works)" in text
    assert "install: apt-get install libpango-1.0-0 libpangoft2-1.0-0" in text
    assert "missing  harfbuzz-subset    libharfbuzz-subset not found (optional)" in text
    assert text.splitlines()[-1].startswith("casefile doctor: 2 required piece(s) missing: weasyprint, pango; ")


def test_missing_optional_tools_keep_exit_zero(monkeypatch):
    monkeypatch.setattr(doctor, "_which", lambda name: None)
    monkeypatch.setattr(doctor, "_vnu_jar", lambda: None)
    real = doctor._import
    monkeypatch.setattr(doctor, "_import", lambda name: ImportError("no") if name == "pyhanko" else real(name))
    report = doctor.run()
    checks = by_name(report)
    assert report.ok
    for name, install in [("git", "apt-get install git"), ("qpdf", "apt-get install qpdf"),
                          ("java", "apt-get install default-jre-headless"), ("chromium", "apt-get install chromium"),
                          ("pyhanko", "python3 -m pip install 'casefile[sign]'")]:
        assert checks[name].status == "missing" and checks[name].install == install, name
    assert "provenance" in checks["git"].cost and "casefile diff" in checks["git"].cost
    assert "--sign" in checks["pyhanko"].cost


def test_old_python_fails(monkeypatch):
    monkeypatch.setattr(doctor, "_python_version", lambda: (3, 10, 12))
    result = run("doctor")
    assert result.exit_code == 1
    assert result.stdout.startswith("missing  python             3.10.12\n")
    assert "install: install Python 3.11 or later" in result.stdout
