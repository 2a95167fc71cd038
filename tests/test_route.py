"""Policy to route: safety first, whatever the score."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from screening.policy import DEFAULT_POLICY, Policy
from screening.route import Facts, routing


def facts(positive: set[str] = frozenset(), uncertain: set[str] = frozenset(),
          silent: bool = False) -> Facts:
    return Facts(frozenset(positive), frozenset(uncertain), silent)


@pytest.mark.parametrize("score", [0.0, 0.01, 0.5, 1.0])
def test_any_positive_goes_to_duty_review_whatever_the_score(score: float) -> None:
    decision = routing(facts({"household", "present"}), score, DEFAULT_POLICY)
    assert decision.route == "duty_review"
    assert decision.categories == ("present", "household")  # canonical order


def test_screened_out_only_with_nothing_found_and_a_low_score() -> None:
    threshold = DEFAULT_POLICY.screen_out_max_score
    assert routing(facts(), threshold, DEFAULT_POLICY).route == "screened_out"
    assert routing(facts(), threshold + 0.01, DEFAULT_POLICY).route == "triage_check"


def test_uncertain_mentions_go_to_a_person_even_with_a_low_score() -> None:
    decision = routing(facts(uncertain={"kinship_without_age"}), 0.0, DEFAULT_POLICY)
    assert decision.route == "triage_check"
    assert "kinship_without_age" in decision.reasons[0]


def test_silence_is_not_screened_out_unless_policy_allows() -> None:
    assert routing(facts(silent=True), 0.0, DEFAULT_POLICY).route == "triage_check"
    lenient = DEFAULT_POLICY.model_copy(update={"allow_silence_screen_out": True})
    assert routing(facts(silent=True), 0.0, lenient).route == "screened_out"


def test_a_high_model_score_alone_reaches_duty_review() -> None:
    decision = routing(facts(), DEFAULT_POLICY.review_min_score, DEFAULT_POLICY)
    assert decision.route == "duty_review" and decision.categories == ()


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValidationError):
        Policy(screen_out_max_score=0.8, review_min_score=0.5)


def test_route_of_agrees_with_decide_everywhere() -> None:
    from itertools import product

    from screening.route import route_of

    policies = [DEFAULT_POLICY,
                DEFAULT_POLICY.model_copy(update={"allow_silence_screen_out": True}),
                Policy(screen_out_max_score=0.05, review_min_score=0.95)]
    for positive, uncertain, silent, score, policy in product(
        [set(), {"present"}], [set(), {"kinship_age_unknown"}], [False, True],
        [0.0, 0.05, 0.2, 0.21, 0.5, 0.7, 0.95, 1.0], policies,
    ):
        f = facts(positive, uncertain, silent)
        assert route_of(f, score, policy) == routing(f, score, policy).route
