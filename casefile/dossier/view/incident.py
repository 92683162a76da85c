"""Builds section "Incident": when and where it happened (exact coordinates only in editions
that are not public), the kind of armed conflict, and the description.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from casefile.dossier.view.context import Context
from casefile.dossier.view.labels import CONFLICT_LABELS


@dataclass(frozen=True)
class IncidentView:
    date_label: str | None
    time_label: str | None
    place: str | None
    region: str | None
    country: str | None
    coordinates_label: str | None
    conflict_label: str
    description_html: Markup | None


def build_incident(ctx: Context) -> IncidentView:
    incident, fmt = ctx.case.incident, ctx.fmt
    location = incident.location
    coordinates_label = None
    if location and location.coordinates and not ctx.disclosure.public:
        c = location.coordinates
        coordinates_label = f"{c.lat:.4f}, {c.lon:.4f}"
        if c.precision_m is not None:
            coordinates_label += f" (± {c.precision_m:g} m)"
    time_label = None
    if incident.time:
        time_label = incident.time + (f" ({incident.timezone})" if incident.timezone else "")
    return IncidentView(
        date_label=fmt.date(incident.date), time_label=time_label,
        place=location.place if location else None, region=location.region if location else None,
        country=fmt.country(location.country) if location else None,
        coordinates_label=coordinates_label, conflict_label=ctx.tr.gettext(CONFLICT_LABELS[incident.armed_conflict]),
        description_html=ctx.mentions.block(incident.description),
    )
