"""A body's edition of the dossier: the parts of the case it carries (`carries:` in the body's
catalog entry, `catalog.EDITION_PARTS`). The ICRC's edition, for one, carries the persons
concerned, the incident and the evidence, and no allegation, proof chart, provision, alleged
perpetrator or proceedings.

Lists of the case a body does not receive are emptied here, before any section is built, so
nothing else (the table of contents, Annex A's cited provisions, cross-references) can reach
them; a mention of something left out prints its id, unlinked (`Mentions`).
"""

from __future__ import annotations

from casefile.case.catalog import EDITION_PARTS
from casefile.case.model import Case

PERSON_PARTS = ("victims", "perpetrators", "witnesses")


def left_out(carries: tuple[str, ...] | None) -> frozenset[str]:
    """The parts an edition that carries `carries` leaves out (None: it carries them all)."""
    return frozenset() if carries is None else frozenset(EDITION_PARTS) - set(carries)


def without(case: Case, omitted: frozenset[str]) -> tuple[Case, frozenset[str]]:
    """The case as the edition carries it, and the ids of what it leaves out. Persons stay in
    the case (every edition's `People` labels them); their section leaves them out."""
    if not omitted:
        return case, frozenset()
    ids = {p.id for part in PERSON_PARTS if part in omitted for p in getattr(case.incident, part)}
    update: dict[str, list[object]] = {}
    for part in ("allegations", "evidence", "sources", "actions"):
        if part in omitted:
            ids |= {getattr(item, "id", "") for item in getattr(case, part)} - {""}
            update[part] = []
    return (case.model_copy(update=update) if update else case), frozenset(ids)
