"""Fitting the triage model from labelled notifications, with held-out metrics for its manifest."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from models.contract import LabelledNotification
from screening.analysis import Analysis, analyse
from screening.features import structured_matrix
from screening.model import TriageModel

HOLDOUT_SHARE = 0.2


def _fit(analyses: list[Analysis], labels: np.ndarray) -> TriageModel:
    texts = [a.notification.narrative for a in analyses]
    return TriageModel.fit(texts, structured_matrix(analyses), labels)


def holdout_metrics(
    analyses: list[Analysis], labels: np.ndarray, seed: int
) -> dict[str, float | int]:
    """Fit on 80%, score the other 20%: ROC AUC and Brier score of the calibrated probability."""
    order = list(range(len(analyses)))
    random.Random(seed).shuffle(order)
    cut = int(len(order) * (1 - HOLDOUT_SHARE))
    train, test = order[:cut], order[cut:]
    if len(set(labels[test].tolist())) < 2 or len(set(labels[train].tolist())) < 2:
        return {"holdout_rows": len(test)}
    model = _fit([analyses[i] for i in train], labels[train])
    held = [analyses[i] for i in test]
    scores = model.score([a.notification.narrative for a in held], structured_matrix(held))
    return {
        "holdout_rows": len(test),
        "roc_auc": round(float(roc_auc_score(labels[test], scores)), 4),
        "brier": round(float(brier_score_loss(labels[test], scores)), 4),
    }


def train(
    rows: Sequence[LabelledNotification], stem: Path, trained_on: dict[str, Any], seed: int = 0
) -> TriageModel:
    """Fit on every row and save to `stem` with its manifest; metrics come from a held-out fit."""
    analyses = [analyse(row.notification) for row in rows]
    labels = np.array([int(row.label.child_involvement) for row in rows])
    if len(set(labels.tolist())) < 2:
        raise ValueError("training needs both involved and not-involved notifications")
    metrics = holdout_metrics(analyses, labels, seed)
    model = _fit(analyses, labels)
    info = {**trained_on, "rows": len(rows), "involved": int(labels.sum())}
    model.save(stem, info, metrics)
    return model
