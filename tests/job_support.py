"""Service labels for the background-job tests: synthetic labelled notifications stored the way
intake stores them, each with a person's label, through the models/ store functions."""

from __future__ import annotations

import json

from models.contract import Notification
from models.db import session_scope
from models.intake_store import canonical_hash, store_notification
from models.key_store import ensure_source
from models.review_tables import LabelRecord
from models.types import utcnow
from screening.synth import generate


def seed_labels(url: str, count: int, *, labelled_by: int, seed: int = 4) -> int:
    """Store `count` synthetic notifications with their labels; returns how many are involved."""
    involved = 0
    with session_scope(url) as session:
        source_id = ensure_source(session, name="Label Test Police")
        for row in generate(count, seed):
            document = row["notification"]
            stored = store_notification(
                session,
                source_id=source_id,
                notification=Notification.model_validate(document),
                raw_json=json.dumps(document),
                body_hash=canonical_hash(document),
            )
            label = row["label"]
            involved += bool(label["child_involvement"])
            session.add(
                LabelRecord(
                    notification_id=stored.id,
                    child_involvement=bool(label["child_involvement"]),
                    categories=list(label.get("categories") or []),
                    source="decision",
                    labelled_by=labelled_by,
                    labelled_at=utcnow(),
                )
            )
    return involved
