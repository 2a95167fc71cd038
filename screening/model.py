"""The scikit-learn triage model: narrative TF-IDF plus structured facts, calibrated.

A logistic regression over word n-grams of the narrative and the structured feature vector,
wrapped in sigmoid calibration so that `score` is a probability of child involvement. Saved as a
joblib artefact with a JSON manifest beside it; the artefact is loaded only after its SHA-256
matches the manifest, and only when its feature layout matches this code's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from screening.features import FEATURE_VERSION, NAMES

ARTEFACT_SUFFIX = ".joblib"
MANIFEST_SUFFIX = ".json"


class ArtefactError(RuntimeError):
    """A model artefact is missing, altered, or made for another feature layout."""


def _with(stem: Path, suffix: str) -> Path:
    return stem.parent / (stem.name + suffix)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class TriageModel:
    vectorizer: TfidfVectorizer
    classifier: CalibratedClassifierCV
    version: str = "untrained"
    manifest: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def fit(cls, texts: list[str], structured: np.ndarray, labels: np.ndarray) -> TriageModel:
        vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, max_features=40000, sublinear_tf=True,
            lowercase=True, token_pattern=r"(?u)\b\w[\w/']*\b", dtype=np.float32,
        )
        text_matrix = vectorizer.fit_transform(texts)
        matrix = sparse.hstack([text_matrix, sparse.csr_matrix(structured)], format="csr")
        base = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        classifier = CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False)
        classifier.fit(matrix, labels)
        return cls(vectorizer=vectorizer, classifier=classifier)

    def matrix(self, texts: list[str], structured: np.ndarray) -> sparse.csr_matrix:
        """The feature matrix: narrative TF-IDF columns, then the structured vector."""
        text_matrix = self.vectorizer.transform(texts)
        return sparse.hstack([text_matrix, sparse.csr_matrix(structured)], format="csr")

    @cached_property
    def _linear(self) -> tuple[np.ndarray, float, float, float]:
        """The fitted logistic regression and its sigmoid calibration, as plain numbers.

        `ensemble=False` calibration holds one estimator and one calibrator, so the calibrated
        probability is expit(-(a * (X @ coef + intercept) + b)). Applying it directly skips
        scikit-learn's per-call input validation, which costs more than the arithmetic when
        one notification is scored at a time.
        """
        calibrated = self.classifier.calibrated_classifiers_[0]
        estimator, calibrator = calibrated.estimator, calibrated.calibrators[0]
        return (
            np.asarray(estimator.coef_[0], dtype=np.float64),
            float(estimator.intercept_[0]),
            float(calibrator.a_),
            float(calibrator.b_),
        )

    def score_matrix(self, matrix: sparse.csr_matrix) -> np.ndarray:
        """Calibrated probability of child involvement, one per row."""
        if matrix.shape[0] == 0:
            return np.zeros(0)
        coef, intercept, a, b = self._linear
        return expit(-(a * (matrix @ coef + intercept) + b))

    def score(self, texts: list[str], structured: np.ndarray) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self.score_matrix(self.matrix(texts, structured))

    @cached_property
    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Feature names and the linear model's coefficients, computed once."""
        estimator = self.classifier.calibrated_classifiers_[0].estimator
        names = np.array([*self.vectorizer.get_feature_names_out(), *NAMES], dtype=object)
        return names, np.asarray(estimator.coef_[0])

    def explain(self, row: sparse.csr_matrix, top: int = 3) -> list[tuple[str, float]]:
        """The features of one matrix row that pushed its score up the most."""
        names, coef = self._weights
        contributions = row.data * coef[row.indices]
        best = np.argsort(-contributions)[:top]
        return [
            (str(names[row.indices[i]]), round(float(contributions[i]), 3))
            for i in best
            if contributions[i] > 0
        ]

    def save(self, stem: Path, trained_on: dict[str, Any], metrics: dict[str, Any]) -> str:
        """Write `stem.joblib` and `stem.json`; return the version."""
        stem.parent.mkdir(parents=True, exist_ok=True)
        artefact = _with(stem, ARTEFACT_SUFFIX)
        joblib.dump({"vectorizer": self.vectorizer, "classifier": self.classifier}, artefact)
        digest = sha256_of(artefact)
        trained_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.version = f"{trained_at}-{digest[:8]}"
        self.manifest = {
            "version": self.version,
            "sha256": digest,
            "trained_at": trained_at,
            "feature_version": FEATURE_VERSION,
            "trained_on": trained_on,
            "metrics": metrics,
        }
        _with(stem, MANIFEST_SUFFIX).write_text(json.dumps(self.manifest, indent=2) + "\n")
        return self.version

    @classmethod
    def load(cls, stem: Path) -> TriageModel:
        """Load after checking the artefact's hash and feature layout against its manifest."""
        artefact, manifest_path = _with(stem, ARTEFACT_SUFFIX), _with(stem, MANIFEST_SUFFIX)
        if not artefact.exists() or not manifest_path.exists():
            raise ArtefactError(f"no model at {stem}: run `make install` or `dvscreen train`")
        manifest = json.loads(manifest_path.read_text())
        if sha256_of(artefact) != manifest.get("sha256"):
            raise ArtefactError(f"model artefact {artefact.name} does not match its manifest hash")
        if manifest.get("feature_version") != FEATURE_VERSION:
            raise ArtefactError(
                f"model {manifest.get('version')} uses feature layout "
                f"{manifest.get('feature_version')}, this code uses {FEATURE_VERSION}: retrain"
            )
        parts = joblib.load(artefact)
        return cls(parts["vectorizer"], parts["classifier"], manifest["version"], manifest)
