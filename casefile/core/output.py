"""Writing files: atomically, so no reader ever sees a half-written dossier.

The whole content is produced in memory first; only then is it written, flushed to disk and
renamed over the target. On Linux the data goes into an unnamed file (O_TMPFILE) that
vanishes by itself if the process is killed while writing; it gets a name only once complete
and synced, and that name is renamed over the target at once. Elsewhere a named temporary file
in the target's folder is used and removed on any failure we can catch. Temporary names start
with a dot and end in `.partial`; stale ones left by a crash are removed by the next write to
the same target.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from pathlib import Path

from casefile.core.errors import CasefileError, UsageError

PARTIAL_SUFFIX = ".partial"


# a path the user gave that cannot be written: wrong usage (exit 2); anything else (a full
# disk, an I/O error) is a failure (exit 1)
_USAGE_ERRNOS = {errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EPERM, errno.EROFS,
                 errno.ENAMETOOLONG, errno.ENOENT, errno.ELOOP, errno.EINVAL}


def write_atomic(target: str | Path, data: bytes) -> Path:
    target = Path(target)
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name", str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        tmp_name = _write_unnamed(target, data) or _write_named(target, data)
        try:
            os.replace(tmp_name, target)
        except BaseException:
            _unlink(tmp_name)
            raise
    except (OSError, ValueError) as exc:
        raise output_error(target, exc) from None
    _fsync_dir(target.parent)
    return target


def output_error(target: Path, exc: OSError | ValueError) -> CasefileError:
    """One line saying why `target` cannot be written, owning its exit code."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if isinstance(exc, ValueError) or getattr(exc, "errno", None) in _USAGE_ERRNOS:
        return UsageError(f"cannot write {target}: {reason}", "give another --output path")
    return CasefileError(f"cannot write {target}: {reason}")


def _partial_name(target: Path) -> Path:
    return target.parent / f".{target.name}.{secrets.token_hex(6)}{PARTIAL_SUFFIX}"


def _write_unnamed(target: Path, data: bytes) -> Path | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        fd = os.open(target.parent, flag | os.O_WRONLY, 0o644)
    except OSError:  # file system without O_TMPFILE support
        return None
    name = _partial_name(target)
    try:
        _write_all(fd, data)
        os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
    except OSError:
        return None
    finally:
        os.close(fd)
    return name


def _write_named(target: Path, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=target.parent)
    try:
        _write_all(fd, data)
        os.chmod(tmp, 0o644)
    except BaseException:
        os.close(fd)
        _unlink(Path(tmp))
        raise
    os.close(fd)
    return Path(tmp)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fsync(fd)


def _remove_stale(target: Path) -> None:
    for stale in target.parent.glob(f".{_glob_escape(target.name)}.*{PARTIAL_SUFFIX}"):
        _unlink(stale)


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
