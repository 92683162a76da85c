"""Layer 6: a repository of cases: project settings, incremental builds, git provenance, diffs, the register."""
