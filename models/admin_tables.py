"""Staff administration's table: the full name of a member of staff, as the audit trail and
the pages say it ("Dora Smith recorded no further action"); the username stays the sign-in."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.types import BigId


class StaffName(Base):
    """A member of staff's full name (an account without one is shown by its username)."""

    __tablename__ = "staff_names"
    staff_id: Mapped[int] = mapped_column(BigId, ForeignKey("staff_users.id"), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
