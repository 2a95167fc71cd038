"""Priority rules: urgent for a child present with DASH high, a weapon, strangulation or a hurt
child; high for a child present, DASH high or pregnancy; else normal."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.findings import Finding
from screening.policy import DEFAULT_POLICY, Policy, PriorityRule, PriorityRules
from screening.priority import TermPattern, conditions, priority
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


# The trie over lower-cased text must find what the case-insensitive alternation found.

def _old_pattern(terms: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})", re.IGNORECASE)


def _data() -> dict:
    text = resources.files("screening").joinpath("data/priority_terms.toml").read_text("utf-8")
    return tomllib.loads(text)


def _term_lists() -> list[list[str]]:
    data = _data()
    return [data["weapon"]["narrative"], data["strangulation"]["narrative"],
            data["child_hurt"]["child"], data["child_hurt"]["injury"],
            data["negation"]["before"], ["a", "ab", "abc", "b", "bc", "a b", "a.b"]]


def _texts() -> st.SearchStrategy[str]:
    pieces = [t for terms in _term_lists() for t in terms]
    fragments = st.sampled_from([*pieces, *(p[:-1] for p in pieces if len(p) > 1), " ", ". ",
                                 "x", "'", "-", "\n", "s", "ed", "ing", "no ", "not ", "her "])
    cased = st.tuples(fragments, st.sampled_from(["lower", "upper", "title", "as is"])).map(
        lambda fc: fc[0] if fc[1] == "as is" else getattr(fc[0], fc[1])())
    return st.lists(cased, max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_texts())
def test_trie_patterns_find_the_same_terms_at_the_same_places(text: str) -> None:
    for terms in _term_lists():
        pattern = TermPattern.of(terms)
        old = [m.span() for m in _old_pattern(terms).finditer(text)]
        assert [m.span() for m in pattern.lowered.finditer(text.lower())] == old
        assert [m.span() for m in pattern.folded.finditer(text)] == old


@settings(max_examples=300, deadline=None)
@given(text=_texts(), extra=st.sampled_from(["", " İstanbul", " ſtrangled", " café KNİFE"]))
def test_conditions_are_those_of_the_case_insensitive_rules(text: str, extra: str) -> None:
    narrative = (text + extra).strip() or "x"
    held = conditions(notification(narrative=narrative, offences=None, dash=None), [HOUSEHOLD])
    weapon, strangulation, child, injury, before, _ = _term_lists()
    window = int(_data()["negation"]["window_words"])
    negated = re.compile(
        rf"\b(?:{'|'.join(re.escape(w) for w in before)})\b(?:\W+\w+){{0,{window - 1}}}\W*$",
        re.I,
    )

    def signal(words: list[str]) -> bool:
        return any(
            not negated.search(narrative[max(0, m.start() - 40) : m.start()])
            for m in _old_pattern(words).finditer(narrative)
        )

    assert ("weapon" in held) == signal(weapon)
    assert ("strangulation" in held) == signal(strangulation)
    hurt = any(_old_pattern(child).search(s) and _old_pattern(injury).search(s)
               for s in re.findall(r"[^.!?\n]+", narrative))
    assert ("child_hurt" in held) == hurt
