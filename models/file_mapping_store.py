"""Each source's column mapping for its daily file: saved (replacing the last), read, listed.

Every store function takes the caller's Session first and leaves committing to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.audit import write_audit
from models.file_mapping import FileMapping
from models.file_tables import FileMappingRecord
from models.tables import Source


@dataclass(frozen=True)
class SourceMapping:
    source_id: int
    source_name: str
    mapping: FileMapping | None
    updated_by: str | None
    updated_at: datetime | None


def save_mapping(
    session: Session, *, source_id: int, mapping: FileMapping, actor: str, now: datetime
) -> None:
    """Store `mapping` as the source's mapping (replacing any earlier one), audited."""
    row = session.scalar(select(FileMappingRecord).where(FileMappingRecord.source_id == source_id))
    document = mapping.model_dump(mode="json")
    if row is None:
        session.add(
            FileMappingRecord(
                source_id=source_id, mapping=document, updated_by=actor, updated_at=now
            )
        )
    else:
        row.mapping, row.updated_by, row.updated_at = document, actor, now
    session.flush()
    write_audit(
        session,
        actor=actor,
        action="file_mapping_saved",
        detail={"source": source_id, "columns": len(mapping.columns)},
        now=now,
    )


def mapping_for(session: Session, *, source_id: int) -> FileMapping | None:
    document = session.scalar(
        select(FileMappingRecord.mapping).where(FileMappingRecord.source_id == source_id)
    )
    return FileMapping.model_validate(document) if document is not None else None


def list_source_mappings(session: Session) -> list[SourceMapping]:
    """Every source, with its mapping if it has one, by name."""
    rows = session.execute(
        select(
            Source.id,
            Source.name,
            FileMappingRecord.mapping,
            FileMappingRecord.updated_by,
            FileMappingRecord.updated_at,
        )
        .outerjoin(FileMappingRecord, FileMappingRecord.source_id == Source.id)
        .order_by(Source.name)
    ).all()
    return [
        SourceMapping(
            source_id=r.id,
            source_name=r.name,
            mapping=FileMapping.model_validate(r.mapping) if r.mapping is not None else None,
            updated_by=r.updated_by,
            updated_at=r.updated_at,
        )
        for r in rows
    ]


def source_id_named(session: Session, *, name: str) -> int | None:
    return session.scalar(select(Source.id).where(Source.name == name.strip()))
