"""Evidence integrity: digests of evidence files, their cache, verification and the manifest.

Files are read in chunks (constant memory: multi-GB videos are normal) and hashed in threads
(hashlib releases the GIL, so several files use several cores). A small cache in the case
folder (`.casefile-cache/digests.json`, ignored by git) keyed by path, size, mtime and inode
avoids re-reading unchanged files on every build.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Literal

from casefile.model import Case

CHUNK = 1024 * 1024
CACHE_DIR = ".casefile-cache"
CACHE_FILE = "digests.json"
CACHE_VERSION = 1

Status = Literal["ok", "mismatch", "missing", "unrecorded", "no-file", "unsafe"]
PROBLEM_STATUSES = ("mismatch", "missing", "unrecorded", "unsafe")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as fh:
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        while True:
            n = fh.readinto(buffer)
            if not n:
                break
            digest.update(view[:n])
    return digest.hexdigest()


class DigestCache:
    """path -> (size, mtime_ns, inode, sha256), stored in the case folder."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root = root
        self.enabled = enabled
        self.path = root / CACHE_DIR / CACHE_FILE
        self.entries: dict[str, dict] = {}
        self.dirty = False
        if enabled:
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                if data.get("version") == CACHE_VERSION and isinstance(data.get("files"), dict):
                    self.entries = data["files"]
            except (OSError, ValueError):
                self.entries = {}

    @staticmethod
    def _key(stat: os.stat_result) -> list[int]:
        return [stat.st_size, stat.st_mtime_ns, stat.st_ino]

    def get(self, relative: str, stat: os.stat_result) -> str | None:
        entry = self.entries.get(relative) if self.enabled else None
        if entry and entry.get("key") == self._key(stat):
            return entry.get("sha256")
        return None

    def put(self, relative: str, stat: os.stat_result, digest: str) -> None:
        if self.enabled:
            self.entries[relative] = {"key": self._key(stat), "sha256": digest}
            self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        from casefile.output import write_atomic

        folder = self.path.parent
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                write_atomic(ignore, b"# casefile's digest cache: local to this machine\n*\n")
            body = json.dumps({"version": CACHE_VERSION, "files": dict(sorted(self.entries.items()))}, indent=1)
            write_atomic(self.path, body.encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs time


def is_absolute(relative: str) -> bool:
    """Absolute on any system: /x, \\x, C:..."""
    return Path(relative).is_absolute() or relative.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", relative) is not None


def is_absolute_or_url(relative: str) -> bool:
    return is_absolute(relative) or "://" in relative


def resolve_inside(root: Path, relative: str) -> Path | None:
    """The file an evidence path names, or None when it would leave the case folder (after
    symlinks). The one definition of "inside", used by validation, hashing and packets."""
    if is_absolute_or_url(relative):
        return None
    root = root.resolve()
    target = (root / relative).resolve()
    if target == root or root not in target.parents:
        return None
    return target


@dataclass
class ItemCheck:
    id: str
    file: str | None
    status: Status
    expected: str | None = None
    actual: str | None = None

    @property
    def problem(self) -> bool:
        return self.status in PROBLEM_STATUSES

    def describe(self) -> str:
        if self.status == "ok":
            return f"{self.id}: ok ({self.file})"
        if self.status == "mismatch":
            return f"{self.id}: MISMATCH {self.file}: expected {self.expected}, found {self.actual}"
        if self.status == "missing":
            return f"{self.id}: MISSING file {self.file}"
        if self.status == "unrecorded":
            return f"{self.id}: NO DIGEST recorded for {self.file} (actual {self.actual}; run `casefile hash`)"
        if self.status == "unsafe":
            return f"{self.id}: REFUSED {self.file}: outside the case folder"
        return f"{self.id}: no file"

    def as_dict(self) -> dict:
        return asdict(self)


def digests(root: Path, relatives: Iterable[str], *, use_cache: bool = True,
            workers: int | None = None) -> dict[str, str | None]:
    """SHA-256 of each file (None when missing); files are hashed in parallel."""
    cache = DigestCache(root, enabled=use_cache)
    wanted = sorted(set(relatives))
    result: dict[str, str | None] = {}
    todo: list[tuple[str, Path, os.stat_result]] = []
    for relative in wanted:
        path = resolve_inside(root, relative)
        try:
            stat = path.stat() if path else None
        except OSError:
            stat = None
        if path is None or stat is None or not path.is_file():
            result[relative] = None
            continue
        cached = cache.get(relative, stat)
        if cached:
            result[relative] = cached
        else:
            todo.append((relative, path, stat))
    if todo:
        workers = workers or min(len(todo), os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for (relative, path, stat), digest in zip(todo, pool.map(lambda t: sha256_file(t[1]), todo)):
                result[relative] = digest
                cache.put(relative, stat, digest)
        cache.save()
    return result


def check_evidence(case: Case, root: Path, *, use_cache: bool = True) -> list[ItemCheck]:
    """Per evidence item: ok / mismatch / missing / unrecorded / no-file / unsafe."""
    files = [e.file for e in case.evidence if e.file and resolve_inside(root, e.file)]
    actual = digests(root, files, use_cache=use_cache)
    checks = []
    for item in case.evidence:
        if not item.file:
            checks.append(ItemCheck(item.id, None, "no-file", item.sha256))
            continue
        if resolve_inside(root, item.file) is None:
            checks.append(ItemCheck(item.id, item.file, "unsafe", item.sha256))
            continue
        found = actual.get(item.file)
        if found is None:
            status: Status = "missing"
        elif item.sha256 is None:
            status = "unrecorded"
        elif item.sha256 == found:
            status = "ok"
        else:
            status = "mismatch"
        checks.append(ItemCheck(item.id, item.file, status, item.sha256, found))
    return checks


def manifest(case: Case) -> str:
    """`sha256sum` format, one line per evidence file with a recorded digest, sorted by path."""
    lines = sorted({(e.file, e.sha256) for e in case.evidence if e.file and e.sha256})
    return "".join(f"{digest}  {path}\n" for path, digest in lines)


def parse_manifest(text: str) -> list[tuple[str, str]]:
    """(digest, path) pairs of a sha256sum-format manifest; raises ValueError on a bad line."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, path = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not path:
            raise ValueError(f"manifest line {number} is not '<sha256>  <path>'")
        entries.append((digest, path))
    return entries
