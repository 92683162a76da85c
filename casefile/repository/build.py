"""`casefile build`: every case of a repository, incrementally, in parallel, in shards.

A case is rebuilt only when one of its inputs changed, decided by a content hash (never by
timestamps): the case file's bytes, its evidence digests, the templates, the catalog, the
build settings, casefile's version, and its provenance (the last commit of the case file and
whether it has uncommitted changes, both printed in the dossier). The keys of the last build
are kept in `<output>/.casefile-build.json`.

Rendering runs in a pool of long-lived worker processes, one per core, each importing
WeasyPrint once. A failing case does not stop the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from casefile import __version__
from casefile.repository.project import Project

STATE_FILE = ".casefile-build.json"
BuildState = dict[str, Any]  # case (relative path) -> {"key": input digest, "outputs": [...]}, as JSON
Progress = Callable[["Outcome", int, int], None]  # (outcome, done, total), called as cases finish


@dataclass
class Job:
    path: Path
    relative: str
    key: str
    case_id: str | None = None


@dataclass
class Outcome:
    relative: str
    ok: bool
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    message: str = ""
    key: str = ""


@dataclass
class BuildReport:
    built: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def parse_shard(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes K/N, e.g. 1/4, not '{text}'") from None
    if not 1 <= k <= n:
        raise ValueError(f"--shard K/N needs 1 <= K <= N, not '{text}'")
    return k, n


def in_shard(relative: str, shard: tuple[int, int] | None) -> bool:
    """A stable share: by a hash of the case's path, so adding a case moves no other case."""
    if shard is None:
        return True
    k, n = shard
    return int(hashlib.sha256(relative.encode("utf-8")).hexdigest(), 16) % n == k - 1


def _tree_digest(folders: list[Path]) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def environment_digest(project: Project) -> str:
    """Everything every case depends on: casefile's version and code, templates, catalog, settings."""
    from casefile.case.catalog import DATA_DIR
    from casefile.core.resources import FONTS_DIR, PACKAGE_DIR, templates_dir

    digest = hashlib.sha256(__version__.encode())
    digest.update(_tree_digest([templates_dir(), DATA_DIR, FONTS_DIR]).encode())
    digest.update(_tree_digest([PACKAGE_DIR]).encode())  # the code itself: a fix re-renders
    if project.templates:
        digest.update(_tree_digest([project.templates]).encode())
    for extra in project.config.catalog:
        digest.update(hashlib.sha256((project.root / extra).read_bytes()).digest())
    digest.update(project.config.model_dump_json().encode())
    return digest.hexdigest()


def plan(project: Project, paths: list[Path], shard: tuple[int, int] | None, *, force: bool = False,
         state: BuildState | None = None) -> tuple[list[Job], list[str]]:
    """The jobs to run, and the cases skipped because nothing changed."""
    from casefile.case.loader import LoadError, load_file
    from casefile.case.parse import parse_case
    from casefile.core.paths import resolve_inside
    from casefile.evidence import integrity
    from casefile.repository import gitinfo
    from casefile.repository.project import find_cases

    cases = [p.resolve() for p in find_cases(paths) if not project.is_catalog_file(p)]
    cases = [p for p in cases if in_shard(_relative(project, p), shard)]
    env = environment_digest(project)
    top = gitinfo.toplevel(project.root)
    last = gitinfo.last_commits(top, cases) if top else {}
    dirty = gitinfo.dirty_files(top, cases) if top else set()
    state = state or {}
    jobs, skipped = [], []
    for path in cases:
        relative = _relative(project, path)
        digest = hashlib.sha256(env.encode())
        raw = path.read_bytes()
        digest.update(hashlib.sha256(raw).digest())
        digest.update(f"{last.get(path)}|{path in dirty}|{top is not None}".encode())
        case_id = None
        try:
            case, _ = parse_case(load_file(path))
        except LoadError:
            case = None
        if case is not None:
            case_id = case.id
            files = [e.file for e in case.evidence if e.file and resolve_inside(path.parent, e.file)]
            for name, value in sorted(integrity.digests(path.parent, files).items()):
                digest.update(f"{name}={value}".encode())
        key = digest.hexdigest()
        previous = state.get(relative)
        if not force and previous and previous.get("key") == key and all(
                (project.output / o).exists() for o in previous.get("outputs", [])):
            skipped.append(relative)
            continue
        jobs.append(Job(path, relative, key, case_id))
    return jobs, skipped


def _relative(project: Project, path: Path) -> str:
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _warm() -> None:
    """Worker start: pay for imports once per process, not once per case."""
    import weasyprint  # noqa: F401

    from casefile.dossier import document, view  # noqa: F401
    from casefile.filing import packet  # noqa: F401


def build_case(job: Job, project_root: str, output: str | None = None) -> Outcome:
    """One case: every configured edition and format, and its packets. Runs in a worker. The
    case is validated once, and its provenance read once, for all of its documents. `output`:
    the folder to build into (`build --output`), else the repository's."""
    from casefile.core.errors import CasefileError
    from casefile.core.output import write_atomic
    from casefile.dossier.document import output_name, render_dossier
    from casefile.filing.packet import build_packets
    from casefile.protection.policy import Disclosure
    from casefile.protection.validation import load_case
    from casefile.repository.gitinfo import provenance
    from casefile.repository.project import load_project

    start = time.perf_counter()
    project = load_project(Path(project_root))
    if output is not None:
        project = replace(project, config=project.config.model_copy(update={"output": output}))
    settings = project.config.build
    outputs: list[str] = []
    try:
        catalog = project.catalog()
        result = load_case(job.path, catalog=catalog)
        case, document = result.case, result.document
        assert case is not None and document is not None
        case = project.with_sender_defaults(case)
        raw = document.raw  # the positions of every node are not needed for the layout
        del result, document
        origin = provenance(job.path)
        folder = project.output / case.id
        for edition in settings.editions:
            for fmt in settings.formats:
                data, _ = render_dossier(job.path, case, raw, catalog, disclosure=Disclosure(edition=edition),
                                         format=fmt, user_templates=project.templates, provenance=origin)
                target = write_atomic(folder / output_name(case, fmt, edition), data)
                outputs.append(target.relative_to(project.output).as_posix())
        bodies = [catalog.bodies[f.body] for f in case.filings
                  if settings.packets == "all" or (settings.packets == "planned" and f.status == "planned")]
        for made in build_packets(job.path, case, raw, bodies, catalog, out_dir=folder / "packets",
                                  keep_going=False, provenance=origin, user_templates=project.templates):
            outputs += [made.folder.relative_to(project.output).as_posix(),
                        made.archive.relative_to(project.output).as_posix()]
    except CasefileError as exc:
        return Outcome(job.relative, False, time.perf_counter() - start, outputs, exc.format(), job.key)
    except Exception as exc:  # one broken case must not stop the others
        return Outcome(job.relative, False, time.perf_counter() - start, outputs,
                       f"internal error: {type(exc).__name__}: {exc}", job.key)
    return Outcome(job.relative, True, time.perf_counter() - start, outputs, "", job.key)


def load_state(project: Project) -> BuildState:
    try:
        data = json.loads((project.output / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    cases = data.get("cases") if isinstance(data, dict) else None
    return cases if isinstance(cases, dict) else {}


def save_state(project: Project, state: BuildState) -> None:
    from casefile.core.output import write_atomic

    body = json.dumps({"casefile": __version__, "cases": dict(sorted(state.items()))}, indent=1)
    write_atomic(project.output / STATE_FILE, body.encode("utf-8"))


def run(project: Project, paths: list[Path], *, shard: tuple[int, int] | None = None, workers: int | None = None,
        force: bool = False, progress: Progress | None = None) -> BuildReport:
    start = time.perf_counter()
    state = load_state(project)
    jobs, skipped = plan(project, paths, shard, force=force, state=state)
    report = BuildReport(skipped=skipped)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    outcomes: list[Outcome] = []
    if jobs:
        if workers == 1:
            _warm()
            for job in jobs:
                outcomes.append(build_case(job, str(project.root), str(project.output)))
                if progress:
                    progress(outcomes[-1], len(outcomes), len(jobs))
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_warm) as pool:
                futures = [pool.submit(build_case, job, str(project.root), str(project.output)) for job in jobs]
                for future in as_completed(futures):
                    outcomes.append(future.result())
                    if progress:
                        progress(outcomes[-1], len(outcomes), len(jobs))
    for outcome in sorted(outcomes, key=lambda o: o.relative):
        if outcome.ok:
            report.built.append(outcome)
            state[outcome.relative] = {"key": outcome.key, "outputs": outcome.outputs}
        else:
            report.failed.append(outcome)
            state.pop(outcome.relative, None)
    if outcomes:
        save_state(project, state)
    report.seconds = time.perf_counter() - start
    return report
