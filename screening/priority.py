"""Priority for a routed notification, from the policy's priority rules and the facts.

Conditions (named in `screening.policy.Condition`) are evaluated here from findings, the DASH
level, offences and narrative terms in `data/priority_terms.toml`; the policy's rules say which
combinations make a notification `urgent` or `high`. Everything else is `normal`.

Each term list is one regex over lower-cased text, its alternation folded into a trie so that
the engine follows one branch per character instead of trying every term; it finds the same
(longest) term at the same place as the case-insensitive alternation it replaces. Text that is
not ASCII, where lower-casing and case-insensitive matching can part ways ("İ", "ſ"), is matched
with the case-insensitive patterns.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from models.contract import Notification
from screening.findings import Finding
from screening.policy import MAX_INCIDENTS_CONDITION, Policy, condition_key, incidents_key

_SENTENCE = re.compile(r"[^.!?\n]+")


def _alternation(terms: list[str]) -> re.Pattern[str]:
    """Case-insensitive alternation, longest term first (for text that is not ASCII)."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


def _trie_regex(words: set[str]) -> str:
    """A regex matching exactly `words`, the longest where several match, as a trie.

    At each node the branches start with different characters, so at most one can go on
    matching; a node that ends a word makes its branches optional, and the greedy `?` prefers
    going on, so the deepest word that matches is the one matched.
    """
    if "" in words and len(words) == 1:
        return ""
    ends_here = "" in words
    heads: dict[str, set[str]] = {}
    for word in words:
        if word:
            heads.setdefault(word[0], set()).add(word[1:])
    branches = [re.escape(head) + _trie_regex(tails) for head, tails in sorted(heads.items())]
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        body = (body if len(branches) == 1 and len(body) == 1 else f"(?:{body})") + "?"
    return body


@dataclass(frozen=True)
class TermPattern:
    """One list of terms: a trie regex over lower-cased ASCII text, the alternation otherwise."""

    lowered: re.Pattern[str]
    folded: re.Pattern[str]

    @classmethod
    def of(cls, terms: list[str]) -> TermPattern:
        words = {t.lower() for t in terms}
        return cls(re.compile(rf"\b(?:{_trie_regex(words)})"), _alternation(terms))


@dataclass(frozen=True)
class Signal:
    """One priority signal: narrative terms, offence words and DASH questions answered yes."""

    narrative: TermPattern
    offences: tuple[str, ...]
    dash_questions: frozenset[str]


@dataclass(frozen=True)
class Terms:
    weapon: Signal
    strangulation: Signal
    child: TermPattern
    injury: TermPattern
    negated: TermPattern


def _signal_terms(section: dict[str, list[str]]) -> Signal:
    return Signal(
        narrative=TermPattern.of(section["narrative"]),
        offences=tuple(t.lower() for t in section["offences"]),
        dash_questions=frozenset(section["dash_questions"]),
    )


@dataclass(frozen=True)
class Narrative:
    """The narrative as the term patterns read it: lower-cased if ASCII, else as written."""

    text: str
    ascii: bool

    @classmethod
    def of(cls, text: str) -> Narrative:
        ascii = text.isascii()
        return cls(text.lower() if ascii else text, ascii)

    def pattern(self, terms: TermPattern) -> re.Pattern[str]:
        return terms.lowered if self.ascii else terms.folded


@lru_cache(maxsize=1)
def terms() -> Terms:
    text = resources.files("screening").joinpath("data/priority_terms.toml").read_text("utf-8")
    data = tomllib.loads(text)
    negation = data["negation"]
    before = negation["before"]
    window = int(negation["window_words"])
    after = rf"\b(?:\W+\w+){{0,{window - 1}}}\W*$"
    return Terms(
        weapon=_signal_terms(data["weapon"]),
        strangulation=_signal_terms(data["strangulation"]),
        child=TermPattern.of(data["child_hurt"]["child"]),
        injury=TermPattern.of(data["child_hurt"]["injury"]),
        negated=TermPattern(
            re.compile(rf"\b(?:{_trie_regex({w.lower() for w in before})}){after}"),
            re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in before)}){after}", re.I),
        ),
    )


def _signal(notification: Notification, narrative: Narrative, signal: Signal, t: Terms) -> bool:
    offences = " ".join(notification.offences or []).lower()
    if any(term in offences for term in signal.offences):
        return True
    answers = (notification.dash.answers or {}) if notification.dash else {}
    if any(answers.get(q) == "yes" for q in signal.dash_questions):
        return True
    text, negated = narrative.text, narrative.pattern(t.negated)
    for match in narrative.pattern(signal.narrative).finditer(text):
        if not negated.search(text[max(0, match.start() - 40) : match.start()]):
            return True
    return False


def _child_hurt(narrative: Narrative, t: Terms) -> bool:
    child, injury = narrative.pattern(t.child), narrative.pattern(t.injury)
    return any(
        child.search(sentence) and injury.search(sentence)
        for sentence in _SENTENCE.findall(narrative.text)
    )


def conditions(
    notification: Notification,
    findings: list[Finding],
    incidents: Mapping[str, int] | None = None,
) -> set[str]:
    """The priority conditions that hold for this notification; `incidents` are the people
    index's counts in the last 12 months (victim, suspect, household), which hold every
    `IncidentCount` they reach."""
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
    narrative = Narrative.of(notification.narrative)
    if _signal(notification, narrative, t.weapon, t):
        held.add("weapon")
    if _signal(notification, narrative, t.strangulation, t):
        held.add("strangulation")
    if positive and _child_hurt(narrative, t):
        held.add("child_hurt")
    for who, count in (incidents or {}).items():
        held.update(
            incidents_key(who, n) for n in range(1, min(count, MAX_INCIDENTS_CONDITION) + 1)
        )
    return held


def priority(held: set[str], policy: Policy) -> str:
    """`urgent`, `high` or `normal` under the policy's rules."""
    for level in ("urgent", "high"):
        for rule in getattr(policy.priority_rules, level):
            if rule.holds(held):
                return level
    return "normal"


def priority_reason(held: set[str], policy: Policy) -> tuple[str, tuple[str, ...]]:
    """The level `priority` gives and the conditions of the rule that gave it (in the rule's
    order); `normal` comes with no conditions. This is what a person is told as the reason."""
    for level in ("urgent", "high"):
        for rule in getattr(policy.priority_rules, level):
            if rule.holds(held):
                return level, tuple(condition_key(c) for c in rule.when)
    return "normal", ()
