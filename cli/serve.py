"""Commands for the web side: `serve` (API plus a real Celery worker and the relay) and
`apikeys`.

`dvscreen serve` migrates, then runs uvicorn in this process and, as children in the same
process group, `celery worker --beat` and `dvscreen relay`. It supervises them: a child that
exits is started again after a second (no single process's death stops the pipeline).
SIGTERM or SIGINT stops everything cleanly.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from cli.setup import prepare
from models.consumer_key_store import (
    create_consumer_key,
    list_consumer_keys,
    revoke_consumer_keys,
)
from models.db import session_scope
from models.key_store import create_key, list_keys, revoke_keys
from models.settings import Settings
from models.types import utcnow

STOP_TIMEOUT_SECONDS = 20
GROUP_SIGNAL_GRACE_SECONDS = 2
RESTART_DELAY_SECONDS = 1.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)



def worker_command(settings: Settings, concurrency: int | None) -> list[str]:
    schedule = settings.resolved_data_dir / "celerybeat-schedule"
    command = [
        sys.executable, "-m", "celery", "-A", "workers.celery_app", "worker",
        "--loglevel=INFO", "-Q", settings.queue, "--beat", f"--schedule={schedule}",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    if concurrency:
        command.append(f"--concurrency={concurrency}")
    return command


def relay_command() -> list[str]:
    return [sys.executable, "-m", "dvscreen", "relay"]


class Supervised:
    """A child process started again whenever it exits, until `stop()`."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]) -> None:
        self.name, self.command, self.env = name, command, env
        self.stopping = threading.Event()
        self.restarts = 0
        self.child = subprocess.Popen(command, env=env)
        self.thread = threading.Thread(target=self._watch, name=f"{name}-watch", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while True:
            code = self.child.wait()
            if self.stopping.wait(RESTART_DELAY_SECONDS):
                return
            self.restarts += 1
            print(
                f"dvscreen serve: the {self.name} exited ({code}); starting it again",
                file=sys.stderr,
            )
            self.child = subprocess.Popen(self.command, env=self.env)

    def stop(self) -> None:
        self.stopping.set()
        _stop(self.child)


class _Server(uvicorn.Server):
    """Uvicorn, except that it does not re-raise the stop signal after shutting down (which
    would end this process before it could stop the worker)."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Stop the worker: it may have had the signal already (Ctrl-C reaches the whole group)."""
    try:
        child.wait(GROUP_SIGNAL_GRACE_SECONDS)
        return
    except subprocess.TimeoutExpired:
        pass
    child.send_signal(signal.SIGTERM)  # Celery's warm shutdown: finish the task in hand.
    try:
        child.wait(STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    from api.app import create_app

    settings = prepare()
    # The child imports `workers` from the same tree as this package.
    root = str(Path(__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    children: list[Supervised] = []
    if not args.no_worker:
        children.append(Supervised("worker", worker_command(settings, args.concurrency), env))
        children.append(Supervised("relay", relay_command(), env))
    config = uvicorn.Config(
        create_app(settings), host=args.host, port=args.port, log_level="info", access_log=False
    )
    server = _Server(config)

    url = f"http://{args.host}:{args.port}"
    print(f"dvscreen serving on {url}  (API docs: {url}/docs)", file=sys.stderr)
    print("in a second terminal, the first users and an API key (see README.md):\n"
          "  .venv/bin/dvscreen users create --username admin --role admin --name 'Your Name'\n"
          "  .venv/bin/dvscreen apikeys create --source 'Your Force'", file=sys.stderr)
    try:
        server.run()
    finally:
        for child in children:  # first, so that no child is started again while others stop
            child.stopping.set()
        for child in children:
            child.stop()
    return 0


def cmd_apikeys_create(args: argparse.Namespace) -> int:
    settings = prepare()
    if args.consumer:  # a case-management system's key for the contacts feed
        with session_scope(settings.database) as session:
            key = create_consumer_key(session, consumer=args.consumer, now=utcnow())
        print(key)
        print(f"key created for consumer {args.consumer!r}; it is not shown again",
              file=sys.stderr)
        return 0
    with session_scope(settings.database) as session:
        key = create_key(session, source_name=args.source)
    print(key)
    print(f"key created for source {args.source!r}; it is not shown again", file=sys.stderr)
    return 0


def cmd_apikeys_revoke(args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        count = revoke_keys(session, prefix=args.prefix, source_name=args.source)
        if args.prefix:
            count += revoke_consumer_keys(session, prefix=args.prefix, now=utcnow())
    print(f"revoked {count} key(s)", file=sys.stderr)
    return 0 if count else 1


def cmd_apikeys_list(_args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        keys = list_keys(session)
        consumers = list_consumer_keys(session)
    for key in keys:
        state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        print(f"{key.prefix}\t{key.source}\t{key.created_at:%Y-%m-%d %H:%M}\t{state}")
    for consumer in consumers:
        revoked = consumer.revoked_at
        state = f"revoked {revoked:%Y-%m-%d %H:%M}" if revoked else "active"
        print(f"{consumer.prefix}\tconsumer: {consumer.consumer}\t"
              f"{consumer.created_at:%Y-%m-%d %H:%M}\t{state}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the API with a Celery worker and the relay, restarting them if they exit"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--concurrency", type=int, default=None, help="worker pool processes")
    serve.add_argument(
        "--no-worker", action="store_true", help="run the API alone (no worker, no relay)"
    )
    serve.set_defaults(handler=cmd_serve)

    keys = subparsers.add_parser("apikeys", help="create, revoke and list sources' API keys")
    actions = keys.add_subparsers(dest="apikeys_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="print a new key for a source, once")
    owner = create.add_mutually_exclusive_group(required=True)
    owner.add_argument("--source", help="the source (police force) name")
    owner.add_argument(
        "--consumer", help="a contacts-feed consumer (the case-management system) instead"
    )
    create.set_defaults(handler=cmd_apikeys_create)
    revoke = actions.add_parser("revoke", help="revoke one key or all of a source's keys")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--prefix", help="the key's prefix (or the whole key)")
    which.add_argument("--source", help="revoke every key of this source")
    revoke.set_defaults(handler=cmd_apikeys_revoke)
    listing = actions.add_parser("list", help="list keys (prefix, source, created, state)")
    listing.set_defaults(handler=cmd_apikeys_list)
