"""The exported model scores exactly as scikit-learn does, and screening never imports it.

A small model is fitted with scikit-learn and exported to plain arrays; on a few hundred other
synthetic notifications the exported model must give scikit-learn's feature rows bit for bit,
its calibrated probabilities (`predict_proba`) and the same explanations as the sparse-matrix
code it replaced; saved and loaded again it must still do so, and a process that loads it and
screens a line must not import scikit-learn, scipy or joblib.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.contract import LabelledNotification, Notification
from screening.analysis import Analysis, analyse
from screening.features import NAMES, structured_matrix
from screening.model import ArtefactError, TriageModel
from screening.screener import Screener
from screening.synth import generate
from screening.training import export, fit_estimators, sklearn_matrix

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fitted() -> tuple[object, object, TriageModel]:
    rows = [LabelledNotification.model_validate(r) for r in generate(500, seed=21)]
    analyses = [analyse(r.notification) for r in rows]
    labels = np.array([int(r.label.child_involvement) for r in rows])
    texts = [a.notification.narrative for a in analyses]
    vectorizer, classifier = fit_estimators(texts, structured_matrix(analyses), labels)
    return vectorizer, classifier, export(vectorizer, classifier)


@pytest.fixture(scope="module")
def others() -> list[Analysis]:
    notes = [Notification.model_validate(r["notification"]) for r in generate(300, seed=22)]
    return [analyse(n) for n in notes]


def _sparse_explanation(model: TriageModel, row: object, top: int = 3) -> list[tuple[str, float]]:
    """The explanation as it was computed from a row of the scipy matrix."""
    names = np.array([*model.terms, *NAMES], dtype=object)
    contributions = row.data * model.coef[row.indices]  # type: ignore[attr-defined]
    best = np.argsort(-contributions)[:top]
    return [
        (str(names[row.indices[i]]), round(float(contributions[i]), 3))  # type: ignore[attr-defined]
        for i in best
        if contributions[i] > 0
    ]


def _check_against_sklearn(
    vectorizer: object, classifier: object, model: TriageModel, analyses: list[Analysis]
) -> None:
    texts = [a.notification.narrative for a in analyses]
    structured = structured_matrix(analyses)
    matrix = sklearn_matrix(vectorizer, texts, structured)  # type: ignore[arg-type]
    rows = model.rows(texts, structured)
    for i, row in enumerate(rows):
        expected = matrix[i]
        assert np.array_equal(row.indices, expected.indices), i
        assert np.array_equal(row.values, expected.data), i  # bit for bit
        assert model.explain(row) == _sparse_explanation(model, expected), i

    scores = model.score_rows(rows)
    probability = classifier.predict_proba(matrix)[:, 1]  # type: ignore[attr-defined]
    np.testing.assert_allclose(scores, probability, rtol=1e-9, atol=1e-12)
    # The formula the engine used on the scipy matrix, to the last bit.
    from scipy.special import expit

    a, b = model.calibration
    direct = expit(-(a * (matrix @ model.coef + model.intercept) + b))
    assert np.array_equal(scores, direct)
    assert len(set(np.round(scores, 2).tolist())) > 20  # a real spread of scores was compared


def test_exported_model_scores_and_explains_as_scikit_learn(
    fitted: tuple[object, object, TriageModel], others: list[Analysis]
) -> None:
    vectorizer, classifier, model = fitted
    _check_against_sklearn(vectorizer, classifier, model, others)


def test_chunks_of_any_size_give_the_same_rows(
    fitted: tuple[object, object, TriageModel], others: list[Analysis]
) -> None:
    _, _, model = fitted
    texts = [a.notification.narrative for a in others[:40]]
    structured = structured_matrix(others[:40])
    whole = model.score_rows(model.rows(texts, structured))
    one_by_one = [model.score_rows(model.rows([t], structured[i : i + 1]))[0]
                  for i, t in enumerate(texts)]
    assert whole.tolist() == one_by_one
    empty = model.rows(["", "zzzz qqqq"], np.zeros((2, len(NAMES))))
    assert [len(r.indices) for r in empty] == [0, 0]
    assert model.score_rows(empty)[0] == model.score_rows(empty)[1]


def test_saved_and_loaded_the_model_is_the_same(
    fitted: tuple[object, object, TriageModel], others: list[Analysis], tmp_path: Path
) -> None:
    vectorizer, classifier, model = fitted
    model.save(tmp_path / "m", {"source": "test"}, {})
    loaded = TriageModel.load(tmp_path / "m")
    assert loaded.version == model.version and loaded.terms == model.terms
    assert loaded.analyzer == model.analyzer
    _check_against_sklearn(vectorizer, classifier, loaded, others[:100])


def test_a_joblib_model_saved_before_the_export_still_loads(
    fitted: tuple[object, object, TriageModel], others: list[Analysis], tmp_path: Path
) -> None:
    import hashlib

    import joblib

    vectorizer, classifier, _ = fitted
    joblib.dump({"vectorizer": vectorizer, "classifier": classifier}, tmp_path / "old.joblib")
    digest = hashlib.sha256((tmp_path / "old.joblib").read_bytes()).hexdigest()
    manifest = {"version": f"old-{digest[:8]}", "sha256": digest, "feature_version": 1}
    (tmp_path / "old.json").write_text(json.dumps(manifest))
    loaded = TriageModel.load(tmp_path / "old")
    assert loaded.version == manifest["version"]
    _check_against_sklearn(vectorizer, classifier, loaded, others[:100])


def test_an_artefact_that_is_not_plain_arrays_is_refused(tmp_path: Path) -> None:
    import hashlib

    (tmp_path / "bad.npz").write_bytes(b"not a zip file")
    digest = hashlib.sha256(b"not a zip file").hexdigest()
    manifest = {"version": "x", "sha256": digest, "feature_version": 1, "artefact": "bad.npz"}
    (tmp_path / "bad.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtefactError, match="unreadable"):
        TriageModel.load(tmp_path / "bad")


def test_screening_a_line_imports_neither_scikit_learn_nor_joblib(
    fitted: tuple[object, object, TriageModel], others: list[Analysis], tmp_path: Path
) -> None:
    _, _, model = fitted
    model.save(tmp_path / "m", {"source": "test"}, {})
    line = others[0].notification.model_dump_json()
    expected = Screener(TriageModel.load(tmp_path / "m")).screen(others[0].notification)
    code = (
        "import sys\n"
        "from screening.offline import screen_lines\n"
        "from screening.screener import load_screener\n"
        f"[out] = screen_lines([{line!r}], load_screener())\n"
        "print(out['score'], out['route'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sklearn', 'joblib', 'scipy'))\n"
        "print(loaded)\n"
    )
    env = {**os.environ, "DVSCREEN_MODEL": str(tmp_path / "m")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    result, loaded = done.stdout.splitlines()
    score, route = result.split()
    assert (float(score), route) == (expected.score, expected.route)
    assert loaded == "[]"
