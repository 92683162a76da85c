#!/usr/bin/env python3
"""Benchmark: casefile's evidence hashing against `sha256sum` on the same files.

    python3 scripts/bench_hash.py                 # 4 files of 256 MiB, then 1 file of 1 GiB
    python3 scripts/bench_hash.py --mib 64        # smaller files

Files are written to a temporary folder and read once before timing, so both tools read from
the page cache: the comparison is of hashing, not of the disk. Each timing is the best of 3.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casefile import integrity


def best(fn, repeats=3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def compare(folder: Path, names: list[str], total_mib: int) -> None:
    t_sum = best(lambda: subprocess.run(["sha256sum", *names], cwd=folder, check=True, capture_output=True))
    t_one = best(lambda: integrity.digests(folder, names, use_cache=False, workers=1))
    t_par = best(lambda: integrity.digests(folder, names, use_cache=False))
    t_cached = best(lambda: integrity.digests(folder, names, use_cache=True))
    print(f"  sha256sum               {total_mib / t_sum:8.0f} MiB/s  ({t_sum:.2f} s)")
    print(f"  casefile, 1 thread      {total_mib / t_one:8.0f} MiB/s  ({t_one:.2f} s)  "
          f"{t_sum / t_one:5.0%} of sha256sum")
    print(f"  casefile, {os.cpu_count()} threads     {total_mib / t_par:8.0f} MiB/s  ({t_par:.2f} s)  "
          f"{t_sum / t_par:5.0%} of sha256sum")
    print(f"  casefile, cached        {t_cached * 1000:8.1f} ms for all files (unchanged since last run)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=256, help="size of each of the 4 files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        block = os.urandom(1024 * 1024)
        for layout in ([f"f{i}.bin" for i in range(4)], ["big.bin"]):
            size = args.mib if len(layout) > 1 else args.mib * 4
            for name in layout:
                with open(folder / name, "wb") as fh:
                    for _ in range(size):
                        fh.write(block)
            subprocess.run(["cat", *layout], cwd=folder, stdout=subprocess.DEVNULL, check=True)  # warm the cache
            print(f"{len(layout)} file(s) of {size} MiB:")
            compare(folder, layout, size * len(layout))
            for name in layout:
                (folder / name).unlink()
            for leftover in (folder / integrity.CACHE_DIR).glob("*"):
                leftover.unlink()


if __name__ == "__main__":
    main()
