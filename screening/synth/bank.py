"""The synthetic generator's phrase banks: loading screening/data/synth_*.toml and picking lines.

A template may start with a tag in square brackets that limits where it fits (see the header of
synth_children.toml): `1` one child, `2` two or more, `b` all under 3, `o` all 5 or over,
`t` all 11 or over, `p` implies the suspect was physically there (not for remote incidents).
Templates are parsed once and cached. synth_styles.toml adds the extra styles' sections; its
`*_extra` decoy lines join the matching decoy sections.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    single: bool = False
    plural: bool = False
    baby: bool = False
    older: bool = False
    teen: bool = False
    physical: bool = False

    def fits(self, count: int, ages: tuple[int, ...], remote: bool = False) -> bool:
        """Whether this template suits a group of `count` children of these ages (and a
        remote incident, where the suspect was not there)."""
        if remote and self.physical:
            return False
        if self.single and count != 1:
            return False
        if self.plural and count < 2:
            return False
        if self.baby and max(ages, default=0) >= 3:
            return False
        if self.older and min(ages, default=99) < 5:
            return False
        return not (self.teen and min(ages, default=99) < 11)


def _parse(line: str) -> Template:
    if not line.startswith("["):
        return Template(line)
    tag, _, text = line[1:].partition("] ")
    return Template(
        text,
        single="1" in tag,
        plural="2" in tag,
        baby="b" in tag,
        older="o" in tag,
        teen="t" in tag,
        physical="p" in tag,
    )


def _parse_tree(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _parse_tree(value) for key, value in node.items()}
    if isinstance(node, list) and node and all(isinstance(item, str) for item in node):
        return tuple(_parse(item) for item in node)
    return node


@lru_cache(maxsize=1)
def banks() -> dict[str, Any]:
    """Both phrase banks, merged: incident lines and child lines (templates parsed)."""
    merged: dict[str, Any] = {}
    raw_keys = ("core", "remote_core", "negation", "negation_extra")
    for name in ("synth_incidents.toml", "synth_children.toml", "synth_styles.toml"):
        with (_DATA / name).open("rb") as handle:
            raw = tomllib.load(handle)
        for key, value in raw.items():
            merged[key] = value if key in raw_keys else _parse_tree(value)
    for key in ("core", "remote_core"):
        merged[key] = [_parse_tree(core) for core in merged[key]]
    for key in ("negation", "other_sense", "non_party_child"):
        extra = merged.pop(f"{key}_extra")
        merged[key] = {style: (*merged[key][style], *extra[style]) for style in merged[key]}
    return merged


def pick(
    rng: random.Random,
    templates: tuple[Template, ...],
    count: int = 1,
    ages: tuple[int, ...] = (),
    remote: bool = False,
) -> str:
    """A random template text that fits the group (and a remote incident); "" if none fits."""
    fitting = [t for t in templates if t.fits(count, ages, remote)]
    return rng.choice(fitting).text if fitting else ""


@lru_cache(maxsize=64)
def words(name: str) -> tuple[str, ...]:
    """A plain word list from the [words] or [people] tables (tags stripped)."""
    table = banks()
    for section in ("words", "people"):
        if name in table.get(section, {}):
            return tuple(t.text for t in table[section][name])
    raise KeyError(name)
