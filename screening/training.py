"""Fitting the triage model from labelled notifications, with held-out metrics for its manifest.

The model is fitted with scikit-learn (a TF-IDF vectorizer and a sigmoid-calibrated logistic
regression) and exported to the plain arrays of `screening.model.TriageModel`, which is what is
saved and what screening loads; scikit-learn is needed only here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from models.contract import LabelledNotification
from screening.analysis import Analysis, analyse
from screening.features import NAMES, structured_matrix
from screening.model import Analyzer, TriageModel

HOLDOUT_SHARE = 0.2


def fit_estimators(
    texts: list[str], structured: np.ndarray, labels: np.ndarray
) -> tuple[TfidfVectorizer, CalibratedClassifierCV]:
    """The scikit-learn vectorizer and calibrated classifier, fitted."""
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, max_features=40000, sublinear_tf=True,
        lowercase=True, token_pattern=r"(?u)\b\w[\w/']*\b", dtype=np.float32,
    )
    text_matrix = vectorizer.fit_transform(texts)
    matrix = sparse.hstack([text_matrix, sparse.csr_matrix(structured)], format="csr")
    base = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
    classifier = CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False)
    classifier.fit(matrix, labels)
    return vectorizer, classifier


def sklearn_matrix(
    vectorizer: TfidfVectorizer, texts: list[str], structured: np.ndarray
) -> sparse.csr_matrix:
    """The matrix the classifier was fitted on: narrative TF-IDF, then the structured vector."""
    return sparse.hstack([vectorizer.transform(texts), sparse.csr_matrix(structured)],
                         format="csr")


def export(vectorizer: TfidfVectorizer, classifier: CalibratedClassifierCV) -> TriageModel:
    """The fitted estimators as the plain arrays `TriageModel` scores with.

    `ensemble=False` calibration holds one estimator and one calibrator, so the calibrated
    probability is expit(-(a * (x @ coef + intercept) + b)); the vectorizer's settings are the
    ones `TriageModel` reproduces, and anything else is refused rather than exported wrongly.
    """
    params = vectorizer.get_params()
    unsupported = {
        key: params[key]
        for key, wanted in (("analyzer", "word"), ("binary", False), ("preprocessor", None),
                            ("tokenizer", None), ("stop_words", None), ("strip_accents", None),
                            ("use_idf", True), ("input", "content"))
        if params[key] != wanted
    }
    if params["norm"] not in ("l2", None):
        unsupported["norm"] = params["norm"]
    calibrated = classifier.calibrated_classifiers_
    if len(calibrated) != 1 or classifier.method != "sigmoid" or len(classifier.classes_) != 2:
        unsupported["calibration"] = "one sigmoid calibrator of a binary classifier"
    if unsupported:
        raise ValueError(f"cannot export a model with {unsupported}")
    estimator, calibrator = calibrated[0].estimator, calibrated[0].calibrators[0]
    vocabulary = vectorizer.vocabulary_
    terms = [""] * len(vocabulary)
    for term, index in vocabulary.items():
        terms[index] = term
    coef = np.asarray(estimator.coef_[0], dtype=np.float64)
    if len(coef) != len(terms) + len(NAMES):
        raise ValueError("the classifier was not fitted on the TF-IDF and structured columns")
    return TriageModel(
        terms=terms,
        idf=np.asarray(vectorizer.idf_),
        coef=coef,
        intercept=float(estimator.intercept_[0]),
        calibration=(float(calibrator.a_), float(calibrator.b_)),
        analyzer=Analyzer(
            token_pattern=params["token_pattern"],
            ngram_range=tuple(params["ngram_range"]),
            lowercase=bool(params["lowercase"]),
            sublinear_tf=bool(params["sublinear_tf"]),
            norm=params["norm"],
        ),
    )


def fit_model(texts: list[str], structured: np.ndarray, labels: np.ndarray) -> TriageModel:
    return export(*fit_estimators(texts, structured, labels))


def _fit(analyses: list[Analysis], labels: np.ndarray) -> TriageModel:
    texts = [a.notification.narrative for a in analyses]
    return fit_model(texts, structured_matrix(analyses), labels)


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
