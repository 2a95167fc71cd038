"""Screening throughput: notifications per second in one process, batch and one at a time.

Prints, on 10,000 synthetic notifications (seeded): contract validation alone (the baseline),
batch screening (validation included) and its ratio to the baseline, one-at-a-time latency
p50/p99, peak memory, and the whole-process `dvscreen screen` rate on 5,000 notifications.
Bars (issue 2): whole process >= 500/s, one notification p99 < 20 ms, peak memory < 400 MB.

Then whole processes on the same 10,000 lines, start-up included: the floor
(`bench/screening_floor.py`: read the lines, validate them against the contract, spaCy-tokenise
their narratives) and `dvscreen screen --processes 1`, each the best of `--repeat` runs taken
in turn, and their ratio; and `dvscreen screen` on one notification. Bars (issue 8): the engine
within 5x the floor, one notification in under 1 s. A child's peak memory is its own, from
`os.wait4` (`RUSAGE_CHILDREN` is the largest child waited for so far, whichever it was).

Run: .venv/bin/python bench/screening.py [--n 10000] [--single 2000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.contract import Notification  # noqa: E402
from screening.offline import screen_lines  # noqa: E402
from screening.screener import load_screener  # noqa: E402
from screening.synth import generate  # noqa: E402


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


@dataclass(frozen=True)
class Child:
    seconds: float
    peak_mb: float  # the child's own peak resident set (its largest waited-for child's if larger)


# Runs a command and reports its wall time, peak memory and exit code. It runs in a small fresh
# interpreter because a process's peak memory counts the process it was forked from until it
# called exec (Linux keeps the high-water mark across exec), and this one holds a screener.
_LAUNCHER = """
import os, sys, time
argv = sys.argv[1:]
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ,
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_child(command: list[str]) -> Child:
    """Run `command` to the end: its wall time and its own peak memory, from `os.wait4`."""
    with tempfile.TemporaryFile() as err:
        done = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *command],
                              stdout=subprocess.PIPE, stderr=err, text=True, check=True)
        seconds, peak_kb, code = done.stdout.split()
        if int(code) != 0:
            err.seek(0)
            raise RuntimeError(f"{command} exited {code}: {err.read().decode()}")
    return Child(float(seconds), int(peak_kb) / 1024)


def best(runs: list[Child]) -> Child:
    return min(runs, key=lambda c: c.seconds)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=2_000)
    parser.add_argument("--process", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=2,
                        help="whole-process runs of the floor and the engine, best one counts")
    args = parser.parse_args()

    lines = [json.dumps(row["notification"]) for row in generate(args.n, seed=12345)]
    screener = load_screener()
    screener.screen_many([Notification.model_validate_json(lines[0])])  # warm up the pipeline

    start = time.perf_counter()
    notifications = [Notification.model_validate_json(line) for line in lines]
    baseline = time.perf_counter() - start
    print(f"contract validation alone: {len(lines)} in {baseline:.2f}s = "
          f"{rate(len(lines), baseline)}")

    start = time.perf_counter()
    outputs = list(screen_lines(lines, screener))
    batch = time.perf_counter() - start
    assert len(outputs) == len(lines)
    print(f"batch screening:           {len(lines)} in {batch:.2f}s = {rate(len(lines), batch)}"
          f"  (ratio to validation alone: {batch / baseline:.1f}x the time)")

    timings = []
    for n in notifications[: args.single]:
        t0 = time.perf_counter()
        screener.screen(n)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"one at a time ({len(timings)}): p50 {statistics.median(timings):.2f} ms, "
          f"p99 {p99:.2f} ms, max {timings[-1]:.2f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:.0f} MB")

    python = sys.executable
    dvscreen = [python, str(ROOT / "dvscreen.py")]  # the `dvscreen` command, for this checkout
    with tempfile.TemporaryDirectory() as tmp:
        source, sink = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_text("\n".join(lines[: args.process]) + "\n")
        cli = run_child([*dvscreen, "screen", str(source), "--output", str(sink)])
        written = sum(1 for _ in sink.open())
        print(f"whole process `dvscreen screen` on {written}: {cli.seconds:.2f}s = "
              f"{rate(written, cli.seconds)} (start-up included), peak memory {cli.peak_mb:.0f} MB")

        every = Path(tmp) / "all.jsonl"
        every.write_text("\n".join(lines) + "\n")
        floor_runs, engine_runs = [], []
        for _ in range(args.repeat):
            floor_runs.append(run_child([python, str(ROOT / "bench" / "screening_floor.py"),
                                         str(every)]))
            engine_runs.append(run_child([*dvscreen, "screen", str(every), "--output", str(sink),
                                          "--processes", "1"]))
        assert sum(1 for _ in sink.open()) == len(lines)
        floor, engine = best(floor_runs), best(engine_runs)
        print(f"floor (read, validate, spaCy-tokenise; whole process) on {len(lines)}: "
              f"{floor.seconds:.2f}s = {rate(len(lines), floor.seconds)}, "
              f"peak memory {floor.peak_mb:.0f} MB")
        print(f"`dvscreen screen --processes 1` on {len(lines)}: {engine.seconds:.2f}s = "
              f"{rate(len(lines), engine.seconds)}, peak memory {engine.peak_mb:.0f} MB  "
              f"(ratio to the floor: {engine.seconds / floor.seconds:.1f}x the time; bar 5x)")

        one = Path(tmp) / "one.jsonl"
        one.write_text(lines[0] + "\n")
        singles = [run_child([*dvscreen, "screen", str(one), "--output", str(sink)])
                   for _ in range(3)]
        floor_one = best([run_child([python, str(ROOT / "bench" / "screening_floor.py"),
                                     str(one)]) for _ in range(3)])
        times = sorted(c.seconds for c in singles)
        print(f"`dvscreen screen` on one notification: best {times[0]:.2f}s, "
              f"worst {times[-1]:.2f}s of {len(times)} (bar < 1 s), "
              f"peak memory {max(c.peak_mb for c in singles):.0f} MB; "
              f"the floor on it: {floor_one.seconds:.2f}s "
              f"(ratio {times[0] / floor_one.seconds:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
