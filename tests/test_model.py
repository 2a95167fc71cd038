"""The triage model: training, calibrated scores, artefacts loaded only after a hash check."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dvscreen import main
from models.contract import LabelledNotification, Notification
from screening.model import ArtefactError, TriageModel
from screening.screener import Screener
from screening.synth import generate
from screening.training import train


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TriageModel]:
    rows = [LabelledNotification.model_validate(r) for r in generate(600, seed=5)]
    stem = tmp_path_factory.mktemp("model") / "small"
    model = train(rows, stem, {"source": "synthetic", "seed": 5}, seed=5)
    return stem, model


def test_manifest_records_version_hash_data_and_metrics(trained: tuple[Path, TriageModel]) -> None:
    stem, model = trained
    manifest = json.loads(stem.with_name("small.json").read_text())
    assert manifest["version"] == model.version and manifest["version"].endswith(
        manifest["sha256"][:8])
    assert manifest["artefact"] == "small.npz"
    assert manifest["trained_on"]["rows"] == 600
    assert 0.5 < manifest["metrics"]["roc_auc"] <= 1.0
    assert 0.0 <= manifest["metrics"]["brier"] < 0.25


def test_scores_are_probabilities_that_separate_the_classes(
    trained: tuple[Path, TriageModel]
) -> None:
    stem, _ = trained
    screener = Screener(TriageModel.load(stem))
    rows = list(generate(300, seed=77))
    notes = [Notification.model_validate(r["notification"]) for r in rows]
    truth = np.array([r["label"]["child_involvement"] for r in rows])
    from screening.analysis import analyse

    scores = np.array(screener.scores([analyse(n) for n in notes]))
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores[truth].mean() > scores[~truth].mean() + 0.3


def test_an_altered_artefact_is_refused(trained: tuple[Path, TriageModel], tmp_path: Path) -> None:
    stem, _ = trained
    copy = tmp_path / "copy"
    data = bytearray(stem.with_name("small.npz").read_bytes())
    data[-10] ^= 0xFF
    (tmp_path / "copy.npz").write_bytes(bytes(data))
    (tmp_path / "copy.json").write_text(stem.with_name("small.json").read_text())
    with pytest.raises(ArtefactError, match="hash"):
        TriageModel.load(copy)


def test_a_model_for_another_feature_layout_is_refused(
    trained: tuple[Path, TriageModel], tmp_path: Path
) -> None:
    stem, _ = trained
    manifest = json.loads(stem.with_name("small.json").read_text())
    manifest["feature_version"] = -1
    (tmp_path / "old.npz").write_bytes(stem.with_name("small.npz").read_bytes())
    (tmp_path / "old.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtefactError, match="feature layout"):
        TriageModel.load(tmp_path / "old")


def test_a_missing_model_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ArtefactError, match="make install"):
        TriageModel.load(tmp_path / "absent")


def test_train_command_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "labelled.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in generate(300, seed=8)))
    assert main(["train", "--data", str(data), "--output", str(tmp_path / "m")]) == 0
    version = capsys.readouterr().out.strip()
    assert TriageModel.load(tmp_path / "m").version == version
