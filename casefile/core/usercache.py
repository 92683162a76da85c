"""This user's cache folder and the secret that signs what casefile keeps there.

Caches (the digests of unchanged evidence files, the built validators of the case models, the
parsed legal catalog) are
signed with HMAC-SHA256 under a key made on first use and readable by this user only
(`~/.cache/casefile/digest-cache.key`, mode 0600): a cache edited by hand, copied from another
machine or arriving with a received folder fails the check and is ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAC_BYTES = 32


def cache_dir() -> Path | None:
    """casefile's folder in this user's cache ($XDG_CACHE_HOME or ~/.cache), or None."""
    base = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home() != Path("/") else "")
    return Path(base) / "casefile" if base else None


def sign(data: bytes) -> bytes | None:
    """`data` preceded by its MAC under this user's key, or None when there is no key."""
    secret = user_secret()
    return None if secret is None else hmac.new(secret, data, hashlib.sha256).digest() + data


def verified(blob: bytes) -> bytes | None:
    """The data of a `sign`ed blob when its MAC is this user's, else None."""
    secret = user_secret()
    if secret is None or len(blob) < MAC_BYTES:
        return None
    mac, data = blob[:MAC_BYTES], blob[MAC_BYTES:]
    return data if hmac.compare_digest(mac, hmac.new(secret, data, hashlib.sha256).digest()) else None


def user_secret() -> bytes | None:
    """This user's key for signing digest caches, made on first use; None (no cache) where it
    cannot be kept."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / "digest-cache.key"
    try:
        secret = path.read_bytes()
        if len(secret) >= 32 and (path.stat().st_mode & 0o077) == 0:
            return secret
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return None
    except (OSError, RuntimeError):
        return None
    secret = os.urandom(32)
    try:
        os.write(fd, secret)
        os.fchmod(fd, 0o600)
    except OSError:
        return None
    finally:
        os.close(fd)
    return secret


def parsed(kind: str, source: bytes, parse: Callable[[bytes], Any]) -> Any:
    """`parse(source)`, kept in this user's cache as signed JSON named by the digest of `source`:
    the shipped catalog's YAML takes about 10 ms to parse at every start, its JSON 0.3 ms. A value
    that JSON does not give back equal (a date, a tuple) is parsed every time instead."""
    folder = cache_dir()
    path = None if folder is None else folder / f"{kind}-{hashlib.sha256(source).hexdigest()[:32]}.json"
    if path is not None:
        try:
            data = verified(path.read_bytes())
            if data is not None:
                return json.loads(data)
        except (OSError, ValueError):
            pass
    value = parse(source)
    if path is not None:
        _keep_json(path, kind, value)
    return value


def _keep_json(path: Path, kind: str, value: Any) -> None:
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if json.loads(text) != value:
            return
        blob = sign(text.encode("utf-8"))
        if blob is None:
            return
        write_private(path, blob)
        for old in path.parent.glob(f"{kind}-*.json"):  # an older source's: never read again
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        return


def write_private(path: Path, blob: bytes) -> None:
    """Write `blob` to `path` readable by this user only, whole or not at all (a temporary file
    renamed over it, so a concurrent reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, blob)
    finally:
        os.close(fd)
    os.replace(temporary, path)
