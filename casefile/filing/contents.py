"""What goes into a packet: the evidence files a body may receive, and why the others stay out.

A file goes in when it is not confidential (or in the filing's `include`), shows no person
hidden from the body (`depicts`), and its content, as far as casefile can read it
(`protection.extract`: text in any encoding, documents, archives, e-mails, image and media
metadata), names no one hidden from the body; a file casefile cannot read reliably, or that
seems to name someone, goes in only when the case says a person reviewed it for this body
(`reviewed_for`). Each file is read once per run, for every packet of `packet --all`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from casefile.case.model import Case, Evidence, Person
from casefile.core.errors import CheckFailed
from casefile.core.paths import resolve_inside
from casefile.evidence import exhibits, integrity
from casefile.protection import policy
from casefile.protection.extract import Unreadable
from casefile.protection.names import Named, cached
from casefile.protection.policy import Disclosure
from casefile.protection.scan import Scanner


@dataclass
class Exhibit:
    id: str
    title: str
    kind: str
    source: Path
    name: str  # path inside the packet: exhibits/<file name>
    sha256: str
    pdf: bool
    image: exhibits.ExhibitImage | None
    reviewed: bool = False  # included on the strength of a person's reading (reviewed_for)


def choose_exhibits(case: Case, root: Path, disclosure: Disclosure, body_id: str) -> tuple[list[Exhibit], list[str]]:
    """The evidence files this body may receive, and why each other file is left out
    ("E3: confidential, not in this filing's include")."""
    hidden = {p.id for p in policy.hidden(case, disclosure)}
    withheld = {e.id for e in case.evidence if disclosure.withholds(e)}
    images = exhibits.prepare(case, root, strip_metadata=True, withheld=withheld)
    file_names = Scanner(policy.index(case, disclosure)) if hidden else None
    chosen: list[Exhibit] = []
    left_out: list[str] = []
    used_names: set[str] = set()
    for item in case.evidence:
        if not item.file:
            continue
        source = resolve_inside(root, item.file)
        reason = _left_out_because(case, item, source, disclosure, body_id, hidden, item.id in withheld)
        if reason is not None or source is None:
            left_out.append(f"{item.id}: {reason}")
            continue
        name = _packet_name(item, item.file, file_names, used_names)
        with open(source, "rb") as fh:
            is_pdf = fh.read(5) == b"%PDF-"
        chosen.append(Exhibit(item.id, item.title, item.kind, source, f"exhibits/{name}",
                              item.sha256 or "", is_pdf, images.get(item.id), body_id in item.reviewed_for))
    return chosen, left_out


def _left_out_because(case: Case, item: Evidence, source: Path | None, disclosure: Disclosure, body_id: str,
                      hidden: set[str], withheld: bool) -> str | None:
    """Why the file of `item` stays out of this body's packet; None when it goes in."""
    if withheld:
        return "confidential, not in this filing's include"
    depicted = policy.depicted_hidden(case, item, disclosure)
    if depicted:
        return f"it shows {', '.join(pid for pid, _ in depicted)}, whom this body may not know"
    if source is None or not source.is_file():
        return "file not found"
    if not hidden or body_id in item.reviewed_for:
        return None
    named, unreadable = _findings(source, policy.protected(case))
    if named & hidden:
        return (f"its content names {', '.join(sorted(named & hidden))}, "
                "whom this body may not know (reviewed_for overrides this after a reading)")
    if unreadable:
        return (f"casefile cannot read all of it ({unreadable[0].where}: {unreadable[0].reason}); "
                f"add {body_id} to its reviewed_for once a person has read it")
    return None


def _packet_name(item: Evidence, file: str, file_names: Scanner | None, used: set[str]) -> str:
    """The file's name in the packet: as written in the case (never a symlink target's),
    prefixed with the item's id; a name that names someone hidden from the body becomes the
    item's id."""
    written = PurePosixPath(file.replace("\\", "/")).name
    if file_names is not None and file_names.text(written, "file name"):
        suffix = PurePosixPath(written).suffix
        written = item.id + (suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix) else "")
    base = written if written.startswith(item.id) else f"{item.id}-{written}"
    while base in used:
        base = f"{item.id}-{base}"
    used.add(base)
    return base


def _findings(source: Path, protected: list[Person]) -> tuple[frozenset[str], tuple[Unreadable, ...]]:
    """(ids of the protected persons the file names, the parts casefile cannot read): read once
    per file for every packet of a run (`packet --all`), not once per body."""
    stat = source.stat()
    return _read_exhibit(str(source), stat.st_size, stat.st_mtime_ns, stat.st_ino,
                         tuple(policy.named(p) for p in protected))


@lru_cache(maxsize=256)
def _read_exhibit(path: str, size: int, mtime_ns: int, inode: int,
                  persons: tuple[Named, ...]) -> tuple[frozenset[str], tuple[Unreadable, ...]]:
    # in memory for this process only: a file's content changed since is caught by the digest
    # check of the copy; nothing here is stored where a received folder could forge it
    leaks, unreadable = Scanner(cached(persons)).file(Path(path))
    return frozenset(leak.person for leak in leaks), tuple(unreadable)


def copy_checked(exhibit: Exhibit, target: Path) -> None:
    """Copy in chunks and check the copy's digest against the recorded one."""
    digest = hashlib.sha256()
    with open(exhibit.source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(integrity.CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    if exhibit.sha256 and digest.hexdigest() != exhibit.sha256:
        raise CheckFailed(f"{exhibit.id}: the copy of {exhibit.source.name} does not match its recorded digest")
