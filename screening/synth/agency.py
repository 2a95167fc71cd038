"""Multi-agency shorthand in synthetic narratives: Op Encompass, HV, SW allocated, known to CSC,
early help, MASH; and the adult-only agencies (MARAC, IDVA, adult social care, probation).

Lines about a child are only written for a group of children that exists in the scenario, and
only in a form that fits the group (Op Encompass needs a child of school age, the health
visitor a child under five). A group shown only through agency lines (SHOW_AGENCY) is a child
in the household named by nothing else. Adult-only lines are true of any scenario and appear in
rows with and without children.
"""

from __future__ import annotations

import random

from screening.synth.bank import banks
from screening.synth.scenario import ChildGroup, Scenario

SHARE_GROUP_LINE = 0.5  # a narrated group in an agency row that also gets an agency line
ADULT_LINES = (0, 1, 1, 2)  # how many adult-only agency lines an agency row gets


def _lines(key: str, style: str) -> list[str]:
    return [t.text for t in banks()["agency"][f"{key}_{style}"]]


def _kinds(group: ChildGroup) -> list[str]:
    ages = group.ages
    kinds = ["any"]
    if any(4 <= age <= 16 for age in ages):
        kinds.append("school")
    if any(age < 5 for age in ages):
        kinds.append("baby")
    return kinds


def group_line(rng: random.Random, scenario: Scenario, group: ChildGroup, only: bool) -> str:
    """A template (with {K}, {school} ...) naming the group through an agency; `only` when the
    group is shown by nothing else (then the line must not need {K})."""
    kind = rng.choice(_kinds(group))
    key = f"only_{kind}" if only else kind
    return rng.choice(_lines(key, scenario.style))


def pregnancy_line(rng: random.Random, scenario: Scenario) -> str:
    return rng.choice(_lines("pregnancy", scenario.style))


def adult_lines(rng: random.Random, scenario: Scenario) -> list[str]:
    """Adult-only agency lines: they say nothing about children now (a silent row does not
    even mention a party's childhood)."""
    pool = [t.text for t in banks()["agency_adult"][scenario.style]]
    if scenario.silent:
        pool = [line for line in pool if "child" not in line]
    return rng.sample(pool, rng.choice(ADULT_LINES))
