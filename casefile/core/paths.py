"""Where an evidence path may point: the one definition of "inside the case folder".

Evidence paths come from case files, which are untrusted: a path is refused when it could not
name a file inside the case folder (a NUL or control character, an absolute path or URL, an
over-long name, a symbolic link loop, a link leading outside). Validation reports the reason
at the path's line; hashing, rendering and packets never read a refused path.
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from pathlib import Path


def is_absolute(relative: str) -> bool:
    """Absolute on any system: /x, \\x, C:..."""
    return (Path(relative).is_absolute() or relative.startswith(("/", "\\"))
            or re.match(r"^[A-Za-z]:", relative) is not None)


def is_absolute_or_url(relative: str) -> bool:
    return is_absolute(relative) or "://" in relative


MAX_NAME_BYTES = 255  # one file or folder name (Linux, macOS, Windows)
MAX_PATH_BYTES = 4096


def refusal(root: Path, relative: str) -> str | None:
    """Why an evidence path is refused, or None when it names a place inside the case folder.
    The one definition of "inside" (after symlinks), used by validation, hashing and packets."""
    reason = _static_refusal(relative)
    if reason is not None:
        return reason
    reason, _ = _resolved(root, relative)
    return reason


@lru_cache(maxsize=65_536)  # a function of the text alone
def _static_refusal(relative: str) -> str | None:
    """Why a path is refused by its text alone, or None."""
    if "\x00" in relative:
        return "contains a NUL character"
    if any(ord(c) < 32 or ord(c) == 127 for c in relative):
        return "contains a control character"
    if is_absolute(relative):
        return "is an absolute path"
    if "://" in relative:
        return "is a URL, not a file"
    if len(relative.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        return f"is longer than {MAX_PATH_BYTES} bytes"
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in re.split(r"[/\\]", relative)):
        return f"has a file or folder name longer than {MAX_NAME_BYTES} bytes"
    return None


def _resolved(root: Path, relative: str) -> tuple[str | None, Path | None]:
    """(why the path is refused, or None; the file it names once symbolic links are followed)."""
    try:
        root = _real(str(root))
        target = _real_under(root, relative)
    except RuntimeError:  # Python 3.11 reports a symlink loop so
        return "is a symbolic link loop", None
    except (OSError, ValueError) as exc:
        return f"cannot be resolved ({exc.strerror if isinstance(exc, OSError) and exc.strerror else exc})", None
    if target == root or root not in target.parents:
        return "points outside the case folder", None
    try:
        target.stat()
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: a loop further down
            return "is a symbolic link loop", None
    return None, target


def _real_under(root: Path, relative: str) -> Path:
    """`root / relative` with symbolic links followed, `root` being real already: one lstat per
    part of `relative` when none of them is a link (realpath would stat every part of the
    whole path again, for each of 10,000 evidence files); realpath itself otherwise."""
    parts = [part for part in re.split(r"[/\\]", relative) if part not in ("", ".")]
    current = str(root)
    for n, part in enumerate(parts):
        if part == "..":
            break
        current = os.path.join(current, part)
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:  # the rest does not exist: nothing below can be a link
            return Path(os.path.join(current, *parts[n + 1:])) if ".." not in parts[n + 1:] else \
                Path(os.path.realpath(root / relative))
        except OSError:
            break
        if stat.S_ISLNK(mode):
            break
    else:
        return Path(current)
    return Path(os.path.realpath(root / relative))


@lru_cache(maxsize=64)
def _real(root: str) -> Path:
    # the case folder, resolved once per run (10,000 evidence paths resolved against it, each
    # followed through its own symbolic links every time)
    return Path(root).resolve()


def resolve_inside(root: Path, relative: str) -> Path | None:
    """The file an evidence path names, or None when it is refused (`refusal`)."""
    if _static_refusal(relative) is not None:
        return None
    reason, target = _resolved(root, relative)
    return None if reason is not None else target
