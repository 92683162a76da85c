"""Protection of persons: who an edition must not name, and finding their names anywhere.

- `policy`: which persons an edition (internal, public, a filing body's) hides;
- `normalize`, `declension`, `names`: how a name is written (scripts, romanisations,
  declined forms, look-alike and invisible characters) and the `NameIndex` that finds it;
- `scan`: the `Scanner` for text, HTML, PDF, files and archives, used before anything is
  written (dossiers, packets, registers, diffs) and by `casefile check-leaks`;
- `extract`: the text of evidence files of many formats, read in constant memory.
"""
