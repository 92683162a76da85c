#!/usr/bin/env python3
"""Benchmark `casefile serve`: the time from saving the case file to the new text shown in the
page, in the system's headless Chromium (tools/serve-check.js). Not a test; quote its numbers.

    python3 scripts/bench_serve.py            # five saves of the protected-witness example
    python3 scripts/bench_serve.py --saves 10
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casefile import api  # noqa: E402
from casefile.repository.preview import Preview, make_server, url_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        shutil.copytree(ROOT / "cases" / "protected-witness", folder)
        case = folder / "case.yaml"
        preview = Preview(case, ("internal",), api.validate, api.preview_html)
        preview.first()
        server = make_server(preview, "127.0.0.1", 0)
        stop = threading.Event()
        threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        times = []
        for n in range(args.saves):
            good = case.read_text(encoding="utf-8")
            broken = Path(tmp) / "broken.yaml"
            broken.write_text(good.replace("harm: killed", "harm: shot", 1), encoding="utf-8")
            run = subprocess.run(["node", str(ROOT / "tools" / "serve-check.js"), url_of(server), str(case),
                                  f"Title {n}", str(broken)], capture_output=True, text=True, check=True)
            report = json.loads(run.stdout)
            times.append(report["reload_ms"])
            case.write_text(good.replace(report["first_title"], f"Title {n}"), encoding="utf-8")
            time.sleep(1)  # the next round starts from a valid, rendered file
        stop.set()
        server.shutdown()
    print("| measurement | value |")
    print("| --- | ---: |")
    print(f"| serve: save to reloaded page, {args.saves} saves (ms) | {', '.join(map(str, times))} |")
    print(f"| serve: median | {statistics.median(times):.0f} ms |")


if __name__ == "__main__":
    main()
