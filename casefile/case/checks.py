"""Checks across fields of a typed case, after the model's own (`parse.parse_case`).

`check_case` runs on a `Case`: ids, references (lists and `@id` mentions), dates and custody
order, the catalog, files and consent, the language of cover letters. Every check returns
problems; nothing here raises for bad input. The walk over the text fields of a case is here
too, shared by these checks and the views.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from casefile.case.catalog import Catalog, Provision
from casefile.case.details import check_details
from casefile.case.model import Allegation, Case, Victim, Witness
from casefile.case.values import DateRange, PartialDate, Text, TextKind
from casefile.core import typos
from casefile.core.errors import Loc, Problem, error, warning
from casefile.core.text import MENTION_RE


# ------------------------------------------------------------------------------------------
# text fields: one walk, shared by checks (mentions) and views (rendering)
# ------------------------------------------------------------------------------------------
def iter_text_fields(model: BaseModel, loc: Loc = (), *, variants: bool = True) -> Iterator[tuple[Loc, str, TextKind]]:
    """Every free-text value of a model tree with its key path and kind (block/inline). Text
    written in several languages gives each language's text, at its key (`title.uk`), unless
    `variants` is false: then the field's `Text` itself."""
    for name, kind, nested in _text_layout(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        here = (*loc, name)
        if kind is not None:
            if isinstance(value, Text) and variants:
                for lang, text in value.variants.items():
                    yield (*here, lang), text, kind
            elif isinstance(value, str):
                yield here, value, kind
        elif nested:
            if isinstance(value, BaseModel):
                yield from iter_text_fields(value, here, variants=variants)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, BaseModel):
                        yield from iter_text_fields(item, (*here, i), variants=variants)


@cache
def _text_layout(model: type[BaseModel]) -> tuple[tuple[str, TextKind | None, bool], ...]:
    """Per field of a model: its name, its text kind (None: not text) and whether it may hold
    models (a model or a list of them). Worked out once per model class: a case with 10,000
    evidence items walks its fields hundreds of thousands of times."""
    layout = []
    for name, field in model.model_fields.items():
        kind = next((m for m in field.metadata if isinstance(m, TextKind)), None) or _text_kind(field.annotation)
        layout.append((name, kind, kind is None and _may_hold_models(field.annotation)))
    return tuple(layout)


def _may_hold_models(tp: Any) -> bool:
    if isinstance(tp, type):
        return issubclass(tp, BaseModel)
    return any(_may_hold_models(arg) for arg in typing.get_args(tp))


@cache
def _text_kind_cached(tp: Any) -> TextKind | None:
    for candidate in _annotated_parts(tp):
        if isinstance(candidate, TextKind):
            return candidate
    return None


def _text_kind(tp: Any) -> TextKind | None:
    try:
        return _text_kind_cached(tp)
    except TypeError:  # unhashable annotation
        return None


def _annotated_parts(tp: Any) -> Iterator[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        args = typing.get_args(tp)
        yield from args[1:]
        yield from _annotated_parts(args[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            yield from _annotated_parts(arg)


def iter_strings(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string in a model tree (values and mapping keys' values), with its key path; each
    language's text of text written in several languages, at its language's key."""
    if isinstance(value, Text):
        for lang, text in value.variants.items():
            yield (*loc, lang), text
    elif isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from iter_strings(getattr(value, name), (*loc, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from iter_strings(item, (*loc, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_strings(item, (*loc, key))


def mentions(text: str) -> list[str]:
    return MENTION_RE.findall(text)


# ------------------------------------------------------------------------------------------
# checks across fields
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckOptions:
    """Settings of the checks, shared by the CLI and the API."""

    custody_gap_days: int = 90  # a longer gap between custody entries is a warning
    today: date | None = None  # dates after it are warnings (None: the day the check runs)


def check_case(case: Case, catalog: Catalog, base_dir: Path, options: CheckOptions = CheckOptions()) -> list[Problem]:
    problems: list[Problem] = []
    ids = _check_ids(case, problems)
    _check_mentions(case, ids, problems)
    _check_allegations(case, catalog, ids, problems)
    _check_evidence(case, base_dir, problems, options)
    _check_incident(case, problems)
    _check_dates(case, options.today or date.today(), problems)
    _check_filings(case, catalog, problems)
    _check_people(case, catalog, problems)
    problems += check_details(case, options.today or date.today())
    return problems


def _check_ids(case: Case, problems: list[Problem]) -> dict[str, str]:
    """All ids in the case -> kind ('victim', 'evidence', ...); duplicates are errors."""
    ids: dict[str, tuple[str, Loc]] = {}
    entries: list[tuple[str, str, Loc]] = []
    for i, v in enumerate(case.incident.victims):
        entries.append((v.id, "victim", ("incident", "victims", i, "id")))
    for i, p in enumerate(case.incident.perpetrators):
        entries.append((p.id, "perpetrator", ("incident", "perpetrators", i, "id")))
    for i, w in enumerate(case.incident.witnesses):
        entries.append((w.id, "witness", ("incident", "witnesses", i, "id")))
    for i, a in enumerate(case.allegations):
        entries.append((a.id, "allegation", ("allegations", i, "id")))
    for i, e in enumerate(case.evidence):
        entries.append((e.id, "evidence", ("evidence", i, "id")))
    for i, s in enumerate(case.sources):
        entries.append((s.id, "source", ("sources", i, "id")))
    for ident, kind, loc in entries:
        if ident in ids:
            first_kind, _ = ids[ident]
            problems.append(error(loc, f"duplicate id '{ident}' (already used by {_noun(first_kind)})",
                                  "every person, allegation, evidence item and source needs its own id"))
        else:
            ids[ident] = (kind, loc)
    return {k: v[0] for k, v in ids.items()}


def _noun(kind: str) -> str:
    return {"evidence": "an evidence item", "allegation": "an allegation",
            "evidence or source": "an evidence item or source"}.get(kind, f"a {kind}")


def _suggest_id(wrong: str, candidates: Iterable[str], what: str = "") -> str | None:
    """'did you mean' for a typo of one id (`e1`, `E01`); otherwise the ids there are, since
    another id is another person or item (`E3` is not a slip for `E2`)."""
    known = sorted(candidates, key=_natural)
    match = typos.typo_of(wrong, known, same_digits=True)
    if match:
        return f"did you mean '{match}'?"
    if not known:
        return None
    listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"the {what + ' ' if what else ''}ids in this case: {listed}"


def _natural(ident: str) -> tuple[str, int, str]:
    """E2 before E10."""
    found = re.match(r"([A-Za-z_-]*)(\d*)(.*)", ident)
    head, number, tail = found.groups() if found else (ident, "", "")
    return head, int(number) if number else -1, tail


def _ref(problems: list[Problem], loc: Loc, ident: str, ids: dict[str, str], allowed: tuple[str, ...],
         what: str) -> None:
    kind = ids.get(ident)
    if kind is None:
        options = [k for k, v in ids.items() if v in allowed]
        problems.append(error(loc, f"unknown {what} id '{ident}'", _suggest_id(ident, options, what)))
    elif kind not in allowed:
        problems.append(error(loc, f"'{ident}' is {_noun(kind)}, not {_noun(what)}"))


def _check_mentions(case: Case, ids: dict[str, str], problems: list[Problem]) -> None:
    for loc, text, kind in iter_text_fields(case):
        for ident in mentions(text) if kind.mentions else ():
            if ident not in ids:
                problems.append(error(loc, f"unknown reference '@{ident}'", _suggest_id(ident, ids)
                                      or "write @ followed by the id of a person, item or source"))


def _check_allegations(case: Case, catalog: Catalog, ids: dict[str, str], problems: list[Problem]) -> None:
    for i, allegation in enumerate(case.allegations):
        base = ("allegations", i)
        _check_provisions(allegation, base, catalog, case.incident.armed_conflict, problems)
        for j, pid in enumerate(allegation.perpetrators):
            _ref(problems, (*base, "perpetrators", j), pid, ids, ("perpetrator",), "perpetrator")
        for j, vid in enumerate(allegation.victims):
            _ref(problems, (*base, "victims", j), vid, ids, ("victim",), "victim")
        for j, eid in enumerate(allegation.evidence):
            _ref(problems, (*base, "evidence", j), eid, ids, ("evidence", "source"), "evidence or source")
        for element_id, support in allegation.elements.items():
            loc = (*base, "elements", element_id)
            _check_element(element_id, allegation, loc, catalog, problems)
            for j, eid in enumerate(support):
                _ref(problems, (*loc, j), eid, ids, ("evidence", "source"), "evidence or source")


def _check_provisions(allegation: Allegation, base: Loc, catalog: Catalog, conflict: str | None,
                      problems: list[Problem]) -> None:
    """The provisions an allegation cites: known, applicable to the conflict, and not a
    compound crime whose variants have the elements (a warning naming the variants)."""
    if not allegation.provisions:
        problems.append(warning((*base, "provisions"), "no provisions cited",
                                "cite catalog ids such as gc3:130 (see `casefile catalog`)"))
    for j, pid in enumerate(allegation.provisions):
        provision = catalog.provisions.get(pid)
        loc: Loc = (*base, "provisions", j)
        if provision is None:
            guess = catalog.suggest_provision(pid)
            problems.append(error(loc, f"unknown provision '{pid}'",
                                  f"did you mean '{guess}' ({catalog.provisions[guess].title})?" if guess
                                  else "see `casefile catalog provisions`"))
            continue
        if conflict is not None and not provision.applies_in(conflict):
            problems.append(warning(loc, f"{pid} applies to {', '.join(provision.applies_to)} armed "
                                    f"conflicts, but incident.armed_conflict is {conflict}"))
        if provision.compound and not any(v in allegation.provisions for v in provision.variants):
            variants = ", ".join(f"{v.id} ({v.title})" for v in catalog.variants_of(provision))
            problems.append(warning(loc, f"{pid} is a compound crime with no elements of its own: the "
                                    "Elements of Crimes give each of its variants their own",
                                    f"cite the variant that fits: {variants}"))
    if len(set(allegation.provisions)) != len(allegation.provisions):
        problems.append(warning((*base, "provisions"), "a provision is cited twice"))


def _check_element(element_id: str, allegation: Allegation, loc: Loc, catalog: Catalog,
                   problems: list[Problem]) -> None:
    """One key of an allegation's `elements`: an element of a provision the allegation cites."""
    element = catalog.elements.get(element_id)
    if element is None:
        pid, _, number = element_id.partition("/")
        provision = catalog.provisions.get(pid)
        if provision is not None and provision.compound:
            problems.append(error(loc, f"unknown element '{element_id}': {pid} is a compound crime with no "
                                  "elements of its own",
                                  "use an element of the variant that fits: "
                                  + _variant_elements(catalog, provision, number)))
            return
        if provision is not None and provision.elements:
            hint = f"{pid} has elements 1 to {len(provision.elements)}"
        elif provision is not None:
            hint = f"{pid} has no Elements of Crimes in the catalog"
        else:
            guess = catalog.suggest_element(element_id)
            hint = (f"did you mean '{guess}'?" if guess else
                    "elements are written <provision>/<number>, e.g. rome:8.2.a.i/1")
        problems.append(error(loc, f"unknown element '{element_id}'", hint))
    elif element.provision_id not in allegation.provisions:
        parent = catalog.provisions[element.provision_id].variant_of
        hint = (f"add {element.provision_id} to provisions: {parent} has no elements, its variant has"
                if parent in allegation.provisions else f"add {element.provision_id} to provisions")
        problems.append(error(loc, f"element of {element.provision_id}, which this allegation does not cite", hint))


def _variant_elements(catalog: Catalog, compound: Provision, number: str) -> str:
    """`rome:8.2.c.i-1/1 (Murder), ...`: the element of each variant with the number written
    after a compound's id, or each variant's range where it has no such element."""
    parts = []
    for variant in catalog.variants_of(compound):
        count = len(variant.elements)
        if number.isdigit() and 1 <= int(number) <= count:
            parts.append(f"{variant.id}/{int(number)} ({variant.title})")
        else:
            parts.append(f"{variant.id}/1 to /{count} ({variant.title})")
    return ", ".join(parts)


def _check_evidence(case: Case, base_dir: Path, problems: list[Problem], options: CheckOptions) -> None:
    if not case.evidence and case.status != "draft":
        problems.append(error(("evidence",), f"no evidence, but status is '{case.status}'",
                              "evidence may be empty only while status is draft"))
    root = base_dir.resolve()
    for i, item in enumerate(case.evidence):
        base = ("evidence", i)
        if item.file is not None:
            _check_file(item.file, root, (*base, "file"), problems)
        if item.file is None and item.sha256 is not None:
            pass  # a digest without a file: the receiver holds the file; nothing to check here
        entries = item.custody
        for j in range(1, len(entries)):
            if entries[j].at < entries[j - 1].at:
                problems.append(error((*base, "custody", j, "at"),
                                      f"custody entries must be oldest first; this one "
                                      f"({entries[j].at.isoformat()}) is before the one above it"))
            gap = entries[j].at - entries[j - 1].at
            if gap.days > options.custody_gap_days:
                problems.append(warning((*base, "custody", j, "at"),
                                        f"{gap.days} days since the previous custody entry "
                                        f"(more than {options.custody_gap_days}): is a step missing?"))
        for j, entry in enumerate(entries):
            if entry.action == "transferred" and not entry.to:
                problems.append(error((*base, "custody", j), "a 'transferred' entry must say 'to' whom"))
        if entries and entries[0].action != "collected":
            problems.append(warning((*base, "custody", 0, "action"),
                                    f"the first custody entry is '{entries[0].action}', not 'collected'"))
        if item.file is not None and not entries:
            problems.append(warning((*base, "custody"), "item has a file but no chain of custody"))


def _check_file(relative: str, root: Path, loc: Loc, problems: list[Problem]) -> None:
    from casefile.core.paths import refusal, resolve_inside

    refused = refusal(root, relative)
    if refused is not None:
        hints = {"is an absolute path": "write the path relative to the case file, inside its folder",
                 "is a URL, not a file": "put the URL under source.url",
                 "points outside the case folder": "evidence files must stay inside the folder of the case file"}
        problems.append(error(loc, f"'{relative}' {refused}", hints.get(refused)))
        return
    target = resolve_inside(root, relative)
    if target is None or not target.exists():
        problems.append(warning(loc, f"file '{relative}' not found"))
    elif not target.is_file():
        problems.append(error(loc, f"'{relative}' is not a regular file"))


def _check_incident(case: Case, problems: list[Problem]) -> None:
    incident = case.incident
    if incident.timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
        try:
            ZoneInfo(incident.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(error(("incident", "timezone"), f"'{incident.timezone}' is not an IANA time zone",
                                  "e.g. Europe/Kyiv"))
    location = incident.location
    if location and location.country and not _is_country(location.country):
        problems.append(error(("incident", "location", "country"),
                              f"'{location.country}' is not an ISO 3166-1 alpha-2 code"))
    prepared = case.prepared.date
    latest = incident.date.first_day if isinstance(incident.date, (PartialDate, DateRange)) else None
    if latest and latest > prepared.last_day:
        problems.append(warning(("incident", "date"), "the incident is dated after the dossier was prepared"))
    if not incident.victims:
        problems.append(warning(("incident", "victims"), "no victims recorded"))
    if incident.armed_conflict is None:
        problems.append(warning(("incident",), "incident.armed_conflict is not stated, so no cited provision can be "
                                "checked against the kind of conflict it applies in",
                                "armed_conflict: international, non-international or none"))


def _check_dates(case: Case, today: date, problems: list[Problem]) -> None:
    """A date after today is a slip (a year typed wrong, a planned date recorded as done)."""
    dated: list[tuple[Loc, PartialDate | DateRange | None]] = [
        (("prepared", "date"), case.prepared.date),
        (("incident", "date"), case.incident.date if isinstance(case.incident.date, (PartialDate, DateRange))
         else None)]
    dated += [(("filings", i, "date"), f.date) for i, f in enumerate(case.filings)]
    for loc, value in dated:
        if value is not None and value.first_day > today:
            problems.append(warning(loc, f"{value} is in the future (today is {today.isoformat()})"))


def _check_filings(case: Case, catalog: Catalog, problems: list[Problem]) -> None:
    persons = {p.id: p for _, p in case.persons()}
    evidence = {e.id: e for e in case.evidence}
    seen: set[str] = set()
    for i, filing in enumerate(case.filings):
        base = ("filings", i)
        body = catalog.bodies.get(filing.body)
        if body is None:
            guess = catalog.suggest_body(filing.body)
            problems.append(error((*base, "body"), f"unknown filing body '{filing.body}'",
                                  f"did you mean '{guess}'?" if guess else "see `casefile catalog bodies`"))
        else:
            if filing.language and filing.language not in body.languages:
                problems.append(warning((*base, "language"),
                                        f"{body.id} accepts {', '.join(body.languages)}, not '{filing.language}'"))
            _check_letter_language(filing.language, case.language, body,
                                   (*base, "language") if filing.language else base, problems)
            if body.judges_states and not filing.respondent:
                problems.append(error((*base, "respondent"), f"{body.id} judges States: name the respondent State",
                                      "e.g. respondent: RU"))
        if filing.body in seen:
            problems.append(warning((*base, "body"), f"a second filing to '{filing.body}'"))
        seen.add(filing.body)
        if filing.respondent and not _is_country(filing.respondent):
            problems.append(error((*base, "respondent"), f"'{filing.respondent}' is not an ISO 3166-1 alpha-2 code"))
        for j, pid in enumerate(filing.disclose):
            loc = (*base, "disclose", j)
            person = persons.get(pid)
            if person is None:
                problems.append(error(loc, f"unknown person '{pid}'", _suggest_id(pid, persons, "person")))
                continue
            if not person.protected:
                problems.append(warning(loc, f"{pid} is not protected; 'disclose' changes nothing"))
                continue
            consent = getattr(person, "consent", None)
            if consent is None or filing.body not in consent.share_with:
                problems.append(error(loc, f"{pid} has not consented to share their identity with "
                                      f"'{filing.body}'", f"add {filing.body} to consent.share_with of "
                                      f"{pid}, or remove {pid} from disclose"))
        for j, eid in enumerate(filing.include):
            loc = (*base, "include", j)
            item = evidence.get(eid)
            if item is None:
                problems.append(error(loc, f"unknown evidence id '{eid}'", _suggest_id(eid, evidence, "evidence")))
            elif not item.confidential:
                problems.append(warning(loc, f"{eid} is not confidential; 'include' changes nothing"))


def _check_letter_language(language: str | None, case_language: str, body: Any, loc: Loc,
                           problems: list[Problem]) -> None:
    """The packet's cover letter is written in the packet's language (`packet_language`):
    casefile must be able to write it (core.languages)."""
    from casefile.core import languages

    wanted = languages.packet_language(language, case_language, tuple(body.languages))
    if languages.written(wanted) is None:
        possible = [code for code in body.languages if languages.written(code)]
        problems.append(error(loc, f"casefile cannot write a cover letter in '{wanted}' "
                                   f"(it writes {', '.join(languages.CODES)})",
                              f"set language: to one that {body.id} accepts: {', '.join(possible)}" if possible
                              else f"{body.id} accepts none of them"))


def _check_people(case: Case, catalog: Catalog, problems: list[Problem]) -> None:
    groups: tuple[tuple[str, Sequence[Victim | Witness]], ...] = (
        ("victims", case.incident.victims), ("witnesses", case.incident.witnesses))
    for key, people in groups:
        for i, person in enumerate(people):
            consent = person.consent
            if consent is None:
                continue
            for j, bid in enumerate(consent.share_with):
                if bid not in catalog.bodies:
                    guess = catalog.suggest_body(bid)
                    problems.append(error(("incident", key, i, "consent", "share_with", j),
                                          f"unknown filing body '{bid}'",
                                          f"did you mean '{guess}'?" if guess else None))


# The two-letter territory codes Babel (CLDR) knows, written out: loading Babel's locale data
# to look them up costs ~25 ms of every `casefile validate`. tests/test_checks.py keeps this
# equal to Babel's list.
COUNTRY_CODES = frozenset("""
    AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CQ CR CU CV CW CX CY CZ DE
    DG DJ DK DM DO DZ EA EC EE EG EH ER ES ET EU EZ FI FJ FK FM FO FR GA GB GD GE GF GG GH GI
    GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL IM IN IO IQ IR IS IT JE JM
    JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG
    MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA QO RE RO RS RU RW SA SB SC SD SE SG SH SI SJ
    SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA
    UG UM UN US UY UZ VA VC VE VG VI VN VU WF WS XA XB XK YE YT ZA ZM ZW ZZ
""".split())  # noqa: SIM905  a block of codes is easier to compare with Babel's list than a list literal


def _is_country(code: str) -> bool:
    return code in COUNTRY_CODES
