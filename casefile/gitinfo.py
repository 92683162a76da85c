"""What git knows about a case file: the commit it was built from, uncommitted changes, the
commits that touched it, and the file as it was at a revision.

Only the local `git` command is used, with a fixed environment (no pager, no prompts, no
user config that could change the output); outside a repository, or without git, every
function answers "nothing known" instead of failing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C",
        "GIT_OPTIONAL_LOCKS": "0"}


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # ISO 8601 author date
    author: str
    subject: str


@dataclass(frozen=True)
class Provenance:
    """Where a dossier came from: the last commit of its case file, and whether the file
    differs from it. (The case file's own commit, not HEAD: a commit that does not touch the
    case changes nothing in its dossier, so incremental builds stay incremental.)"""

    commit: str | None  # None outside git, or for a file never committed
    dirty: bool
    history: tuple[Commit, ...] = ()
    in_git: bool = True

    @property
    def label(self) -> str:
        if not self.in_git:
            return "not in git"
        if self.commit is None:
            return "not committed"
        return f"commit {self.commit[:12]}" + (" + uncommitted changes" if self.dirty else "")


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess | None:
    if shutil.which("git") is None:
        return None
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=30,
                              env={**os.environ, **_ENV})
    except (OSError, subprocess.SubprocessError):
        return None


@lru_cache(maxsize=256)
def toplevel(folder: Path) -> Path | None:
    result = _git(["rev-parse", "--show-toplevel"], folder)
    if result is None or result.returncode != 0:
        return None
    return Path(result.stdout.decode().strip())


def head(folder: Path) -> str | None:
    result = _git(["rev-parse", "--verify", "--quiet", "HEAD"], folder)
    if result is None or result.returncode != 0:
        return None
    return result.stdout.decode().strip() or None


def is_dirty(path: Path) -> bool:
    """True when the file differs from HEAD, is untracked, or there is no HEAD yet."""
    path = path.resolve()
    result = _git(["status", "--porcelain", "--", path.name], path.parent)
    if result is None or result.returncode != 0:
        return False
    return bool(result.stdout.strip())


def history(path: Path, limit: int = 200) -> tuple[Commit, ...]:
    path = path.resolve()
    result = _git(["log", f"--max-count={limit}", "--follow", "--format=%H%x1f%aI%x1f%an%x1f%s%x1e", "--",
                   path.name], path.parent)
    if result is None or result.returncode != 0:
        return ()
    commits = []
    for record in result.stdout.decode("utf-8", "replace").split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 4:
            commits.append(Commit(*fields))
    return tuple(commits)


def provenance(path: Path, with_history: bool = True) -> Provenance:
    folder = path.resolve().parent
    if toplevel(folder) is None:
        return Provenance(None, False, in_git=False)
    commits = history(path)
    commit = commits[0].sha if commits else None
    return Provenance(commit, commit is None or is_dirty(path), commits if with_history else ())


def file_at(path: Path, rev: str) -> bytes | None:
    """The bytes of `path` at revision `rev`, or None when it did not exist there."""
    path = path.resolve()
    top = toplevel(path.parent)
    if top is None:
        return None
    relative = path.relative_to(top.resolve()).as_posix()
    result = _git(["show", f"{rev}:{relative}"], top)
    if result is None or result.returncode != 0:
        return None
    return result.stdout


def rev_exists(folder: Path, rev: str) -> bool:
    result = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], folder)
    return result is not None and result.returncode == 0


def last_commits(top: Path, paths: list[Path]) -> dict[Path, str]:
    """The last commit that touched each file, from one walk of the log (cheap for many files)."""
    wanted = {p.resolve().relative_to(top.resolve()).as_posix(): p for p in paths}
    result = _git(["log", "--format=%x1e%H", "--name-only", "--no-renames", "--", *sorted(
        {str(Path(w).parent) or "." for w in wanted})], top)
    found: dict[Path, str] = {}
    if result is None or result.returncode != 0:
        return found
    for record in result.stdout.decode("utf-8", "replace").split("\x1e"):
        lines = [line for line in record.splitlines() if line.strip()]
        if not lines:
            continue
        sha, files = lines[0], lines[1:]
        for name in files:
            if name in wanted and wanted[name] not in found:
                found[wanted[name]] = sha
        if len(found) == len(wanted):
            break
    return found


def dirty_files(top: Path) -> set[Path]:
    """Files of the work tree that differ from HEAD or are untracked (one `git status`)."""
    result = _git(["status", "--porcelain", "-z", "--untracked-files=all"], top)
    if result is None or result.returncode != 0:
        return set()
    out = set()
    for entry in result.stdout.decode("utf-8", "replace").split("\0"):
        if len(entry) > 3:
            out.add((top / entry[3:]).resolve())
    return out
