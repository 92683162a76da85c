"""This user's cache folder and the secret that signs what casefile keeps there.

Caches (the digests of unchanged evidence files, the built validators of the case models) are
signed with HMAC-SHA256 under a key made on first use and readable by this user only
(`~/.cache/casefile/digest-cache.key`, mode 0600): a cache edited by hand, copied from another
machine or arriving with a received folder fails the check and is ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

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
