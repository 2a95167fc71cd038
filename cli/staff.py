"""Staff commands: `dvscreen users create|list|role|reset|password|deactivate|reactivate` and
`dvscreen labels export`.

`users create --username U --role ROLE [--name "Dora Smith"]` reads the password from a prompt
(asked twice) or, when standard input is not a terminal, from its first line, so that scripts
can pipe it in; it is never taken from the command line, where other users could read it.
`users role` changes a role and `users reset` prints a temporary password once (as the admin
pages do); both, like `deactivate`, end every session of the account. Each change is audited
as the command line's (`system:cli`).
`labels export --output FILE` writes every labelled notification in the format of contract
section 5, one JSON object per line, each checked against the contract first.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from api.web.passwords import hash_password, password_problem
from api.web.roles import ROLES
from cli.setup import prepare
from models.audit import staff_actor, system_actor, write_audit
from models.contract import LabelledNotification
from models.db import session_scope
from models.label_store import iter_labels
from models.review_tables import ReviewError
from models.staff_admin_store import create_named_staff, list_staff, set_role
from models.staff_store import find_staff, set_active, set_password
from models.types import utcnow


def _read_password() -> str | None:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            print("dvscreen: the passwords do not match", file=sys.stderr)
            return None
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _new_password() -> str | None:
    """A password read as `_read_password` does and checked; None (said why) when refused."""
    password = _read_password()
    if password is None:
        return None
    problem = password_problem(password)
    if problem:
        print(f"dvscreen: the password {problem}", file=sys.stderr)
        return None
    return password


def cmd_users_create(args: argparse.Namespace) -> int:
    username = args.username.strip()
    if not username or len(username) > 100:
        print("dvscreen: the username must be 1 to 100 characters", file=sys.stderr)
        return 2
    password = _new_password()
    if password is None:
        return 1
    settings = prepare()
    try:
        with session_scope(settings.database) as session:
            new_id = create_named_staff(
                session,
                username=username,
                full_name=(args.name or "").strip()[:200],
                password_hash=hash_password(password),
                role=args.role,
                now=utcnow(),
            )
            write_audit(
                session,
                actor=system_actor("cli"),
                action="staff_created",
                detail={"staff": new_id, "role": args.role},
                now=utcnow(),
            )
    except ReviewError:
        print(f"dvscreen: a user called {username!r} already exists", file=sys.stderr)
        return 1
    print(f"created {args.role} {username}")
    return 0


def _find_user_id(database: str, username: str) -> int | None:
    """The account's id, or None after saying on standard error that there is none."""
    with session_scope(database) as session:
        row = find_staff(session, username=username.strip())
    if row is None:
        print("dvscreen: no such user", file=sys.stderr)
        return None
    return row.id


def cmd_users_password(args: argparse.Namespace) -> int:
    """A new password (from a prompt or standard input); every session of the user ends."""
    settings = prepare()
    user_id = _find_user_id(settings.database, args.username)
    if user_id is None:
        return 1
    password = _new_password()
    if password is None:
        return 1
    with session_scope(settings.database) as session:
        set_password(session, user_id=user_id, password_hash=hash_password(password))
        write_audit(session, actor=staff_actor(user_id), action="password_changed", now=utcnow())
    print("password changed; every session of the user has ended")
    return 0


def cmd_users_active(args: argparse.Namespace) -> int:
    """Deactivate (every session ends at once) or reactivate an account."""
    settings = prepare()
    user_id = _find_user_id(settings.database, args.username)
    if user_id is None:
        return 1
    active = args.users_command in ("activate", "reactivate")
    with session_scope(settings.database) as session:
        set_active(session, user_id=user_id, active=active)
        write_audit(
            session,
            actor=system_actor("cli"),
            action="staff_reactivated" if active else "staff_deactivated",
            detail={"staff": user_id},
            now=utcnow(),
        )
    print("activated" if active else "deactivated; every session of the user has ended")
    return 0


def cmd_users_list(_args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        rows = list_staff(session)
    for row in rows:
        state = "active" if row.active else "deactivated"
        print(f"{row.username}\t{row.full_name or '-'}\t{row.role}\t{state}")
    return 0


def cmd_users_role(args: argparse.Namespace) -> int:
    """Give an account another role; every session of it ends."""
    settings = prepare()
    user_id = _find_user_id(settings.database, args.username)
    if user_id is None:
        return 1
    with session_scope(settings.database) as session:
        before = set_role(session, user_id=user_id, role=args.role)
        write_audit(
            session,
            actor=system_actor("cli"),
            action="role_changed",
            detail={"staff": user_id, "role_from": before, "role_to": args.role},
            now=utcnow(),
        )
    print(f"{args.username} is now {args.role} (was {before}); every session has ended")
    return 0


def cmd_users_reset(args: argparse.Namespace) -> int:
    """Force a password reset: a temporary password, printed once; every session ends."""
    from api.web.admin_staff import temporary_password

    settings = prepare()
    user_id = _find_user_id(settings.database, args.username)
    if user_id is None:
        return 1
    password = temporary_password()
    with session_scope(settings.database) as session:
        set_password(session, user_id=user_id, password_hash=hash_password(password))
        write_audit(
            session,
            actor=system_actor("cli"),
            action="password_reset",
            detail={"staff": user_id},
            now=utcnow(),
        )
    print(f"temporary password for {args.username} (shown once): {password}")
    return 0


def cmd_labels_export(args: argparse.Namespace) -> int:
    settings = prepare()
    output = Path(args.output)
    count = 0
    with session_scope(settings.database) as session, output.open("w", encoding="utf-8") as out:
        for line in iter_labels(session):
            LabelledNotification.model_validate(line)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    print(f"wrote {count} labelled notifications to {output}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="manage staff accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    create = users_sub.add_parser(
        "create", help="create a staff account (password from a prompt or standard input)"
    )
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", default="", help="full name, as the audit trail says it")
    create.set_defaults(handler=cmd_users_create)
    listing = users_sub.add_parser("list", help="list staff accounts")
    listing.set_defaults(handler=cmd_users_list)
    role = users_sub.add_parser("role", help="change an account's role; ends every session")
    role.add_argument("--username", required=True)
    role.add_argument("--role", required=True, choices=ROLES)
    role.set_defaults(handler=cmd_users_role)
    reset = users_sub.add_parser(
        "reset", help="force a password reset: print a temporary password once"
    )
    reset.add_argument("--username", required=True)
    reset.set_defaults(handler=cmd_users_reset)
    password = users_sub.add_parser(
        "password", help="set a new password (prompt or standard input); ends every session"
    )
    password.add_argument("--username", required=True)
    password.set_defaults(handler=cmd_users_password)
    for action, text, aliases in (
        ("deactivate", "deactivate an account; ends every session at once", []),
        ("reactivate", "reactivate an account", ["activate"]),
    ):
        toggle = users_sub.add_parser(action, help=text, aliases=aliases)
        toggle.add_argument("--username", required=True)
        toggle.set_defaults(handler=cmd_users_active)

    labels = sub.add_parser("labels", help="labels recorded by duty workers and managers")
    labels_sub = labels.add_subparsers(dest="labels_command", required=True, metavar="ACTION")
    export = labels_sub.add_parser("export", help="write labels as contract section 5 JSONL")
    export.add_argument("--output", required=True, help="the JSONL file to write")
    export.set_defaults(handler=cmd_labels_export)
