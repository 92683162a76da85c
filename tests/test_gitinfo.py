"""The revision history a dossier prints (Annex D) follows the case file across renames."""

from __future__ import annotations

import subprocess

from casefile.repository.gitinfo import history, provenance


def git(folder, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=t@example.org", *args], cwd=folder,
                          check=True, capture_output=True, text=True).stdout


def test_history_follows_the_file_across_a_rename(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "old.yaml").write_text("id: X\ntitle: first\n" + "line\n" * 40)
    (tmp_path / "other.txt").write_text("unrelated\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    (tmp_path / "other.txt").write_text("unrelated, changed\n")
    git(tmp_path, "commit", "-qam", "not the case")
    git(tmp_path, "mv", "old.yaml", "case.yaml")
    git(tmp_path, "commit", "-qm", "renamed")
    (tmp_path / "case.yaml").write_text("id: X\ntitle: second\n" + "line\n" * 40)
    git(tmp_path, "commit", "-qam", "edited")
    subjects = [c.subject for c in history(tmp_path / "case.yaml")]
    assert subjects == ["edited", "renamed", "first"]
    made = provenance(tmp_path / "case.yaml")
    assert made.in_git and not made.dirty and [c.subject for c in made.history] == subjects
