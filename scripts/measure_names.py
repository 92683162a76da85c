#!/usr/bin/env python3
"""How well the protection matcher finds names: recall on the hand-made corpus, false matches
on text that names no one, for each source of declined forms.

    python3 scripts/measure_names.py

The corpus (tests/protection_corpus/) was written by hand, independently of both sources:
`rules` are the suffix rules of casefile/protection/declension.py, `dictionary` the paradigms
of the pymorphy3 analyser with its Ukrainian and Russian dictionaries, `both` their union
(what casefile uses). A form counts as found when the index built from the person's recorded
`name` (and aliases) reports that person in the form's text.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casefile.protection.names import Named, NameIndex  # noqa: E402

CORPUS = ROOT / "tests" / "protection_corpus"
MODES = {"rules": {"use_rules": True, "use_dictionary": False},
         "dictionary": {"use_rules": False, "use_dictionary": True},
         "both": {"use_rules": True, "use_dictionary": True}}
LISTS = ("ukrainian", "cyrillic", "russian", "latin", "aliases")


def load() -> tuple[list[dict], dict]:
    names = yaml.safe_load((CORPUS / "names.yaml").read_text(encoding="utf-8"))["names"]
    clean = yaml.safe_load((CORPUS / "clean.yaml").read_text(encoding="utf-8"))
    return names, clean


def person(entry: dict) -> Named:
    return Named(entry["id"], entry["name"], tuple(a["alias"] for a in entry.get("aliases", ())))


def forms_of(entry: dict) -> dict[str, list[str]]:
    out = {key: list(entry.get(key, ())) for key in LISTS if key != "aliases"}
    out["aliases"] = [f for a in entry.get("aliases", ()) for key in ("ukrainian", "russian", "latin")
                      for f in a.get(key, ())]
    return out


def measure(mode: str, names: list[dict], clean: dict) -> dict:
    started = time.perf_counter()
    index = NameIndex(tuple(person(e) for e in names), **MODES[mode])
    built = time.perf_counter() - started
    found = {key: [0, 0] for key in LISTS}
    missed: list[tuple[str, str, str]] = []
    short_alone = [0, 0]  # one word of a 2-3 letter part: not matched alone, by design
    for entry in names:
        short = "short" in (entry.get("types") or {}).get("flags", ())
        for key, forms in forms_of(entry).items():
            for form in forms:
                hit = entry["id"] in {h.person for h in index.find(form)}
                if short and len(form.split()) == 1 and key != "aliases":
                    short_alone[0 if hit else 1] += 1
                    continue
                found[key][1] += 1
                if hit:
                    found[key][0] += 1
                else:
                    missed.append((entry["id"], key, form))
    expected = {(c["name"], c["text"]) for c in clean.get("collisions", ())}
    sentences = [s for lang in ("uk", "en", "ru") for s in clean.get(lang, ())]
    false_hits = sorted({(h.person, s) for s in sentences for h in index.find(s)} - expected)
    collisions = sum(1 for name, text in expected if name in {h.person for h in index.find(text)})
    return {"found": found, "missed": missed, "short": short_alone, "false": false_hits,
            "collisions": (collisions, len(expected)),
            "sentences": len(sentences), "forms": len(index.every), "seconds": built}


def main() -> None:
    names, clean = load()
    results = {mode: measure(mode, names, clean) for mode in MODES}
    head = f"{'':<34}" + "".join(f"{mode:>14}" for mode in MODES)
    print(f"corpus: {len(names)} persons, tests/protection_corpus/")
    print(head)
    for key in LISTS:
        total = results["both"]["found"][key][1]
        if total:
            cells = "".join(f"{r['found'][key][0] / total:>13.1%} " for r in results.values())
            print(f"{'found: ' + key + f' forms ({total})':<34}{cells}")
    all_total = sum(v[1] for v in results["both"]["found"].values())
    print(f"{f'found: all forms ({all_total})':<34}" + "".join(
        f"{sum(v[0] for v in r['found'].values()) / all_total:>13.1%} " for r in results.values()))
    print(f"{'one-word forms of 2-3 letter parts':<34}" + "".join(
        f"{r['short'][0]:>6} found {r['short'][1]:>3} not" for r in results.values()) + "  (matched only beside "
        "another part or an initial, by design)")
    print(f"{'flagged known collisions':<34}" + "".join(
        f"{r['collisions'][0]:>8}/{r['collisions'][1]:<5}" for r in results.values()))
    print(f"{'false matches in clean text':<34}" + "".join(
        f"{len(r['false']):>14}" for r in results.values()) + f"   ({results['both']['sentences']} sentences)")
    print(f"{'distinct keys in the index':<34}" + "".join(f"{r['forms']:>14}" for r in results.values()))
    print(f"{'index build, seconds':<34}" + "".join(f"{r['seconds']:>14.2f}" for r in results.values()))
    if "-v" in sys.argv:
        for mode, r in results.items():
            print(f"\n{mode}: missed {len(r['missed'])}")
            for item in r["missed"][:400]:
                print("  ", *item)
            print(f"{mode}: false matches")
            for item in r["false"]:
                print("  ", *item)


if __name__ == "__main__":
    main()
