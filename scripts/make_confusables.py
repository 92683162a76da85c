"""Regenerate casefile/protection/data/confusables.tsv from Unicode's confusables.txt (UTS #39).

    python3 scripts/make_confusables.py PATH/TO/confusables.txt

Keeps the characters whose prototype (skeleton target), without accents, is one or two ASCII
letters: the look-alikes a name can be spelled with ("Оlena" with a Cyrillic О, "Kοval" with
a Greek ο, "ⅼ" for l). Digits map too ('0' -> 'O'); the name matcher uses those only inside
words that mix letters and digits. Unicode data: © Unicode, Inc., Unicode License v3
(https://www.unicode.org/license.txt); the version is recorded in the file's header.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "casefile" / "protection" / "data" / "confusables.tsv"


def main(source: str) -> None:
    lines = Path(source).read_text(encoding="utf-8-sig").splitlines()
    version = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("# Version:")), "?")
    pairs: dict[str, str] = {}
    for line in lines:
        match = re.match(r"^([0-9A-F]+)\s*;\s*([0-9A-F ]+?)\s*;\s*MA", line)
        if not match:
            continue
        src = chr(int(match.group(1), 16))
        target = "".join(chr(int(cp, 16)) for cp in match.group(2).split())
        plain = "".join(c for c in unicodedata.normalize("NFD", target) if not unicodedata.combining(c))
        if not re.fullmatch(r"[A-Za-z]{1,2}", plain) or (src.isascii() and src.isalpha()):
            continue
        pairs[src] = plain
    rows = [f"{ord(src):04X}\t{target}" for src, target in sorted(pairs.items())]
    header = (f"# Unicode confusables (UTS #39) version {version}, reduced by scripts/make_confusables.py:\n"
              "# code point (hex) TAB its prototype as ASCII letters. Unicode License v3.\n")
    OUT.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(rows)} characters")


if __name__ == "__main__":
    main(sys.argv[1])
