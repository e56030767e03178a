"""How many sit in each body, by the municipality's population (DOMAIN §2).

The council's size follows the population [S]; the number of schepenen too, by the decree's table
(DLB art. 42 §1), which the reference marks [K], so it is a policy with the decree's values as its
default; the BCSD's members (the chair not counted) follow the size of the council [S]. Districts
exist only in a municipality above 100,000 inhabitants.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "COUNCIL_SIZES",
    "DISTRICT_THRESHOLD",
    "SCHEPENEN",
    "Composition",
    "CompositionPolicy",
    "bcsd_members",
    "council_size",
]

#: (from this many inhabitants, council members), mayor and schepenen included; the RMW has the
#: same members. DLB art. 5 §1 (sizes confirmed in DOMAIN §2 [S]).
COUNCIL_SIZES: tuple[tuple[int, int], ...] = (
    (0, 7),
    (1_000, 9),
    (2_000, 11),
    (3_000, 13),
    (4_000, 15),
    (5_000, 17),
    (7_000, 19),
    (9_000, 21),
    (12_000, 23),
    (15_000, 25),
    (20_000, 27),
    (25_000, 29),
    (30_000, 31),
    (35_000, 33),
    (40_000, 35),
    (50_000, 37),
    (60_000, 39),
    (70_000, 41),
    (80_000, 43),
    (90_000, 45),
    (100_000, 47),
    (150_000, 49),
    (200_000, 51),
    (250_000, 53),
    (300_000, 55),
)

#: (from this many inhabitants, schepenen besides the burgemeester): DLB art. 42 §1. Since 2019 one
#: fewer than the Gemeentedecreet (art. 44) gave in each band, the OCMW chair no longer being added
#: (VVSG, "Vanaf 2019 fors minder lokale mandatarissen"); at least 2 (vlaanderen.be, college
#: van burgemeester en schepenen, installatie) and at most 9. The bands follow the Nieuwe
#: Gemeentewet art. 16 the Gemeentedecreet took over. [K]: the article was not read itself.
SCHEPENEN: tuple[tuple[int, int], ...] = (
    (0, 2),
    (1_000, 2),
    (5_000, 3),
    (10_000, 4),
    (20_000, 5),
    (30_000, 6),
    (50_000, 7),
    (100_000, 8),
    (200_000, 9),
)

#: Districts exist only in a municipality above this many inhabitants (Grondwet art. 41; DOMAIN §2).
DISTRICT_THRESHOLD = 100_000


def _band(table: Sequence[tuple[int, int]], population: int) -> int:
    if population < 0:
        raise ValueError(f"a population is not negative: {population}")
    return table[bisect_right([lower for lower, _ in table], population) - 1][1]


def council_size(population: int) -> int:
    """Members of the council (and of the RMW) for a municipality of `population` inhabitants."""
    return _band(COUNCIL_SIZES, population)


def bcsd_members(council: int) -> int:
    """Members of the BCSD, the chair not counted, for a council (RMW) of `council` members [S]."""
    if council <= 23:
        return 6
    if council <= 47:
        return 8
    if council <= 51:
        return 10
    return 12


@dataclass(frozen=True)
class Composition:
    """The seats of each body of one municipality."""

    council: int
    schepenen: int
    bcsd: int
    """BCSD members, the chair not counted."""
    districts_allowed: bool

    @property
    def college(self) -> int:
        """The burgemeester and the schepenen (the vast bureau: the same persons)."""
        return 1 + self.schepenen


@dataclass(frozen=True, kw_only=True)
class CompositionPolicy:
    """The tables that set the size of each body; the schepenen's is [K], so it can be set."""

    schepenen_table: tuple[tuple[int, int], ...] = SCHEPENEN
    """(from this many inhabitants, schepenen); the decree's table (DLB art. 42 §1) by default."""

    def schepenen(self, population: int) -> int:
        return _band(self.schepenen_table, population)

    def of(self, population: int) -> Composition:
        council = council_size(population)
        return Composition(
            council=council,
            schepenen=self.schepenen(population),
            bcsd=bcsd_members(council),
            districts_allowed=population > DISTRICT_THRESHOLD,
        )
