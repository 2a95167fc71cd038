"""The people index's reads and writes: blocking queries, mentions, the history linkage feeds
(children known to a party, incidents in a rolling window), the item page's "known to this
service" rows, and the batch re-link's updates.

Every function takes a Session first and keyword-only arguments after it; committing is the
caller's. Nothing here logs: the rows hold names and dates of birth.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, distinct, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from models.people_tables import KnownPerson, PersonMention
from models.review_tables import DecisionRecord
from models.tables import NotificationRecord, TriageResult

PARTY_ROLES = ("victim", "suspect")
# The columns linkage rebuilds a record from (screening.linkage.record.PersonRecord).
RECORD_COLUMNS = (
    PersonMention.id,
    PersonMention.notification_id,
    PersonMention.person_id,
    PersonMention.given,
    PersonMention.family,
    PersonMention.date_of_birth,
    PersonMention.birth_year,
    PersonMention.gender,
    PersonMention.address_key,
    PersonMention.role,
    PersonMention.given_key,
    PersonMention.family_key,
    PersonMention.occurred_at,
    PersonMention.minor,
)


@dataclass(frozen=True)
class BlockQuery:
    """One record's blocking keys (screening.linkage.blocking.query_keys, as columns): its
    family and given keys, its given block, the birth years wanted (one either side) and the
    dates of birth (it, and it with day and month swapped). An empty key matches nothing."""

    family_key: str = ""
    given_key: str = ""
    given_block: str = ""
    years: tuple[int, ...] = ()
    dobs: tuple[date, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.family_key or self.given_key or self.dobs)

    def params(self) -> dict[str, Any]:
        return {
            "family_key": self.family_key or _NOTHING,
            "given_key": self.given_key or _NOTHING,
            "given_block": self.given_block or _NOTHING,
            "years": list(self.years),
            "dobs": list(self.dobs),
        }


_NOTHING = "-"  # no Metaphone key is a hyphen
_M = PersonMention.__table__.c
_YEARS: Any = bindparam("years", expanding=True)
# One shape for every record, compiled once: the four blocks of screening/linkage/blocking.py.
_CANDIDATES = select(*RECORD_COLUMNS).where(
    or_(
        and_(_M.family_key == bindparam("family_key"), _M.birth_year.in_(_YEARS)),
        and_(_M.given_block == bindparam("given_block"), _M.birth_year.in_(_YEARS)),
        and_(_M.family_key == bindparam("family_key"), _M.given_key == bindparam("given_key")),
        _M.date_of_birth.in_(bindparam("dobs", expanding=True)),
    ),
    _M.notification_id != bindparam("exclude"),
)
_NO_NOTIFICATION = uuid.UUID(int=0)


def candidates(
    session: Session,
    *,
    queries: Sequence[BlockQuery],
    exclude_notification: uuid.UUID | None = None,
) -> list[Any]:
    """Known mentions (RECORD_COLUMNS) in any block of any of the queries (one statement a
    record), other notifications' only, each once."""
    exclude = exclude_notification or _NO_NOTIFICATION
    found: dict[int, Any] = {}
    for query in queries:
        if query.empty:
            continue
        for row in session.execute(_CANDIDATES, {**query.params(), "exclude": exclude}):
            found.setdefault(row.id, row)
    return list(found.values())


def mentions_of(session: Session, *, notification_id: uuid.UUID) -> list[PersonMention]:
    """A notification's mentions in list order (empty when it has not been linked)."""
    return list(
        session.scalars(
            select(PersonMention)
            .where(PersonMention.notification_id == notification_id)
            .order_by(PersonMention.position)
        )
    )


def add_people(session: Session, *, count: int, now: datetime) -> list[int]:
    """`count` new known people; their ids in order."""
    if count <= 0:
        return []
    # Core inserts on the tables: the ORM's bulk path costs more than the insert at triage.
    people = cast(Table, KnownPerson.__table__)
    ids = [
        session.execute(insert(people).values(created_at=now).returning(people.c.id)).scalar_one()
        for _ in range(count)
    ]
    return sorted(ids)


def add_mentions(session: Session, *, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        session.execute(insert(cast(Table, PersonMention.__table__)), [dict(row) for row in rows])


def all_mentions(session: Session) -> list[Any]:
    """Every mention (RECORD_COLUMNS and position), earliest incident first: the re-link's
    order, the same order online linkage meets them."""
    return list(
        session.execute(
            select(*RECORD_COLUMNS, PersonMention.position, PersonMention.weight).order_by(
                PersonMention.occurred_at, PersonMention.notification_id, PersonMention.position
            )
        ).all()
    )


def relink_mentions(
    session: Session, *, changes: Mapping[int, tuple[int, float | None]], now: datetime
) -> None:
    """Point mentions (by id) at other people, with the weight of the new link."""
    for mention_id, (person_id, weight) in changes.items():
        session.execute(
            update(PersonMention)
            .where(PersonMention.id == mention_id)
            .values(person_id=person_id, weight=weight, linked_at=now)
        )


def remove_unmentioned_people(session: Session) -> int:
    """Delete known people no mention points at any more; return how many."""
    used = select(PersonMention.person_id).distinct()
    result = session.execute(delete(KnownPerson).where(KnownPerson.id.not_in(used)))
    return int(getattr(result, "rowcount", 0) or 0)


_PARTY, _CHILD = aliased(PersonMention), aliased(PersonMention)
# Built once: building an aliased statement cost more than running it, once per notification.
_CHILDREN_KNOWN = (
    select(
        _PARTY.person_id.label("party_id"),
        _PARTY.lives_at_address.label("party_lives"),
        _CHILD.person_id.label("child_id"),
        _CHILD.given_name,
        _CHILD.family_name,
        _CHILD.date_of_birth,
        _CHILD.age,
        _CHILD.lives_at_address,
        _CHILD.occurred_at,
        _CHILD.notification_id,
        NotificationRecord.reference,
    )
    .join(_CHILD, and_(_CHILD.notification_id == _PARTY.notification_id, _CHILD.minor.is_(True)))
    .join(NotificationRecord, NotificationRecord.id == _PARTY.notification_id)
    .where(
        _PARTY.person_id.in_(bindparam("ids", expanding=True)),
        _PARTY.role.in_(PARTY_ROLES),
        _PARTY.notification_id != bindparam("exclude"),
        _PARTY.occurred_at <= bindparam("until"),
    )
    .order_by(_CHILD.occurred_at, _CHILD.notification_id, _CHILD.position)
)
_INCIDENTS = select(func.count(distinct(PersonMention.notification_id))).where(
    PersonMention.person_id.in_(bindparam("ids", expanding=True)),
    PersonMention.occurred_at >= bindparam("since"),
    PersonMention.occurred_at <= bindparam("until"),
)


def children_known_to(
    session: Session,
    *,
    person_ids: Iterable[int],
    until: datetime,
    exclude_notification: uuid.UUID,
) -> list[Any]:
    """Children listed in other notifications (up to `until`) in which one of these people was
    a victim or a suspect: party_id, party_lives, child_id, the child's given_name,
    family_name, date_of_birth, age, lives_at_address, occurred_at, and the notification's id
    and reference."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    params = {"ids": ids, "exclude": exclude_notification, "until": until}
    return list(session.execute(_CHILDREN_KNOWN, params).all())


def incidents_between(
    session: Session, *, person_ids: Iterable[int], since: datetime, until: datetime
) -> int:
    """Notifications with an incident from `since` to `until` (inclusive) naming any of them."""
    ids = sorted(set(person_ids))
    if not ids:
        return 0
    params = {"ids": ids, "since": since, "until": until}
    return int(session.scalar(_INCIDENTS, params) or 0)


def known_elsewhere(session: Session, *, notification_id: uuid.UUID) -> list[Any]:
    """For each person of this notification, the other notifications (up to this one's
    incident) naming the same known person: position, person_id, the other's notification id,
    reference, occurred_at, role there, its route and its latest decision's outcome."""
    this, other = aliased(PersonMention), aliased(PersonMention)
    outcome = (
        select(DecisionRecord.outcome)
        .where(DecisionRecord.notification_id == other.notification_id)
        .order_by(DecisionRecord.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    statement = (
        select(
            this.position,
            this.person_id,
            other.notification_id,
            NotificationRecord.reference,
            other.occurred_at,
            other.role,
            TriageResult.route,
            outcome.label("outcome"),
        )
        .join(
            other,
            and_(
                other.person_id == this.person_id,
                other.notification_id != this.notification_id,
                other.occurred_at <= this.occurred_at,
            ),
        )
        .join(NotificationRecord, NotificationRecord.id == other.notification_id)
        .outerjoin(TriageResult, TriageResult.notification_id == other.notification_id)
        .where(this.notification_id == notification_id)
        .order_by(this.position, other.occurred_at.desc())
    )
    return list(session.execute(statement).all())


def unindexed_notifications(session: Session, *, limit: int = 1000) -> list[Any]:
    """Notifications none of whose people are in the index yet (id, raw_json, address_key),
    oldest first: what a re-link adds before it re-links."""
    indexed = select(PersonMention.notification_id).distinct()
    return list(
        session.execute(
            select(
                NotificationRecord.id, NotificationRecord.raw_json, NotificationRecord.address_key
            )
            .where(NotificationRecord.id.not_in(indexed))
            .where(NotificationRecord.raw_json != "")  # retention removed its personal data
            .order_by(NotificationRecord.received_at, NotificationRecord.id)
            .limit(limit)
        ).all()
    )
