"""Screening throughput: notifications per second in one process, batch and one at a time.

Prints, on 10,000 synthetic notifications (seeded): contract validation alone (the baseline),
batch screening (validation included) and its ratio to the baseline, one-at-a-time latency
p50/p99, peak memory, and the whole-process `dvscreen screen` rate on 5,000 notifications.
Bars (issue 2): whole process >= 500/s, one notification p99 < 20 ms, peak memory < 400 MB.

Run: .venv/bin/python bench/screening.py [--n 10000] [--single 2000]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.contract import Notification  # noqa: E402
from screening.offline import screen_lines  # noqa: E402
from screening.screener import load_screener  # noqa: E402
from screening.synth import generate  # noqa: E402


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=2_000)
    parser.add_argument("--process", type=int, default=5_000)
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

    with tempfile.TemporaryDirectory() as tmp:
        source, sink = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        source.write_text("\n".join(lines[: args.process]) + "\n")
        dvscreen = str(ROOT / ".venv" / "bin" / "dvscreen")
        cli = [dvscreen, "screen", str(source), "--output", str(sink)]
        start = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        whole = time.perf_counter() - start
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        written = sum(1 for _ in sink.open())
    print(f"whole process `dvscreen screen` on {written}: {whole:.2f}s = {rate(written, whole)} "
          f"(start-up included), peak memory {child_peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
