"""Commands for the pipeline's background processes: `worker`, `beat`, `relay`, `replay`,
`migrate`.

Each migrates the database first (creating the embedded SQLite database when needed).
"""

from __future__ import annotations

import argparse
import sys
import uuid

from cli.setup import prepare
from models.db import session_scope
from models.triage_store import pipeline_counts, replay_failed


def cmd_migrate(_args: argparse.Namespace) -> int:
    settings = prepare()
    print(f"database migrated: {settings.database.split('@')[-1]}", file=sys.stderr)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    settings = prepare()
    from workers.celery_app import app

    argv = ["worker", f"--loglevel={args.loglevel}", "-Q", settings.queue]
    if args.concurrency:
        argv.append(f"--concurrency={args.concurrency}")
    if args.beat:
        argv += ["--beat", f"--schedule={settings.resolved_data_dir / 'celerybeat-schedule'}"]
    if settings.is_embedded_broker:
        argv += ["--without-gossip", "--without-mingle"]
    app.worker_main(argv)
    return 0


def cmd_beat(args: argparse.Namespace) -> int:
    settings = prepare()
    from workers.celery_app import app

    settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    schedule = settings.resolved_data_dir / "celerybeat-schedule"
    app.start(["beat", f"--loglevel={args.loglevel}", f"--schedule={schedule}"])
    return 0


def cmd_relay(args: argparse.Namespace) -> int:
    import logging

    settings = prepare()
    from workers.celery_app import app
    from workers.outbox import run_relay

    logging.basicConfig(
        level=args.loglevel.upper(), format="[%(asctime)s: %(levelname)s/relay] %(message)s"
    )
    run_relay(app, settings)
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    settings = prepare()
    ids: list[uuid.UUID] = []
    for raw in args.ids or []:
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            print(f"dvscreen replay: not a notification id: {raw}", file=sys.stderr)
            return 2
    with session_scope(settings.database) as session:
        count = replay_failed(session, notification_ids=ids or None)
    print(f"requeued {count} failed notification(s)")
    return 0


def cmd_pipeline_status(_args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        counts = pipeline_counts(session)
    for name, count in counts.items():
        print(f"{name}\t{count}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    worker = subparsers.add_parser("worker", help="run a Celery worker (triage)")
    worker.add_argument("--concurrency", type=int, default=None, help="pool processes")
    worker.add_argument("--loglevel", default="INFO")
    worker.add_argument("--beat", action="store_true", help="also run beat (the sweep)")
    worker.set_defaults(handler=cmd_worker)

    beat = subparsers.add_parser("beat", help="run Celery beat (schedules the sweep)")
    beat.add_argument("--loglevel", default="INFO")
    beat.set_defaults(handler=cmd_beat)

    relay = subparsers.add_parser(
        "relay", help="run the outbox relay (publishes to the broker, sweeps for lost messages)"
    )
    relay.add_argument("--loglevel", default="INFO")
    relay.set_defaults(handler=cmd_relay)

    replay = subparsers.add_parser("replay", help="re-queue failed notifications for triage")
    replay.add_argument("ids", nargs="*", metavar="ID", help="only these (default: all failed)")
    replay.set_defaults(handler=cmd_replay)

    status = subparsers.add_parser(
        "pipeline-status", help="count notifications by status and the outbox backlog"
    )
    status.set_defaults(handler=cmd_pipeline_status)

    migrate_parser = subparsers.add_parser("migrate", help="create or upgrade the database")
    migrate_parser.set_defaults(handler=cmd_migrate)
