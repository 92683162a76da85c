#!/usr/bin/env python3
"""Benchmark: how long casefile takes on the example cases. Not a test; quote its numbers.

    python3 scripts/bench.py            # default: 20 repeats of validate, 3 of each render
    python3 scripts/bench.py --quick    # fewer repeats

Prints the median and the best of the repeats for:
- process start: `casefile --help` and `casefile validate CASE` as subprocesses (what a user waits for),
  against bare `python3 -c pass`;
- in-process: validate, render to HTML, render to PDF (WeasyPrint already imported);
- the public edition of the protected-witness example against its internal edition (the
  cost of protection: photos re-encoded, the output scanned for hidden names).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "donetsk-pow-executions.yaml"


def timed(fn, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def report(name: str, result: tuple[float, float]) -> None:
    median, best = result
    print(f"{name:<46} median {median * 1000:8.1f} ms   best {best * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("case", nargs="?", default=str(CASE))
    args = parser.parse_args()
    case = Path(args.case)
    n_proc, n_validate, n_render = (3, 5, 1) if args.quick else (10, 20, 3)
    n_public = 3 if args.quick else 7

    sys.path.insert(0, str(ROOT))
    from casefile import __version__, api

    print(f"casefile {__version__}, Python {sys.version.split()[0]}, case {case.name}")
    exe = [sys.executable, "-m", "casefile"]
    # .pyc files as an installed package has them (PYTHONDONTWRITEBYTECODE=1 in a development
    # shell would otherwise make every start compile casefile's modules from source)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "casefile")], check=True)
    report("process: python3 -c pass",
           timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), n_proc))
    report("process: casefile --help", timed(lambda: subprocess.run([*exe, "--help"], check=True,
                                                                      capture_output=True), n_proc))
    report("process: casefile validate CASE", timed(lambda: subprocess.run([*exe, "validate", str(case)], check=True,
                                                                            capture_output=True), n_proc))
    api.validate(case)  # warm caches (catalog, babel)
    report("in-process: validate", timed(lambda: api.validate(case), n_validate))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        report("in-process: render HTML",
               timed(lambda: api.render(case, format="html", output=out / "d.html"), n_render))
        start = time.perf_counter()
        import weasyprint  # noqa: F401  (measured separately: paid once per process)
        print(f"{'import weasyprint':<46} {(time.perf_counter() - start) * 1000:8.1f} ms (once)")
        report("in-process: render PDF", timed(lambda: api.render(case, format="pdf", output=out / "d.pdf"), n_render))
        report("process: casefile render CASE (PDF)", timed(lambda: subprocess.run(
            [*exe, "render", str(case), "--output", str(out / "p.pdf")], check=True, capture_output=True), n_render))
        # the public edition against the internal one, on the example with protected persons
        # (the public one re-encodes photos and is scanned for hidden names before it is written)
        witness = ROOT / "cases" / "protected-witness" / "case.yaml"
        for fmt in ("html", "pdf"):
            api.render(witness, format=fmt, edition="public", output=out / f"w.{fmt}")  # warm the matcher
            internal = timed(lambda fmt=fmt: api.render(witness, format=fmt, output=out / f"i.{fmt}"), n_public)
            public = timed(lambda fmt=fmt: api.render(witness, format=fmt, edition="public", output=out / f"p.{fmt}"),
                           n_public)
            report(f"in-process: protected-witness {fmt.upper()}, internal", internal)
            report(f"in-process: protected-witness {fmt.upper()}, public", public)
            print(f"{'  public / internal (medians)':<46} {public[0] / internal[0]:8.2f}")


if __name__ == "__main__":
    main()
