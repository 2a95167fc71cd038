"""Daily-file commands: `dvscreen import FILE --source NAME` and `dvscreen mappings set|show`.

`import` stores every row of a force's CSV or Excel file as a notification, through the
contract and the intake store (with its outbox row), using the source's column mapping. It
follows the contract's command-line conventions (section 3): a rejected row is reported on
standard error as `FILE: row N, column 'C' (field): message` and the run goes on; the exit
status is 0 when every row was imported (new or already received), 1 when any row was rejected,
2 on a usage error (no such file or source, no mapping, a file that is not a table). A progress
line goes to standard error. Importing the same file again adds nothing.
`mappings set --source NAME --file MAPPING.json` stores a mapping (models/file_mapping.py) made
elsewhere; `mappings show` prints one. In the browser a head of safeguarding or an
administrator makes them from a sample file.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from cli.setup import prepare
from models.audit import system_actor
from models.db import session_scope
from models.file_import import begin_import, run_import
from models.file_mapping import FileMapping
from models.file_mapping_store import mapping_for, save_mapping, source_id_named
from models.key_store import ensure_source
from models.types import utcnow

CLI_ACTOR = system_actor("cli")


def _say(message: str) -> None:
    print(f"dvscreen: {message}", file=sys.stderr)


class _ProgressLine:
    """`importing FILE: n/total rows (p%)` on standard error: rewritten in place on a terminal,
    one line per step elsewhere."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 100
        line = f"importing {self.name}: {done}/{total} rows ({percent}%)"
        if self.tty:
            print("\r" + line, end="\n" if done >= total else "", file=sys.stderr, flush=True)
        else:
            print(line, file=sys.stderr, flush=True)


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        _say(f"no such file: {path}")
        return 2
    settings = prepare()
    with session_scope(settings.database) as session:
        source_id = source_id_named(session, name=args.source)
        mapping = mapping_for(session, source_id=source_id) if source_id is not None else None
    if source_id is None:
        _say(f"no source called {args.source!r} (dvscreen apikeys list shows them)")
        return 2
    if mapping is None:
        _say(
            f"source {args.source!r} has no column mapping: define one from a sample file in "
            "the browser (Daily files), or with dvscreen mappings set"
        )
        return 2
    data = path.read_bytes()
    with session_scope(settings.database) as session:
        import_id = begin_import(
            session,
            source_id=source_id,
            file_name=path.name,
            data=data,
            actor=CLI_ACTOR,
            now=utcnow(),
        )
    progress = None if args.quiet else _ProgressLine(path.name)
    summary = run_import(
        partial(session_scope, settings.database), import_id=import_id, data=data,
        progress=progress,
    )
    if summary.error is not None:
        _say(f"{path}: {summary.error}")
        return 2
    for problem in summary.problems:
        print(f"{path}: {problem.describe()}", file=sys.stderr)
    print(
        f"{path.name}: {summary.total} rows: {summary.created} new, {summary.repeated} already "
        f"received, {summary.rejected} rejected (import {import_id})"
    )
    return 1 if summary.rejected else 0


def cmd_mappings_set(args: argparse.Namespace) -> int:
    try:
        document = json.loads(Path(args.file).read_text(encoding="utf-8"))
        mapping = FileMapping.model_validate(document)
    except OSError:
        _say(f"cannot read {args.file}")
        return 2
    except json.JSONDecodeError as error:
        _say(f"{args.file}: not JSON (line {error.lineno})")
        return 2
    except ValidationError as error:
        for item in error.errors(include_input=False):
            where = ".".join(str(p) for p in item["loc"]) or "mapping"
            _say(f"{args.file}: {where}: {item['msg']}")
        return 2
    gaps = mapping.missing()
    if gaps:
        _say(f"{args.file}: no column for {', '.join(gaps)}")
        return 2
    settings = prepare()
    with session_scope(settings.database) as session:
        source_id = ensure_source(session, name=args.source)
        save_mapping(session, source_id=source_id, mapping=mapping, actor=CLI_ACTOR, now=utcnow())
    print(f"mapping saved for {args.source!r}: {len(mapping.columns)} columns")
    return 0


def cmd_mappings_show(args: argparse.Namespace) -> int:
    settings = prepare()
    with session_scope(settings.database) as session:
        source_id = source_id_named(session, name=args.source)
        mapping = mapping_for(session, source_id=source_id) if source_id is not None else None
    if mapping is None:
        _say(f"no mapping for {args.source!r}")
        return 1
    print(json.dumps(mapping.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    importer = subparsers.add_parser(
        "import", help="import a force's daily file (CSV or .xlsx) as notifications"
    )
    importer.add_argument("file", metavar="FILE", help="the CSV or Excel (.xlsx) file")
    importer.add_argument("--source", required=True, help="the source (police force) it is from")
    importer.add_argument("--quiet", action="store_true", help="no progress line")
    importer.set_defaults(handler=cmd_import)

    mappings = subparsers.add_parser("mappings", help="sources' column mappings for daily files")
    actions = mappings.add_subparsers(dest="mappings_command", required=True, metavar="ACTION")
    setter = actions.add_parser("set", help="store a source's mapping from a JSON file")
    setter.add_argument("--source", required=True)
    setter.add_argument("--file", required=True, help="the mapping as JSON")
    setter.set_defaults(handler=cmd_mappings_set)
    shower = actions.add_parser("show", help="print a source's mapping as JSON")
    shower.add_argument("--source", required=True)
    shower.set_defaults(handler=cmd_mappings_show)
