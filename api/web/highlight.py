"""Split a narrative into plain and highlighted segments from evidence character spans.

Spans may overlap or be out of range (a result from an older model version, say); the text
is cut at every span boundary and each piece carries the labels of every span covering it.
The template prints each piece with autoescaping, so the narrative can never inject markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[Mark, ...] = ()

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
