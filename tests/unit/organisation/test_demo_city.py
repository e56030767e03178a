"""The demo municipality is a city of 120,000 with the bodies the decree gives such a city."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cli.decisions import votes_for
from services.organisation.adapters.demo import DEMO, check_composition, demo_mandates
from services.organisation.domain.composition import CompositionPolicy, bcsd_members, council_size
from shared.vocabulary import BodyKind, MandateRole, VoteChoice

LAW = CompositionPolicy()


@pytest.fixture
def demo() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEMO.read_text())
    return data


@given(st.integers(0, 700_000), st.integers(0, 700_000))
def test_bodies_grow_with_the_population_within_the_decrees_bounds(a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert council_size(low) <= council_size(high)
    assert LAW.schepenen(low) <= LAW.schepenen(high)
    assert 7 <= council_size(low) <= 55
    assert council_size(low) % 2 == 1, "a council has an odd number of members"
    assert 2 <= LAW.schepenen(low) <= 9
    assert bcsd_members(council_size(low)) in {6, 8, 10, 12}


@pytest.mark.parametrize(
    ("population", "council", "schepenen", "bcsd"),
    [
        (88, 7, 2, 6),
        (12_500, 23, 4, 6),
        (16_000, 25, 4, 8),
        (99_999, 45, 7, 8),
        (120_000, 47, 8, 8),
        (150_000, 49, 8, 10),
        (260_000, 53, 9, 12),
        (530_000, 55, 9, 12),
    ],
)
def test_the_tables_of_domain_section_two(population: int, council: int, schepenen: int, bcsd: int) -> None:
    law = LAW.of(population)
    assert (law.council, law.schepenen, law.bcsd) == (council, schepenen, bcsd)
    assert law.college == schepenen + 1
    assert law.districts_allowed is (population > 100_000)


def test_the_demo_city_has_the_seats_the_decree_gives_its_population(demo: dict[str, Any]) -> None:
    assert demo["municipality"]["population"] == 120_000
    seats = {b["code"]: b["seats"] for b in demo["bodies"]}
    assert seats == {
        "gemeenteraad": 47,
        "raad_maatschappelijk_welzijn": 47,
        "college": 9,
        "vast_bureau": 9,
        "bcsd": 9,
        "managementteam": 6,
    }, "council 47, the burgemeester and 8 schepenen, the BCSD chair and 8 members; the management team"
    assert check_composition(demo) == []
    assert len(demo["districts"]) == 3, "a city of this size may have districts"


def test_every_seat_is_seeded_for_both_entities(demo: dict[str, Any]) -> None:
    mandates = demo_mandates(demo)
    voting = Counter(m.body for m in mandates if m.voting)
    assert voting == {
        BodyKind.GEMEENTERAAD: 47,
        BodyKind.RAAD_MAATSCHAPPELIJK_WELZIJN: 47,
        BodyKind.COLLEGE: 9,
        BodyKind.VAST_BUREAU: 9,
        BodyKind.BCSD: 9,
        BodyKind.MANAGEMENTTEAM: 5,
    }
    roles = Counter((m.body, m.role) for m in mandates)
    assert roles[(BodyKind.COLLEGE, MandateRole.MAYOR)] == 1
    assert roles[(BodyKind.COLLEGE, MandateRole.ALDERMAN)] == 8
    assert roles[(BodyKind.VAST_BUREAU, MandateRole.CHAIR)] == 1, "the burgemeester chairs the vast bureau"
    assert roles[(BodyKind.BCSD, MandateRole.CHAIR)] == 1
    linked = {m.mandate_id: m.linked_mandate_id for m in mandates}
    for m in mandates:
        if m.body in {BodyKind.GEMEENTERAAD, BodyKind.COLLEGE} and m.voting:
            assert m.linked_mandate_id is not None
            assert linked[m.linked_mandate_id] == m.mandate_id, "each gemeente seat has its linked OCMW seat"


def test_the_groups_of_the_college_hold_the_council_majority(demo: dict[str, Any]) -> None:
    council = [m for m in demo_mandates(demo) if m.body is BodyKind.GEMEENTERAAD and m.voting]
    assert all(m.group in demo["groups"] for m in council)
    college = {demo["college"]["mayor"], *demo["college"]["aldermen"]}
    ruling = {m.group for m in council if m.person_id in college}
    held = sum(m.group in ruling for m in council)
    assert held * 2 > len(council), f"{held} of {len(council)}"


def test_the_people_the_other_demos_name_are_kept(demo: dict[str, Any]) -> None:
    people = {p["id"] for p in [*demo["persons"], *demo["politicians"]]}
    assert {"p-ad", "p-fd", "p-ruimte", "p-welzijn", "p-fin", "p-secr", "p-ict"} <= people
    assert {f"m-{i:02d}" for i in range(1, 48)} <= people
    assert {u["head"] for u in demo["units"]} <= people


def test_a_municipality_that_does_not_fit_the_decree_is_named(demo: dict[str, Any]) -> None:
    smaller = copy.deepcopy(demo)
    smaller["municipality"]["population"] = 95_000
    misfits = check_composition(smaller)
    assert "gemeenteraad: 47 seats, the decree gives 45" in misfits
    assert "districts exist only in a municipality above 100,000 inhabitants" in misfits
    fewer = copy.deepcopy(demo)
    fewer["college"]["aldermen"] = fewer["college"]["aldermen"][:-1]
    assert check_composition(fewer) == ["college: 7 schepenen, the decree gives 8"]


def test_the_demo_vote_fits_the_college_that_casts_it(demo: dict[str, Any]) -> None:
    college = [demo["college"]["mayor"], *demo["college"]["aldermen"]]
    votes = votes_for(college)
    assert set(votes) == set(college), "every member present votes"
    counted = Counter(votes.values())
    assert counted[VoteChoice.IN_FAVOUR] > counted[VoteChoice.AGAINST]
    assert sum(counted.values()) == 9


def test_the_demo_management_team_has_the_members_the_law_names(demo: dict[str, Any]) -> None:
    team = [m for m in demo_mandates(demo) if m.body is BodyKind.MANAGEMENTTEAM]
    seats = {(m.person_id, m.role, m.voting) for m in team}
    assert seats == {
        ("p-ad", MandateRole.CHAIR, True),  # the algemeen directeur chairs
        ("p-fd", MandateRole.MEMBER, True),  # the financieel directeur by law
        ("p-fin", MandateRole.MEMBER, True),  # heads of the organogram's management-team units
        ("p-ruimte", MandateRole.MEMBER, True),
        ("p-welzijn", MandateRole.MEMBER, True),
        ("m-01", MandateRole.MEMBER, False),  # the burgemeester, advisory vote only
    }
    declared = {b["code"]: b["seats"] for b in demo["bodies"]}
    assert declared["managementteam"] == len(team)
    assert len({m.mandate_id for m in team}) == len(team)
