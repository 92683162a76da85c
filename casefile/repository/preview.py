"""`casefile serve CASE`: a local preview that follows the case file as it is saved.

A watcher thread polls the case file, the repository's settings and catalog files, and the
templates folder (a few stat calls every 0.2 s); on a change it validates the case and, when it
is valid, renders each edition asked for as HTML, in memory. The browser shows a page of ours
(`preview_page.py`): the problems with their line and column, and one frame per edition, side
by side. It learns of a new version through server-sent events and reloads the frames, keeping
their scroll position. While the case has errors, the frames keep the last good render.

The server listens on the loopback interface unless told otherwise, and answers only requests
addressed to it by that name (a page elsewhere cannot reach it through DNS rebinding): the
internal edition names protected persons.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from casefile.core.errors import CasefileError, Problem
from casefile.repository.preview_page import PAGE, SCRIPT, STYLE

LOOPBACK = ("127.0.0.1", "::1", "localhost")
POLL_SECONDS = 0.2


@dataclass
class State:
    version: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)  # edition -> HTML of the last good render
    failed: dict[str, str] = field(default_factory=dict)  # edition -> why it could not be rendered
    page_versions: dict[str, int] = field(default_factory=dict)  # edition -> the version of its page
    render_ms: float = 0.0


Validate = Callable[[Path], Any]  # api.validate: a result with .problems and .ok
RenderHTML = Callable[..., bytes]  # api.preview_html(path, edition, loaded=validation): one edition's HTML


class Preview:
    """The case being previewed, its editions and their latest renders. `validate` and `render`
    are the API's (`casefile.api.validate`, `casefile.api.preview_html`), given by the command."""

    def __init__(self, case_path: Path, editions: tuple[str, ...], validate: Validate, render: RenderHTML,
                 labels: dict[str, str] | None = None):
        self.case_path = case_path.resolve()
        self.editions = editions
        self.labels = labels or {}  # edition -> the caption over its frame
        self._validate, self._render = validate, render
        self.state = State()
        self.changed = threading.Condition()
        self._stamps: tuple[tuple[str, int, int], ...] = ()
        self._watched: list[Path] = []

    def watched(self) -> list[Path]:
        """The files whose change means a new render: the case, the repository's settings and
        catalog files, the templates."""
        from casefile.repository.project import load_project

        paths = [self.case_path]
        try:
            project = load_project(self.case_path)
        except CasefileError:
            return paths
        if project.config_path is not None:
            paths.append(project.config_path)
            paths += [project.root / name for name in project.config.catalog]
            if project.config.templates:
                folder = project.root / project.config.templates
                if folder.is_dir():
                    paths += sorted(p for p in folder.rglob("*") if p.is_file())
        return paths

    def stamps(self) -> tuple[tuple[str, int, int], ...]:
        """Size and modification time of each watched file (the list is read again after each
        change: casefile.yaml may name other catalog files or templates)."""
        out = []
        for path in self._watched:
            try:
                stat = path.stat()
                out.append((str(path), stat.st_mtime_ns, stat.st_size))
            except OSError:
                out.append((str(path), -1, -1))
        return tuple(out)

    def refresh(self) -> None:
        """Validate, render what can be rendered, and tell the browsers."""
        started = time.perf_counter()
        problems, pages, failed = _render(self.case_path, self.editions, self._validate, self._render)
        with self.changed:
            state = self.state
            state.version += 1
            state.problems = [_problem(p) for p in problems]
            state.pages.update(pages)
            state.page_versions.update(dict.fromkeys(pages, state.version))
            state.failed = failed
            state.render_ms = round((time.perf_counter() - started) * 1000, 1)
            self.changed.notify_all()

    def first(self) -> None:
        """The first render, of the files as they are now."""
        self._watched = self.watched()
        self._stamps = self.stamps()
        self.refresh()

    def watch(self, stop: threading.Event) -> None:
        while not stop.is_set():
            stamps = self.stamps()
            if stamps != self._stamps:
                self._watched = self.watched()
                self._stamps = self.stamps()
                self.refresh()
            stop.wait(POLL_SECONDS)

    def snapshot(self) -> dict[str, Any]:
        with self.changed:
            state = self.state
            return {"version": state.version, "case": self.case_path.name, "editions": list(self.editions),
                    "labels": self.labels,
                    "problems": state.problems, "failed": state.failed, "render_ms": state.render_ms,
                    "page_versions": dict(state.page_versions)}

    def wait_for(self, version: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.state.version != version, timeout=timeout)
            return self.state.version


def _render(case_path: Path, editions: tuple[str, ...], validate: Validate,
            render: RenderHTML) -> tuple[list[Problem], dict[str, bytes], dict[str, str]]:
    from casefile.core.errors import InvalidCase

    try:
        result = validate(case_path)
    except InvalidCase as exc:  # casefile.yaml or a catalog file: its own problems, located in it
        return list(exc.problems), {}, {}
    except CasefileError as exc:
        return [Problem("error", (), exc.message, exc.hint).at(str(case_path), None, None)], {}, {}
    problems = list(result.problems)
    if not result.ok:
        return problems, {}, {}
    pages: dict[str, bytes] = {}
    failed: dict[str, str] = {}
    for edition in editions:
        try:
            pages[edition] = render(case_path, edition, loaded=result)  # validated once per save
        except InvalidCase as exc:
            problems += exc.problems
            failed[edition] = "the case has errors"
        except CasefileError as exc:
            failed[edition] = exc.message + (f" ({exc.hint})" if exc.hint else "")
    return problems, pages, failed


def _problem(problem: Problem) -> dict[str, Any]:
    return {"severity": problem.severity, "file": problem.file, "line": problem.line, "column": problem.column,
            "text": problem.format()}


def make_server(preview: Preview, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for `preview` (port 0: any free port); call serve_forever() to run it."""
    server = ThreadingHTTPServer((host, port), _handler(preview))
    server.daemon_threads = True
    return server


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "casefile-preview"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows the URL only
            return

        def do_GET(self) -> None:
            if not self._addressed_to_us():
                self._send(HTTPStatus.FORBIDDEN, b"forbidden: address this server as 127.0.0.1 or localhost\n",
                           "text/plain")
                return
            route = self.path.split("?", 1)[0]
            if route == "/":
                self._send(HTTPStatus.OK, PAGE.encode("utf-8"), "text/html; charset=utf-8", csp=True)
            elif route == "/preview.js":
                self._send(HTTPStatus.OK, SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
            elif route == "/preview.css":
                self._send(HTTPStatus.OK, STYLE.encode("utf-8"), "text/css; charset=utf-8")
            elif route == "/state":
                self._send(HTTPStatus.OK, json.dumps(preview.snapshot()).encode("utf-8"), "application/json")
            elif route == "/events":
                self._events()
            elif route.startswith("/edition/") and route[len("/edition/"):] in preview.state.pages:
                self._send(HTTPStatus.OK, preview.state.pages[route[len("/edition/"):]], "text/html; charset=utf-8")
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

        def _addressed_to_us(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
            bound = str(self.server.server_address[0])  # type: ignore[index]  # a (host, port) tuple for IPv4 and IPv6
            return host in LOOPBACK or host == bound

        def _send(self, status: HTTPStatus, body: bytes, kind: str, csp: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            if csp:
                self.send_header("Content-Security-Policy", "default-src 'none'; script-src 'self'; "
                                 "style-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self' data:")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                for version in _versions(preview):
                    self.wfile.write(f"data: {version}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _versions(preview: Preview, keepalive: float = 15.0) -> Iterator[int]:
    """The version now, then each new one (the same again after `keepalive` seconds)."""
    version = preview.snapshot()["version"]
    yield version
    while True:
        version = preview.wait_for(version, keepalive)
        yield version


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = str(server.server_address[0]), int(server.server_address[1])
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(preview: Preview, host: str, port: int, ready: Any = None) -> None:
    """Run the preview until interrupted; `ready(url)` is called once it listens."""
    preview.first()
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    server = make_server(preview, host, port)
    watcher.start()
    if ready is not None:
        ready(url_of(server))
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
