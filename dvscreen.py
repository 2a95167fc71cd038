"""The `dvscreen` command line: one thin module that wires each package's commands together.

The commands live in `cli/`, one module per group, each with `register(subparsers)`; this
module only builds the parser and dispatches. A command's module is imported only when that
command runs (all of them for `--help`), so `dvscreen screen` does not pay for the web app's
imports. Exit status: 0 success, 1 when a command reports rejected input, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

# Registration order matters: cli.governance adds to the `labels` parser of cli.staff.
MODULES: tuple[str, ...] = (
    "cli.screen",
    "cli.serve",
    "cli.pipeline",
    "cli.staff",
    "cli.governance",
    "cli.imports",
    "cli.retention",
    "cli.information",
    "cli.people",
)
# Which modules register each top-level command.
COMMANDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("screen", "evaluate", "whatif", "train", "synth"), ("cli.screen",)),
    **dict.fromkeys(("serve", "apikeys"), ("cli.serve",)),
    **dict.fromkeys(
        ("worker", "beat", "relay", "replay", "pipeline-status", "migrate"), ("cli.pipeline",)
    ),
    "users": ("cli.staff",),
    "labels": ("cli.staff", "cli.governance"),
    **dict.fromkeys(("policy", "models"), ("cli.governance",)),
    **dict.fromkeys(("import", "mappings"), ("cli.imports",)),
    "retention": ("cli.retention",),
    **dict.fromkeys(("subject-access", "transparency"), ("cli.information",)),
    "people": ("cli.people",),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for `command` alone, or for every command when it is not known."""
    parser = argparse.ArgumentParser(
        prog="dvscreen", description="Domestic abuse notification screening."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS.get(command or "", MODULES):
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    loaded = sys.modules.get("models.settings")
    if loaded is not None:  # each command reads the environment afresh
        loaded.get_settings.cache_clear()
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
