"""What each filing body requires of a submission, checked against a case.

A body's profile in the catalog lists what a submission must contain (`requires`); each
requirement has a check here. Bodies also have rules of their own (languages, jurisdiction,
time limits, what they do not act on); those are checked by body id. Every check returns a
`Requirement`: met, missing (the packet fails unless it is a draft) or warning, with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

from casefile.case.catalog import Body, Catalog
from casefile.case.localize import localize
from casefile.case.model import Action, Case, Filing
from casefile.case.values import DateRange, PartialDate
from casefile.core import languages
from casefile.core.errors import format_loc

Status = Literal["met", "missing", "warning"]
FIRST_HAND_KINDS = ("testimony", "statement", "forensic-report", "document")
MEDIA_KINDS = ("open-source-post", "video", "photo", "audio", "satellite-image", "other")


@dataclass(frozen=True)
class Requirement:
    key: str
    status: Status
    text: str

    def line(self) -> str:
        mark = {"met": "[x]", "missing": "[ ]", "warning": "[!]"}[self.status]
        return f"{mark} {self.status:<7} {self.key}: {self.text}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def _req(key: str, ok: bool, met: str, missing: str, soft: bool = False) -> Requirement:
    return Requirement(key, "met" if ok else ("warning" if soft else "missing"), met if ok else missing)


def remedies(case: Case, filing: Filing, body: Body) -> list[Action]:
    """The steps that count as domestic remedies for this filing: before a body that judges a
    State, only steps taken in the respondent State (`actions[].state`); else every step."""
    if body.judges_states:
        return [a for a in case.actions if filing.respondent and a.state == filing.respondent]
    return list(case.actions)


def _domestic_remedies(case: Case, filing: Filing, body: Body) -> Requirement:
    counted = remedies(case, filing, body)
    if counted:
        return Requirement("domestic_remedies", "met", f"{len(counted)} step(s) taken by authorities recorded"
                           + (f" in {filing.respondent}" if body.judges_states else ""))
    if body.judges_states and case.actions:
        others = len(case.actions)
        return Requirement("domestic_remedies", "warning",
                           f"no step taken in the respondent State {filing.respondent or '(not named)'} is recorded: "
                           f"the {others} recorded step(s) were taken elsewhere or do not say where "
                           "(actions[].state); remedies are those of the respondent State: record them, or explain "
                           "in the application why none was effective")
    return _req("domestic_remedies", False, "", "no steps taken by domestic authorities are recorded (actions)")


def _victim_persons(case: Case) -> int:
    return sum(v.count for v in case.incident.victims)


# each requirement of the vocabulary in bodies.yaml `requires`
CHECKS: dict[str, Callable[[Case, Filing, Body], Requirement]] = {
    "sender": lambda c, f, b: _req("sender", bool(c.prepared.by and c.prepared.contact),
                                   f"identified sender: {c.prepared.by} ({c.prepared.contact})",
                                   "the sender must be identified with a contact (prepared.by and prepared.contact)"),
    "victims": lambda c, f, b: _req("victims", bool(c.incident.victims),
                                    f"{_victim_persons(c)} victim(s) described",
                                    "no victims are recorded (incident.victims)"),
    "victim_identity": lambda c, f, b: _victim_identity(c, f),
    "date": lambda c, f, b: _req("date", True, f"incident date: {c.incident.date}", ""),
    "place": lambda c, f, b: _req("place", bool(c.incident.location and (c.incident.location.place
                                                                        or c.incident.location.region)),
                                  "place of the incident given",
                                  "the place is missing (incident.location.place or region)"),
    "circumstances": lambda c, f, b: _req("circumstances", len(c.incident.description.split()) >= 20,
                                          "circumstances described",
                                          "the description of the circumstances is very short (incident.description)",
                                          soft=True),
    "perpetrators": lambda c, f, b: _req("perpetrators", bool(c.incident.perpetrators),
                                         f"perpetrators described ({len(c.incident.perpetrators)} entries)",
                                         "no perpetrators are described (incident.perpetrators), even as unidentified"),
    "domestic_remedies": _domestic_remedies,
    "respondent": lambda c, f, b: _req("respondent", bool(f.respondent), f"respondent State: {f.respondent}",
                                       "the respondent State is missing (filings[].respondent)"),
    "legal_arguments": lambda c, f, b: _req("legal_arguments", all(a.analysis for a in c.allegations),
                                            "legal analysis given for every allegation",
                                            "an allegation has no analysis (allegations[].analysis)"),
    "evidence": lambda c, f, b: _req("evidence", bool(c.evidence), f"{len(c.evidence)} evidence item(s)",
                                     "no evidence is listed"),
    "consent": lambda c, f, b: _consent(c, f),
    "signature": lambda c, f, b: Requirement("signature", "warning",
                                             "a signed original is required: sign the printed packet"),
}


def _victim_identity(case: Case, filing: Filing) -> Requirement:
    """Each victim identified as a body identifies them: a name, a date of birth or an age and,
    for a prisoner of war, a rank, unit or service number (GC III art. 17)."""
    parts = []
    for v in case.incident.victims:
        if v.count > 1:
            continue  # a group entry: identified by a victim list, not here
        lacking = []
        if not v.name:
            lacking.append("no name recorded")
        elif v.protected and v.id not in filing.disclose:
            lacking.append("identity withheld from this body (no consent/disclose)")
            parts.append(f"{v.id}: {lacking[0]}")
            continue
        if v.born is None and v.age is None:
            lacking.append("no date of birth or age")
        if v.category == "prisoner-of-war" and not (v.rank or v.unit or v.service_number):
            lacking.append("no rank, unit or service number (a prisoner of war is identified by name, rank, "
                           "date of birth and service number: GC III art. 17)")
        if lacking:
            parts.append(f"{v.id}: {'; '.join(lacking)}")
    if parts:
        return Requirement("victim_identity", "warning", " · ".join(parts))
    return Requirement("victim_identity", "met", "every victim is identified (name, date of birth or age"
                       + (", rank, unit or service number" if any(v.category == "prisoner-of-war"
                                                                  for v in case.incident.victims) else "") + ")")


def _consent(case: Case, filing: Filing) -> Requirement:
    protected = [p for _, p in case.persons() if p.protected]
    if not protected:
        return Requirement("consent", "met", "no protected persons")
    disclosed = [p.id for p in protected if p.id in filing.disclose]
    return Requirement("consent", "met", f"{len(protected)} protected person(s); identity shared with consent: "
                                         f"{', '.join(disclosed) or 'none'}")


def check_body(case: Case, filing: Filing, body: Body, catalog: Catalog, *,
               today: date | None = None) -> list[Requirement]:
    """The checklist for one filing: the body's `requires`, then its own rules."""
    items = [CHECKS[key](case, filing, body) for key in body.requires if key in CHECKS]
    language = languages.packet_language(filing.language, case.language, body.languages)
    items.append(_req("language", language in body.languages, f"language {language} is accepted",
                      f"{body.short} accepts {', '.join(body.languages)}, not {language}"))
    items.append(_text_language(case, body, language))
    rule = BODY_RULES.get(body.id)
    if rule:
        items += rule(case, filing, body, catalog, today or case.prepared.date.last_day)
    return items


def _text_language(case: Case, body: Body, language: str) -> Requirement:
    """Whether the case text is written in the packet's language; text only in another language
    goes in that one, which is acceptable only when the body reads it too."""
    missing = localize(case, language).missing
    if not missing:
        return Requirement("text_language", "met", f"the case text is written in {language}")
    # free text the body cannot read stops the packet; a place or an organisation's name only warns
    unread = [m for m in missing if not m.phrase and m.written_in not in body.languages]
    shown = unread or missing
    fields = ", ".join(format_loc(m.loc) for m in shown[:6]) + (", …" if len(shown) > 6 else "")
    written = sorted({m.written_in for m in shown})
    if unread:
        return Requirement("text_language", "missing",
                           f"{len(unread)} text field(s) are not written in {language} but only in "
                           f"{', '.join(written)}, which {body.short} does not accept: {fields}; write them as "
                           f"{{{written[0]}: …, {language}: …}}")
    also = all(code in body.languages for code in written)
    return Requirement("text_language", "warning",
                       f"{len(missing)} text field(s) are not written in {language}; they go in "
                       f"{', '.join(written)}{f', which {body.short} also accepts' if also else ''}: {fields}")


def _media_only(case: Case) -> bool:
    first_hand = [e for e in case.evidence if e.kind in FIRST_HAND_KINDS]
    return not first_hand


def _un_sr(case: Case, filing: Filing, body: Body, catalog: Catalog, today: date) -> list[Requirement]:
    items = []
    if _media_only(case):
        items.append(Requirement("sources", "warning",
                                 "every source is press or online reporting; the Special Rapporteur does not act on "
                                 "information based only on media reports: add first-hand testimony, statements "
                                 "or documents"))
    else:
        items.append(Requirement("sources", "met", "first-hand evidence is included, not only media reports"))
    items.append(Requirement("one_victim_per_form", "warning" if len(case.incident.victims) > 1 else "met",
                             "the online form takes one victim per submission: file one per victim"
                             if len(case.incident.victims) > 1 else "one victim entry"))
    return items


def _ecthr(case: Case, filing: Filing, body: Body, catalog: Catalog, today: date) -> list[Requirement]:
    items = []
    end = body.jurisdiction_end.get(filing.respondent or "")
    incident_start = case.incident.date.first_day if isinstance(case.incident.date, (PartialDate, DateRange)) else None
    if end and incident_start:
        limit = date.fromisoformat(end)
        items.append(_req("jurisdiction", incident_start <= limit,
                          f"the facts ({case.incident.date}) fall before {filing.respondent} ceased to be a "
                          f"party ({end})",
                          f"the Court examines applications against {filing.respondent} only for facts up to {end}; "
                          f"the incident is dated {case.incident.date}"))
    steps = remedies(case, filing, body)
    if body.time_limit_months and steps:
        last = max(a.date.last_day for a in steps)
        months = (today.year - last.year) * 12 + today.month - last.month - (today.day < last.day)
        items.append(_req("time_limit", months < body.time_limit_months,
                          f"within {body.time_limit_months} months of the last domestic step ({last.isoformat()})",
                          f"more than {body.time_limit_months} months since the last domestic step "
                          f"({last.isoformat()}), counted to {today.isoformat()}"))
    elif body.time_limit_months:
        items.append(Requirement("time_limit", "warning",
                                 f"no domestic step in {filing.respondent or 'the respondent State'} recorded: the "
                                 f"{body.time_limit_months}-month limit runs from the final domestic decision (or "
                                 "from the facts when there is no effective remedy)"))
    items.append(Requirement("form", "warning", "the application must be made on the Court's official form; "
                                                "this packet supports it, with an annex of at most 20 pages"))
    return items


def _icrc(case: Case, filing: Filing, body: Body, catalog: Catalog, today: date) -> list[Requirement]:
    return [Requirement("kind", "met", "humanitarian notification: the letter asks for no legal action or "
                                       "publication and cites no provisions")]


def _icc(case: Case, filing: Filing, body: Body, catalog: Catalog, today: date) -> list[Requirement]:
    rome = [p for a in case.allegations for p in a.provisions if p.startswith("rome:8")]
    return [_req("crimes", bool(rome), "Rome Statute crimes cited: " + ", ".join(dict.fromkeys(rome)),
                 "no Rome Statute article 8 crime is cited", soft=True)]


def _ua_pgo(case: Case, filing: Filing, body: Body, catalog: Catalog, today: date) -> list[Requirement]:
    cited = any("ua-cc:438" in a.provisions for a in case.allegations)
    return [_req("qualification", cited, "article 438 of the Criminal Code of Ukraine cited",
                 "cite ua-cc:438 (violation of the laws and customs of war)", soft=True)]


def _ciced(case: Case, filing: Filing, body: Body, catalog: Catalog, today: date) -> list[Requirement]:
    return [Requirement("submitter", "warning", "CICED accepts evidence only from competent national authorities: "
                                                "route this packet through one")]


BODY_RULES: dict[str, Callable[[Case, Filing, Body, Catalog, date], list[Requirement]]] = {
    "un-sr-executions": _un_sr,
    "ecthr": _ecthr,
    "icrc": _icrc,
    "icc-otp": _icc,
    "ua-pgo": _ua_pgo,
    "eurojust-ciced": _ciced,
}
