"""How well screening does on labelled notifications: recall, screen-out share, triage load.

The figures of contract section 5: recall of involvement (involved notifications not screened
out), overall and per category; the share of not-involved notifications screened out; the share
of all sent to `triage_check`; and every involved notification that was screened out, by
reference. Recall carries its 95% Wilson interval, so small samples are read with care.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from models.contract import CATEGORIES, Label

Z_95 = 1.959963984540054


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion; (0, 1) when there is nothing to count."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True, slots=True)
class ScreenedLabel:
    """One labelled notification as screened: its truth and the route it got."""

    reference: str
    label: Label
    route: str


@dataclass
class CategoryFigures:
    involved: int = 0
    screened_out: int = 0

    @property
    def recall(self) -> float | None:
        return None if self.involved == 0 else 1 - self.screened_out / self.involved


@dataclass
class Report:
    total: int = 0
    involved: int = 0
    not_involved: int = 0
    involved_screened_out: int = 0
    not_involved_screened_out: int = 0
    triage_check: int = 0
    routes: dict[str, int] = field(default_factory=dict)
    per_category: dict[str, CategoryFigures] = field(default_factory=dict)
    misses: list[dict[str, object]] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return None if self.involved == 0 else 1 - self.involved_screened_out / self.involved

    @property
    def recall_interval(self) -> tuple[float, float]:
        return wilson_interval(self.involved - self.involved_screened_out, self.involved)

    @property
    def screen_out_share(self) -> float | None:
        if self.not_involved == 0:
            return None
        return self.not_involved_screened_out / self.not_involved

    @property
    def triage_share(self) -> float | None:
        return None if self.total == 0 else self.triage_check / self.total

    def as_dict(self) -> dict[str, object]:
        low, high = self.recall_interval
        return {
            "total": self.total,
            "involved": self.involved,
            "not_involved": self.not_involved,
            "recall": self.recall,
            "recall_95ci": [round(low, 4), round(high, 4)],
            "screen_out_share_of_not_involved": self.screen_out_share,
            "triage_check_share": self.triage_share,
            "routes": self.routes,
            "per_category": {
                name: {**asdict(fig), "recall": fig.recall}
                for name, fig in self.per_category.items()
            },
            "misses": self.misses,
        }


def evaluate(outcomes: Sequence[ScreenedLabel]) -> Report:
    report = Report(per_category={c: CategoryFigures() for c in CATEGORIES})
    for outcome in outcomes:
        report.total += 1
        report.routes[outcome.route] = report.routes.get(outcome.route, 0) + 1
        screened_out = outcome.route == "screened_out"
        report.triage_check += outcome.route == "triage_check"
        if outcome.label.child_involvement:
            report.involved += 1
            report.involved_screened_out += screened_out
            for category in outcome.label.categories:
                figures = report.per_category[category]
                figures.involved += 1
                figures.screened_out += screened_out
            if screened_out:
                report.misses.append(
                    {"reference": outcome.reference, "categories": list(outcome.label.categories)}
                )
        else:
            report.not_involved += 1
            report.not_involved_screened_out += screened_out
    return report


def format_report(report: Report) -> str:
    """A plain-text report for the command line."""

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{100 * value:.1f}%"

    low, high = report.recall_interval
    lines = [
        f"notifications: {report.total} (involved {report.involved}, "
        f"not involved {report.not_involved})",
        f"recall of involvement: {pct(report.recall)} "
        f"(95% CI {100 * low:.1f}%-{100 * high:.1f}%)",
        f"not-involved screened out: {pct(report.screen_out_share)}",
        f"sent to triage_check: {pct(report.triage_share)}",
        "routes: " + ", ".join(f"{k} {v}" for k, v in sorted(report.routes.items())),
        "per category (involved, screened out, recall):",
    ]
    for name, fig in report.per_category.items():
        lines.append(f"  {name:16} {fig.involved:6} {fig.screened_out:6} {pct(fig.recall):>7}")
    lines.append(f"involved notifications screened out: {len(report.misses)}")
    lines.extend(
        f"  MISSED {m['reference']} {','.join(m['categories'])}"  # type: ignore[arg-type]
        for m in report.misses
    )
    return "\n".join(lines)
