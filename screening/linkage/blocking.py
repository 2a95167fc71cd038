"""Blocking keys: which known records a new record is compared with at all.

A record is stored under up to four keys and looks itself up under the keys that would find
a record of the same person with one error (see `record`): the birth year one either side,
the date of birth with day and month swapped. The database holds the same keys as columns
(models/people_store.py) and asks the same questions; `MemoryIndex` asks them of a dict, for
a batch re-link and for the benchmark.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from screening.linkage.record import PersonRecord, swapped

Key = tuple[str, str, object]


def stored_keys(record: PersonRecord) -> frozenset[Key]:
    """The keys a known record is found under."""
    keys: set[Key] = set()
    fk, gk, year = record.family_key, record.given_key, record.birth_year
    if fk and year is not None:
        keys.add(("family_year", fk, year))
    if record.date_of_birth is not None:
        keys.add(("dob", "", record.date_of_birth))
    if fk and gk:
        keys.add(("family_given", fk, gk))
    if gk and year is not None:
        keys.add(("given_year", record.given_block, year))
    return frozenset(keys)


@lru_cache(maxsize=65536)
def query_keys(record: PersonRecord) -> frozenset[Key]:
    """The keys a new record looks itself up under."""
    keys: set[Key] = set()
    fk, gk, year = record.family_key, record.given_key, record.birth_year
    if year is not None:
        for near in (year - 1, year, year + 1):
            if fk:
                keys.add(("family_year", fk, near))
            if gk:
                keys.add(("given_year", record.given_block, near))
    if record.date_of_birth is not None:
        keys.add(("dob", "", record.date_of_birth))
        if (other := swapped(record.date_of_birth)) is not None:
            keys.add(("dob", "", other))
    if fk and gk:
        keys.add(("family_given", fk, gk))
    return frozenset(keys)


def shares_block(new: PersonRecord, known: PersonRecord) -> bool:
    """Whether linkage compares `new` with `known` at all."""
    return not query_keys(new).isdisjoint(stored_keys(known))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A known record, the person it was linked to, and the keys it is stored under."""

    person_id: int
    record: PersonRecord
    keys: frozenset[Key]

    @classmethod
    def of(cls, person_id: int, record: PersonRecord) -> Candidate:
        return cls(person_id, record, stored_keys(record))


class MemoryIndex:
    """Known records by blocking key, in memory."""

    def __init__(self) -> None:
        self._blocks: dict[Key, list[Candidate]] = {}

    def add(self, candidate: Candidate) -> None:
        for key in stored_keys(candidate.record):
            self._blocks.setdefault(key, []).append(candidate)

    def candidates(self, record: PersonRecord) -> Iterator[Candidate]:
        """Each known record sharing a block with `record`, once."""
        seen: set[int] = set()
        for key in query_keys(record):
            for candidate in self._blocks.get(key, ()):
                if id(candidate) not in seen:
                    seen.add(id(candidate))
                    yield candidate
