"""What-if from the stored history equals `dvscreen evaluate` on the same file and thresholds;
the curve agrees with full replays; service labels enter the history once, and again only
when relabelled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dvscreen import main
from governance.whatif import curve, load_history, name_misses, run_whatif
from governance.whatif_history import sync_label_facts
from models.db import session_scope
from models.review_tables import LabelRecord
from models.settings import Settings
from models.types import utcnow
from screening.policy import DEFAULT_POLICY, Policy
from screening.synth import write_jsonl
from tests.web_support import (
    add_user,
    client_for,
    make_settings,
    notification_body,
    seed,
    sign_in,
)

THRESHOLDS = [(0.2, False), (0.35, True), (0.5, True)]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    tmp = tmp_path_factory.mktemp("whatif")
    data = tmp / "labelled.jsonl"
    write_jsonl(240, str(data), seed=21)
    settings = make_settings(tmp)
    patch = pytest.MonkeyPatch()
    patch.setenv("DVSCREEN_DATA_DIR", str(tmp))
    patch.delenv("DATABASE_URL", raising=False)
    try:
        assert main(["labels", "import", "--data", str(data)]) == 0
        # The same file again is recognised, not stored twice.
        assert main(["labels", "import", "--data", str(data)]) == 0
    finally:
        patch.undo()
    return settings, data


def _evaluate(
    data: Path, threshold: float, silence: bool, capsys: pytest.CaptureFixture[str]
) -> dict:
    capsys.readouterr()
    argv = ["evaluate", "--json", "--data", str(data), "--screen-out-max", str(threshold)]
    assert main(argv + (["--allow-silence"] if silence else [])) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("threshold", "silence"), THRESHOLDS)
def test_whatif_equals_evaluate(
    imported: tuple[Settings, Path],
    threshold: float,
    silence: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings, data = imported
    expected = _evaluate(data, threshold, silence, capsys)
    policy = Policy(screen_out_max_score=threshold, allow_silence_screen_out=silence)
    with session_scope(settings.database) as session:
        history = load_history(session)
        result = name_misses(session, run_whatif(history, policy), history)
    assert len(history) == 240
    assert result.report.as_dict() == expected
    assert [m["reference"] for m in result.misses] == [m["reference"] for m in expected["misses"]]
    # The curve's point at this threshold is the same as the full replay's.
    point = next(p for p in curve(history, policy) if abs(p.threshold - threshold) < 1e-9)
    assert point.recall == pytest.approx(expected["recall"])
    assert point.screen_out_share == pytest.approx(expected["screen_out_share_of_not_involved"])


def test_web_page_shows_the_same_figures(
    imported: tuple[Settings, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    settings, data = imported
    add_user(settings, "hana", "head_of_safeguarding")
    client = client_for(settings)
    sign_in(client, "hana")
    expected = _evaluate(data, 0.35, True, capsys)
    page = client.get("/policy/whatif?screen_out_max=0.35&allow_silence=yes")
    assert page.status_code == 200
    recall = re.search(r'data-figure="recall" data-value="([^"]+)"', page.text)
    share = re.search(r'data-figure="screen_out_share" data-value="([^"]+)"', page.text)
    triage = re.search(r'data-figure="triage_check" data-value="(\d+)"', page.text)
    assert recall and share and triage
    assert float(recall.group(1)) == pytest.approx(expected["recall"])
    assert float(share.group(1)) == pytest.approx(expected["screen_out_share_of_not_involved"])
    assert int(triage.group(1)) == expected["routes"].get("triage_check", 0)
    for miss in expected["misses"]:
        assert miss["reference"] in page.text
    csv = client.get("/policy/whatif/misses.csv?screen_out_max=0.35&allow_silence=yes")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == 1 + len(expected["misses"])
    # The CLI over the stored history gives the same figures.
    capsys.readouterr()
    patch = pytest.MonkeyPatch()
    patch.setenv("DVSCREEN_DATA_DIR", str(settings.data_dir))
    try:
        assert (
            main(["policy", "whatif", "--json", "--screen-out-max", "0.35", "--allow-silence"]) == 0
        )
    finally:
        patch.undo()
    stored = json.loads(capsys.readouterr().out)
    assert stored["recall"] == expected["recall"]
    assert stored["routes"] == expected["routes"]


def test_service_labels_enter_the_history_once(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    worker = add_user(settings, "ivy", "duty_worker")
    seeded = seed(
        settings,
        notification_body(
            "LE/26/900001",
            "Argument between the IP and her partner. Her son Leo (4) was asleep upstairs.",
        ),
        route="duty_review",
        priority="high",
        categories=["household"],
    )
    with session_scope(settings.database) as session:
        session.add(
            LabelRecord(
                notification_id=seeded.notification_id,
                child_involvement=True,
                categories=["household"],
                source="decision",
                labelled_by=worker,
                labelled_at=utcnow(),
            )
        )
    assert sync_label_facts(settings.database) == 1
    assert sync_label_facts(settings.database) == 0
    with session_scope(settings.database) as session:
        history = load_history(session)
        assert len(history) == 1
        assert history.labels[0].child_involvement is True
        session.add(
            LabelRecord(
                notification_id=seeded.notification_id,
                child_involvement=False,
                categories=[],
                source="decision",
                labelled_by=worker,
                labelled_at=utcnow(),
            )
        )
    assert sync_label_facts(settings.database) == 1
    with session_scope(settings.database) as session:
        history = load_history(session)
    assert len(history) == 1 and history.labels[0].child_involvement is False
    assert run_whatif(history, DEFAULT_POLICY).report.total == 1
