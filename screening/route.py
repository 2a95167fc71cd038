"""Policy to route: the rule that decides `duty_review`, `triage_check` or `screened_out`.

Safety first: any positive finding goes to the duty team; screening out needs no positive and no
uncertain finding, a score at or under the policy's threshold, and (unless policy allows it)
something said either way about children. Everything in between goes to a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.contract import CATEGORIES
from screening.policy import Policy


@dataclass(frozen=True, slots=True)
class Facts:
    """What the route depends on besides the score; small enough to store and replay (what-if)."""

    positive_categories: frozenset[str]
    uncertain_rules: frozenset[str]
    silent: bool


@dataclass(frozen=True, slots=True)
class Routing:
    route: str
    reasons: tuple[str, ...]
    categories: tuple[str, ...]


def _to_duty(facts: Facts, score: float, policy: Policy) -> bool:
    return bool(facts.positive_categories) or score >= policy.review_min_score


def _to_person(facts: Facts, policy: Policy) -> bool:
    return bool(facts.uncertain_rules) or (facts.silent and not policy.allow_silence_screen_out)


def may_screen_out(facts: Facts, score: float, policy: Policy) -> bool:
    """Whether the rule lets this notification be screened out at some threshold: it is then
    screened out exactly when its score is at or under `policy.screen_out_max_score`."""
    return not _to_duty(facts, score, policy) and not _to_person(facts, policy)


def route_of(facts: Facts, score: float, policy: Policy) -> str:
    """Just the route of `routing`, without building reasons: for replaying large histories."""
    if _to_duty(facts, score, policy):
        return "duty_review"
    if _to_person(facts, policy):
        return "triage_check"
    return "screened_out" if score <= policy.screen_out_max_score else "triage_check"


def _reason(route: str, facts: Facts, categories: tuple[str, ...], score: float,
            policy: Policy) -> str:
    if categories:
        return f"child involvement found: {', '.join(categories)}"
    if route == "duty_review":
        return (f"no rule fired but the model score {score:.2f} is at or over "
                f"{policy.review_min_score:.2f}")
    if facts.uncertain_rules:
        mentions = ", ".join(sorted(facts.uncertain_rules))
        return f"a possible child could not be ruled in or out ({mentions})"
    if route == "triage_check" and facts.silent and not policy.allow_silence_screen_out:
        return ("nothing recorded either way about children (tick boxes null, narrative silent) "
                "and policy does not screen out on silence")
    if route == "screened_out":
        return (f"no child involvement found and the model score {score:.2f} is at or under "
                f"{policy.screen_out_max_score:.2f}")
    return (f"no rule fired but the model score {score:.2f} is over the screen-out threshold "
            f"{policy.screen_out_max_score:.2f}")


def routing(facts: Facts, score: float, policy: Policy) -> Routing:
    """The route, with its reason and the categories of involvement found."""
    route = route_of(facts, score, policy)
    categories = tuple(c for c in CATEGORIES if c in facts.positive_categories)
    return Routing(route, (_reason(route, facts, categories, score, policy),), categories)
