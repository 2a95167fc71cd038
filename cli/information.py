"""`dvscreen subject-access` and `dvscreen transparency`: a subject access export for a person
(JSON and Markdown, for the data-protection officer to review; audited), and the transparency
record and model card as Markdown, from the service's own registry and policy."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from cli.setup import prepare
from governance.subject_access import Subject, export
from governance.subject_access_markdown import markdown
from models.db import session_scope
from models.staff_store import get_staff, staff_id_by_name
from models.types import utcnow

EXPORTERS = ("manager", "head_of_safeguarding")


def _fail(command: str, message: str) -> int:
    print(f"dvscreen {command}: {message}", file=sys.stderr)
    return 1


def cmd_subject_access(args: argparse.Namespace) -> int:
    settings = prepare()
    try:
        born = date.fromisoformat(args.dob)
    except ValueError:
        return _fail(args.command, "--dob must be a date, YYYY-MM-DD")
    subject = Subject(args.given_name, args.family_name, born)
    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    with session_scope(settings.database) as session:
        actor = "system:cli"
        if args.by:
            user_id = staff_id_by_name(session, username=args.by)
            user = get_staff(session, user_id=user_id) if user_id is not None else None
            if user is None or not user.active or user.role not in EXPORTERS:
                return _fail(args.command, "only an active manager or head of safeguarding may")
            actor = f"staff:{user.id}"
        made = export(session, subject=subject, actor=actor, formats=("json", "md"),
                      now=utcnow())
    stem = out / f"subject-access-{made.export_id}"
    json_path, md_path = stem.with_suffix(".json"), stem.with_suffix(".md")
    json_path.write_text(made.json(), encoding="utf-8")
    md_path.write_text(markdown(made), encoding="utf-8")
    print(f"export {made.export_id}: {len(made.notifications)} notifications, "
          f"{made.staff_views} staff views, {made.third_parties} third parties marked")
    print(f"wrote {json_path} and {md_path}")
    return 0


def cmd_transparency(args: argparse.Namespace) -> int:
    from governance.transparency import build_record, record_markdown

    settings = prepare()
    with session_scope(settings.database) as session:
        record = build_record(session, url=settings.database, now=utcnow())
    text = record_markdown(record)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    access = sub.add_parser("subject-access",
                            help="export what the service holds on a person (audited)")
    access.add_argument("--given-name", required=True)
    access.add_argument("--family-name", required=True)
    access.add_argument("--dob", required=True, help="date of birth, YYYY-MM-DD")
    access.add_argument("--output-dir", default=".", help="where to write the two files")
    access.add_argument("--by", help="your username (a manager or head of safeguarding)")
    access.set_defaults(handler=cmd_subject_access)
    record = sub.add_parser("transparency",
                            help="the transparency record and model card (ATRS order), Markdown")
    record.add_argument("--output", help="a file (default: standard output)")
    record.set_defaults(handler=cmd_transparency)
