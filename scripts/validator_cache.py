#!/usr/bin/env python3
"""Write casefile/case/validator.pickle: the case format's built validator, shipped so that
`casefile validate` does not build it at every start (casefile/case/schema_cache.py).

    python3 scripts/validator_cache.py           # after any change to the case format's models
    python3 scripts/validator_cache.py --check   # exit 1 when the shipped one is not this code's
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casefile.case import schema_cache
from casefile.case.model import Case
from casefile.repository.project import BuildSettings, Organisation, ProjectConfig


def main() -> int:
    if "--check" in sys.argv[1:]:
        try:
            stored, _ = pickle.loads(schema_cache.CACHE.read_bytes())
        except OSError:
            stored = None
        if stored != schema_cache.key():
            print(f"{schema_cache.CACHE} is not built from this code: run python3 scripts/validator_cache.py")
            return 1
        print(f"{schema_cache.CACHE} is current")
        return 0
    schema_cache.write([Case, ProjectConfig, BuildSettings, Organisation])
    print(f"wrote {schema_cache.CACHE} ({schema_cache.CACHE.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
