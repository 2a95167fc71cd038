"""The `dvscreen` command line: one thin module that wires each package's commands together.

Each package keeps its own commands in a `commands` module with `register(subparsers)`; this
module only builds the parser and dispatches. Exit status: 0 success, 1 when a command reports
rejected input, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from api import commands as api_commands
from api import governance_commands, staff_commands
from screening import commands as screening_commands
from workers import commands as worker_commands

REGISTRARS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    screening_commands.register,
    api_commands.register,
    worker_commands.register,
    staff_commands.register,
    governance_commands.register,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dvscreen", description="Domestic abuse notification screening."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in REGISTRARS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
