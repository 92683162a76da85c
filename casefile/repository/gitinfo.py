"""What git knows about a case file: the commit it was built from, uncommitted changes, the
commits that touched it, and the file as it was at a revision.

Read with dulwich, a git library in pure Python, and only its object store and refs: no `git`
process runs, so nothing a received folder configures is ever executed (`core.fsmonitor`,
hooks, `filter.*.clean` and `smudge` drivers from `.gitattributes`, `diff.*.textconv`, pagers,
credential helpers). The working file is compared with the committed one byte for byte (as a
git blob id), with no clean filter or line-ending conversion applied, so a file that git would
only normalise counts as changed. Outside a repository, or when the repository cannot be read,
every function answers "nothing known" instead of failing. `GIT_CEILING_DIRECTORIES` is
honoured as git honours it (the search for `.git` does not go up into those folders).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from dulwich.objects import Commit as GitCommit
    from dulwich.objects import ObjectID, ShaFile
    from dulwich.refs import Ref
    from dulwich.repo import Repo


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


def _ceilings() -> list[Path]:
    value = os.environ.get("GIT_CEILING_DIRECTORIES", "")
    return [Path(p).resolve() for p in value.split(os.pathsep) if p]


def toplevel(folder: Path) -> Path | None:
    """The work tree that holds `folder` (the folder with `.git` in it), or None. Not cached:
    a long-running process (a build, the preview server, the tests) sees a repository made,
    or a GIT_CEILING_DIRECTORIES set, after its first look; the walk is a few stat calls."""
    ceilings = _ceilings()
    here = Path(folder).resolve()
    while True:
        if (here / ".git").exists():
            with _opened(here) as repo:
                return here if repo is not None else None
        parent = here.parent
        if parent == here or parent in ceilings:
            return None
        here = parent


@contextmanager
def _opened(top: Path | None) -> Iterator[Repo | None]:
    """The repository at `top`, closed after use; None when there is none dulwich can read
    (nothing known)."""
    repo = None
    if top is not None:
        try:
            from dulwich.repo import Repo

            repo = Repo(str(top))
        except Exception:  # not a repository dulwich can read
            repo = None
    try:
        yield repo
    finally:
        if repo is not None:
            repo.close()


@contextmanager
def _repo_of(path: Path) -> Iterator[tuple[Repo, Path] | None]:
    """The repository holding `path` and its work tree, closed after use."""
    top = toplevel(path.resolve().parent)
    with _opened(top) as repo:
        yield (repo, top) if repo is not None and top is not None else None


def _head(repo: Repo) -> bytes | None:
    try:
        return _ref(repo, b"HEAD")
    except KeyError:
        return None


# dulwich types object ids and ref names as NewTypes of bytes; these three take plain bytes
def _ref(repo: Repo, name: bytes) -> bytes:
    return repo.refs[cast("Ref", name)]


def _object(repo: Repo, sha: bytes) -> ShaFile:
    return repo[cast("ObjectID", sha)]


def _commit_object(repo: Repo, sha: bytes) -> GitCommit:
    from dulwich.objects import Commit as GitCommit

    found = _object(repo, sha)
    if not isinstance(found, GitCommit):
        raise KeyError(sha)
    return found


def head(folder: Path) -> str | None:
    with _opened(toplevel(Path(folder))) as repo:
        sha = _head(repo) if repo is not None else None
    return sha.decode("ascii") if sha else None


def _relative(path: Path, top: Path) -> bytes | None:
    try:
        return path.resolve().relative_to(top).as_posix().encode("utf-8")
    except ValueError:
        return None


def _blob_id(repo: Repo, commit_sha: bytes, relative: bytes) -> bytes | None:
    from dulwich.object_store import tree_lookup_path

    try:
        tree = _commit_object(repo, commit_sha).tree
        _, sha = tree_lookup_path(repo.__getitem__, tree, relative)
        return sha
    except (KeyError, NotADirectoryError):
        return None


def _working_blob_id(path: Path) -> bytes | None:
    from dulwich.objects import Blob

    try:
        return Blob.from_string(path.read_bytes()).id
    except OSError:
        return None


def is_dirty(path: Path) -> bool:
    """True when the file differs from HEAD, is not in HEAD, or there is no HEAD yet."""
    with _repo_of(path) as found:
        return found is not None and _dirty(*found, path)


def _dirty(repo: Repo, top: Path, path: Path) -> bool:
    sha = _head(repo)
    relative = _relative(path, top)
    committed = _blob_id(repo, sha, relative) if sha and relative else None
    return committed is None or committed != _working_blob_id(path.resolve())


def _commit(repo: Repo, sha: bytes) -> Commit:
    commit = _commit_object(repo, sha)
    offset = timezone(timedelta(seconds=commit.author_timezone))
    date = datetime.fromtimestamp(commit.author_time, tz=offset).isoformat()
    author = commit.author.decode("utf-8", "replace").split(" <", 1)[0]
    subject = commit.message.decode(_encoding(commit), "replace").strip().split("\n", 1)[0].strip()
    return Commit(sha.decode("ascii"), date, author, subject)


def _encoding(commit: GitCommit) -> str:
    try:
        name = (commit.encoding or b"utf-8").decode("ascii")
        "".encode(name)
        return name
    except (LookupError, UnicodeDecodeError):
        return "utf-8"


def history(path: Path, limit: int = 200) -> tuple[Commit, ...]:
    """The commits that touched the file (following renames), newest first."""
    with _repo_of(path) as found:
        return _history(*found, path, limit) if found is not None else ()


def _history(repo: Repo, top: Path, path: Path, limit: int) -> tuple[Commit, ...]:
    sha, relative = _head(repo), _relative(path, top)
    if not sha or not relative:
        return ()
    try:
        return tuple(_commit(repo, commit_id) for commit_id in _touching(repo, sha, relative, limit))
    except Exception:  # a damaged repository: no history rather than no dossier
        return ()


def _touching(repo: Repo, sha: bytes, relative: bytes, limit: int) -> list[bytes]:
    """The commits that changed the file, newest first, following it across renames. The walk
    is by path; renames are looked for only in the commit that added the path (dulwich's
    `follow=True` compares contents at every commit: 1.6 s instead of 0.09 s on this project's
    own history, about half of a small dossier's render)."""
    found: list[bytes] = []
    start: bytes | None = sha
    while start is not None and len(found) < limit:
        walker = repo.get_walker(include=[cast("ObjectID", start)], paths=[relative], max_entries=limit - len(found))
        entries = list(walker)
        found += [entry.commit.id for entry in entries]
        if not entries:
            break
        oldest = entries[-1].commit
        previous = _renamed_from(repo, oldest, relative)
        if previous is None:
            break
        relative, start = previous, oldest.parents[0]
    return found


def _renamed_from(repo: Repo, commit: GitCommit, relative: bytes) -> bytes | None:
    """The path the file had before `commit`, when `commit` renamed it (None: it added it)."""
    from dulwich.diff_tree import RenameDetector

    if len(commit.parents) != 1:
        return None
    parent = _commit_object(repo, commit.parents[0])
    detector = RenameDetector(repo.object_store)
    for change in detector.changes_with_renames(parent.tree, commit.tree):
        if change.new is not None and change.new.path == relative and change.type in ("rename", "copy"):
            return change.old.path if change.old is not None else None
    return None


def provenance(path: Path, with_history: bool = True) -> Provenance:
    with _repo_of(path) as found:
        if found is None:
            return Provenance(None, False, in_git=False)
        repo, top = found
        commits = _history(repo, top, path, 200)
        commit = commits[0].sha if commits else None
        return Provenance(commit, commit is None or _dirty(repo, top, path), commits if with_history else ())


_REV = re.compile(r"^(?P<base>[^~^]+)(?P<steps>(?:[~^]\d*)*)$")


def _resolve(repo: Repo, rev: str) -> bytes | None:
    """A commit for `rev`: HEAD, a branch, tag or remote branch, a full or abbreviated commit
    id, each optionally followed by ~N and ^N steps (HEAD~1, main^2)."""
    match = _REV.match(rev)
    if match is None:
        return None
    sha = _base(repo, match.group("base"))
    for step in re.findall(r"[~^]\d*", match.group("steps")):
        if sha is None:
            return None
        count = int(step[1:]) if len(step) > 1 else 1
        sha = _parent(repo, sha, count) if step[0] == "~" else _nth_parent(repo, sha, count)
    return sha


def _peel(repo: Repo, sha: bytes | None) -> bytes | None:
    from dulwich.objects import Commit as GitCommit
    from dulwich.objects import Tag

    for _ in range(16):  # a tag of a tag of ...: bounded
        try:
            obj = _object(repo, sha) if sha is not None else None
        except (KeyError, TypeError, ValueError):
            return None
        if isinstance(obj, Tag):
            sha = obj.object[1]
            continue
        return sha if isinstance(obj, GitCommit) else None
    return None


def _base(repo: Repo, name: str) -> bytes | None:
    raw = name.encode("utf-8")
    for ref in (raw, b"refs/" + raw, b"refs/tags/" + raw, b"refs/heads/" + raw, b"refs/remotes/" + raw,
                b"refs/remotes/" + raw + b"/HEAD"):
        try:
            return _peel(repo, _ref(repo, ref))
        except (KeyError, ValueError):
            continue
    if re.fullmatch(r"[0-9a-fA-F]{4,40}", name):
        prefix = name.lower().encode("ascii")
        if len(prefix) == 40:
            return _peel(repo, prefix)
        found = [sha for sha in repo.object_store if sha.startswith(prefix)][:2]
        if len(found) == 1:
            return _peel(repo, found[0])
    return None


def _parent(repo: Repo, sha: bytes, count: int) -> bytes | None:
    for _ in range(count):
        parents = _commit_object(repo, sha).parents
        if not parents:
            return None
        sha = parents[0]
    return sha


def _nth_parent(repo: Repo, sha: bytes, n: int) -> bytes | None:
    if n == 0:
        return sha
    parents = _commit_object(repo, sha).parents
    return parents[n - 1] if len(parents) >= n else None


def file_at(path: Path, rev: str) -> bytes | None:
    """The bytes of `path` at revision `rev`, or None when it did not exist there."""
    with _repo_of(path) as found:
        relative = _relative(path, found[1]) if found is not None else None
        if found is None or relative is None:
            return None
        try:
            sha = _resolve(found[0], rev)
            blob = _blob_id(found[0], sha, relative) if sha else None
            return _object(found[0], blob).as_raw_string() if blob else None
        except Exception:  # a damaged repository or an object it lacks: the file is unknown
            return None


def rev_exists(folder: Path, rev: str) -> bool:
    with _opened(toplevel(Path(folder))) as repo:
        try:
            return repo is not None and _resolve(repo, rev) is not None
        except Exception:  # a damaged repository: the revision is unknown
            return False


def last_commits(top: Path, paths: list[Path]) -> dict[Path, str]:
    """The last commit that touched each file, from one walk of the history (cheap for many
    files): each commit is compared with its first parent, as `git log` does."""
    with _opened(top) as repo:
        return _last_commits(repo, top, paths) if repo is not None else {}


def _last_commits(repo: Repo, top: Path, paths: list[Path]) -> dict[Path, str]:
    sha = _head(repo)
    found: dict[Path, str] = {}
    if not sha:
        return found
    wanted = {rel: p for p in paths if (rel := _relative(p, top.resolve())) is not None}
    try:
        for entry in repo.get_walker(include=[cast("ObjectID", sha)]):
            commit = entry.commit
            if len(commit.parents) > 1:
                continue  # a merge: its files are credited to the commits that changed them
            parent_tree = _commit_object(repo, commit.parents[0]).tree if commit.parents else None
            for change in repo.object_store.tree_changes(parent_tree, commit.tree):
                for name in (change[0][0], change[0][1]):
                    if name in wanted and wanted[name] not in found:
                        found[wanted[name]] = commit.id.decode("ascii")
            if len(found) == len(wanted):
                break
    except Exception:
        return found
    return found


def dirty_files(top: Path, paths: list[Path]) -> set[Path]:
    """Which of `paths` differ from HEAD or are not in it."""
    with _opened(top) as repo:
        return {p for p in paths if _dirty(repo, top.resolve(), p)} if repo is not None else set()


def init(folder: Path) -> None:
    """An empty repository in `folder` (for `casefile init`), made without running git."""
    from dulwich.repo import Repo

    Repo.init(str(folder)).close()
