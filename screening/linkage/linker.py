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

from screening.linkage.blocking import Candidate, MemoryIndex, query_keys
from screening.linkage.compare import compare
from screening.linkage.record import PersonRecord
from screening.linkage.weights import MATCH_THRESHOLD


@dataclass(frozen=True, slots=True)
class Link:
    """A record's known person (None: someone new) and the weight of the best pair."""

    person_id: int | None
    weight: float | None


# Birth levels that say two records are different people: a known person with one such record
# is not this record's person, whoever else of theirs agrees (no chaining through a record that
# has no date of birth).
CONTRADICTIONS = frozenset({"dob_different", "year_far"})


def best_weights(record: PersonRecord, candidates: Iterable[Candidate]) -> dict[int, float]:
    """Per known person, the weight of their best-matching record sharing a block; a person
    with a record whose birth contradicts this one's is left out."""
    best: dict[int, float] = {}
    contradicted: set[int] = set()
    wanted = query_keys(record)
    for candidate in candidates:
        if wanted.isdisjoint(candidate.keys):
            continue
        comparison = compare(record, candidate.record)
        person = candidate.person_id
        best[person] = max(best.get(person, float("-inf")), comparison.weight)
        if comparison.levels.get("birth") in CONTRADICTIONS:
            contradicted.add(person)
    return {person: weight for person, weight in best.items() if person not in contradicted}


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


def link_all(
    notifications: Iterable[Sequence[PersonRecord]], threshold: float = MATCH_THRESHOLD
) -> list[list[Link]]:
    """Link notifications in the order given (earliest first), each against all before it;
    a record with no match becomes a new person numbered from 1 in order of appearance."""
    index = MemoryIndex()
    next_id = 1
    linked: list[list[Link]] = []
    for records in notifications:
        candidates = {id(c): c for r in records for c in index.candidates(r)}
        links = assign(records, list(candidates.values()), threshold)
        final: list[Link] = []
        for record, link in zip(records, links, strict=True):
            if link.person_id is None:
                link = Link(next_id, None)
                next_id += 1
            final.append(link)
            if record.blockable and link.person_id is not None:
                index.add(Candidate.of(link.person_id, record))
        linked.append(final)
    return linked
