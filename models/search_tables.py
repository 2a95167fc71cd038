"""The tables that find a notification without reading every one: a summary per notification
(the victim's name and the town, shown and filtered in the queue) and its search terms
(reference, names, dates of birth, postcode, address line), normalised when it is received.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId, UTCDateTime

# Byte order on PostgreSQL too, so that a prefix is a range its index answers.
Key = String(200).with_variant(String(200, collation="C"), "postgresql")

# What a search term is: the reference, a name (each word of every person's given and family
# name), a name's sound (Metaphone, to find `Smyth` from `Smith`), a date of birth, the compact
# postcode, the first address line, and that line without its house number.
TERM_KINDS = ("reference", "name", "sound", "dob", "postcode", "line", "street")


class NotificationSummary(Base):
    """What the queue shows of a notification besides its reference: normalised copies (`*_key`)
    are what the queue's filters compare."""

    __tablename__ = "notification_summaries"
    notification_id: Mapped[uuid.UUID] = mapped_column(
        Uuid(), ForeignKey("notifications.id"), primary_key=True
    )
    victim_name: Mapped[str] = mapped_column(String(201), default="")
    victim_family: Mapped[str] = mapped_column(String(100), default="")
    victim_family_key: Mapped[str] = mapped_column(Key, default="", index=True)
    town: Mapped[str] = mapped_column(String(100), default="")
    town_key: Mapped[str] = mapped_column(Key, default="", index=True)
    postcode: Mapped[str] = mapped_column(String(10), default="")
    # The notification's receipt, copied so that search sorts its matches on this narrow table
    # (the notifications table holds the raw JSON: reading thousands of its rows is slow).
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SearchTerm(Base):
    """One normalised value a notification can be found by; prefix searches use the index."""

    __tablename__ = "search_terms"
    __table_args__ = (Index("ix_search_terms_kind_value", "kind", "value", "notification_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(
        Uuid(), ForeignKey("notifications.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Key)
