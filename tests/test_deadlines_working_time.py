"""Deadlines in working time: hours per priority count round the clock or, where the policy
says so, only working hours on working days, bank holidays of the policy's region skipped
(from the `holidays` library)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from pydantic import ValidationError
from sqlalchemy import update

from governance.policy import active_policy, deadline_hours, policy_with_changes
from models.casework_store import record_decision
from models.dashboard_queries import overdue_count
from models.db import session_scope
from models.deadlines import DeadlineRule, add_working_time
from models.policy_governance import approve_policy, propose_policy
from models.queue_store import claim, queue_counts
from models.tables import NotificationRecord, QueueItem, deadline_at
from models.types import utcnow
from screening.policy import DEFAULT_POLICY, Policy
from tests.web_support import add_user, make_settings, notification_body, seed

LONDON = ZoneInfo("Europe/London")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]


def working_policy(region: str = "england_and_wales", **deadlines: object) -> Policy:
    return policy_with_changes(
        DEFAULT_POLICY,
        {
            "deadlines": {
                "urgent": 4,
                "high": 8,
                "normal": 72,
                "working_hours": {"urgent": False, "high": True, "normal": False},
                "holiday_region": region,
                **deadlines,
            }
        },
    )


def test_the_default_policy_keeps_round_the_clock_hours() -> None:
    rule = deadline_hours(DEFAULT_POLICY)
    assert dict(rule) == {"urgent": 4, "high": 24, "normal": 72}
    received = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # a Friday
    for priority, hours in rule.items():
        assert deadline_at(received, priority, rule) == received + timedelta(hours=hours)
    # A plain mapping, as older callers pass, is still the same rule.
    assert deadline_at(received, "high", {"high": 24}) == received + timedelta(hours=24)


def test_a_friday_afternoon_notification_due_in_8_working_hours_lands_on_monday() -> None:
    rule = deadline_hours(working_policy())
    received = local(2026, 11, 27, 14, 0)  # Friday 27 November 2026, 2pm
    due = deadline_at(received.astimezone(UTC), "high", rule)
    # Friday 2pm-5pm is 3 hours; the other 5 run from 9am on Monday.
    assert due.astimezone(LONDON) == local(2026, 11, 30, 14, 0)
    assert due.astimezone(LONDON).strftime("%A") == "Monday"
    # Urgent is still round the clock under the same policy.
    assert deadline_at(received, "urgent", rule) == received + timedelta(hours=4)


def test_received_out_of_hours_starts_counting_at_the_next_opening() -> None:
    rule = deadline_hours(working_policy())
    saturday_night = local(2026, 11, 28, 23, 30)
    assert deadline_at(saturday_night, "high", rule).astimezone(LONDON) == local(
        2026, 11, 30, 17, 0
    )
    early_tuesday = local(2026, 12, 1, 6, 0)
    assert deadline_at(early_tuesday, "high", rule).astimezone(LONDON) == local(
        2026, 12, 1, 17, 0
    )


@pytest.mark.parametrize(
    ("region", "subdivision", "expected"),
    [
        # Easter 2026: Good Friday 3 April is a bank holiday everywhere; Easter Monday 6 April
        # is one in England and Wales but not in Scotland.
        ("england_and_wales", "ENG", local(2026, 4, 7, 14, 0)),
        ("scotland", "SCT", local(2026, 4, 6, 14, 0)),
    ],
)
def test_bank_holidays_of_the_region_are_skipped(
    region: str, subdivision: str, expected: datetime
) -> None:
    calendar = holidays.country_holidays("GB", subdiv=subdivision, years=2026)
    assert datetime(2026, 4, 3).date() in calendar
    assert (datetime(2026, 4, 6).date() in calendar) is (region != "scotland")
    rule = deadline_hours(working_policy(region))
    thursday = local(2026, 4, 2, 14, 0)
    assert deadline_at(thursday, "high", rule).astimezone(LONDON) == expected


def test_a_scottish_holiday_is_not_skipped_in_england() -> None:
    # 2 January 2026 (a Friday) is a bank holiday in Scotland only.
    new_year = local(2026, 1, 1, 10, 0)
    england = add_working_time(new_year, timedelta(hours=8), region="england_and_wales")
    scotland = add_working_time(new_year, timedelta(hours=8), region="scotland")
    assert england.astimezone(LONDON) == local(2026, 1, 2, 17, 0)
    assert scotland.astimezone(LONDON) == local(2026, 1, 5, 17, 0)


def test_working_day_times_and_clock_changes() -> None:
    # The clocks go back on Sunday 25 October 2026; Friday 4pm + 3 working hours (08:00-18:00)
    # is 2 hours on Friday and 1 on Monday: Monday 9am GMT, which is 09:00 UTC.
    rule = deadline_hours(
        working_policy(working_day_start="08:00:00", working_day_end="18:00:00", high=3)
    )
    due = deadline_at(local(2026, 10, 23, 16, 0), "high", rule)
    assert due == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)


def test_the_policy_validates_the_working_calendar() -> None:
    with pytest.raises(ValidationError):
        working_policy(working_day_start="17:00:00", working_day_end="09:00:00")
    with pytest.raises(ValidationError):
        working_policy("wales_only")
    with pytest.raises(ValueError):
        DeadlineRule(hours={"high": 8}, region="atlantis")
    stored = working_policy("northern_ireland").model_dump(mode="json")
    again = Policy.model_validate(stored)
    assert again.deadlines.holiday_region == "northern_ireland"
    assert again.deadlines.working_day_start == time(9, 0)
    assert again.deadlines.in_working_hours("high") and not again.deadlines.in_working_hours(
        "urgent"
    )


def test_a_working_time_deadline_is_stored_and_its_breach_counted(tmp_path) -> None:
    """The active policy's rule reaches a stored item (a triage check found to involve a
    child opens a duty item under it), and the queue and the dashboard count its breach."""
    settings = make_settings(tmp_path)
    head = add_user(settings, "hana", "head_of_safeguarding")
    worker = add_user(settings, "dora", "duty_worker")
    policy = working_policy("england_and_wales")
    with session_scope(settings.database) as session:
        version = propose_policy(session, policy=policy.model_dump(mode="json"),
                                 reason="office hours", proposed_by=head, now=utcnow())
        approve_policy(session, version=version, approver=head, single_approval=True,
                       now=utcnow())
    check = seed(settings, notification_body("W/1", "Toys in the hall."),
                 route="triage_check", priority="normal")
    friday = local(2026, 11, 27, 14, 0).astimezone(UTC)
    with session_scope(settings.database) as session:
        session.execute(update(NotificationRecord)
                        .where(NotificationRecord.id == check.notification_id)
                        .values(received_at=friday))
        assert claim(session, item_id=check.item_id, user_id=worker, now=utcnow())
        outcome = record_decision(
            session, item_id=check.item_id, user_id=worker, outcome="child_involved",
            reasoning="A toddler lives there.", categories=["household"], priority="high",
            deadline_hours=deadline_hours(active_policy(session)), now=utcnow(),
        )
        duty = session.get(QueueItem, outcome.new_item_id)
        assert duty.deadline_at.astimezone(LONDON) == local(2026, 11, 30, 14, 0)
        before = local(2026, 11, 30, 13, 0).astimezone(UTC)
        after = local(2026, 11, 30, 15, 0).astimezone(UTC)
        assert queue_counts(session, user_id=worker, now=before).overdue == 0
        assert queue_counts(session, user_id=worker, now=after).overdue == 1
        assert overdue_count(session, before) == 0 and overdue_count(session, after) == 1
