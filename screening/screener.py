"""The screener: one notification (or many) in, one contract `ScreeningResult` each out.

`load_screener()` loads the default model once per process (hash-checked); `Screener.screen`
runs rules, model and policy for one notification; `screen_many` does the same for a list with
the model applied in one vectorised call, which is what offline screening and batches use.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from models.contract import Notification, ScreeningResult
from screening.analysis import Analysis, analyse
from screening.evidence import finding_evidence, model_evidence
from screening.features import structured_matrix
from screening.linkage.history import History
from screening.model import Row, TriageModel
from screening.narrative.patterns import terms as narrative_terms
from screening.policy import DEFAULT_POLICY, Policy
from screening.priority import conditions, priority
from screening.route import routing

DEFAULT_MODEL_STEM = Path(__file__).resolve().parent / "artefacts" / "default"


def default_model_stem() -> Path:
    """`DVSCREEN_MODEL` (a path without suffix) or the model built by `make install`."""
    configured = os.environ.get("DVSCREEN_MODEL")
    return Path(configured) if configured else DEFAULT_MODEL_STEM


class Screener:
    def __init__(self, model: TriageModel) -> None:
        self.model = model

    @property
    def model_version(self) -> str:
        return self.model.version

    def warm(self) -> None:
        """Build the narrative matchers now, e.g. before forking workers that will share them."""
        narrative_terms()

    def _result(
        self, analysis: Analysis, score: float, row: Row, policy: Policy
    ) -> ScreeningResult:
        decision = routing(analysis.facts(), score, policy)
        evidence = finding_evidence(analysis.findings)
        if not decision.categories:
            evidence.append(model_evidence(score, self.model.explain(row)))
        level = None
        if decision.route != "screened_out":
            held = conditions(
                analysis.notification,
                list(analysis.findings),
                analysis.history.incident_counts(),
            )
            level = priority(held, policy)
        return ScreeningResult(
            reference=analysis.notification.reference,
            route=decision.route,
            priority=level,
            score=round(float(score), 4),
            categories=list(decision.categories),
            evidence=evidence,
            reasons=list(decision.reasons),
            policy_version=policy.version,
            model_version=self.model.version,
        )

    def _rows(self, analyses: list[Analysis]) -> list[Row]:
        texts = [a.notification.narrative for a in analyses]
        return self.model.rows(texts, structured_matrix(analyses))

    def scores(self, analyses: list[Analysis]) -> list[float]:
        if not analyses:
            return []
        return self.model.score_rows(self._rows(analyses)).tolist()

    def results(self, analyses: list[Analysis], policy: Policy) -> list[ScreeningResult]:
        """Results for analysed notifications, the model applied once to all of them."""
        if not analyses:
            return []
        rows = self._rows(analyses)
        scores = self.model.score_rows(rows).tolist()
        return [
            self._result(a, s, row, policy)
            for a, s, row in zip(analyses, scores, rows, strict=True)
        ]

    def screen(
        self,
        notification: Notification,
        policy: Policy = DEFAULT_POLICY,
        prior_child_at_address: bool | History = False,
    ) -> ScreeningResult:
        return self.results([analyse(notification, prior_child_at_address)], policy)[0]

    def screen_many(
        self,
        notifications: list[Notification],
        policy: Policy = DEFAULT_POLICY,
        prior_child_at_address: Sequence[bool | History] | None = None,
    ) -> list[ScreeningResult]:
        """Screen a list at once; `prior_child_at_address`, if given, has one flag (or one
        `History` from the people index) per item."""
        priors = list(prior_child_at_address or [False] * len(notifications))
        if len(priors) != len(notifications):
            raise ValueError("prior_child_at_address needs one flag per notification")
        return self.results(
            [analyse(n, prior) for n, prior in zip(notifications, priors, strict=True)], policy
        )


@lru_cache(maxsize=4)
def _load(stem: Path) -> Screener:
    return Screener(TriageModel.load(stem))


def load_screener(stem: Path | None = None) -> Screener:
    """The screener for the model at `stem` (default: `default_model_stem()`), cached."""
    return _load((stem or default_model_stem()).resolve())
