"""`casefile serve`: the preview follows the case file as it is saved (checked in a real
headless browser), shows problems with their line and column, shows editions side by side,
and answers only on the loopback interface, to requests addressed to it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError

import pytest
from click.testing import CliRunner

from casefile import api
from casefile.cli import cli
from casefile.repository.preview import Preview, make_server, url_of

from .conftest import ROOT, WITNESS, copy_witness, unavailable
from .pdfcheck import require_tool

pytestmark = pytest.mark.xdist_group("serve")

SERVE_CHECK = ROOT / "tools" / "serve-check.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TITLE = "  en: Killing of two captured servicemen at a farm outbuilding\n"


@pytest.fixture
def served(tmp_path: Path, request) -> Iterator[tuple[str, Path, Preview]]:
    """A preview of a copy of the witness example, on a free loopback port: (url, case, preview)."""
    case = copy_witness(tmp_path / "protected-witness") / "case.yaml"
    editions = getattr(request, "param", ("internal",))
    preview = Preview(case, editions, api.validate, api.preview_html)
    preview.first()
    server = make_server(preview, "127.0.0.1", 0)
    stop = threading.Event()
    threads = [threading.Thread(target=preview.watch, args=(stop,), daemon=True),
               threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        yield url_of(server), case, preview
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except HTTPError as exc:
        return exc.code, exc.read()


def state(url: str) -> dict:
    return json.loads(get(url + "state")[1])


def wait_for_version(url: str, after: int, timeout: float = 20) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        now = state(url)
        if now["version"] > after:
            return now
        time.sleep(0.05)
    raise AssertionError("no new version")


def broken(case: Path) -> str:
    text = case.read_text(encoding="utf-8")
    assert text.count("      harm: killed\n") == 2
    return text.replace("      harm: killed\n", "      harm: shot\n", 1)


def test_an_edit_is_reloaded_in_the_browser_and_an_error_shown_with_its_location(served, tmp_path):
    node = require_tool("node")
    if not Path(CHROMIUM).is_file():
        require_tool("chromium")
    if not (ROOT / "tools" / "node_modules" / "playwright-core").is_dir():
        unavailable("the npm package playwright-core is not installed (run `bash scripts/install-system-deps`)")
    url, case, _ = served
    bad = tmp_path / "broken.yaml"
    bad.write_text(broken(case).replace("farm outbuilding\n", "barn\n", 1), encoding="utf-8")
    result = subprocess.run([node, str(SERVE_CHECK), url, str(case), "Killing at the barn", str(bad)],
                            capture_output=True, text=True, timeout=120, env={**os.environ, "CHROMIUM": CHROMIUM})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["first_title"] == "Killing of two captured servicemen at a farm outbuilding"
    assert report["after_title"] == "Killing at the barn"
    line = bad.read_text(encoding="utf-8").splitlines().index("      harm: shot") + 1
    assert any(f"case.yaml:{line}:13: error: incident.victims[0].harm: 'shot' is not one of" in p
               for p in report["problems"]), report["problems"]
    assert report["status"].startswith("1 error(s)")
    assert report["kept_title"] == "Killing at the barn"  # the last valid version stays
    assert report["reload_ms"] < 5000, report  # save to reloaded page (about 0.3 s here)


def test_problems_are_reported_with_their_location_and_the_last_render_kept(served):
    url, case, _ = served
    before = state(url)
    page = get(url + "edition/internal")[1]
    case.write_text(broken(case), encoding="utf-8")
    after = wait_for_version(url, before["version"])
    [problem] = after["problems"]
    assert problem["severity"] == "error" and problem["line"] and problem["column"] == 13
    assert "error: incident.victims[0].harm: 'shot' is not one of: killed, injured" in problem["text"]
    assert after["page_versions"] == before["page_versions"]  # no new page: the frame keeps the last one
    assert get(url + "edition/internal")[1] == page


@pytest.mark.parametrize("served", [("internal", "public", "icrc")], indirect=True)
def test_editions_side_by_side(served):
    url, _, _ = served
    now = state(url)
    assert now["editions"] == ["internal", "public", "icrc"] and set(now["page_versions"]) == set(now["editions"])
    internal = get(url + "edition/internal")[1].decode()
    public = get(url + "edition/public")[1].decode()
    icrc = get(url + "edition/icrc")[1].decode()
    assert "Taras Bondar" in internal and "Taras Bondar" not in public and "Taras Bondar" not in icrc
    assert 'id="section-allegations"' in internal and 'id="section-allegations"' not in icrc
    page = get(url)[1].decode()
    assert '<script src="/preview.js" defer></script>' in page and "<main id=\"editions\">" in page


def test_only_requests_addressed_to_the_loopback_name_are_answered(served):
    url, _, _ = served
    assert url.startswith("http://127.0.0.1:")
    port = url.rsplit(":", 1)[1].rstrip("/")
    assert get(url + "state")[0] == 200
    assert get(url + "state", host=f"localhost:{port}")[0] == 200
    status, body = get(url + "edition/internal", host=f"evil.example:{port}")  # DNS rebinding
    assert status == 403 and b"Taras" not in body
    assert get(url + "edition/nope")[0] == 404


def test_the_command_listens_on_loopback_by_default_and_refuses_unknown_editions():
    options = {p.name: p for p in cli.commands["serve"].params}
    assert options["host"].default == "127.0.0.1"
    result = CliRunner().invoke(cli, ["serve", str(WITNESS), "--with", "nope"])
    assert result.exit_code == 2 and "unknown edition 'nope'" in result.output


def test_the_server_stops_cleanly_and_frees_its_port(tmp_path):
    case = copy_witness(tmp_path / "w") / "case.yaml"
    preview = Preview(case, ("internal",), api.validate, api.preview_html)
    preview.first()
    server = make_server(preview, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.shutdown()
    server.server_close()
    thread.join(5)
    assert not thread.is_alive()
    shutil.rmtree(tmp_path / "w")
