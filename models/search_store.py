"""Finding any notification, screened out or not: the search index written when a notification
is received (and filled for older ones), the search itself, and one notification read whole.

Every search is a prefix or exact match on `search_terms` through its (kind, value) index;
prefixes are compared as byte ranges (`value >= 'smi' AND value < 'smj'`), which both
PostgreSQL (the column is collated "C") and SQLite answer from the index.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    func,
    insert,
    intersect,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from models.address import normalise_line
from models.search_tables import NotificationSummary, SearchTerm
from models.search_terms import (
    name_words,
    postcode_key,
    reference_key,
    sound_of,
    summary_of,
    terms_of,
)
from models.tables import NotificationRecord, QueueItem, Source, TriageResult

SEARCH_KINDS = ("reference", "name", "dob", "postcode", "address")


def index_rows(
    notification_id: uuid.UUID, document: Mapping[str, Any], received_at: datetime | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The summary row (with `received_at`, when given) and the search-term rows of one
    notification."""
    summary = {"notification_id": notification_id, **summary_of(document)}
    if received_at is not None:
        summary["received_at"] = received_at
    terms = [
        {"notification_id": notification_id, "kind": kind, "value": value}
        for kind, value in terms_of(document)
    ]
    return summary, terms


def write_index(
    connection: Session | Connection, *, notification_id: uuid.UUID, document: Mapping[str, Any]
) -> None:
    """Index one stored notification (its JSON document) in the caller's transaction; its
    time of receipt is copied from the stored row."""
    summary, terms = index_rows(notification_id, document)
    names = list(summary)
    connection.execute(
        insert(NotificationSummary).from_select(
            [*names, "received_at"],
            select(
                *(literal(summary[n], type_=NotificationSummary.__table__.c[n].type)
                  for n in names),
                NotificationRecord.received_at,
            ).where(NotificationRecord.id == notification_id),
        )
    )  # fmt: skip
    if terms:
        connection.execute(insert(SearchTerm), terms)


def index_missing(connection: Session | Connection, *, batch: int = 1000) -> int:
    """Index every notification not yet indexed (older ones, or one whose index write was
    lost); return how many. Safe to run again."""
    done = 0
    while True:
        rows = connection.execute(
            select(
                NotificationRecord.id, NotificationRecord.raw_json, NotificationRecord.received_at
            )
            .outerjoin(
                NotificationSummary,
                NotificationSummary.notification_id == NotificationRecord.id,
            )
            .where(NotificationSummary.notification_id.is_(None))
            .limit(batch)
        ).all()
        if not rows:
            return done
        summaries, terms = [], []
        for notification_id, raw, received_at in rows:
            try:
                document = json.loads(raw)
            except ValueError:
                document = {}
            if not isinstance(document, dict):
                document = {}
            summary, more = index_rows(notification_id, document, received_at)
            summaries.append(summary)
            terms += more
        connection.execute(
            delete(SearchTerm).where(SearchTerm.notification_id.in_([r[0] for r in rows]))
        )
        connection.execute(insert(NotificationSummary), summaries)
        if terms:
            connection.execute(insert(SearchTerm), terms)
        done += len(rows)


def _prefix(kind: str, prefix: str) -> ColumnElement[bool]:
    """Terms of `kind` that start with `prefix` (a byte range the index answers)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(SearchTerm.kind == kind, SearchTerm.value >= prefix, SearchTerm.value < upper)


def _exact(kind: str, value: str) -> ColumnElement[bool]:
    return and_(SearchTerm.kind == kind, SearchTerm.value == value)


def term_conditions(kind: str, query: str, *, similar: bool = False) -> list[ColumnElement[bool]]:
    """One condition per part of the query; a notification must match every one. Empty when
    the query holds nothing to search by."""
    if kind == "reference":
        key = reference_key(query)
        return [_prefix("reference", key)] if key else []
    if kind == "name":
        conditions = []
        for word in name_words(query):
            match = _prefix("name", word)
            if similar:
                match = or_(match, _exact("sound", sound_of(word)))
            conditions.append(match)
        return conditions
    if kind == "dob":
        return [_exact("dob", query)] if query else []
    if kind == "postcode":
        key = postcode_key(query)
        return [_prefix("postcode", key)] if key else []
    if kind == "address":
        line = normalise_line(query)
        return [or_(_prefix("line", line), _prefix("street", line))] if line else []
    raise ValueError(f"unknown search kind {kind!r}")


@dataclass(frozen=True)
class SearchHit:
    notification_id: uuid.UUID
    reference: str
    source: str
    received_at: datetime
    victim_name: str
    town: str
    postcode: str
    status: str
    route: str | None
    # The newest queue item of each kind: (item id, kind, status), newest first.
    items: list[tuple[int, str, str]]


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int


def search(
    session: Session, *, kind: str, query: str, similar: bool = False, limit: int = 50
) -> SearchPage:
    """Notifications matching the query, newest first (at most `limit`), and how many match."""
    conditions = term_conditions(kind, query.strip(), similar=similar)
    if not conditions:
        return SearchPage([], 0)
    # The matching ids from the covering (kind, value, notification_id) index alone; every
    # condition must hold (INTERSECT); sorted on the narrow summaries; details for one page.
    parts = [select(SearchTerm.notification_id).where(c) for c in conditions]
    matching = (parts[0].distinct() if len(parts) == 1 else intersect(*parts)).subquery()
    total = int(session.scalar(select(func.count()).select_from(matching)) or 0)
    newest = (
        select(NotificationSummary.notification_id)
        .where(NotificationSummary.notification_id.in_(select(matching.c[0])))
        .order_by(NotificationSummary.received_at.desc(), NotificationSummary.notification_id)
        .limit(limit)
    )
    ids = list(session.scalars(newest))
    if not ids:
        return SearchPage([], total)
    rows = session.execute(
        select(
            NotificationRecord.id,
            NotificationRecord.reference,
            Source.name,
            NotificationRecord.received_at,
            NotificationSummary.victim_name,
            NotificationSummary.town,
            NotificationSummary.postcode,
            NotificationRecord.status,
            TriageResult.route,
        )
        .join(Source, Source.id == NotificationRecord.source_id)
        .join(NotificationSummary, NotificationSummary.notification_id == NotificationRecord.id)
        .outerjoin(TriageResult, TriageResult.notification_id == NotificationRecord.id)
        .where(NotificationRecord.id.in_(ids))
        .order_by(NotificationRecord.received_at.desc(), NotificationRecord.id)
    ).all()
    items = queue_items_of(session, notification_ids=[r[0] for r in rows])
    hits = [
        SearchHit(
            notification_id=r[0],
            reference=r[1],
            source=r[2],
            received_at=r[3],
            victim_name=r[4] or "",
            town=r[5] or "",
            postcode=r[6] or "",
            status=r[7],
            route=r[8],
            items=items.get(r[0], []),
        )
        for r in rows
    ]
    return SearchPage(hits, total)


def queue_items_of(
    session: Session, *, notification_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[int, str, str]]]:
    """Each notification's queue items (id, kind, status), newest first."""
    found: dict[uuid.UUID, list[tuple[int, str, str]]] = {}
    if not notification_ids:
        return found
    for notification_id, item_id, kind, status in session.execute(
        select(QueueItem.notification_id, QueueItem.id, QueueItem.kind, QueueItem.status)
        .where(QueueItem.notification_id.in_(notification_ids))
        .order_by(QueueItem.id.desc())
    ):
        found.setdefault(notification_id, []).append((item_id, kind, status))
    return found


@dataclass(frozen=True)
class NotificationView:
    """One notification whole, for the read-only page."""

    id: uuid.UUID
    reference: str
    source: str
    received_at: datetime
    status: str
    document: dict[str, Any]
    route: str | None
    priority: str | None
    score: float | None
    reasons: list[str]
    categories: list[str]
    items: list[tuple[int, str, str]]

    def live_work(self) -> bool:
        """Whether a duty review or triage check is still open or claimed."""
        return any(k != "manager_sample" and s != "closed" for _, k, s in self.items)


def read_notification(session: Session, *, notification_id: uuid.UUID) -> NotificationView | None:
    row = session.execute(
        select(NotificationRecord, Source.name)
        .join(Source, Source.id == NotificationRecord.source_id)
        .where(NotificationRecord.id == notification_id)
    ).first()
    if row is None:
        return None
    record, source = row
    result = session.scalar(
        select(TriageResult).where(TriageResult.notification_id == notification_id)
    )
    try:
        document = json.loads(record.raw_json)
    except ValueError:
        document = {}
    return NotificationView(
        id=record.id,
        reference=record.reference,
        source=source,
        received_at=record.received_at,
        status=record.status,
        document=document if isinstance(document, dict) else {},
        route=result.route if result else None,
        priority=result.priority if result else None,
        score=result.score if result else None,
        reasons=list(result.reasons or []) if result else [],
        categories=list(result.categories or []) if result else [],
        items=queue_items_of(session, notification_ids=[notification_id]).get(notification_id, []),
    )


def parse_dob(day: str, month: str, year: str) -> date | None:
    """A date of birth from the three boxes of a GOV.UK date input, or None if not a date."""
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
