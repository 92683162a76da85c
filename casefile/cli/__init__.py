"""The command line: translation only. Arguments go to `casefile.api`, exceptions come back
as messages and exit codes (0 ok, 1 invalid input or failed check, 2 wrong usage)."""

from __future__ import annotations

import os

from casefile.cli import case_commands, evidence_commands, filing_commands, repository_commands  # noqa: F401  (they add the commands to the group)
from casefile.cli.group import cli

__all__ = ["cli", "main"]


def main() -> None:
    # casefile uses no pydantic plugins; looking them up scans every installed package's entry
    # points (~10 ms of each start). Only the command line sets this: a program that imports
    # casefile as a library keeps its own plugins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    cli(prog_name="casefile")
