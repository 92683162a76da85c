"""Layer 1: the case file: YAML with positions, the typed model, checks, the JSON Schema, the legal
catalog, minimal edits."""
