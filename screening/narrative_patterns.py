"""The narrative terms (`data/child_terms.toml`, `data/context_terms.toml`) as spaCy matchers.

Built once per process: a blank English pipeline with a sentencizer, one PhraseMatcher (on
lower-case token text) and one Matcher (token patterns) holding every group of terms. `match`
returns each hit labelled with the group it belongs to; what the groups mean is decided in
`screening.narrative` and `screening.narrative_scope`.
"""

from __future__ import annotations

import itertools
import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Group:
    """One group of terms from the TOML files, with what a hit in it means."""

    section: str  # "target", "modifier", "cue" or "termination"
    rule: str  # rule name (targets, modifiers) or cue name (cues)
    kind: str = ""  # target kind, or modifier effect
    category: str | None = None
    fixed_category: bool = False  # the category is the group's, whatever the cues say
    direction: str = "forward"
    scope: str = "gap"
    max_gap: int = 0
    gap_words: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Hit:
    group: Group
    start: int  # token offsets
    end: int


@dataclass(frozen=True, slots=True)
class Terms:
    nlp: Language
    phrases: PhraseMatcher
    patterns: Matcher
    groups: dict[int, Group]  # matcher key (string store hash) -> group
    referents: dict[str, str]  # lower-case person word -> who it may refer to ("male", ...)
    age_anchor_stop: frozenset[str]  # words before "(6)" that make it a score, not an age
    not_names: frozenset[str]  # capitalised words that are not names ("Her 3-yr-old")
    party_words: frozenset[str]  # words naming a party: "ip", "s1", "victim", "she"
    spaced_dashes: tuple[str, ...]  # a dash with spaces round it ends a clause


def _load(name: str) -> dict[str, Any]:
    text = resources.files("screening").joinpath(f"data/{name}").read_text("utf-8")
    return tomllib.loads(text)


MAX_EXPANSION = 6000  # phrases one pattern may expand to before it is left to the Matcher
_PUNCT = (".", ",", ";", ":", "!", "?", ")", "(", "-", "'", '"')


def _alternatives(token: dict[str, Any]) -> list[str] | None:
    """The lower-case words one token pattern allows, or None if it is not a closed list."""
    if set(token) - {"LOWER", "TEXT", "IS_PUNCT", "OP"} or token.get("OP", "?") != "?":
        return None
    value = token.get("LOWER", token.get("TEXT"))
    if token.get("IS_PUNCT") is True and value is None:
        words = list(_PUNCT)
    elif isinstance(value, str):
        words = [value.lower()]
    elif isinstance(value, dict) and set(value) == {"IN"}:
        words = [w.lower() for w in value["IN"]]
    else:
        return None
    return [*words, ""] if "OP" in token else words


def expand(pattern: list[dict[str, Any]]) -> list[list[str]] | None:
    """A token pattern made only of closed word lists, as every phrase it matches.

    spaCy's Matcher tests set predicates in Python for every token; a PhraseMatcher holding the
    expanded phrases does the same work in C, several times faster.
    """
    choices = [_alternatives(token) for token in pattern]
    if any(c is None for c in choices):
        return None
    if math.prod(len(c) for c in choices) > MAX_EXPANSION:  # type: ignore[arg-type]
        return None  # too many phrases: building them costs more than matching them saves
    return [[w for w in combo if w] for combo in itertools.product(*choices)]  # type: ignore[arg-type]


def _groups(child: dict[str, Any], context: dict[str, Any]) -> list[tuple[Group, dict[str, Any]]]:
    out: list[tuple[Group, dict[str, Any]]] = []
    for entry in child["target"]:
        group = Group(
            "target",
            entry["rule"],
            entry["kind"],
            entry.get("category"),
            fixed_category=entry.get("fixed_category", False),
        )
        out.append((group, entry))
    for entry in context["modifier"]:
        group = Group(
            "modifier",
            entry["rule"],
            entry["effect"],
            direction=entry["direction"],
            scope=entry["scope"],
            max_gap=entry.get("max_gap", 0),
            gap_words=frozenset(entry.get("gap_words", ())),
        )
        out.append((group, entry))
    for entry in context["cue"]:
        out.append((Group("cue", entry["cue"]), entry))
    out.append((Group("termination", "termination"), context["termination"]))
    return out


@lru_cache(maxsize=1)
def terms() -> Terms:
    """The pipeline and matchers, built on first use and shared by the whole process."""
    child, context = _load("child_terms.toml"), _load("context_terms.toml")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    patterns = Matcher(nlp.vocab)
    groups: dict[int, Group] = {}
    for index, (group, entry) in enumerate(_groups(child, context)):
        key = f"{group.section}:{group.rule}:{index}"
        groups[nlp.vocab.strings.add(key)] = group
        docs = [nlp.make_doc(p.lower()) for p in entry.get("phrases", ())]
        for pattern in entry.get("patterns", ()):
            words = expand(pattern)
            if words is None:
                patterns.add(key, [pattern])
            else:
                docs.extend(Doc(nlp.vocab, words=w) for w in words if w)
        if docs:
            phrases.add(key, docs)
    referents = {w: who for who, words in child["referents"].items() for w in words}
    return Terms(
        nlp,
        phrases,
        patterns,
        groups,
        referents,
        frozenset(child["ages"]["not_after"]),
        frozenset(child["ages"]["not_names"]),
        frozenset(child["ages"]["party_words"]),
        tuple(context["termination"]["spaced_dashes"]),
    )


def match(doc: Doc) -> list[Hit]:
    """Every phrase and pattern hit in `doc`, labelled with its group."""
    t = terms()
    groups = t.groups
    found = t.phrases(doc) + t.patterns(doc) if len(t.patterns) else t.phrases(doc)
    return [Hit(groups[key], start, end) for key, start, end in found]
