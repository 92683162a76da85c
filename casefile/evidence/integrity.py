"""Evidence integrity: digests of evidence files, their cache, and their verification (the
seal a dossier carries is in seal.py).

Files are read in chunks (constant memory: multi-GB videos are normal) and hashed in threads
(hashlib releases the GIL, so several files use several cores). A small cache in the case
folder (`.casefile-cache/digests.json`, ignored by git) keyed by path, size, mtime and inode
avoids re-reading unchanged files on every build.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict, TypeGuard

from casefile.case.model import Case
from casefile.core.paths import refusal, resolve_inside
from casefile.core.usercache import user_secret

CHUNK = 1024 * 1024
CACHE_DIR = ".casefile-cache"
CACHE_FILE = "digests.json"
CACHE_VERSION = 2

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


class _CacheEntry(TypedDict):
    key: list[int]  # DigestCache._key: size, mtime, ctime (ns), inode, device
    sha256: str


class DigestCache:
    """path -> sha256 of the file as it was, stored in the case folder, to spare `render` and
    `build` re-reading unchanged multi-GB files. It is never trusted for an audit: `hash` and
    `verify` always read every byte.

    An entry holds only while the file's size, inode, device, modification time and inode
    change time (both in nanoseconds) are what they were: `touch -r` can restore a
    modification time, but not the change time. The whole cache is signed (HMAC-SHA256) with a
    key that never leaves this machine's user (`~/.cache/casefile/digest-cache.key`): a cache
    edited by hand, copied from another machine or arriving with a received folder fails the
    check and is ignored, as is one that cannot be read; then every file is read."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root = root
        self.path = root / CACHE_DIR / CACHE_FILE
        self.entries: dict[str, _CacheEntry] = {}
        self.dirty = False
        self.secret = user_secret() if enabled else None
        self.enabled = self.secret is not None
        if self.enabled:
            self.entries = self._load()

    def _load(self) -> dict[str, _CacheEntry]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            files, mac = data["files"], data["mac"]
            if data.get("version") != CACHE_VERSION or not isinstance(files, dict) or not isinstance(mac, str):
                return {}
            if not hmac.compare_digest(mac, self._mac(files)):
                return {}  # edited, or made elsewhere
            return {name: entry for name, entry in files.items() if _valid_entry(entry)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _mac(self, files: Mapping[str, object]) -> str:
        body = json.dumps([CACHE_VERSION, str(self.root.resolve()), files], sort_keys=True, separators=(",", ":"))
        return hmac.new(self.secret or b"", body.encode("utf-8"), hashlib.sha256).hexdigest()

    @staticmethod
    def _key(stat: os.stat_result) -> list[int]:
        return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]

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
        from casefile.core.output import write_atomic

        folder = self.path.parent
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                write_atomic(ignore, b"# casefile's digest cache: local to this machine\n*\n")
            files = dict(sorted(self.entries.items()))
            body = json.dumps({"version": CACHE_VERSION, "files": files, "mac": self._mac(files)}, indent=1)
            write_atomic(self.path, body.encode("utf-8"))
        except Exception:  # noqa: S110  a cache that cannot be written only costs time
            pass


def _valid_entry(entry: object) -> TypeGuard[_CacheEntry]:
    return (isinstance(entry, dict) and isinstance(entry.get("key"), list) and len(entry["key"]) == 5
            and all(isinstance(k, int) for k in entry["key"]) and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) is not None)


def refuse_output(target: Path, case_path: Path, case: Case, *, folder: bool = False) -> None:
    """Stop (exit 2) before an output would replace the case file or an evidence file, or be
    written into a folder that holds evidence: `--output` is never allowed to destroy what
    the dossier is about. `folder`: the target is a folder casefile writes into (packets)."""
    from casefile.core.errors import UsageError

    root = case_path.resolve().parent
    evidence = {p for e in case.evidence if e.file and (p := resolve_inside(root, e.file)) is not None}
    # the folders that hold evidence, below the case folder (outputs may go beside the case file)
    holding = {parent for p in evidence for parent in p.parents if root in parent.parents}
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        return  # the write itself reports a path that cannot be resolved
    if resolved == case_path.resolve():
        raise UsageError(f"--output {target} is the case file itself; refusing to overwrite it",
                         "write the dossier somewhere else, e.g. out/")
    if resolved in evidence:
        raise UsageError(f"--output {target} is an evidence file of the case; refusing to overwrite it",
                         "write the dossier somewhere else, e.g. out/")
    if (resolved in holding and folder) or any(p in holding for p in resolved.parents):
        raise UsageError(f"--output {target} is inside a folder that holds the case's evidence; refusing to "
                         "write there", "write outputs outside the evidence folders, e.g. out/")


class ItemCheckDict(TypedDict):
    """An item's check as JSON (`casefile verify --json`)."""

    id: str
    file: str | None
    status: Status
    expected: str | None
    actual: str | None
    reason: str | None


@dataclass
class ItemCheck:
    id: str
    file: str | None
    status: Status
    expected: str | None = None
    actual: str | None = None
    reason: str | None = None  # why a path is refused ("unsafe")

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
            return f"{self.id}: REFUSED {self.file}: {self.reason or 'points outside the case folder'}"
        return f"{self.id}: no file"

    def as_dict(self) -> ItemCheckDict:
        return {"id": self.id, "file": self.file, "status": self.status, "expected": self.expected,
                "actual": self.actual, "reason": self.reason}


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
            for (relative, _, stat), digest in zip(todo, pool.map(lambda t: sha256_file(t[1]), todo), strict=True):
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
        refused = refusal(root, item.file)
        if refused is not None:
            checks.append(ItemCheck(item.id, item.file, "unsafe", item.sha256, reason=refused))
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
