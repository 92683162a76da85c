"""Checks on PDF files shared by the tests: `assert_qpdf_ok(path)` runs `qpdf --check`.

qpdf is a test dependency installed by `scripts/install-system-deps` (Debian package `qpdf`).
Under CI (env CI set) a missing qpdf fails the test; on a developer machine it skips.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

from .conftest import unavailable


def require_tool(name: str, install_hint: str = "run `bash scripts/install-system-deps`") -> str:
    """The path of an external program; fails under CI and skips elsewhere when it is missing."""
    found = shutil.which(name)
    if found:
        return found
    unavailable(f"`{name}` is not installed ({install_hint})")


def qpdf_check(path: str | Path) -> subprocess.CompletedProcess:
    """Run `qpdf --check` on a file; the completed process (exit 0 = no errors, no warnings)."""
    qpdf = require_tool("qpdf")
    return subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, timeout=120)


def assert_qpdf_ok(path: str | Path) -> None:
    """`qpdf --check` finds no error and no warning in the PDF at `path`.

    One qpdf warning is its own boundary case, not a fault of the file: qpdf 11 inflates stream
    data 10,240 bytes at a time into a 64 KiB buffer, and when a chunk ends exactly as the buffer
    fills, zlib has nothing left to do and qpdf warns "input stream is complete but output may
    still be valid" about a valid stream (seen on a WeasyPrint object stream that zlib inflates
    completely, adler-32 checked). That warning is accepted only when the stream at the offset
    it names is FlateDecode and inflates completely with zlib; any other warning or error fails.
    """
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF-"), f"{path} is not a PDF"
    result = qpdf_check(path)
    report = f"qpdf --check {path} exited {result.returncode} (2 = errors, 3 = warnings):\n" \
             f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
    if result.returncode == 3:
        warnings = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("WARNING")]
        assert warnings and all(_valid_flate_at(data, line) for line in warnings), report
        return
    assert result.returncode == 0, report
    assert "No syntax or stream encoding errors found" in result.stdout, report


_BOUNDARY = re.compile(r"WARNING: .* \(offset (\d+)\): input stream is complete but output may still be valid$")


def _valid_flate_at(data: bytes, warning: str) -> bool:
    """Whether `warning` is qpdf's inflate boundary case about a stream that is in fact whole."""
    match = _BOUNDARY.match(warning)
    if not match:
        return False
    start = int(match.group(1))  # the first byte of the stream's data
    head = data[max(0, start - 4096):start]
    obj = head.rfind(b" obj")
    if obj < 0 or not head.endswith((b"stream\n", b"stream\r\n")):
        return False
    dictionary = head[obj:]
    length = re.search(rb"/Length (\d+)(?! \d+ R)", dictionary)
    filters = re.findall(rb"/Filter\s*\[?\s*(/\w+)", dictionary)
    if not length or filters != [b"/FlateDecode"] or b"/DecodeParms" in dictionary:
        return False
    inflater = zlib.decompressobj()
    try:
        inflater.decompress(data[start:start + int(length.group(1))])
    except zlib.error:
        return False
    return inflater.eof and not inflater.unused_data
