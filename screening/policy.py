"""The screening policy a head of safeguarding tunes: thresholds, the silence rule, priorities.

A policy is plain data (pydantic) so it can be stored as JSON, versioned and compared. The
defaults are the safe ones: nothing screened out on silence, a low screen-out threshold.
"""

from __future__ import annotations

from datetime import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from screening.retention_schedule import RetentionSchedule

# Conditions the priority rules may name; screening/priority.py evaluates them.
Condition = Literal[
    "child_present",
    "dash_high",
    "weapon",
    "strangulation",
    "child_hurt",
    "pregnancy",
    "young_party",
    "repeat_incidents",
]
MAX_INCIDENTS_CONDITION = 100


class IncidentCount(BaseModel):
    """A condition a head of safeguarding sets: at least `at_least` incidents in the last 12
    months (this one included) naming the victim, the suspect, or anyone of the household
    (victim, suspect, children), as the people index links them across addresses and forces.
    JSON: {"kind": "incidents_in_12_months", "who": "victim", "at_least": 3}."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["incidents_in_12_months"]
    who: Literal["victim", "suspect", "household"]
    at_least: int = Field(ge=1, le=MAX_INCIDENTS_CONDITION)

    @property
    def key(self) -> str:
        return incidents_key(self.who, self.at_least)


def incidents_key(who: str, at_least: int) -> str:
    """The held-condition name of an `IncidentCount` (screening/priority.py holds these)."""
    return f"incidents_in_12_months:{who}:{at_least}"


def condition_key(condition: str | IncidentCount) -> str:
    """The name under which a rule's condition holds."""
    return condition if isinstance(condition, str) else condition.key


class PriorityRule(BaseModel):
    """All of `when` must hold for the rule to apply (an AND); rules are tried in order."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    when: list[Condition | IncidentCount] = Field(min_length=1)

    def holds(self, held: set[str]) -> bool:
        return all(condition_key(c) in held for c in self.when)


class PriorityRules(BaseModel):
    """`urgent` if any urgent rule holds, else `high` if any high rule holds, else `normal`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    urgent: list[PriorityRule] = Field(
        default_factory=lambda: [
            PriorityRule(when=["child_present", "dash_high"]),
            PriorityRule(when=["weapon"]),
            PriorityRule(when=["strangulation"]),
            PriorityRule(when=["child_hurt"]),
        ]
    )
    high: list[PriorityRule] = Field(
        default_factory=lambda: [
            PriorityRule(when=["child_present"]),
            PriorityRule(when=["dash_high"]),
            PriorityRule(when=["pregnancy"]),
        ]
    )


class WorkingHours(BaseModel):
    """Per priority: are its deadline hours working hours (True) or round the clock (False)?"""

    model_config = ConfigDict(extra="forbid", frozen=True)
    urgent: bool = False
    high: bool = False
    normal: bool = False


HolidayRegion = Literal["england_and_wales", "scotland", "northern_ireland"]


class Deadlines(BaseModel):
    """Hours from receipt to a decision, per priority; each priority's hours count round the
    clock or, where `working_hours` says so, only working time: Monday to Friday between
    `working_day_start` and `working_day_end` (Europe/London), skipping the bank holidays of
    `holiday_region`. The defaults count every priority round the clock."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    urgent: int = Field(default=4, ge=1, le=24 * 14)
    high: int = Field(default=24, ge=1, le=24 * 14)
    normal: int = Field(default=72, ge=1, le=24 * 14)
    working_hours: WorkingHours = Field(default_factory=WorkingHours)
    holiday_region: HolidayRegion = "england_and_wales"
    working_day_start: time = time(9, 0)
    working_day_end: time = time(17, 0)

    @model_validator(mode="after")
    def _working_day_ordered(self) -> Deadlines:
        if self.working_day_start >= self.working_day_end:
            raise ValueError("the working day must start before it ends")
        return self

    def in_working_hours(self, priority: str) -> bool:
        return bool(getattr(self.working_hours, priority))


class Policy(BaseModel):
    """One version of the screening policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int = Field(default=1, ge=1)
    # Screened out only with no positive finding and a score at or under this.
    screen_out_max_score: float = Field(default=0.2, ge=0.0, le=1.0)
    # With no rule finding, a score at or over this still goes to duty review.
    review_min_score: float = Field(default=0.7, ge=0.0, le=1.0)
    # May a notification whose tick boxes are null and whose narrative is silent be screened out?
    allow_silence_screen_out: bool = False
    # Share of screened-out notifications sampled for a manager.
    sample_share: float = Field(default=0.10, ge=0.0, le=1.0)
    deadlines: Deadlines = Field(default_factory=Deadlines)
    priority_rules: PriorityRules = Field(default_factory=PriorityRules)
    # How long personal data is kept, per route and outcome (the purge reads it).
    retention: RetentionSchedule = Field(default_factory=RetentionSchedule)

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Policy:
        if self.screen_out_max_score >= self.review_min_score:
            raise ValueError("screen_out_max_score must be below review_min_score")
        return self

    def deadline_hours(self, priority: str) -> int:
        return int(getattr(self.deadlines, priority))


DEFAULT_POLICY = Policy()
