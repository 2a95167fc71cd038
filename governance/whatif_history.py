"""Filling the what-if history: labelled files imported, and the service's own labels synced.

Score and route facts are computed here once per labelled notification, with the screening
engine's `analyse` and the active model (the same `score_labelled` that `dvscreen evaluate`
uses), and stored by models.labelled_facts; a what-if then only replays the route rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from governance.active_model import active_screener
from models.contract import Notification
from models.db import session_scope
from models.job_store import Progress
from models.labelled_facts import FactRow, import_with_hash, pending_labels, record_import
from models.labelled_facts import store_label_facts as store_label_rows
from models.triage_store import priors_for
from models.types import utcnow
from screening.analysis import analyse
from screening.labelled import read_labelled
from screening.model import sha256_of
from screening.route import Facts
from screening.screener import Screener
from screening.whatif import Scored, score_labelled


def _row(
    reference: str,
    occurred_at: datetime,
    involved: bool,
    categories: Sequence[str],
    score: float,
    facts: Facts,
) -> FactRow:
    return FactRow(
        reference=reference,
        occurred_at=occurred_at,
        child_involvement=involved,
        categories=tuple(categories),
        score=float(score),
        positive_categories=facts.positive_categories,
        uncertain_rules=facts.uncertain_rules,
        silent=facts.silent,
    )


def fact_row(scored: Scored) -> FactRow:
    """The stored row of one scored labelled notification."""
    label = scored.label
    return _row(scored.reference, scored.occurred_at, label.child_involvement, label.categories,
                scored.score, scored.facts)


@dataclass(frozen=True)
class Imported:
    import_id: int
    rows: int
    already: bool


def import_labelled_file(
    url: str, path: Path, *, imported_by: int | None = None, screener: Screener | None = None
) -> Imported:
    """Score a labelled JSONL file once and store it; the same file twice is not stored twice."""
    digest = sha256_of(path)
    with session_scope(url) as session:
        existing = import_with_hash(session, digest)
    if existing is not None:
        return Imported(existing, 0, True)
    screener = screener or active_screener(url)
    scored = score_labelled(list(read_labelled(path)), screener)
    with session_scope(url) as session:
        import_id = record_import(
            session,
            name=path.name,
            sha256=digest,
            model_version=screener.model_version,
            rows=[fact_row(s) for s in scored],
            imported_by=imported_by,
            now=utcnow(),
        )
    return Imported(import_id, len(scored), False)


def sync_label_facts(
    url: str,
    screener: Screener | None = None,
    *,
    progress: Progress | None = None,
    chunk: int = 500,
) -> int:
    """Compute and store facts for service labels that have none (or a newer label), `chunk`
    at a time, each chunk in a transaction of its own; `progress` hears after each."""
    with session_scope(url) as session:
        pending = pending_labels(session)
    if not pending:
        return 0
    screener = screener or active_screener(url)
    stored = 0
    for start in range(0, len(pending), chunk):
        part = pending[start : start + chunk]
        with session_scope(url) as session:
            priors = priors_for(session, items=part)
        notifications = [Notification.model_validate_json(item.raw_json) for item in part]
        analyses = [
            analyse(notification, prior)
            for notification, prior in zip(notifications, priors, strict=True)
        ]
        scores = screener.scores(analyses)
        pairs = []
        for item, analysis, score in zip(part, analyses, scores, strict=True):
            notification = analysis.notification
            row = _row(notification.reference, notification.occurred_at, item.child_involvement,
                       item.categories, score, analysis.facts())
            pairs.append((item, row))
        with session_scope(url) as session:
            stored += store_label_rows(
                session, pairs, model_version=screener.model_version, now=utcnow()
            )
        if progress is not None:
            progress(start + len(part), len(pending), "Adding labels to the what-if history")
    return stored
