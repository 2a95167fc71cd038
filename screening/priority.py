"""Priority for a routed notification, from the policy's priority rules and the facts.

Conditions (named in `screening.policy.Condition`) are evaluated here from findings, the DASH
level, offences and narrative terms in `data/priority_terms.toml`; the policy's rules say which
combinations make a notification `urgent` or `high`. Everything else is `normal`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from models.contract import Notification
from screening.findings import Finding
from screening.policy import Policy

_SENTENCE = re.compile(r"[^.!?\n]+")


def _pattern(terms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    """One priority signal: narrative terms, offence words and DASH questions answered yes."""

    narrative: re.Pattern[str]
    offences: tuple[str, ...]
    dash_questions: frozenset[str]


@dataclass(frozen=True)
class Terms:
    weapon: Signal
    strangulation: Signal
    child: re.Pattern[str]
    injury: re.Pattern[str]
    negated: re.Pattern[str]


def _signal_terms(section: dict[str, list[str]]) -> Signal:
    return Signal(
        narrative=_pattern(section["narrative"]),
        offences=tuple(t.lower() for t in section["offences"]),
        dash_questions=frozenset(section["dash_questions"]),
    )


@lru_cache(maxsize=1)
def terms() -> Terms:
    text = resources.files("screening").joinpath("data/priority_terms.toml").read_text("utf-8")
    data = tomllib.loads(text)
    negation = data["negation"]
    before = "|".join(re.escape(w) for w in negation["before"])
    window = int(negation["window_words"])
    return Terms(
        weapon=_signal_terms(data["weapon"]),
        strangulation=_signal_terms(data["strangulation"]),
        child=_pattern(data["child_hurt"]["child"]),
        injury=_pattern(data["child_hurt"]["injury"]),
        negated=re.compile(rf"\b(?:{before})\b(?:\W+\w+){{0,{window - 1}}}\W*$", re.I),
    )


def _signal(notification: Notification, signal: Signal, negated: re.Pattern[str]) -> bool:
    offences = " ".join(notification.offences or []).lower()
    if any(term in offences for term in signal.offences):
        return True
    answers = (notification.dash.answers or {}) if notification.dash else {}
    if any(answers.get(q) == "yes" for q in signal.dash_questions):
        return True
    text = notification.narrative
    for match in signal.narrative.finditer(text):
        if not negated.search(text[max(0, match.start() - 40) : match.start()]):
            return True
    return False


def _child_hurt(notification: Notification, t: Terms) -> bool:
    return any(
        t.child.search(sentence) and t.injury.search(sentence)
        for sentence in _SENTENCE.findall(notification.narrative)
    )


def conditions(notification: Notification, findings: list[Finding]) -> set[str]:
    """The priority conditions that hold for this notification."""
    t = terms()
    positive = {f.category for f in findings if f.is_positive}
    held: set[str] = set()
    if "present" in positive:
        held.add("child_present")
    if "pregnancy" in positive:
        held.add("pregnancy")
    if "young_party" in positive:
        held.add("young_party")
    if notification.dash is not None and notification.dash.level == "high":
        held.add("dash_high")
    if (notification.previous_incidents or 0) >= 3:
        held.add("repeat_incidents")
    if _signal(notification, t.weapon, t.negated):
        held.add("weapon")
    if _signal(notification, t.strangulation, t.negated):
        held.add("strangulation")
    if positive and _child_hurt(notification, t):
        held.add("child_hurt")
    return held


def priority(held: set[str], policy: Policy) -> str:
    """`urgent`, `high` or `normal` under the policy's rules."""
    for level in ("urgent", "high"):
        for rule in getattr(policy.priority_rules, level):
            if set(rule.when) <= held:
                return level
    return "normal"
