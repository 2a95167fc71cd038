"""Narrative perturbations for tests/test_narrative_perturbations.py (issue 8 item 8).

Each perturbation is a change to an officer's narrative that must never take a child out:
case, punctuation, line breaks, a transposed letter in a child word, a denial appended at
the end. The labelled sets are globbed when the tests run, so new sets are picked up.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models.contract import LabelledNotification, Notification

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"
SHARED_EXAMPLES = REPO.parent / "shared" / "data" / "examples.jsonl"
CHILD_TERMS = REPO / "screening" / "data" / "child_terms.toml"

NARRATIVE_MIN, NARRATIVE_MAX = 1, 20000  # contract section 1
LEXICON_KINDS = frozenset({"minor", "kin", "relative", "sibling", "pregnancy"})
DENIALS = (
    "No children present.",
    "No children at the address.",
    "Nil CYP.",
    "Children: none.",
)

_PUNCTUATION = str.maketrans("", "", string.punctuation)
_PUNCTUATION_TO_SPACE = str.maketrans(string.punctuation, " " * len(string.punctuation))


def _join_lines(text: str) -> str:
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")


def _deny(sentence: str) -> Callable[[str], str]:
    def append(text: str) -> str:
        return f"{text.rstrip()} {sentence}"

    return append


# name -> change. Deterministic: applied to every involved notification.
TRANSFORMS: dict[str, Callable[[str], str]] = {
    "lower_case": str.lower,
    "upper_case": str.upper,
    "punctuation_removed": lambda text: text.translate(_PUNCTUATION),
    "punctuation_to_spaces": lambda text: text.translate(_PUNCTUATION_TO_SPACE),
    "lines_joined": _join_lines,
    **{f"denial_appended:{sentence}": _deny(sentence) for sentence in DENIALS},
}


@dataclass(frozen=True, repr=False)
class Case:
    """One involved labelled notification and the file it came from."""

    source: str  # the data file, relative to the repo's parent (e.g. main/tests/data/x.jsonl)
    line: int
    notification: Notification

    @property
    def reference(self) -> str:
        return self.notification.reference

    def __repr__(self) -> str:  # short: hypothesis and pytest print it on a failure
        return f"Case({self.reference!r}, {self.source}:{self.line})"


def data_files() -> list[Path]:
    """Every labelled set: tests/data/*.jsonl (globbed now) and the shared examples."""
    return [*sorted(TEST_DATA.glob("*.jsonl")), SHARED_EXAMPLES]


def involved_cases() -> list[Case]:  # read afresh on each call: sets are still being added
    """Every notification labelled child_involvement true, in every labelled set."""
    cases: list[Case] = []
    for path in data_files():
        source = str(path.relative_to(REPO.parent))
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                row = LabelledNotification.model_validate_json(line)
                if row.label.child_involvement:
                    cases.append(Case(source, number, row.notification))
    return cases


def is_valid_narrative(text: str) -> bool:
    """Whether the contract allows this narrative (1..20000 characters)."""
    return NARRATIVE_MIN <= len(text) <= NARRATIVE_MAX


def with_narrative(notification: Notification, narrative: str) -> Notification:
    """The notification with another narrative, validated against the contract again."""
    changed = notification.model_copy(update={"narrative": narrative})
    return Notification.model_validate(changed.model_dump())


@cache
def lexicon() -> tuple[str, ...]:
    """Single words (4+ letters) of the child, kinship, relative, sibling and pregnancy groups."""
    with CHILD_TERMS.open("rb") as handle:
        terms = tomllib.load(handle)
    words = {
        phrase.lower()
        for group in terms["target"]
        if group.get("kind") in LEXICON_KINDS
        for phrase in group.get("phrases", [])
        if re.fullmatch(r"[A-Za-z]{4,}", phrase)
    }
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


@cache
def _lexicon_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in lexicon())
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Occurrence:
    """A lexicon word found in a narrative, at narrative[start:end]."""

    start: int
    end: int
    word: str

    def swappable_pairs(self) -> list[int]:
        """Offsets i (into the narrative) where narrative[i] and [i+1] differ as letters."""
        return [
            i for i in range(self.start, self.end - 1)
            if self.word[i - self.start].lower() != self.word[i - self.start + 1].lower()
        ]

    def middle_pair(self) -> int | None:
        """The swappable pair nearest the middle of the word (the earlier one on a tie)."""
        pairs = self.swappable_pairs()
        if not pairs:
            return None
        middle = self.start + (len(self.word) - 2) // 2
        return min(pairs, key=lambda i: (abs(i - middle), i))


def occurrences(narrative: str) -> list[Occurrence]:
    """Every whole-word, case-insensitive occurrence of a lexicon word in the narrative."""
    return [
        Occurrence(match.start(), match.end(), match.group())
        for match in _lexicon_pattern().finditer(narrative)
    ]


def swap(narrative: str, index: int) -> str:
    """The narrative with the characters at index and index + 1 transposed."""
    return narrative[:index] + narrative[index + 1] + narrative[index] + narrative[index + 2:]


def swapped_word(occurrence: Occurrence, index: int) -> str:
    """What the occurrence's word becomes when the pair at narrative offset `index` swaps."""
    offset = index - occurrence.start
    word = occurrence.word
    return word[:offset] + word[offset + 1] + word[offset] + word[offset + 2:]


def middle_swaps(case: Case) -> Iterator[tuple[Occurrence, int]]:
    """One swap per lexicon-word occurrence: the middle pair."""
    for occurrence in occurrences(case.notification.narrative):
        index = occurrence.middle_pair()
        if index is not None:
            yield occurrence, index
