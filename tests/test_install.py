"""`pip install .` gives a casefile whose templates, CSS, fonts and catalog resolve without
the source tree: build the wheel, install it into an empty folder, render from elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, copy_witness


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{build.stderr[-2000:]}")
    [path] = out.glob("casefile-*.whl")
    return path


def test_wheel_ships_templates_fonts_and_catalog(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("casefile/templates/dossier.html.j2", "casefile/templates/css/print.css",
                     "casefile/templates/starter-case.yaml", "casefile/fonts/NotoSerif-Regular.ttf",
                     "casefile/fonts/OFL.txt", "casefile/case/catalog/provisions.yaml",
                     "casefile/case/catalog/bodies.yaml",
                     "casefile/locale/uk/LC_MESSAGES/casefile.po", "casefile/locale/fr/LC_MESSAGES/casefile.po",
                     "casefile/py.typed", "casefile/protection/data/confusables.tsv"):
        assert required in names, required
    assert not any(name.startswith(("tests/", "cases/")) for name in names)


def test_installed_wheel_renders_without_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    work = tmp_path / "work"
    copy_witness(work)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import casefile.core.resources as r; print(r.templates_dir())"],
                           cwd=work, env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert where == str(target / "casefile" / "templates")
    for fmt in ("html", "pdf"):
        run = subprocess.run([sys.executable, "-m", "casefile", "render", "case.yaml", "--format", fmt],
                             cwd=work, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        assert (work / "out" / f"TEST-KHE-2024-007.{fmt}").stat().st_size > 1000


def test_the_wheel_installs_as_a_user_command_in_its_own_environment(wheel, tmp_path):
    """What `pipx install casefile` does: a virtual environment with casefile in it, and its
    `casefile` command on the PATH. (The environment sees the system's packages, so that the test
    does not download WeasyPrint and the others again; casefile itself comes from the wheel.)"""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True,
                   capture_output=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall",
                    str(wheel)], check=True, capture_output=True)
    command = bin_dir / "casefile"
    where = subprocess.run([str(bin_dir / "python"), "-c", "import casefile; print(casefile.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(venv)), where  # the wheel's casefile, not the source tree's
    doctor = subprocess.run([str(command), "doctor"], capture_output=True, text=True, cwd=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    work = tmp_path / "work"
    copy_witness(work)
    run = subprocess.run([str(command), "render", "case.yaml", "--format", "html"], cwd=work, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert (work / "out" / "TEST-KHE-2024-007.html").is_file()
