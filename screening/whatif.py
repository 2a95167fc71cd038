"""Replaying routes under another policy: the engine behind `evaluate` and what-if.

Scoring (rules and model) is done once per labelled notification; routes under any policy are
then a cheap replay of `route.routing` over the stored facts and score, so a head of safeguarding
can compare thresholds over large labelled histories quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from models.contract import Label, LabelledNotification
from screening.analysis import analyse
from screening.evaluation import Report, ScreenedLabel, evaluate
from screening.policy import Policy
from screening.route import Facts, route_of
from screening.screener import Screener

CHUNK = 512


@dataclass(frozen=True, slots=True)
class Scored:
    reference: str
    label: Label
    facts: Facts
    score: float
    occurred_at: datetime


def score_labelled(rows: Sequence[LabelledNotification], screener: Screener) -> list[Scored]:
    scored: list[Scored] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        analyses = [analyse(row.notification) for row in chunk]
        for row, analysis, score in zip(chunk, analyses, screener.scores(analyses), strict=True):
            n = row.notification
            scored.append(Scored(n.reference, row.label, analysis.facts(), score, n.occurred_at))
    return scored


def outcomes(scored: Sequence[Scored], policy: Policy) -> list[ScreenedLabel]:
    return [ScreenedLabel(s.reference, s.label, route_of(s.facts, s.score, policy)) for s in scored]


def replay(scored: Sequence[Scored], policy: Policy) -> Report:
    return evaluate(outcomes(scored, policy))


WEEK_SECONDS = 7 * 24 * 3600


def weeks_between(first: datetime | None, last: datetime | None) -> float:
    """Weeks between the first and last incident, at least one (one when either is unknown)."""
    if first is None or last is None:
        return 1.0
    return max((last - first).total_seconds() / WEEK_SECONDS, 1.0)


def weeks_spanned(scored: Sequence[Scored]) -> float:
    """Weeks between the first and last incident of `scored`, at least one."""
    if not scored:
        return 1.0
    times = [s.occurred_at for s in scored]
    return weeks_between(min(times), max(times))
