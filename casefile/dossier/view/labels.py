"""Label tables: the words a dossier prints for the case format's enumerated values (status,
kind, harm, custody action...), the classification, the kind of armed conflict, the conditions
a provision applies in, and the edition's own name; `shorten` cuts the title for the running head.

The tables hold English marked with N_ (casefile/core/i18n.py); translate at use:
tr.gettext(TABLE[key]).
"""

from __future__ import annotations

from casefile.core.i18n import N_, Translator

CLASSIFICATION_LABELS: dict[str, str] = {
    "public": N_("PUBLIC"),
    "restricted": N_("RESTRICTED"),
    "confidential": N_("CONFIDENTIAL"),
    "strictly-confidential": N_("STRICTLY CONFIDENTIAL"),
}
CONFLICT_LABELS: dict[str | None, str] = {
    "international": N_("International armed conflict"),
    "non-international": N_("Non-international armed conflict"),
    "none": N_("No armed conflict"),
    None: N_("Not stated"),
}
APPLIES_LABELS: dict[str, str] = {
    "international": N_("International armed conflict"),
    "non-international": N_("Non-international armed conflict"),
    "any": N_("At all times (peace and armed conflict)"),
}
# every enumerated value of the case format that the dossier prints (model.py Literals)
VALUE_LABELS: dict[str, str] = {
    # case status
    "draft": N_("Draft"), "review": N_("Review"), "final": N_("Final"), "submitted": N_("Submitted"),
    "closed": N_("Closed"),
    # filing status
    "planned": N_("Planned"), "acknowledged": N_("Acknowledged"),
    # sex
    "female": N_("Female"), "male": N_("Male"),
    # victim category
    "prisoner-of-war": N_("Prisoner of war"), "hors-de-combat": N_("Hors de combat"), "civilian": N_("Civilian"),
    "detainee": N_("Detainee"), "medical-personnel": N_("Medical personnel"), "other": N_("Other"),
    # harm
    "killed": N_("Killed"), "injured": N_("Injured"), "tortured": N_("Tortured"), "disappeared": N_("Disappeared"),
    "detained": N_("Detained"),
    # evidence kind
    "video": N_("Video"), "photo": N_("Photo"), "audio": N_("Audio"), "document": N_("Document"),
    "testimony": N_("Testimony"), "open-source-post": N_("Open-source post"),
    "forensic-report": N_("Forensic report"), "satellite-image": N_("Satellite image"),
    "statement": N_("Statement"),
    # verification status
    "unverified": N_("Unverified"), "partially-verified": N_("Partially verified"), "verified": N_("Verified"),
    "disputed": N_("Disputed"),
    # custody action
    "collected": N_("Collected"), "copied": N_("Copied"), "transferred": N_("Transferred"),
    "analysed": N_("Analysed"), "sealed": N_("Sealed"), "returned": N_("Returned"),
}


def _label(key: str | None, tr: Translator | None = None) -> str:
    """'partially-verified' -> 'Partially verified' (translated with `tr` when given)."""
    if not key:
        return ""
    if key in VALUE_LABELS:
        return tr.gettext(VALUE_LABELS[key]) if tr else VALUE_LABELS[key]
    words = key.replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def edition_label(edition: str, tr: Translator) -> str:
    """'internal' -> 'Internal edition', 'for ICC OTP' -> 'Edition for ICC OTP' (translated)."""
    if edition == "internal":
        return tr.gettext("Internal edition")
    if edition == "public":
        return tr.gettext("Public edition")
    if edition.startswith("for "):
        return tr.gettext("Edition for %(body)s") % {"body": edition[4:]}
    return tr.gettext("Edition: %(name)s") % {"name": edition}


# characters of the title in the running head of every page (and the HTML edition's bar): one
# line; the cover and the metadata carry it whole
RUNNING_TITLE = 90


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.-\N{EN DASH}\N{EM DASH}") + "…"
