"""Properties of the whole screener (rules, model, policy) that must hold for any input."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.contract import Notification
from screening.screener import load_screener
from screening.synth import generate

ROWS = list(generate(300, seed=2024))
NEGATIONS = [
    "There are no children at the address.",
    "No children present or resident.",
    "Children: none.",
    "The couple have no children.",
]
common = settings(max_examples=60, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])


def with_child(body: dict, age: int) -> dict:
    people = [*body["people"], {"role": "child", "age": age}]
    return {**body, "people": people}


@common
@given(index=st.integers(0, len(ROWS) - 1), age=st.integers(0, 17),
       negation=st.sampled_from(NEGATIONS), at_start=st.booleans())
def test_a_negation_sentence_never_screens_out_a_listed_child(
    index: int, age: int, negation: str, at_start: bool
) -> None:
    body = with_child(ROWS[index]["notification"], age)
    narrative = body["narrative"]
    body["narrative"] = f"{negation} {narrative}" if at_start else f"{narrative} {negation}"
    result = load_screener().screen(Notification.model_validate(body))
    assert result.route == "duty_review"


@common
@given(index=st.integers(0, len(ROWS) - 1), seed=st.integers(0, 10_000))
def test_shuffling_people_never_changes_the_route(index: int, seed: int) -> None:
    body = ROWS[index]["notification"]
    people = list(body["people"])
    random.Random(seed).shuffle(people)
    screener = load_screener()
    before = screener.screen(Notification.model_validate(body))
    after = screener.screen(Notification.model_validate({**body, "people": people}))
    assert (after.route, after.priority, after.categories) == (
        before.route, before.priority, before.categories)
    assert abs(after.score - before.score) < 1e-9


@common
@given(index=st.integers(0, len(ROWS) - 1))
def test_a_ticked_box_is_never_screened_out(index: int) -> None:
    body = {**ROWS[index]["notification"], "children_in_household": True}
    assert load_screener().screen(Notification.model_validate(body)).route == "duty_review"


def test_every_route_carries_its_versions_and_evidence() -> None:
    screener = load_screener()
    results = screener.screen_many([Notification.model_validate(r["notification"])
                                    for r in ROWS[:100]])
    for result in results:
        assert result.model_version == screener.model_version != "untrained"
        assert result.policy_version == 1
        assert (result.priority is None) == (result.route == "screened_out")
        if result.route == "duty_review" and result.categories:
            assert any(e.polarity == "positive" for e in result.evidence)
        if result.route != "duty_review":
            assert any(e.source == "model" for e in result.evidence)
