"""Writing files: atomically, so no reader ever sees a half-written dossier.

Data goes to a temporary file in the target's folder, is flushed to disk, then renamed over
the target. An interrupted run (an exception, Ctrl-C, kill -9) leaves the previous file as it
was; the temporary file is removed on every failure we can catch, and its name starts with a
dot and ends in `.partial` so that what kill -9 leaves behind is recognisable.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(target: str | Path, data: bytes) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(target.parent)
    return target


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
