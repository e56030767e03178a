"""The selection list: archive series and their retention, as data.

SAMPLE, NOT THE OFFICIAL ROWS. Flemish local governments destroy records only under the selection
rules the selectiecommissie Gemeenten publishes in the Serieregister (Bestuursdecreet art. III.87,
III.89; overheid.vlaanderen.be/informatiemanagement/archiefdecreet; vlaanderen.be, selectiecommissie
Gemeenten). The official rows could not be read when this was written, so these series are a small,
clearly labelled sample in the Serieregister's shape (series, retention, final disposition, the date
the rule was published); replace them with the published rows (`docs/records.md`, "Archive").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shared.kernel import RuleViolation
from shared.vocabulary import BodyKind

__all__ = ["SELECTION_LIST", "SELECTION_SOURCE", "Series", "decision_series", "publication_series", "series"]

SELECTION_SOURCE = (
    "SAMPLE after the Serieregister of the selectiecommissie Gemeenten (Bestuursdecreet III.87); not the official rows"
)


@dataclass(frozen=True)
class Series:
    """One series: how long its records are kept, and whether they are then destroyed or kept for ever."""

    code: str
    name: str
    retention_years: int
    keep_permanently: bool
    rule_published_on: dt.date | None
    """When the selection rule was published in the Serieregister; None: no published rule
    (destruction needs the committee's permission)."""

    def destroy_from(self, dated: dt.date) -> dt.date | None:
        """The first day a record of this series dated `dated` may be destroyed; None when kept."""
        if self.keep_permanently:
            return None
        try:
            return dated.replace(year=dated.year + self.retention_years)
        except ValueError:  # 29 February
            return dated.replace(year=dated.year + self.retention_years, day=28)

    def rule_valid_on(self, day: dt.date, valid_years: int) -> bool:
        """A published rule is valid from its publication for at most `valid_years` (III.87)."""
        if self.rule_published_on is None:
            return False
        end = self.rule_published_on.replace(year=self.rule_published_on.year + valid_years)
        return self.rule_published_on <= day < end


_RULES = dt.date(2024, 3, 1)
_OLD_RULES = dt.date(2019, 1, 1)

SELECTION_LIST: dict[str, Series] = {
    s.code: s
    for s in (
        Series("decisions-council", "Besluiten van de gemeenteraad en de OCMW-raad", 0, True, _RULES),
        Series("decisions-executive", "Besluiten van het college en het vast bureau", 0, True, _RULES),
        Series("decisions-bcsd", "Beslissingen van het BCSD (individuele dossiers)", 10, False, _RULES),
        Series("minutes", "Notulen en zittingsverslagen", 0, True, _RULES),
        Series("decision-lists", "Besluitenlijsten (publicatie)", 0, True, _RULES),
        Series("regulations", "Reglementen en verordeningen (publicatie)", 0, True, _RULES),
        Series("agendas", "Agenda's van de zittingen (publicatie)", 0, True, _RULES),
        Series("publications", "Integraal gepubliceerde besluiten en uittreksels", 0, True, _RULES),
        Series("correspondence-in", "Ingekomen briefwisseling", 10, False, _RULES),
        Series("correspondence-out", "Uitgaande briefwisseling", 10, False, _RULES),
        Series("complaints", "Klachtendossiers", 5, False, _RULES),
        Series("access-requests", "Aanvragen openbaarheid van bestuur", 10, False, _RULES),
        Series("mail-logs", "Postregisters (oude selectieregel, verlopen)", 10, False, _OLD_RULES),
        Series("misc", "Overige stukken zonder gepubliceerde regel", 10, False, None),
    )
}


def series(code: str) -> Series:
    """A series of the list; `unknown_series` otherwise."""
    found = SELECTION_LIST.get(code)
    if found is None:
        raise RuleViolation("unknown_series", f"no series {code!r} in the selection list")
    return found


def decision_series(body: BodyKind) -> Series:
    """The series a body's decision is filed in."""
    if body is BodyKind.BCSD:
        return SELECTION_LIST["decisions-bcsd"]
    if body in (BodyKind.GEMEENTERAAD, BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN, BodyKind.DISTRICTSRAAD):
        return SELECTION_LIST["decisions-council"]
    return SELECTION_LIST["decisions-executive"]


_PUBLICATIONS = {
    "agenda": "agendas",
    "decision_list": "decision-lists",
    "regulation": "regulations",
    "minutes": "minutes",
    "full_text": "publications",
    "extract": "publications",
}


def publication_series(kind: str) -> Series:
    """The series a published document is filed in (meetings' kinds; another kind with the publications)."""
    return SELECTION_LIST[_PUBLICATIONS.get(kind, "publications")]
