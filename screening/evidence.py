"""Evidence for a route: findings and the model's strongest features, as contract objects."""

from __future__ import annotations

from models.contract import Evidence
from screening.findings import Finding

_ORDER = {"positive": 0, "uncertain": 1, "negative": 2}


def finding_evidence(findings: tuple[Finding, ...] | list[Finding]) -> list[Evidence]:
    """Positives first, then uncertain mentions, then the negatives that support a screen-out."""
    ranked = sorted(findings, key=lambda f: (_ORDER[f.polarity], f.start or 0))
    return [
        Evidence(
            source=f.source,
            field=f.field,
            value=f.value,
            start=f.start,
            end=f.end,
            text=f.text,
            rule=f.rule,
            category=f.category,
            polarity=f.polarity,
        )
        for f in ranked
    ]


def model_evidence(score: float, top_features: list[tuple[str, float]]) -> Evidence:
    return Evidence(
        source="model",
        field="score",
        value=round(score, 4),
        rule="model_score",
        text="; ".join(f"{name} (+{weight})" for name, weight in top_features) or None,
    )
