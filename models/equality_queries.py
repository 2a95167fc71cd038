"""The rows equality monitoring groups: per triaged notification its stored JSON (the people
and the address the groups come from), route, the manager sample's verdicts, the first duty
decision's time; and per service-labelled what-if row, its notification's JSON."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models.governance_tables import LabelledFacts
from models.review_tables import DecisionRecord, SampleOutcome
from models.tables import NotificationRecord, TriageResult

CHUNK = 2000


@dataclass(frozen=True)
class ScreenedRow:
    notification_id: uuid.UUID
    raw_json: str
    route: str
    received_at: datetime
    checked: int
    overturned: int
    first_decision_at: datetime | None


def screened_rows(session: Session, *, since: datetime | None = None) -> Iterator[ScreenedRow]:
    """Every triaged notification (received since `since`), read in chunks."""
    samples = (
        select(
            SampleOutcome.notification_id.label("nid"),
            func.count().label("checked"),
            func.sum(case((SampleOutcome.is_miss, 1), else_=0)).label("overturned"),
        )
        .group_by(SampleOutcome.notification_id)
        .subquery()
    )
    decisions = (
        select(DecisionRecord.notification_id.label("nid"),
               func.min(DecisionRecord.decided_at).label("first"))
        .group_by(DecisionRecord.notification_id)
        .subquery()
    )
    stmt = (
        select(NotificationRecord.id, NotificationRecord.raw_json, TriageResult.route,
               NotificationRecord.received_at, samples.c.checked, samples.c.overturned,
               decisions.c.first)
        .join(TriageResult, TriageResult.notification_id == NotificationRecord.id)
        .outerjoin(samples, samples.c.nid == NotificationRecord.id)
        .outerjoin(decisions, decisions.c.nid == NotificationRecord.id)
        .order_by(NotificationRecord.received_at, NotificationRecord.id)
    )
    if since is not None:
        stmt = stmt.where(NotificationRecord.received_at >= since)
    for row in session.execute(stmt.execution_options(yield_per=CHUNK)):
        yield ScreenedRow(row[0], row[1], row[2], row[3], int(row[4] or 0), int(row[5] or 0),
                          row[6])


def labelled_fact_documents(session: Session) -> dict[int, str]:
    """labelled_facts id -> its notification's stored JSON, for the service's own labels."""
    stmt = (
        select(LabelledFacts.id, NotificationRecord.raw_json)
        .join(NotificationRecord, NotificationRecord.id == LabelledFacts.notification_id)
        .execution_options(yield_per=CHUNK)
    )
    return {int(i): raw for i, raw in session.execute(stmt)}
