"""Linking the people of one notification to known people: the best-scoring known person
over the threshold for each, a known person given to one person of the notification at most
(two people named in one notification are two people, such as twins).

`assign` is the decision, shared by online linkage (candidates from the database's blocking
query) and the batch re-link (`link_all`, candidates from a `MemoryIndex`), so both link the
same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from screening.linkage.blocking import Candidate, MemoryIndex, shares_block
from screening.linkage.compare import compare
from screening.linkage.record import PersonRecord
from screening.linkage.weights import BIRTH, MATCH_THRESHOLD


@dataclass(frozen=True, slots=True)
class Link:
    """A record's known person (None: someone new) and the weight of the best pair."""

    person_id: int | None
    weight: float | None


# Birth levels that say two records are different people: one such record of a known person
# counts against them whoever else of theirs agrees (no chaining through a record that has no
# date of birth).
CONTRADICTIONS = frozenset({"dob_different", "year_far"})


def best_weights(record: PersonRecord, candidates: Iterable[Candidate]) -> dict[int, float]:
    """Per known person, the weight of their best-matching record sharing a block, lowered by
    the strongest birth contradiction among their records."""
    best: dict[int, float] = {}
    against: dict[int, float] = {}
    for candidate in candidates:
        if not shares_block(record, candidate.record):
            continue
        comparison = compare(record, candidate.record)
        person = candidate.person_id
        best[person] = max(best.get(person, float("-inf")), comparison.weight)
        level = comparison.levels.get("birth")
        if level in CONTRADICTIONS:
            penalty = BIRTH[level].weight
            against[person] = min(against.get(person, 0.0), penalty)
    return {person: weight + against.get(person, 0.0) for person, weight in best.items()}


def assign(
    records: Sequence[PersonRecord],
    candidates: Sequence[Candidate],
    threshold: float = MATCH_THRESHOLD,
) -> list[Link]:
    """One `Link` per record: the strongest pairs over the threshold first, each known
    person and each record used once; ties go to the lower person id (deterministic)."""
    pairs = [
        (weight, person_id, index)
        for index, record in enumerate(records)
        if record.blockable
        for person_id, weight in best_weights(record, candidates).items()
        if weight >= threshold
    ]
    pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
    links: list[Link] = [Link(None, None)] * len(records)
    used: set[int] = set()
    for weight, person_id, index in pairs:
        if person_id in used or links[index].person_id is not None:
            continue
        links[index] = Link(person_id, weight)
        used.add(person_id)
    return links


def link_all(notifications: Iterable[Sequence[PersonRecord]]) -> list[list[Link]]:
    """Link notifications in the order given (earliest first), each against all before it;
    a record with no match becomes a new person numbered from 1 in order of appearance."""
    index = MemoryIndex()
    next_id = 1
    linked: list[list[Link]] = []
    for records in notifications:
        candidates = {id(c): c for r in records for c in index.candidates(r)}
        links = assign(records, list(candidates.values()))
        final: list[Link] = []
        for record, link in zip(records, links, strict=True):
            if link.person_id is None:
                link = Link(next_id, None)
                next_id += 1
            final.append(link)
            if record.blockable and link.person_id is not None:
                index.add(Candidate(link.person_id, record))
        linked.append(final)
    return linked
