"""Priority rules: urgent for a child present with DASH high, a weapon, strangulation or a hurt
child; high for a child present, DASH high or pregnancy; else normal."""

from __future__ import annotations

import pytest

from screening.findings import Finding
from screening.policy import DEFAULT_POLICY, Policy, PriorityRule, PriorityRules
from screening.priority import conditions, priority
from tests.factories import notification

PRESENT = Finding("present", "positive", "test", "field")
HOUSEHOLD = Finding("household", "positive", "test", "field")
PREGNANT = Finding("pregnancy", "positive", "test", "field")


def level(findings: list[Finding], policy: Policy = DEFAULT_POLICY, **changes: object) -> str:
    return priority(conditions(notification(**changes), findings), policy)


def test_child_present_and_dash_high_is_urgent() -> None:
    assert level([PRESENT], dash={"level": "high"}) == "urgent"
    assert level([PRESENT], dash={"level": "medium"}) == "high"


@pytest.mark.parametrize(
    "narrative",
    [
        "S1 produced a kitchen knife and waved it at IP.",
        "He put his hands around her throat and she could not breathe.",
        "IP states S1 choked her until she nearly passed out.",
    ],
)
def test_weapon_or_strangulation_is_urgent(narrative: str) -> None:
    assert level([HOUSEHOLD], narrative=narrative) == "urgent"


def test_a_negated_weapon_does_not_raise_priority() -> None:
    assert level([HOUSEHOLD], narrative="No weapon was used. Verbal argument only.") == "normal"


def test_weapon_from_offences_and_dash_question() -> None:
    assert level([HOUSEHOLD], offences=["Possession of an offensive weapon"]) == "urgent"
    assert level([HOUSEHOLD], dash={"level": "medium", "answers": {"15": "yes"}}) == "urgent"


def test_a_hurt_child_is_urgent() -> None:
    text = "Her son tried to intervene and was pushed into the door, bruising his arm."
    assert level([HOUSEHOLD], narrative=text) == "urgent"


def test_dash_high_or_pregnancy_is_high_else_normal() -> None:
    assert level([HOUSEHOLD], dash={"level": "high"}) == "high"
    assert level([PREGNANT]) == "high"
    assert level([HOUSEHOLD]) == "normal"


def test_policy_rules_decide_not_the_code() -> None:
    strict = DEFAULT_POLICY.model_copy(
        update={"priority_rules": PriorityRules(urgent=[PriorityRule(when=["pregnancy"])],
                                                high=[])}
    )
    assert level([PREGNANT], strict) == "urgent"
    assert level([PRESENT], strict) == "normal"
