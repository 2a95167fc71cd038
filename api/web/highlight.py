"""Split a narrative into plain and highlighted segments from evidence character spans.

Spans may overlap or be out of range (a result from an older model version, say); the text
is cut at every span boundary and each piece carries the labels of every span covering it.
The template prints each piece with autoescaping, so the narrative can never inject markup.

`highlight` marks by the fact: a rule's span (positive or uncertain) is widened to its clause
("Her daughter Maja, aged 11, was in the flat", not "daughter"), and each fact gets an anchor
the item page's summary links to. Labels are never text inside the narrative: a mark names its
legend entry (aria-describedby), so copying or reading the officer's account gives only it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

CATEGORY_LABELS = {
    "present": "Child present",
    "household": "Child in household",
    "pregnancy": "Pregnancy",
    "child_of_party": "Child of a party",
    "young_party": "Party under 18",
    "regular_visitor": "Child visits regularly",
}


@dataclass(frozen=True)
class Mark:
    """Why a span is highlighted: its category (or rule) and whether it counts for or against."""

    label: str
    css: str
    polarity: str

    @property
    def key(self) -> str:
        """The legend entry this mark belongs to (its id is `legend-<key>`)."""
        return self.css.removeprefix("dv-evidence--")


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[Mark, ...] = ()
    # The id of the fact that starts here (a link target), if one does.
    anchor: str | None = None

    @property
    def describedby(self) -> str:
        """The ids of the legend entries of this segment's marks, for aria-describedby."""
        return " ".join(dict.fromkeys(f"legend-{m.key}" for m in self.marks))

    @property
    def highlighted(self) -> bool:
        return bool(self.marks)

    @property
    def css(self) -> str:
        return self.marks[0].css if self.marks else ""

    @property
    def label(self) -> str:
        return "; ".join(dict.fromkeys(m.label for m in self.marks))


def _mark(evidence: Mapping[str, Any]) -> Mark:
    category = evidence.get("category")
    polarity = str(evidence.get("polarity") or "positive")
    if category in CATEGORY_LABELS:
        label = CATEGORY_LABELS[str(category)]
        css = f"dv-evidence--{category}"
    else:
        rule = str(evidence.get("rule") or "evidence")
        label = rule.replace("_", " ").capitalize()
        css = "dv-evidence--other"
    if polarity == "negative":
        label, css = f"{label} (ruled out)", "dv-evidence--negative"
    elif polarity == "uncertain":
        label, css = f"{label} (uncertain)", "dv-evidence--uncertain"
    return Mark(label=label, css=css, polarity=polarity)


def narrative_spans(
    evidence: Iterable[Mapping[str, Any]], length: int
) -> list[tuple[int, int, Mark]]:
    """The valid narrative spans of `evidence`, clipped to the text."""
    spans = []
    for item in evidence:
        if item.get("source") != "narrative":
            continue
        start, end = item.get("start"), item.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        start, end = max(0, start), min(length, end)
        if start < end:
            spans.append((start, end, _mark(item)))
    return spans


def segments(narrative: str, evidence: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """`narrative` cut into segments; highlighted ones carry their marks, positives first."""
    spans = narrative_spans(evidence, len(narrative))
    cuts = sorted({0, len(narrative)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    pieces = []
    for left, right in pairwise(cuts):
        covering = [m for s, e, m in spans if s <= left and right <= e]
        covering.sort(key=lambda m: m.polarity != "positive")
        pieces.append(Segment(narrative[left:right], tuple(covering)))
    return pieces


# A clause ends at ";", "!", "?", a line break, or a full stop followed by the end of the text
# or by a space and something other than a lower-case letter ("approx. ten" goes on).
_CLAUSE_END = re.compile(r"[;!?\n]|\.(?=\s*$|\s+[^a-z\s])")
# A clause longer than this is not a clause but a run-on: the rule's own span is kept.
MAX_CLAUSE = 300


def clause_bounds(narrative: str, start: int, end: int) -> tuple[int, int]:
    """The clause around `narrative[start:end]`: from the end of the clause before to the
    next clause end (leading space left out). Never narrower than the span itself."""
    left = 0
    for match in _CLAUSE_END.finditer(narrative):
        if match.end() > start:
            break
        left = match.end()
    following = _CLAUSE_END.search(narrative, end)
    right = following.start() if following else len(narrative)
    while left < start and narrative[left].isspace():
        left += 1
    while right > end and narrative[right - 1].isspace():
        right -= 1
    if right - left > MAX_CLAUSE:
        return start, end
    return min(left, start), max(right, end)


@dataclass(frozen=True)
class Fact:
    """One narrative evidence span as the page shows it: widened to its clause (for positive
    and uncertain findings) and anchored."""

    anchor: str
    start: int
    end: int
    text: str
    span_text: str
    category: str | None
    polarity: str
    rule: str


@dataclass(frozen=True)
class Highlighted:
    segments: list[Segment]
    # Evidence index -> its fact; only narrative evidence with a usable span is here.
    facts: dict[int, Fact]


def narrative_facts(narrative: str, evidence: Sequence[Mapping[str, Any]]) -> dict[int, Fact]:
    """The narrative facts of `evidence`, by index; anchors are numbered in reading order and
    facts on the same span share one."""
    spans: dict[int, tuple[int, int, int, int, str]] = {}
    for index, item in enumerate(evidence):
        if item.get("source") != "narrative":
            continue
        start, end = item.get("start"), item.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        start, end = max(0, start), min(len(narrative), end)
        if start >= end:
            continue
        polarity = str(item.get("polarity") or "positive")
        left, right = (start, end) if polarity == "negative" else clause_bounds(
            narrative, start, end
        )
        spans[index] = (left, right, start, end, polarity)
    anchors = {
        bounds: f"fact-{number}"
        for number, bounds in enumerate(sorted({(s[0], s[1]) for s in spans.values()}), 1)
    }
    return {
        index: Fact(
            anchor=anchors[(left, right)],
            start=left,
            end=right,
            text=narrative[left:right],
            span_text=narrative[start:end],
            category=evidence[index].get("category"),
            polarity=polarity,
            rule=str(evidence[index].get("rule") or ""),
        )
        for index, (left, right, start, end, polarity) in spans.items()
    }


def highlight(narrative: str, evidence: Sequence[Mapping[str, Any]]) -> Highlighted:
    """`narrative` cut into segments by the fact (clauses), each fact's first segment anchored."""
    facts = narrative_facts(narrative, evidence)
    widened = [
        {**evidence[i], "start": fact.start, "end": fact.end} for i, fact in facts.items()
    ]
    pieces = segments(narrative, widened)
    first_at: dict[int, str] = {}
    for fact in facts.values():
        first_at.setdefault(fact.start, fact.anchor)
    anchored: list[Segment] = []
    offset = 0
    for piece in pieces:
        anchor = first_at.pop(offset, None) if piece.marks else None
        anchored.append(replace(piece, anchor=anchor) if anchor else piece)
        offset += len(piece.text)
    return Highlighted(anchored, facts)
