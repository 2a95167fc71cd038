"""Labels: what a duty decision or a manager's sample verdict says about a notification (was a
child involved, and how), written once per decision or verdict; and the labels export.

A label's categories are the contract's (`models.contract.CATEGORIES`), in the contract's order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.contract import CATEGORIES
from models.review_tables import LabelRecord, ReviewError
from models.tables import NotificationRecord


def clean_categories(categories: Sequence[str]) -> list[str]:
    """The chosen categories in the contract's order; ReviewError for an unknown one."""
    if any(c not in CATEGORIES for c in categories):
        raise ReviewError("invalid_category")
    return [c for c in CATEGORIES if c in categories]


def label_categories(categories: Sequence[str], *, involved: bool) -> list[str]:
    """What a decision or verdict labels a notification with: no categories when no child is
    involved, else at least one (ReviewError `categories_required`), in the contract's order."""
    chosen = clean_categories(categories) if involved else []
    if involved and not chosen:
        raise ReviewError("categories_required")
    return chosen


def required_reasoning(reasoning: str) -> str:
    """A decision's or verdict's reasoning, trimmed; ReviewError when there is none."""
    reasoning = reasoning.strip()
    if not reasoning:
        raise ReviewError("reasoning_required")
    return reasoning


def write_label(
    session: Session,
    *,
    notification_id: uuid.UUID,
    involved: bool,
    categories: Sequence[str],
    labelled_by: int,
    now: datetime,
    decision_id: int | None = None,
    sample_outcome_id: int | None = None,
) -> None:
    """Record the label of one decision (`decision_id`) or sample verdict."""
    session.add(
        LabelRecord(
            notification_id=notification_id,
            child_involvement=involved,
            categories=list(categories) if involved else [],
            source="decision" if decision_id is not None else "sample",
            decision_id=decision_id,
            sample_outcome_id=sample_outcome_id,
            labelled_by=labelled_by,
            labelled_at=now,
        )
    )


def iter_labels(session: Session, *, batch: int = 500) -> Iterator[dict[str, Any]]:
    """The latest label of each labelled notification, as contract section 5 objects."""
    latest = (
        select(func.max(LabelRecord.id).label("id"))
        .group_by(LabelRecord.notification_id)
        .subquery()
    )
    stmt = (
        select(NotificationRecord.raw_json, LabelRecord.child_involvement, LabelRecord.categories)
        .join(LabelRecord, LabelRecord.notification_id == NotificationRecord.id)
        .join(latest, latest.c.id == LabelRecord.id)
        .where(NotificationRecord.raw_json != "")  # retention removed the rest's personal data
        .order_by(LabelRecord.id)
        .execution_options(yield_per=batch)
    )
    for raw_json, involved, categories in session.execute(stmt):
        yield {
            "notification": json.loads(raw_json),
            "label": {"child_involvement": bool(involved), "categories": list(categories or [])},
        }
