"""The daily-file tables: each source's column mapping, and each import run of a file with its
progress and its rejected rows (row number, column, field and message: never a cell value)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, JsonDoc, UTCDateTime, utcnow

IMPORT_STATUSES = ("running", "done", "failed")


class FileMappingRecord(Base):
    """One source's column mapping (models.file_mapping.FileMapping as JSON)."""

    __tablename__ = "file_mappings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    # "staff:<id>" or "system:cli".
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FileImportRecord(Base):
    """One import of one file: who, which file (its SHA-256), progress and what became of it."""

    __tablename__ = "file_imports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_hash: Mapped[str] = mapped_column(String(64), index=True)
    started_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="running")
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    repeated: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    # [{"row", "column", "field", "message"}], in row order.
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc, default=list)
    # A file-level failure (unreadable file, no mapping): a code-like message, no values.
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
