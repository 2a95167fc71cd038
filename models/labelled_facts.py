"""The what-if history: per labelled notification its truth, score and route facts, stored once.

Two origins: labels recorded in the service (duty decisions and manager samples; the latest
label of each notification counts) and imported labelled files. The caller computes score and
facts with the screening engine; this module only stores and reads them, fast: a what-if over
100,000 rows reads plain columns and never parses JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from models.governance_tables import LabelledFacts, LabelledImport
from models.review_tables import LabelRecord
from models.tables import NotificationRecord

INSERT_CHUNK = 2000


def join_names(names: Sequence[str] | frozenset[str] | set[str]) -> str:
    return ",".join(sorted(names))


def split_names(text: str) -> tuple[str, ...]:
    return tuple(text.split(",")) if text else ()


@dataclass(frozen=True)
class FactRow:
    """One labelled notification, scored: what the route rule needs, and the truth."""

    reference: str
    occurred_at: datetime
    child_involvement: bool
    categories: tuple[str, ...]
    score: float
    positive_categories: frozenset[str]
    uncertain_rules: frozenset[str]
    silent: bool


def _values(row: FactRow, model_version: str, now: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "reference": row.reference,
        "occurred_at": row.occurred_at,
        "child_involvement": row.child_involvement,
        "categories": ",".join(row.categories),
        "score": float(row.score),
        "positive_categories": join_names(row.positive_categories),
        "uncertain_rules": join_names(row.uncertain_rules),
        "silent": row.silent,
        "model_version": model_version,
        "created_at": now,
        **extra,
    }


def _insert(session: Session, values: list[dict[str, Any]]) -> None:
    for start in range(0, len(values), INSERT_CHUNK):
        session.execute(insert(LabelledFacts), values[start : start + INSERT_CHUNK])


def record_import(
    session: Session,
    *,
    name: str,
    sha256: str,
    model_version: str,
    rows: Sequence[FactRow],
    imported_by: int | None,
    now: datetime,
) -> int:
    """Store an imported labelled file's facts; returns the import's id."""
    entry = LabelledImport(
        name=name[:300],
        sha256=sha256,
        rows=len(rows),
        model_version=model_version,
        imported_by=imported_by,
        imported_at=now,
    )
    session.add(entry)
    session.flush()
    _insert(
        session,
        [_values(r, model_version, now, origin="import", import_id=entry.id) for r in rows],
    )
    return entry.id


def import_with_hash(session: Session, sha256: str) -> int | None:
    return session.scalar(select(LabelledImport.id).where(LabelledImport.sha256 == sha256))


@dataclass(frozen=True)
class PendingLabel:
    """A service label whose facts are missing or stale (a newer label was recorded)."""

    notification_id: uuid.UUID
    label_id: int
    raw_json: str
    address_key: str
    received_at: datetime
    child_involvement: bool
    categories: tuple[str, ...]


def pending_labels(session: Session, limit: int = 5000) -> list[PendingLabel]:
    latest = (
        select(LabelRecord.notification_id, func.max(LabelRecord.id).label("label_id"))
        .group_by(LabelRecord.notification_id)
        .subquery()
    )
    stmt = (
        select(
            latest.c.notification_id,
            latest.c.label_id,
            NotificationRecord.raw_json,
            NotificationRecord.address_key,
            NotificationRecord.received_at,
            LabelRecord.child_involvement,
            LabelRecord.categories,
        )
        .join(LabelRecord, LabelRecord.id == latest.c.label_id)
        .join(NotificationRecord, NotificationRecord.id == latest.c.notification_id)
        .outerjoin(LabelledFacts, LabelledFacts.notification_id == latest.c.notification_id)
        .where((LabelledFacts.id.is_(None)) | (LabelledFacts.label_id != latest.c.label_id))
        .where(NotificationRecord.raw_json != "")  # retention removed the rest's personal data
        .order_by(latest.c.label_id)
        .limit(limit)
    )
    return [
        PendingLabel(r[0], int(r[1]), r[2], r[3], r[4], bool(r[5]), tuple(r[6] or ()))
        for r in session.execute(stmt)
    ]


def store_label_facts(
    session: Session,
    items: Sequence[tuple[PendingLabel, FactRow]],
    *,
    model_version: str,
    now: datetime,
) -> int:
    """Replace the facts of these labelled notifications; returns how many were stored."""
    if not items:
        return 0
    ids = [pending.notification_id for pending, _ in items]
    session.execute(delete(LabelledFacts).where(LabelledFacts.notification_id.in_(ids)))
    _insert(
        session,
        [
            _values(
                row,
                model_version,
                now,
                origin="label",
                notification_id=pending.notification_id,
                label_id=pending.label_id,
            )
            for pending, row in items
        ],
    )
    return len(items)


FACT_COLUMNS = (
    "id, child_involvement, categories, score, positive_categories, uncertain_rules, silent"
)


@dataclass(frozen=True)
class StoredFacts:
    """Rows for replay: (id, involved, categories, score, positives, uncertain, silent), plus
    the span of incident times. References are looked up by id only where needed."""

    rows: list[tuple[Any, ...]]
    first: datetime | None
    last: datetime | None


def facts_version(session: Session) -> tuple[int, int, int]:
    """(count, highest id, highest label id): changes whenever facts are added or replaced
    (SQLite may reuse the id of a replaced row; the label id of a newer label is higher)."""
    count, top, label = session.execute(
        select(func.count(), func.max(LabelledFacts.id), func.max(LabelledFacts.label_id))
    ).one()
    return int(count or 0), int(top or 0), int(label or 0)


def load_facts(session: Session, import_id: int | None = None) -> StoredFacts:
    """Every stored row (or one import's), read through the driver's cursor: 100,000 rows in
    a fraction of a second, with no per-row ORM or JSON work."""
    sql = f"SELECT {FACT_COLUMNS} FROM labelled_facts"
    condition = []
    if import_id is not None:
        sql += f" WHERE import_id = {int(import_id)}"
        condition = [LabelledFacts.import_id == import_id]
    # An open connection always has its DBAPI connection (sqlite3's or psycopg's); SQLAlchemy
    # types `driver_connection` as possibly None.
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql + " ORDER BY id")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    first, last = session.execute(
        select(func.min(LabelledFacts.occurred_at), func.max(LabelledFacts.occurred_at)).where(
            *condition
        )
    ).one()
    return StoredFacts(rows, first, last)


def references_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """id -> (reference, origin) for a few rows (e.g. the involved ones screened out)."""
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        stmt = select(LabelledFacts.id, LabelledFacts.reference, LabelledFacts.origin).where(
            LabelledFacts.id.in_(chunk)
        )
        found.update({int(i): (ref, origin) for i, ref, origin in session.execute(stmt)})
    return found


@dataclass(frozen=True)
class HistorySummary:
    labels: int
    imports: list[dict[str, Any]]
    total: int


def history_summary(session: Session) -> HistorySummary:
    labels = int(
        session.scalar(
            select(func.count()).select_from(LabelledFacts).where(LabelledFacts.origin == "label")
        )
        or 0
    )
    entries = session.scalars(select(LabelledImport).order_by(LabelledImport.id.desc())).all()
    imports: list[dict[str, Any]] = [
        {
            "id": i.id,
            "name": i.name,
            "rows": i.rows,
            "imported_at": i.imported_at,
            "model_version": i.model_version,
        }
        for i in entries
    ]
    return HistorySummary(labels, imports, labels + sum(int(i.rows) for i in entries))
