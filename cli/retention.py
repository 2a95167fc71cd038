"""`dvscreen retention purge [--dry-run]`, `retention holds`, `retention hold`, `retention
release`: the retention purge by hand (beat runs it daily) and legal holds. A hold names who
places it (`--by USERNAME`, a manager or head of safeguarding) and why."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from cli.setup import prepare
from governance.retention import purge
from models.db import session_scope
from models.retention_store import (
    active_holds,
    notification_by_reference,
    place_notification_hold,
    place_person_hold,
    release_hold,
)
from models.staff_store import get_staff, staff_id_by_name
from models.types import utcnow

HOLDERS = ("manager", "head_of_safeguarding")


def _fail(message: str) -> int:
    print(f"dvscreen retention: {message}", file=sys.stderr)
    return 1


def _holder(url: str, username: str) -> int | None:
    with session_scope(url) as session:
        user_id = staff_id_by_name(session, username=username)
        user = get_staff(session, user_id=user_id) if user_id is not None else None
        if user is None or not user.active or user.role not in HOLDERS:
            return None
        return user.id


def cmd_purge(args: argparse.Namespace) -> int:
    settings = prepare()
    actor = "system:retention"
    if args.by:
        user_id = _holder(settings.database, args.by)
        if user_id is None:
            return _fail("only an active manager or head of safeguarding may purge")
        actor = f"staff:{user_id}"
    report = purge(settings.database, dry_run=args.dry_run, actor=actor)
    verb = "would be purged" if report.dry_run else "purged"
    print(f"{report.notifications} notifications {verb}; {report.held} held by a legal hold "
          f"(run {report.run_id}, {report.seconds:.2f} s)")
    for name, count in report.per_class.items():
        print(f"  {name.replace('_', ' ')}: {count}")
    if report.dry_run and report.shown:
        print("first due (reference, class, closed):")
        for reference, name, closed in report.shown:
            print(f"  {reference}  {name}  {closed.date().isoformat()}")
    for table, count in sorted(report.rows_changed.items()):
        print(f"  rows changed in {table}: {count}")
    return 0


def cmd_holds(args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        holds = active_holds(session)
    for hold in holds:
        what = hold.reference if hold.kind == "notification" else "a person (name and birth date)"
        print(f"{hold.id}\t{hold.kind}\t{what}\t{hold.placed_at.date().isoformat()}")
    if not holds:
        print("no legal holds")
    return 0


def cmd_hold(args: argparse.Namespace) -> int:
    settings = prepare()
    user_id = _holder(settings.database, args.by)
    if user_id is None:
        return _fail("only an active manager or head of safeguarding may place a hold")
    if not args.reason.strip():
        return _fail("a hold needs a reason (--reason)")
    with session_scope(settings.database) as session:
        if args.reference:
            notification_id = notification_by_reference(session, reference=args.reference)
            if notification_id is None:
                return _fail("there is no notification with that reference")
            hold_id = place_notification_hold(session, notification_id=notification_id,
                                              reason=args.reason, placed_by=user_id,
                                              now=utcnow())
        elif args.given_name and args.family_name and args.dob:
            hold_id = place_person_hold(session, given_name=args.given_name,
                                        family_name=args.family_name,
                                        date_of_birth=date.fromisoformat(args.dob),
                                        reason=args.reason, placed_by=user_id, now=utcnow())
        else:
            return _fail("give --reference, or --given-name, --family-name and --dob")
    print(f"legal hold {hold_id} placed")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    settings = prepare()
    user_id = _holder(settings.database, args.by)
    if user_id is None:
        return _fail("only an active manager or head of safeguarding may release a hold")
    with session_scope(settings.database) as session:
        if not release_hold(session, hold_id=args.hold, released_by=user_id, now=utcnow()):
            return _fail("there is no such active hold")
    print(f"legal hold {args.hold} released")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    retention = sub.add_parser("retention", help="the retention purge and legal holds")
    actions = retention.add_subparsers(dest="retention_command", required=True,
                                       metavar="ACTION")
    run = actions.add_parser("purge", help="purge the personal data past its schedule")
    run.add_argument("--dry-run", action="store_true", help="show what would go; change nothing")
    run.add_argument("--by", help="your username (default: the service itself)")
    run.set_defaults(handler=cmd_purge)
    actions.add_parser("holds", help="the active legal holds").set_defaults(handler=cmd_holds)
    hold = actions.add_parser("hold", help="place a legal hold on a notification or a person")
    hold.add_argument("--by", required=True, help="your username")
    hold.add_argument("--reason", required=True)
    hold.add_argument("--reference", help="a notification's reference")
    hold.add_argument("--given-name")
    hold.add_argument("--family-name")
    hold.add_argument("--dob", help="date of birth, YYYY-MM-DD")
    hold.set_defaults(handler=cmd_hold)
    release = actions.add_parser("release", help="release a legal hold")
    release.add_argument("hold", type=int)
    release.add_argument("--by", required=True, help="your username")
    release.set_defaults(handler=cmd_release)
