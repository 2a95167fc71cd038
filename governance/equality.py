"""Equality monitoring: routes, screen-out share, manager overturns (the live miss estimate) and
time to decision by the victim's ethnicity, gender, disability, language and religion and by
area (postcode district, else town), with how often each is not recorded; small counts are
suppressed for display. `whatif_breakdown` replays a proposed policy (governance.whatif) over
the labelled history group by group, beside the active policy.

Groups come from the first person with the role `victim` in each stored notification (the
person the notification is about); a notification whose personal data the retention purge
removed is in its own group, `Removed under retention`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from governance.whatif import History, load_history, run_whatif
from models.equality_queries import ScreenedRow, labelled_fact_documents, screened_rows
from models.person_match import people_of
from screening.evaluation import wilson_interval
from screening.policy import Policy

FIELDS: dict[str, str] = {
    "ethnicity": "Ethnicity",
    "gender": "Gender",
    "disability": "Disability",
    "language": "Language",
    "religion": "Religion",
    "area": "Area (postcode district or town)",
}
NOT_RECORDED = "Not recorded"
PURGED = "Removed under retention"
SUPPRESS_BELOW = 10
SUPPRESSED = "fewer than 10"
ROUTES = ("duty_review", "triage_check", "screened_out")


def _clean(value: Any) -> str:
    if value is None:
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = " ".join(str(value).split())
    return text[:1].upper() + text[1:] if text else NOT_RECORDED


def group_of(raw_json: str, field_name: str) -> str:
    """The group of one stored notification for `field_name`."""
    document, people = people_of(raw_json)
    if not document:
        return PURGED
    if field_name == "area":
        found = document.get("address")
        address: dict[str, Any] = found if isinstance(found, dict) else {}
        postcode = str(address.get("postcode") or "").strip().upper()
        if postcode:
            return postcode.replace(" ", "")[:-3] or NOT_RECORDED
        return _clean(address.get("town"))
    victim = next((p for p in people if p.get("role") == "victim"), None)
    return _clean(None if victim is None else victim.get(field_name))


@dataclass
class Group:
    name: str
    notifications: int = 0
    routes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROUTES, 0))
    checked: int = 0
    overturned: int = 0
    decision_hours: list[float] = field(default_factory=list)

    @property
    def screen_out_share(self) -> float | None:
        return self.routes["screened_out"] / self.notifications if self.notifications else None

    @property
    def overturn_upper(self) -> float | None:
        return wilson_interval(self.overturned, self.checked)[1] if self.checked else None

    @property
    def median_hours(self) -> float | None:
        return round(statistics.median(self.decision_hours), 1) if self.decision_hours else None


@dataclass
class Breakdown:
    field_name: str
    groups: list[Group]
    total: int

    @property
    def missing(self) -> int:
        return sum(g.notifications for g in self.groups if g.name == NOT_RECORDED)

    @property
    def missing_share(self) -> float | None:
        return self.missing / self.total if self.total else None


def _add(groups: dict[str, Group], name: str, row: ScreenedRow) -> None:
    group = groups.setdefault(name, Group(name))
    group.notifications += 1
    group.routes[row.route] = group.routes.get(row.route, 0) + 1
    group.checked += row.checked
    group.overturned += row.overturned
    if row.first_decision_at is not None:
        hours = (row.first_decision_at - row.received_at).total_seconds() / 3600
        group.decision_hours.append(max(hours, 0.0))


def breakdowns(rows: Iterable[ScreenedRow]) -> dict[str, Breakdown]:
    """Every field's breakdown from one pass over the rows."""
    per_field: dict[str, dict[str, Group]] = {name: {} for name in FIELDS}
    total = 0
    for row in rows:
        total += 1
        for name in FIELDS:
            _add(per_field[name], group_of(row.raw_json, name), row)
    return {
        name: Breakdown(name, sorted(groups.values(), key=lambda g: (-g.notifications, g.name)),
                        total)
        for name, groups in per_field.items()
    }


def equality_breakdowns(session: Session, *, since: datetime | None = None) -> dict[str, Breakdown]:
    return breakdowns(screened_rows(session, since=since))


def shown(count: int) -> int | str:
    """A count as published: counts from 1 to 9 are suppressed."""
    return SUPPRESSED if 0 < count < SUPPRESS_BELOW else count


def _share(value: float | None, base: int) -> float | str | None:
    if value is None:
        return None
    return SUPPRESSED if base < SUPPRESS_BELOW else round(value, 4)


TABLE_COLUMNS = ("group", "notifications", "duty_review", "triage_check", "screened_out",
                 "screen_out_share", "sampled_checked", "overturned", "overturn_95_upper",
                 "decided", "median_hours_to_decision")


def table_rows(breakdown: Breakdown) -> list[tuple[object, ...]]:
    """The breakdown as published (in the page and the CSV): small counts suppressed."""
    rows: list[tuple[object, ...]] = []
    for g in breakdown.groups:
        rows.append((
            g.name, shown(g.notifications), *(shown(g.routes[r]) for r in ROUTES),
            _share(g.screen_out_share, g.notifications), shown(g.checked), shown(g.overturned),
            _share(g.overturn_upper, g.checked), shown(len(g.decision_hours)),
            SUPPRESSED if 0 < len(g.decision_hours) < SUPPRESS_BELOW else g.median_hours,
        ))
    return rows


# What-if by group --------------------------------------------------------------------------


def _subset(history: History, keep: list[int]) -> History:
    return History([history.ids[i] for i in keep], [history.labels[i] for i in keep],
                   [history.facts[i] for i in keep], [history.scores[i] for i in keep],
                   history.first, history.last)


WHATIF_COLUMNS = ("group", "labelled", "involved", "current_recall", "proposed_recall",
                  "current_missed", "proposed_missed", "current_screen_out_share",
                  "proposed_screen_out_share")


def whatif_breakdown(
    session: Session, *, field_name: str, current: Policy, proposed: Policy
) -> list[tuple[object, ...]]:
    """Per group of the service's labelled notifications: recall, involved notifications
    screened out and the not-involved screen-out share, under both policies (suppressed)."""
    history = load_history(session)
    documents = labelled_fact_documents(session)
    members: dict[str, list[int]] = {}
    for index, row_id in enumerate(history.ids):
        raw = documents.get(row_id)
        if raw is not None:
            members.setdefault(group_of(raw, field_name), []).append(index)
    rows: list[tuple[object, ...]] = []
    for name, keep in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        sub = _subset(history, keep)
        now, then = run_whatif(sub, current).report, run_whatif(sub, proposed).report
        rows.append((
            name, shown(now.total), shown(now.involved),
            _share(now.recall, now.involved), _share(then.recall, then.involved),
            shown(now.involved_screened_out), shown(then.involved_screened_out),
            _share(now.screen_out_share, now.not_involved),
            _share(then.screen_out_share, then.not_involved),
        ))
    return rows
