"""The triage model as plain arrays: narrative TF-IDF plus structured facts, calibrated.

A logistic regression over word n-grams of the narrative and the structured feature vector,
wrapped in sigmoid calibration so that `score` is a probability of child involvement. Training
(`screening.training`) fits it with scikit-learn and exports what scoring needs: the vocabulary,
the idf weights, the coefficients, the intercept and the calibration's two parameters. Scoring
here uses numpy alone and repeats scikit-learn's arithmetic step by step (float32 TF-IDF, rows
summed left to right as its C loops do), so scores are scikit-learn's to the last bit and
screening never imports scikit-learn, scipy or joblib.

Saved as `stem.npz` (plain arrays, read with `allow_pickle=False`) with a JSON manifest beside
it; the artefact is loaded only after its SHA-256 matches the manifest, and only when its feature
layout matches this code's. A model saved before the export (`stem.joblib`, a manifest without
`artefact`) still loads, through scikit-learn, after the same checks.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from screening.features import FEATURE_VERSION, NAMES

ARTEFACT_SUFFIX = ".npz"
MANIFEST_SUFFIX = ".json"
LEGACY_SUFFIX = ".joblib"
EXPORT_FORMAT = 1


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


@dataclass(frozen=True)
class Analyzer:
    """How narrative text becomes word n-grams: scikit-learn's word analyzer, these settings."""

    token_pattern: str
    ngram_range: tuple[int, int]
    lowercase: bool
    sublinear_tf: bool
    norm: str | None  # "l2" or None

    def as_dict(self) -> dict[str, Any]:
        return {
            "token_pattern": self.token_pattern,
            "ngram_range": list(self.ngram_range),
            "lowercase": self.lowercase,
            "sublinear_tf": self.sublinear_tf,
            "norm": self.norm,
        }


@dataclass(frozen=True, slots=True)
class Row:
    """One notification's features: column indices (ascending) and their values, nonzeros only.

    Text columns come first, then the structured vector's nonzero entries, as in the sparse
    matrix scikit-learn was trained on.
    """

    indices: np.ndarray
    values: np.ndarray


def _expit(x: float) -> float:
    """scipy.special.expit for one double: 1 / (1 + exp(-x))."""
    try:
        return 1.0 / (1.0 + math.exp(-x))
    except OverflowError:
        return 0.0


def _row_sums(values: np.ndarray, rows: np.ndarray, columns: np.ndarray, n: int) -> np.ndarray:
    """Each row's values summed left to right (in float64), as a C loop adds them.

    `np.sum` adds pairwise, which can differ in the last bit; `np.add.accumulate` is sequential,
    and the zeros padding short rows leave a sum unchanged.
    """
    width = int(columns.max()) + 1 if len(columns) else 0
    if width == 0:
        return np.zeros(n)
    grid = np.zeros((n, width))
    grid[rows, columns] = values
    return np.add.accumulate(grid, axis=1)[:, -1]


@dataclass
class TriageModel:
    terms: list[str]  # the narrative n-grams, in column order
    idf: np.ndarray
    coef: np.ndarray  # one per term, then one per structured feature (`NAMES`)
    intercept: float
    calibration: tuple[float, float]  # sigmoid calibration: p = expit(-(a * z + b))
    analyzer: Analyzer
    version: str = "untrained"
    manifest: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.coef) != len(self.terms) + len(NAMES) or len(self.idf) != len(self.terms):
            raise ArtefactError(
                f"model has {len(self.coef)} coefficients for {len(self.terms)} terms and "
                f"{len(NAMES)} structured features: retrain"
            )

    # -- features ---------------------------------------------------------------------------

    @cached_property
    def _vocabulary(self) -> dict[str, int]:
        return {term: i for i, term in enumerate(self.terms)}

    @cached_property
    def _tokens(self) -> re.Pattern[str]:
        return re.compile(self.analyzer.token_pattern)

    def _grams(self, text: str) -> list[str]:
        """The text's word n-grams, as scikit-learn's word analyzer makes them."""
        if self.analyzer.lowercase:
            text = text.lower()
        tokens = self._tokens.findall(text)
        low, high = self.analyzer.ngram_range
        grams: list[str] = list(tokens) if low == 1 else []
        for n in range(max(low, 2), high + 1):
            grams.extend(map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False)))
        return grams

    def _tfidf(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The TF-IDF rows as CSR arrays (data in the idf's dtype), as scikit-learn builds them.

        Returns data, column indices (ascending within a row) and the length of each row.
        """
        get, width = self._vocabulary.get, len(self.terms)
        columns: list[int] = []
        sizes = []
        for text in texts:
            before = len(columns)
            columns.extend(map(get, self._grams(text), repeat(-1)))
            sizes.append(len(columns) - before)
        found = np.array(columns, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), sizes)
        keep = found >= 0
        # One sort for the whole batch: unique (row, column) pairs in order, with their counts.
        keys, counts = np.unique(rows[keep] * width + found[keep], return_counts=True)
        rows, indices = np.divmod(keys, width) if width else (keys, keys)
        lengths = np.bincount(rows, minlength=len(texts))
        data = counts.astype(self.idf.dtype)
        if self.analyzer.sublinear_tf:
            np.log(data, data)
            data += 1.0
        data *= self.idf[indices]
        if self.analyzer.norm == "l2":
            starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
            squares = (data * data).astype(np.float64)
            norms = np.sqrt(_row_sums(squares, rows, np.arange(len(data)) - starts, len(texts)))
            norms[norms == 0.0] = 1.0
            data = (data / norms[rows]).astype(data.dtype)
        return data, indices, lengths

    def rows(self, texts: list[str], structured: np.ndarray) -> list[Row]:
        """Each notification's feature row: narrative TF-IDF columns, then the structured vector."""
        data, indices, lengths = self._tfidf(texts)
        offset = len(self.terms)
        bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
        result = []
        for i in range(len(texts)):
            lo, hi = bounds[i], bounds[i + 1]
            vector = structured[i]
            nonzero = np.flatnonzero(vector)
            result.append(Row(
                np.concatenate((indices[lo:hi], nonzero + offset)),
                np.concatenate((data[lo:hi].astype(np.float64), vector[nonzero])),
            ))
        return result

    # -- scores -----------------------------------------------------------------------------

    def score_rows(self, rows: list[Row]) -> np.ndarray:
        """Calibrated probability of child involvement, one per row.

        `expit(-(a * (x @ coef + intercept) + b))`, the calibrated classifier's probability,
        with each dot product summed left to right as scipy's sparse product does.
        """
        if not rows:
            return np.zeros(0)
        products = np.concatenate([row.values * self.coef[row.indices] for row in rows])
        lengths = np.array([len(row.indices) for row in rows])
        positions = np.arange(len(products)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        dots = _row_sums(products, np.repeat(np.arange(len(rows)), lengths), positions, len(rows))
        a, b = self.calibration
        z = -(a * (dots + self.intercept) + b)
        return np.array([_expit(x) for x in z.tolist()])

    def score(self, texts: list[str], structured: np.ndarray) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        return self.score_rows(self.rows(texts, structured))

    @cached_property
    def _names(self) -> list[str]:
        return [*self.terms, *NAMES]

    def explain(self, row: Row, top: int = 3) -> list[tuple[str, float]]:
        """The features of one row that pushed its score up the most."""
        contributions = row.values * self.coef[row.indices]
        best = np.argsort(-contributions)[:top]
        names, indices = self._names, row.indices
        return [
            (names[indices[i]], round(float(contributions[i]), 3))
            for i in best.tolist()
            if contributions[i] > 0
        ]

    # -- artefacts --------------------------------------------------------------------------

    def _arrays(self) -> dict[str, np.ndarray]:
        if any("\n" in term for term in self.terms):
            raise ValueError("a vocabulary term contains a newline")
        config = {
            "format": EXPORT_FORMAT,
            "analyzer": self.analyzer.as_dict(),
            "structured": list(NAMES),
        }
        return {
            "config": np.frombuffer(json.dumps(config).encode("utf-8"), dtype=np.uint8),
            "terms": np.frombuffer("\n".join(self.terms).encode("utf-8"), dtype=np.uint8),
            "idf": self.idf,
            "coef": np.asarray(self.coef, dtype=np.float64),
            "linear": np.array([self.intercept, *self.calibration], dtype=np.float64),
        }

    @classmethod
    def _from_arrays(cls, arrays: Any) -> TriageModel:
        config = json.loads(bytes(arrays["config"]).decode("utf-8"))
        if config.get("format") != EXPORT_FORMAT or config.get("structured") != list(NAMES):
            raise ArtefactError("model artefact is of another export format or feature layout")
        analyzer = config["analyzer"]
        text = bytes(arrays["terms"]).decode("utf-8")
        intercept, a, b = (float(x) for x in arrays["linear"])
        return cls(
            terms=text.split("\n") if text else [],
            idf=arrays["idf"],
            coef=arrays["coef"],
            intercept=intercept,
            calibration=(a, b),
            analyzer=Analyzer(
                token_pattern=analyzer["token_pattern"],
                ngram_range=tuple(analyzer["ngram_range"]),
                lowercase=bool(analyzer["lowercase"]),
                sublinear_tf=bool(analyzer["sublinear_tf"]),
                norm=analyzer["norm"],
            ),
        )

    def save(self, stem: Path, trained_on: dict[str, Any], metrics: dict[str, Any]) -> str:
        """Write `stem.npz` and `stem.json`; return the version."""
        stem.parent.mkdir(parents=True, exist_ok=True)
        artefact = _with(stem, ARTEFACT_SUFFIX)
        buffer = io.BytesIO()
        np.savez(buffer, allow_pickle=False, **self._arrays())
        artefact.write_bytes(buffer.getvalue())
        digest = sha256_of(artefact)
        trained_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.version = f"{trained_at}-{digest[:8]}"
        self.manifest = {
            "version": self.version,
            "sha256": digest,
            "artefact": artefact.name,
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
        manifest_path = _with(stem, MANIFEST_SUFFIX)
        if not manifest_path.exists():
            raise ArtefactError(f"no model at {stem}: run `make install` or `dvscreen train`")
        manifest = json.loads(manifest_path.read_text())
        legacy = "artefact" not in manifest
        artefact = _with(stem, LEGACY_SUFFIX if legacy else ARTEFACT_SUFFIX)
        if not artefact.exists():
            raise ArtefactError(f"no model at {stem}: run `make install` or `dvscreen train`")
        content = artefact.read_bytes()
        if hashlib.sha256(content).hexdigest() != manifest.get("sha256"):
            raise ArtefactError(f"model artefact {artefact.name} does not match its manifest hash")
        if manifest.get("feature_version") != FEATURE_VERSION:
            raise ArtefactError(
                f"model {manifest.get('version')} uses feature layout "
                f"{manifest.get('feature_version')}, this code uses {FEATURE_VERSION}: retrain"
            )
        if legacy:
            model = _load_legacy(content)
        else:
            try:
                with np.load(io.BytesIO(content), allow_pickle=False) as arrays:
                    model = cls._from_arrays(arrays)
            except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
                raise ArtefactError(f"model artefact {artefact.name} is unreadable: {exc}") from exc
        model.version, model.manifest = manifest["version"], manifest
        return model


def _load_legacy(content: bytes) -> TriageModel:
    """A model saved by joblib before the export: load it with scikit-learn and export it."""
    import joblib

    from screening.training import export

    parts = joblib.load(io.BytesIO(content))
    return export(parts["vectorizer"], parts["classifier"])
