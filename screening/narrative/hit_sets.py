"""A narrative's matcher hits sorted into what the judging reads: targets, cues, clause ends and
the modifiers that count.

Overlapping targets: the longest wins ("little boy" over "boy"), and another sense blocks the
cues on its words. Cues on the same words all count ("foster care" is a minor and an elsewhere
cue), but a longer cue wins over one inside it ("lives with his mother" over "lives with").
Overlapping modifiers of the same group: the longest wins; of different groups, both count ("do
not have any" answers backward, its "not" negates forward); a form's answer counts only where
it is the whole answer (`form_answers.answer_counts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from screening.narrative.form_answers import answer_counts
from screening.narrative.mentions import longest_first
from screening.narrative.patterns import Hit


@dataclass(frozen=True, slots=True)
class SortedHits:
    targets: list[Hit]  # longest first
    cues: list[Hit]  # in text order
    terminations: list[Hit]
    modifiers: list[Hit]  # in text order


def sort_hits(doc: Doc, hits: list[Hit]) -> SortedHits:
    by_section: dict[str, list[Hit]] = {"target": [], "modifier": [], "cue": [], "termination": []}
    for hit in hits:
        by_section[hit.group.section].append(hit)
    targets = longest_first(by_section["target"])
    blocked = {i for h in targets if h.group.kind == "other_sense" for i in range(h.start, h.end)}
    by_kind: dict[str, list[Hit]] = {}
    for hit in by_section["cue"]:
        by_kind.setdefault(hit.group.rule, []).append(hit)
    widest = [h for hits_of_kind in by_kind.values() for h in longest_first(hits_of_kind)]
    cues = sorted(
        (
            h
            for h in widest
            if not blocked.intersection(range(h.start, h.end))
            and not any(
                g.start <= h.start and h.end <= g.end and g.end - g.start > h.end - h.start
                for g in widest
            )
        ),
        key=lambda h: h.start,
    )
    by_effect: dict[tuple[str, str, str], list[Hit]] = {}
    for hit in by_section["modifier"]:
        if answer_counts(doc, hit):
            key = (hit.group.kind, hit.group.direction, hit.group.rule)
            by_effect.setdefault(key, []).append(hit)
    modifiers = [h for group in by_effect.values() for h in longest_first(group)]
    return SortedHits(
        targets, cues, by_section["termination"], sorted(modifiers, key=lambda h: h.start)
    )
