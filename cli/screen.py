"""The screening commands: `screen`, `evaluate`, `whatif`, `train`, `synth`.

They run without a server, broker or database (contract sections 3 and 5).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from screening.evaluation import format_report
from screening.labelled import LabelledDataError, read_labelled
from screening.offline import screen_file
from screening.policy import DEFAULT_POLICY, Policy
from screening.screener import default_model_stem, load_screener
from screening.whatif import replay, score_labelled, weeks_spanned


def _policy(args: argparse.Namespace) -> Policy:
    policy = DEFAULT_POLICY
    if getattr(args, "policy", None):
        policy = Policy.model_validate_json(Path(args.policy).read_text())
    changes = {}
    if getattr(args, "screen_out_max", None) is not None:
        changes["screen_out_max_score"] = args.screen_out_max
    if getattr(args, "review_min", None) is not None:
        changes["review_min_score"] = args.review_min
    if getattr(args, "allow_silence", False):
        changes["allow_silence_screen_out"] = True
    return Policy.model_validate({**policy.model_dump(), **changes}) if changes else policy


def _model(args: argparse.Namespace) -> Path | None:
    return Path(args.model) if getattr(args, "model", None) else None


def cmd_screen(args: argparse.Namespace) -> int:
    source = Path(args.input)
    if not source.is_file():
        print(f"dvscreen screen: no such input file: {source}", file=sys.stderr)
        return 2
    screener = load_screener(_model(args))
    screener.warm()
    # What is loaded lives for the whole run: keep the collector from walking it again and
    # again (and, with worker processes, from touching the pages they share).
    gc.freeze()
    with source.open(encoding="utf-8") as handle, Path(args.output).open("w") as sink:
        tally = screen_file(handle, sink, screener, _policy(args), processes=args.processes)
    print(f"screened {tally.screened}, rejected {tally.rejected}", file=sys.stderr)
    return 1 if tally.rejected else 0


def _scored(args: argparse.Namespace) -> list:
    rows = list(read_labelled(args.data))
    return score_labelled(rows, load_screener(_model(args)))


def cmd_evaluate(args: argparse.Namespace) -> int:
    report = replay(_scored(args), _policy(args))
    print(json.dumps(report.as_dict(), indent=2) if args.json else format_report(report))
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    scored = _scored(args)
    policy = _policy(args)
    report = replay(scored, policy)
    weekly = (report.involved_screened_out + report.not_involved_screened_out) / weeks_spanned(
        scored
    )
    if args.json:
        print(json.dumps({**report.as_dict(), "screened_out_per_week": weekly}, indent=2))
    else:
        print(format_report(report))
        print(f"screened out per week: {weekly:.1f}")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from screening.training import train

    if args.data:
        rows = list(read_labelled(args.data))
        trained_on = {"source": "file", "path": str(Path(args.data).name)}
    else:
        from models.contract import LabelledNotification
        from screening.synth import generate

        rows = [LabelledNotification.model_validate(r) for r in generate(args.synthetic, args.seed)]
        trained_on = {"source": "synthetic", "rows": args.synthetic, "seed": args.seed}
    stem = Path(args.output) if args.output else default_model_stem()
    model = train(rows, stem, trained_on, seed=args.seed)
    print(model.version)
    print(json.dumps(model.manifest["metrics"]), file=sys.stderr)
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from screening.synth import write_jsonl

    if args.recurring:
        from screening.synth.recurring import write_recurring

        truth = args.truth or f"{args.output}.truth.jsonl"
        count = write_recurring(args.n, args.output, truth, seed=args.seed)
        print(f"wrote {count} notifications of recurring families to {args.output} "
              f"(who is who: {truth})", file=sys.stderr)
        return 0
    count = write_jsonl(args.n, args.output, seed=args.seed)
    print(f"wrote {count} labelled notifications to {args.output}", file=sys.stderr)
    return 0


Command = Callable[[argparse.Namespace], int]


def _guard(handler: Command) -> Command:
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except LabelledDataError as exc:
            print(f"dvscreen {args.command}: {exc}", file=sys.stderr)
            return 1
        except FileNotFoundError as exc:
            print(f"dvscreen {args.command}: no such file: {exc.filename}", file=sys.stderr)
            return 2

    return run


def _thresholds(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", help="a policy JSON file (default: the built-in policy)")
    parser.add_argument("--screen-out-max", type=float, help="screen_out_max_score to use")
    parser.add_argument("--review-min", type=float, help="review_min_score to use")
    parser.add_argument("--allow-silence", action="store_true",
                        help="allow screening out on silence")
    parser.add_argument("--model", help="model path without suffix (default: the built-in one)")


def register(sub: argparse._SubParsersAction) -> None:
    screen = sub.add_parser("screen", help="screen a JSONL file of notifications offline")
    screen.add_argument("input")
    screen.add_argument("--output", required=True)
    screen.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="worker processes (default: one per core)")
    _thresholds(screen)
    screen.set_defaults(handler=_guard(cmd_screen))

    for name, handler, text in (
        ("evaluate", cmd_evaluate, "screen a labelled JSONL file and report recall and load"),
        ("whatif", cmd_whatif, "the effect of other thresholds on a labelled JSONL file"),
    ):
        parser = sub.add_parser(name, help=text)
        parser.add_argument("--data", required=True)
        parser.add_argument("--json", action="store_true", help="print JSON")
        _thresholds(parser)
        parser.set_defaults(handler=_guard(handler))

    train = sub.add_parser("train", help="fit the triage model from labelled data")
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="a labelled JSONL file")
    source.add_argument("--synthetic", type=int, metavar="N", help="N synthetic notifications")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--output", help="model path without suffix (default: the built-in one)")
    train.set_defaults(handler=_guard(cmd_train))

    synth = sub.add_parser("synth", help="write synthetic labelled notifications")
    synth.add_argument("-n", type=int, required=True)
    synth.add_argument("--output", required=True)
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--recurring", action="store_true",
                       help="families that recur across notifications, with the truth of who "
                       "is who (a person id per listed person) in --truth")
    synth.add_argument("--truth", help="where --recurring writes the truth "
                       "(default: OUTPUT.truth.jsonl)")
    synth.set_defaults(handler=_guard(cmd_synth))
