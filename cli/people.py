"""The people index commands: `dvscreen people relink` (the batch re-link of the whole index)."""

from __future__ import annotations

import argparse
import sys


def cmd_relink(args: argparse.Namespace) -> int:
    from governance.people_relink import relink
    from models.db import session_scope
    from models.settings import get_settings
    from models.types import utcnow

    with session_scope(get_settings().database) as session:
        report = relink(session, now=utcnow())
    print(
        f"indexed {report.indexed} notification(s); re-linked {report.mentions} mention(s): "
        f"{report.changed} changed, {report.people} people, {report.removed} removed",
        file=sys.stderr,
    )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    people = sub.add_parser("people", help="the people index: who is known across notifications")
    commands = people.add_subparsers(dest="people_command", required=True, metavar="COMMAND")
    relink = commands.add_parser(
        "relink", help="link notifications not yet indexed, then re-link the whole index"
    )
    relink.set_defaults(handler=cmd_relink)
