"""What-if before a policy change, over all labelled history, from stored facts.

The route rule (`screening.route.route_of`) is replayed over each labelled notification's
stored score and facts, and `screening.evaluation.evaluate` computes the figures: the same code
path as `dvscreen evaluate`, so the numbers are equal on the same data. Nothing is re-analysed.

The chart's curve (recall and screen-out share against the threshold) costs one sort: a
notification is screened out at threshold t exactly when the rule lets it be screened out at
all (`screening.route.may_screen_out`) and its score is at or under t. The tests check the
curve against full replays.
"""

from __future__ import annotations

import bisect
import copy
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from models.contract import Label
from models.labelled_facts import (
    StoredFacts,
    facts_version,
    load_facts,
    references_of,
    split_names,
)
from screening.evaluation import Report, ScreenedLabel, evaluate
from screening.policy import Policy
from screening.route import Facts, may_screen_out, route_of
from screening.whatif import weeks_between

CURVE_STEP = 0.01


@dataclass
class History:
    """Parallel columns of the stored rows (ids, labels, facts, scores), shared objects for
    repeated labels and facts, and the span of incident times."""

    ids: list[int]
    labels: list[Label]
    facts: list[Facts]
    scores: list[float]
    first: datetime | None
    last: datetime | None
    # What the stored rows were when loaded (database, counts, newest ids): the cache key.
    version: tuple[Any, ...] = ()

    @property
    def weeks(self) -> float:
        """Weeks between the first and last incident, at least one (as `dvscreen whatif`)."""
        return weeks_between(self.first, self.last)

    def __len__(self) -> int:
        return len(self.ids)


def history_from(stored: StoredFacts) -> History:
    labels: dict[tuple[bool, str], Label] = {}
    facts: dict[tuple[str, str, bool], Facts] = {}
    history = History([], [], [], [], stored.first, stored.last)
    for row_id, involved, categories, score, positives, uncertain, silent in stored.rows:
        key = (bool(involved), categories)
        label = labels.get(key)
        if label is None:
            label = Label(child_involvement=key[0], categories=list(split_names(categories)))
            labels[key] = label
        fact_key = (positives, uncertain, bool(silent))
        fact = facts.get(fact_key)
        if fact is None:
            fact = Facts(
                frozenset(split_names(positives)), frozenset(split_names(uncertain)), fact_key[2]
            )
            facts[fact_key] = fact
        history.ids.append(int(row_id))
        history.labels.append(label)
        history.facts.append(fact)
        history.scores.append(float(score))
    return history


_cache: dict[str, tuple[tuple[int, int, int, int | None], History]] = {}
_cache_lock = threading.Lock()


def load_history(session: Session, import_id: int | None = None) -> History:
    """The stored history, kept in memory between requests until a row is added or replaced."""
    url = str(session.get_bind().engine.url)
    key = (*facts_version(session), import_id)
    with _cache_lock:
        cached = _cache.get(url)
        if cached is not None and cached[0] == key:
            return cached[1]
    history = history_from(load_facts(session, import_id))
    history.version = (url, *key)
    with _cache_lock:
        _cache[url] = (key, history)
    return history


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    recall: float | None
    screen_out_share: float | None


@dataclass
class WhatIf:
    policy: Policy
    report: Report
    weeks: float
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def screened_out(self) -> int:
        return self.report.involved_screened_out + self.report.not_involved_screened_out

    @property
    def screened_out_per_week(self) -> float:
        return self.screened_out / self.weeks

    @property
    def triage_check_per_week(self) -> float:
        return self.report.triage_check / self.weeks

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.report.as_dict(),
            "screened_out_per_week": self.screened_out_per_week,
            "triage_check_per_week": self.triage_check_per_week,
            "weeks": self.weeks,
            "misses": self.misses,
        }


def run_whatif(history: History, policy: Policy) -> WhatIf:
    """Replay the route rule on every row; misses carry row ids until `name_misses`."""
    outcomes = [
        ScreenedLabel(str(row_id), label, route_of(facts, score, policy))
        for row_id, label, facts, score in zip(
            history.ids, history.labels, history.facts, history.scores, strict=True
        )
    ]
    return WhatIf(policy, evaluate(outcomes), history.weeks)


def name_misses(session: Session, result: WhatIf, history: History) -> WhatIf:
    """Put references (and where each row came from, and its score) on the misses."""
    ids = [int(str(m["reference"])) for m in result.report.misses]
    names = references_of(session, ids)
    score_of = dict(zip(history.ids, history.scores, strict=True)) if ids else {}
    result.misses = []
    for miss, row_id in zip(result.report.misses, ids, strict=True):
        reference, origin = names.get(row_id, (str(row_id), "unknown"))
        miss["reference"] = reference
        result.misses.append(
            {**miss, "origin": origin, "score": round(score_of.get(row_id, 0.0), 4)}
        )
    return result


def curve(history: History, policy: Policy) -> list[CurvePoint]:
    """Recall and screen-out share at thresholds 0, 0.01, ... below the review threshold."""
    involved_scores: list[float] = []
    other_scores: list[float] = []
    involved = not_involved = 0
    for label, facts, score in zip(history.labels, history.facts, history.scores, strict=True):
        eligible = may_screen_out(facts, score, policy)
        if label.child_involvement:
            involved += 1
            if eligible:
                involved_scores.append(score)
        else:
            not_involved += 1
            if eligible:
                other_scores.append(score)
    involved_scores.sort()
    other_scores.sort()
    points = []
    steps = round(policy.review_min_score / CURVE_STEP)
    for step in range(steps):
        t = round(step * CURVE_STEP, 4)
        missed = bisect.bisect_right(involved_scores, t)
        out = bisect.bisect_right(other_scores, t)
        points.append(
            CurvePoint(
                t,
                None if involved == 0 else 1 - missed / involved,
                None if not_involved == 0 else out / not_involved,
            )
        )
    return points


_results: dict[tuple[tuple[Any, ...], str], WhatIf] = {}
RESULTS_KEPT = 16


def cached_whatif(history: History, policy: Policy) -> WhatIf:
    """`run_whatif`, remembered for the same history and policy (the active policy's figures
    are asked for on every page); a copy, so callers may name the misses."""
    key = (history.version, policy.model_dump_json())
    with _cache_lock:
        found = _results.get(key) if history.version else None
    if found is None:
        found = run_whatif(history, policy)
        if history.version:
            with _cache_lock:
                if len(_results) >= RESULTS_KEPT:
                    _results.pop(next(iter(_results)))
                _results[key] = found
    report = copy.deepcopy(found.report)
    return WhatIf(found.policy, report, found.weeks)
