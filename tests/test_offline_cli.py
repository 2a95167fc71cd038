"""`dvscreen screen`, `evaluate`, `whatif`, `train`: the command line (contract sections 3, 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dvscreen import main
from models.contract import ScreeningResult
from screening.synth import generate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT.parent / "shared" / "data" / "examples.jsonl"


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "labelled.jsonl"
    write_lines(path, [json.dumps(row) for row in generate(400, seed=99)])
    return path


def test_screen_writes_one_result_per_line_in_input_order(tmp_path: Path, labelled: Path) -> None:
    rows = [json.loads(line) for line in labelled.read_text().splitlines()[:50]]
    source = write_lines(tmp_path / "in.jsonl", [json.dumps(r["notification"]) for r in rows])
    assert main(["screen", str(source), "--output", str(tmp_path / "out.jsonl")]) == 0
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o["reference"] for o in out] == [r["notification"]["reference"] for r in rows]
    for item in out:
        ScreeningResult.model_validate(item)


def test_a_bad_line_is_reported_in_place_and_the_run_goes_on(
    tmp_path: Path, labelled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = [json.loads(line)["notification"] for line in labelled.read_text().splitlines()[:3]]
    bad = {**good[1], "children_present": "yes", "narrative": "Secret Person lives here"}
    lines = [json.dumps(good[0]), json.dumps(bad), "{not json", json.dumps(good[2])]
    source = write_lines(tmp_path / "in.jsonl", lines)
    assert main(["screen", str(source), "--output", str(tmp_path / "out.jsonl")]) == 1
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [o.get("line") for o in out] == [None, 2, 3, None]
    assert out[1]["reference"] == bad["reference"]
    assert out[1]["error"]["status"] == 422
    assert [e["path"] for e in out[1]["error"]["errors"]] == ["children_present"]
    assert out[3]["reference"] == good[2]["reference"] and "route" in out[3]
    err = capsys.readouterr().err
    assert "line 2" in err and "children_present" in err and "line 3" in err
    assert "Secret Person" not in err and "Secret Person" not in json.dumps(out[1])


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    cli = [sys.executable, str(ROOT / "dvscreen.py")]
    missing = subprocess.run([*cli, "screen", str(tmp_path / "nope.jsonl"), "--output",
                              str(tmp_path / "o.jsonl")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such input file" in missing.stderr
    no_output = subprocess.run([*cli, "screen", "x.jsonl"], capture_output=True, text=True)
    assert no_output.returncode == 2


@pytest.mark.parametrize(
    "labelled_file",
    [EXAMPLES, ROOT / "tests" / "data" / "dev_handwritten.jsonl",
     ROOT / "tests" / "data" / "dev_handwritten_2.jsonl"],
    ids=["shared-examples", "dev-handwritten", "dev-handwritten-2"],
)
def test_evaluate_hand_written_notifications_screens_out_no_involved_one(
    labelled_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "--data", str(labelled_file), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["involved"] > 0
    assert report["misses"] == []
    assert report["recall"] == 1.0


def test_whatif_equals_evaluate_at_the_same_thresholds(
    labelled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["evaluate", "--data", str(labelled), "--json", "--screen-out-max", "0.35"])
    evaluated = json.loads(capsys.readouterr().out)
    main(["whatif", "--data", str(labelled), "--json", "--screen-out-max", "0.35"])
    whatif = json.loads(capsys.readouterr().out)
    whatif.pop("screened_out_per_week")
    assert whatif == evaluated
    main(["whatif", "--data", str(labelled), "--json", "--screen-out-max", "0.0"])
    stricter = json.loads(capsys.readouterr().out)
    assert stricter["routes"].get("screened_out", 0) <= evaluated["routes"].get("screened_out", 0)


def test_evaluate_names_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_lines(tmp_path / "bad.jsonl", ['{"notification": {}, "label": {}}'])
    assert main(["evaluate", "--data", str(bad)]) == 1
    assert "line 1" in capsys.readouterr().err


def test_worker_processes_give_the_same_output_in_the_same_order(labelled: Path) -> None:
    from screening.offline import CHUNK, screen_lines
    from screening.screener import load_screener

    rows = [json.loads(line) for line in labelled.read_text().splitlines()]
    lines = [json.dumps(r["notification"]) for r in rows] + ["{broken"]
    assert len(lines) > 2 * CHUNK  # several chunks across the workers
    single = list(screen_lines(lines, load_screener(), processes=1))
    forked = list(screen_lines(lines, load_screener(), processes=2))
    assert forked == single
    assert len(single) == len(lines) and single[-1]["line"] == len(lines)


def test_one_chunk_is_screened_without_starting_workers(
    labelled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A single notification (any input of one chunk) is screened in the process: a pool's
    start-up was half a second of `dvscreen screen` on one notification."""
    import multiprocessing

    from screening.offline import screen_lines
    from screening.screener import load_screener

    def no_pool(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a worker pool was started for one chunk")

    line = json.loads(labelled.read_text().splitlines()[0])["notification"]
    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    out = list(screen_lines([json.dumps(line)], load_screener(), processes=4))
    assert [o["reference"] for o in out] == [line["reference"]]


def _slow_parse(number: int, line: str) -> object:
    """What `parse_line` gave before its JSON fast path: json.loads, then model_validate."""
    from pydantic import ValidationError

    from models.contract import Notification
    from models.problems import problem, validation_problem

    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        body = problem(400, f"The line is not valid JSON: {exc.msg} at column {exc.colno}.",
                       instance=f"line {number}")
        return {"reference": None, "line": number, "error": body}
    try:
        return Notification.model_validate(raw)
    except ValidationError as exc:
        body = validation_problem(exc, instance=f"line {number}")
        reference = raw.get("reference") if isinstance(raw, dict) else None
        return {"reference": reference[:64] if isinstance(reference, str) else None,
                "line": number, "error": body}


def test_the_json_fast_paths_give_what_the_python_paths_gave(labelled: Path) -> None:
    from screening.offline import parse_line, result_json
    from screening.screener import load_screener

    good = [json.loads(line)["notification"] for line in labelled.read_text().splitlines()[:40]]
    odd = "Café — “quoted” 😀 \x7f and a KNIFE; her son was hurt. \u2028 done"
    lines = [json.dumps(n) for n in good] + [
        json.dumps({**good[0], "narrative": odd}, ensure_ascii=False),
        json.dumps({**good[0], "narrative": odd}),
        json.dumps({**good[1], "narrative": "lone \ud800 surrogate"}),
        json.dumps(good[2])[:-1] + ', "reference": "DUP/1"}',
        json.dumps({**good[3], "previous_incidents": 3.0}),
        json.dumps({**good[3], "previous_incidents": 10**30}),
        json.dumps({**good[4], "children_present": "yes"}),
        json.dumps({**good[4], "unknown": 1}),
        "\ufeff" + json.dumps(good[5]),
        "{not json", "[1, 2]", '"text"', "null", "  " + json.dumps(good[6]) + "  ",
    ]
    screener = load_screener()
    for number, line in enumerate(lines, start=1):
        fast, slow = parse_line(number, line), _slow_parse(number, line)
        assert fast == slow, line
        if not isinstance(fast, dict):
            result = screener.screen(fast)
            assert result_json(result) == json.dumps(result.model_dump(mode="json"),
                                                      separators=(",", ":"))


def test_a_deeply_nested_line_is_rejected_and_the_run_goes_on(tmp_path: Path) -> None:
    row = next(iter(generate(1, seed=3)))
    lines = ["[" * 100_000 + "]" * 100_000, json.dumps(row["notification"])]
    source = write_lines(tmp_path / "in.jsonl", lines)
    assert main(["screen", str(source), "--output", str(tmp_path / "out.jsonl")]) == 1
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert out[0]["line"] == 1 and out[0]["error"]["status"] == 400
    assert "nested too deeply" in out[0]["error"]["detail"]
    assert out[1]["reference"] == row["notification"]["reference"] and "route" in out[1]
