"""The people index (issue 12): a known person, and each mention of a person in a notification
linked to one.

`people` is the identity; `person_mentions` holds, per listed person of a notification
(unique on notification and position, so linkage is idempotent on redelivery), what was
written, the cleaned fields and blocking keys linkage compares (screening/linkage/), and the
person it was linked to with the weight of that link (None for a new person).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, UTCDateTime, utcnow


class KnownPerson(Base):
    """One person known to the service, across notifications, addresses and forces."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PersonMention(Base):
    """A person as listed in one notification, linked to a known person."""

    __tablename__ = "person_mentions"
    __table_args__ = (
        UniqueConstraint("notification_id", "position", name="uq_person_mentions_position"),
        Index("ix_person_mentions_family_year", "family_key", "birth_year"),
        Index("ix_person_mentions_family_given", "family_key", "given_key"),
        Index("ix_person_mentions_given_year", "given_block", "birth_year"),
        Index("ix_person_mentions_dob", "date_of_birth"),
        Index("ix_person_mentions_person_occurred", "person_id", "occurred_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # index in the notification's people list
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[str] = mapped_column(String(20))
    # As written (the item page shows these).
    given_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    family_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lives_at_address: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # As linkage compares them.
    given: Mapped[str] = mapped_column(String(100))
    family: Mapped[str] = mapped_column(String(100))
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    gender: Mapped[str] = mapped_column(String(1))
    minor: Mapped[bool] = mapped_column(Boolean)
    given_key: Mapped[str] = mapped_column(String(40))
    family_key: Mapped[str] = mapped_column(String(40))
    # The given key and the family initial (screening.linkage.record.PersonRecord.given_block).
    given_block: Mapped[str] = mapped_column(String(42), default="", server_default="")
    address_key: Mapped[str] = mapped_column(String(300))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    weight: Mapped[float | None] = mapped_column(Float, nullable=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
