"""The calendar behind the deadline rule (`models.tables.deadline_at`): hours per priority,
counted either round the clock or in working time.

Working time is the hours between the working day's start and end, Monday to Friday, in
Europe/London, skipping the bank holidays of one UK region as the `holidays` library knows them
(England and Wales share theirs; Scotland and Northern Ireland have their own). A plain mapping
of priority to hours, which is what older callers pass, counts round the clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
# Policy region name -> the `holidays` subdivision of GB whose bank holidays apply.
HOLIDAY_REGIONS = {
    "england_and_wales": "ENG",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}
DEFAULT_REGION = "england_and_wales"
DEFAULT_DAY_START = time(9, 0)
DEFAULT_DAY_END = time(17, 0)


@lru_cache(maxsize=len(HOLIDAY_REGIONS))
def bank_holidays(region: str) -> holidays.HolidayBase:
    """The bank holidays of `region` (one of HOLIDAY_REGIONS), years filled in as asked."""
    return holidays.country_holidays("GB", subdiv=HOLIDAY_REGIONS[region])


def is_working_day(day: date, region: str) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(region)


@dataclass(frozen=True)
class DeadlineRule(Mapping[str, int]):
    """Hours per priority; those named in `working` count only working time.

    It is a mapping of priority to hours, so it goes wherever the hours used to go.
    """

    hours: Mapping[str, int]
    working: frozenset[str] = field(default_factory=frozenset)
    region: str = DEFAULT_REGION
    day_start: time = DEFAULT_DAY_START
    day_end: time = DEFAULT_DAY_END

    def __post_init__(self) -> None:
        if self.region not in HOLIDAY_REGIONS:
            raise ValueError(f"unknown holiday region {self.region!r}")
        if self.day_start >= self.day_end:
            raise ValueError("the working day must start before it ends")

    def __getitem__(self, priority: str) -> int:
        return int(self.hours[priority])

    def __iter__(self) -> Iterator[str]:
        return iter(self.hours)

    def __len__(self) -> int:
        return len(self.hours)

    def in_working_hours(self, priority: str) -> bool:
        return priority in self.working

    def due(self, received_at: datetime, priority: str) -> datetime:
        """When an item of `priority` received at `received_at` is due (UTC)."""
        hours = self[priority]
        if priority not in self.working:
            return received_at + timedelta(hours=hours)
        return add_working_time(
            received_at,
            timedelta(hours=hours),
            region=self.region,
            day_start=self.day_start,
            day_end=self.day_end,
        )


def _opening(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON)


def add_working_time(
    start: datetime,
    amount: timedelta,
    *,
    region: str = DEFAULT_REGION,
    day_start: time = DEFAULT_DAY_START,
    day_end: time = DEFAULT_DAY_END,
) -> datetime:
    """`start` plus `amount` of working time (UTC): time outside the working day, at weekends
    and on the region's bank holidays does not count. A deadline falling exactly at the end
    of a working day stays there."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    local = start.astimezone(LONDON)
    remaining = amount
    day = local.date()
    moment = local
    while True:
        if is_working_day(day, region):
            opens, closes = _opening(day, day_start), _opening(day, day_end)
            moment = max(moment, opens)
            if moment < closes:
                available = closes - moment
                if remaining <= available:
                    return (moment + remaining).astimezone(UTC)
                remaining -= available
        day += timedelta(days=1)
        moment = _opening(day, day_start)
