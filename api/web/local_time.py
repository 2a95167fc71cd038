"""Times as the duty team reads them: local time in Europe/London, with the zone's name."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london(value: datetime | None) -> str:
    """`2 Dec 2026, 14:05 GMT` (or BST in summer); empty for no time."""
    if value is None:
        return ""
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON)
    return local.strftime("%-d %b %Y, %H:%M %Z")


def london_iso(value: datetime | None) -> str:
    """The same instant as ISO 8601 with its offset, for a `<time datetime>` attribute."""
    if value is None:
        return ""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(LONDON).isoformat()
