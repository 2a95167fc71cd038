"""The batch re-link of the whole people index (`dvscreen people relink`).

First every notification whose people are not in the index yet is linked as triage would link
it (older notifications, imports); then every mention is linked again from scratch, earliest
incident first, with the same decision as online linkage (screening.linkage.linker.link_all).
Each cluster keeps the lowest person id already among its mentions, so a second re-link with
nothing new changes nothing; people left with no mention are removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy.orm import Session

from governance.people_index import link_notification, record_of
from models.contract import Notification
from models.people_store import (
    add_people,
    all_mentions,
    relink_mentions,
    remove_unmentioned_people,
    unindexed_notifications,
)
from screening.linkage.linker import link_all


@dataclass(frozen=True)
class RelinkReport:
    indexed: int  # notifications added to the index first
    mentions: int
    changed: int  # mentions now linked to another person
    people: int  # known people after the re-link
    removed: int  # people no mention points at any more


def index_missing(session: Session, *, now: datetime, batch: int = 500) -> int:
    """Link every notification not yet in the index; return how many."""
    count = 0
    while rows := unindexed_notifications(session, limit=batch):
        for row in rows:
            notification = Notification.model_validate_json(row.raw_json)
            link_notification(session, notification_id=row.id, notification=notification,
                              address_key=row.address_key, now=now)
        count += len(rows)
    return count


def _person_ids(groups: list[list[Any]], clusters: list[list[int]]) -> dict[int, int]:
    """Cluster label -> person id: the lowest existing id among its mentions not already
    kept by an earlier cluster; a cluster left without one is absent (a new person)."""
    members: dict[int, set[int]] = {}
    for rows, labels in zip(groups, clusters, strict=True):
        for row, label in zip(rows, labels, strict=True):
            members.setdefault(label, set()).add(row.person_id)
    taken: set[int] = set()
    chosen: dict[int, int] = {}
    for label in sorted(members):  # labels number clusters in order of first appearance
        free = sorted(members[label] - taken)
        if free:
            chosen[label] = free[0]
            taken.add(free[0])
    return chosen


def relink(session: Session, *, now: datetime) -> RelinkReport:
    """Index what is missing, then re-link every mention; see the module docstring."""
    indexed = index_missing(session, now=now)
    rows = all_mentions(session)
    groups = [list(g) for _, g in groupby(rows, key=lambda row: row.notification_id)]
    links = link_all([[record_of(row) for row in group] for group in groups])
    labels = [[link.person_id or 0 for link in group] for group in links]
    chosen = _person_ids(groups, labels)
    missing = sorted({label for group in labels for label in group} - set(chosen))
    chosen.update(zip(missing, add_people(session, count=len(missing), now=now), strict=True))
    changes: dict[int, tuple[int, float | None]] = {}
    for group, linked in zip(groups, links, strict=True):
        for row, link in zip(group, linked, strict=True):
            person_id = chosen[link.person_id or 0]
            if person_id != row.person_id or link.weight != row.weight:
                changes[row.id] = (person_id, link.weight)
    relink_mentions(session, changes=changes, now=now)
    removed = remove_unmentioned_people(session)
    moved = sum(1 for group in groups for row in group if changes.get(row.id, (row.person_id,))[0]
                != row.person_id)
    return RelinkReport(indexed, len(rows), moved, len(set(chosen.values())), removed)
