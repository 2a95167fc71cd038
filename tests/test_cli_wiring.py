"""The command line's wiring: every command is reachable, and each maps to its own module."""

from __future__ import annotations

import dvscreen


def test_every_registered_command_is_mapped_to_the_module_that_registers_it() -> None:
    full = dvscreen.build_parser()
    registered = set(full._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert registered == set(dvscreen.COMMANDS)
    for command in dvscreen.COMMANDS:
        alone = dvscreen.build_parser(command)
        choices = alone._subparsers._group_actions[0].choices  # type: ignore[union-attr]
        assert command in choices
