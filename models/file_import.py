"""Importing a daily file: every row through the contract and the intake store, as the API does.

`begin_import` records an import run; `run_import` reads the file, maps each row with the
source's mapping (models/file_mapping.py), validates it against the contract, and stores it
with its outbox row (models/intake_store.py), a chunk of rows per transaction, updating the
run's progress with each chunk. A bad row is recorded by row number and column and the rest go
on. Importing the same file again stores nothing new: each row's (source, reference) and body
hash find the earlier copy (`repeat`).

Every function here but `run_import` works in the caller's session, like every store. An import
is many transactions on purpose, so `run_import` takes a factory of them from its caller (the
browser's background task or `dvscreen import`): each chunk commits on its own, so a transaction
stays short however long the file, the run's progress is visible to the page that polls it while
the import goes on, and the rows of earlier chunks survive a failure (importing the file again
adds only the rest).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.audit import write_audit
from models.contract import RECEIVED_AT, Notification
from models.daily_file import DailyFileError, Row, Table, read_table
from models.file_mapping import (
    FileMapping,
    RowProblem,
    column_of,
    declared_column,
    document_of,
)
from models.file_mapping_store import mapping_for
from models.file_tables import FileImportRecord
from models.intake_store import canonical_hash, normal_form, store_notification
from models.problems import errors_of, field_errors
from models.tables import NotificationRecord, Source
from models.types import utcnow

CHUNK_ROWS = 250
MAX_PROBLEMS_KEPT = 10_000
Progress = Callable[[int, int], None]
# Each call opens one transaction, committed when its block ends without an exception (for
# example `functools.partial(models.db.session_scope, url)`).
Transactions = Callable[[], AbstractContextManager[Session]]


@dataclass
class ImportSummary:
    import_id: int
    total: int = 0
    created: int = 0
    repeated: int = 0
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    error: str | None = None


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def begin_import(
    session: Session, *, source_id: int, file_name: str, data: bytes, actor: str, now: datetime
) -> int:
    """A new import run (status `running`) for this file; its id."""
    record = FileImportRecord(
        source_id=source_id,
        file_name=file_name[:255] or "upload",
        file_hash=file_hash(data),
        started_by=actor,
        started_at=now,
        status="running",
        total_rows=0,
        processed_rows=0,
        created=0,
        repeated=0,
        rejected=0,
        problems=[],
    )
    session.add(record)
    session.flush()
    return record.id


# A valid row: the row, its notification and document, where its fields came from, its body hash.
_Valid = tuple[Row, Notification, dict[str, Any], dict[str, str], str]


def problems_of_row(
    row: Row, header: tuple[str, ...], mapping: FileMapping, source_name: str, now: datetime
) -> tuple[Notification | None, dict[str, Any] | None, list[RowProblem], dict[str, str]]:
    """One row as a valid notification (and its document), or the problems that stop it."""
    mapped = document_of(mapping, header, row)
    if mapped.document is None:
        return None, None, list(mapped.problems), mapped.origin
    try:
        notification = Notification.model_validate(mapped.document, context={RECEIVED_AT: now})
    except ValidationError as error:
        problems = [
            RowProblem(
                row.number,
                column_of(mapped.origin, item["path"]) or declared_column(mapping, item["path"]),
                item["path"] or "notification",
                item["msg"],
            )
            for item in field_errors(errors_of(error))
        ]
        return None, None, problems, mapped.origin
    if (
        notification.force is not None
        and notification.force.strip().casefold() != source_name.strip().casefold()
    ):
        problem = RowProblem(
            row.number,
            column_of(mapped.origin, "force"),
            "force",
            "does not match the source the file is imported for",
        )
        return None, None, [problem], mapped.origin
    return notification, mapped.document, [], mapped.origin


def _checked_rows(
    rows: tuple[Row, ...],
    *,
    table: Table,
    mapping: FileMapping,
    source_name: str,
    summary: ImportSummary,
    now: datetime,
) -> tuple[list[_Valid], list[RowProblem]]:
    """The rows that are valid notifications, with their documents and body hashes, and the
    problems of the others (counted as rejected). No database work, so it runs before the
    chunk's transaction opens."""
    found: list[RowProblem] = []
    valid = []
    for row in rows:
        notification, document, problems, origin = problems_of_row(
            row, table.header, mapping, source_name, now
        )
        if notification is None or document is None:
            found.extend(problems)
            summary.rejected += 1
            continue
        body_hash = canonical_hash(normal_form(document, notification))
        valid.append((row, notification, document, origin, body_hash))
    return valid, found


def _store_chunk(
    session: Session,
    *,
    import_id: int,
    source_id: int,
    valid: list[_Valid],
    processed: int,
    summary: ImportSummary,
    found: list[RowProblem],
) -> None:
    """Store one chunk's valid rows, its problems (`found`, with the conflicts met here) and the
    run's progress (`processed` more rows). A row whose (source, reference) is already stored
    is settled by its body hash without a write, as `store_notification` would settle it: the
    same body is a repeat, another a conflict."""
    known = _known_hashes(session, source_id, [v[1].reference for v in valid])
    for row, notification, document, origin, body_hash in valid:
        if notification.reference in known:
            outcome = "repeat" if known[notification.reference] == body_hash else "conflict"
        else:
            outcome = store_notification(
                session,
                source_id=source_id,
                notification=notification,
                raw_json=json.dumps(document, ensure_ascii=False),
                body_hash=body_hash,
            ).outcome
            if outcome == "created":
                known[notification.reference] = body_hash
        if outcome == "created":
            summary.created += 1
        elif outcome == "repeat":
            summary.repeated += 1
        else:
            summary.rejected += 1
            found.append(
                RowProblem(
                    row.number,
                    column_of(origin, "reference"),
                    "reference",
                    "a notification with this reference and different details was already received",
                )
            )
    summary.problems.extend(sorted(found, key=lambda p: p.row))
    session.execute(
        update(FileImportRecord)
        .where(FileImportRecord.id == import_id)
        .values(
            processed_rows=FileImportRecord.processed_rows + processed,
            created=summary.created,
            repeated=summary.repeated,
            rejected=summary.rejected,
            problems=[_problem_json(p) for p in summary.problems[:MAX_PROBLEMS_KEPT]],
        )
    )


def _known_hashes(session: Session, source_id: int, references: list[str]) -> dict[str, str]:
    """Body hashes of the source's notifications already stored under these references."""
    if not references:
        return {}
    rows = session.execute(
        select(NotificationRecord.reference, NotificationRecord.body_hash).where(
            NotificationRecord.source_id == source_id,
            NotificationRecord.reference.in_(sorted(set(references))),
        )
    )
    return {reference: body_hash for reference, body_hash in rows}


def _problem_json(problem: RowProblem) -> dict[str, Any]:
    return {
        "row": problem.row,
        "column": problem.column,
        "field": problem.field,
        "message": problem.message,
    }


def _finish(session: Session, *, import_id: int, summary: ImportSummary, actor: str) -> None:
    session.execute(
        update(FileImportRecord)
        .where(FileImportRecord.id == import_id)
        .values(
            status="failed" if summary.error else "done",
            error=summary.error,
            finished_at=utcnow(),
        )
    )
    write_audit(
        session,
        actor=actor,
        action="file_imported" if summary.error is None else "file_import_failed",
        detail={
            "import": import_id,
            "rows": summary.total,
            "created": summary.created,
            "repeated": summary.repeated,
            "rejected": summary.rejected,
        },
    )


def run_import(
    transactions: Transactions,
    *,
    import_id: int,
    data: bytes,
    progress: Progress | None = None,
) -> ImportSummary:
    """Read, map, validate and store every row of the file of run `import_id`: a transaction
    from `transactions` to read the run, one to record its size, one per chunk of rows and
    one to finish (see the module's docstring for why)."""
    summary = ImportSummary(import_id)
    with transactions() as session:
        record = session.get(FileImportRecord, import_id)
        if record is None:
            raise LookupError("no such import")
        source_id, file_name, actor = record.source_id, record.file_name, record.started_by
        source_name = session.scalar(select(Source.name).where(Source.id == source_id)) or ""
        mapping = mapping_for(session, source_id=source_id)
    try:
        if mapping is None:
            raise DailyFileError("the source has no column mapping: define one from a sample")
        table = read_table(data, filename=file_name, sheet=mapping.sheet)
    except DailyFileError as error:
        summary.error = str(error)
        with transactions() as session:
            _finish(session, import_id=import_id, summary=summary, actor=actor)
        return summary
    summary.total = len(table.rows)
    with transactions() as session:
        session.execute(
            update(FileImportRecord)
            .where(FileImportRecord.id == import_id)
            .values(total_rows=summary.total)
        )
    if progress is not None:
        progress(0, summary.total)
    done = 0
    now = utcnow()
    try:
        for start in range(0, summary.total, CHUNK_ROWS):
            rows = table.rows[start : start + CHUNK_ROWS]
            valid, found = _checked_rows(
                rows,
                table=table,
                mapping=mapping,
                source_name=source_name,
                summary=summary,
                now=now,
            )
            with transactions() as session:
                _store_chunk(
                    session,
                    import_id=import_id,
                    source_id=source_id,
                    valid=valid,
                    processed=len(rows),
                    summary=summary,
                    found=found,
                )
            done += len(rows)
            if progress is not None:
                progress(done, summary.total)
    except Exception as error:  # the database failed: the run stops, marked failed
        # Rows of earlier chunks are stored; importing the file again adds only the rest.
        summary.error = f"the import stopped after {done} rows ({type(error).__name__})"
    with transactions() as session:
        _finish(session, import_id=import_id, summary=summary, actor=actor)
    return summary


@dataclass(frozen=True)
class ImportState:
    id: int
    source_id: int
    file_name: str
    status: str
    total_rows: int
    processed_rows: int
    created: int
    repeated: int
    rejected: int
    problems: list[dict[str, Any]]
    error: str | None
    started_by: str
    started_at: datetime
    finished_at: datetime | None

    @property
    def percent(self) -> int:
        if self.status != "running":
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


def import_state(session: Session, *, import_id: int) -> ImportState | None:
    record = session.get(FileImportRecord, import_id)
    if record is None:
        return None
    return ImportState(
        id=record.id,
        source_id=record.source_id,
        file_name=record.file_name,
        status=record.status,
        total_rows=record.total_rows,
        processed_rows=record.processed_rows,
        created=record.created,
        repeated=record.repeated,
        rejected=record.rejected,
        problems=list(record.problems or []),
        error=record.error,
        started_by=record.started_by,
        started_at=record.started_at,
        finished_at=record.finished_at,
    )


def recent_imports(session: Session, *, limit: int = 20) -> list[ImportState]:
    ids = session.scalars(
        select(FileImportRecord.id).order_by(FileImportRecord.id.desc()).limit(limit)
    ).all()
    states = [import_state(session, import_id=i) for i in ids]
    return [s for s in states if s is not None]
