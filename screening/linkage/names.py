"""Names as linkage compares them: normalised, nicknames folded, phonetic keys.

`clean` lower-cases and strips what officers vary (accents, apostrophes, hyphens, spaces,
titles); `name_group` maps a given name to the nickname group it belongs to
(`nicknames.GROUPS`, joined where they share a diminutive); `phonetic` is jellyfish's Metaphone
of the cleaned name, the blocking key that survives most misspellings ("Smyth", "Smith").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

from screening.linkage.nicknames import GROUPS

_NOT_LETTER = re.compile(r"[^a-z ]+")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "master"})


def clean(name: str | None) -> str:
    """`  O'Brien-Smith ` -> `obriensmith`; `Mrs Zoë` -> `zoe`; None or blank -> ``."""
    if not name:
        return ""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = _NOT_LETTER.sub("", folded.lower().replace("-", " ")).split()
    return "".join(w for w in words if w not in _TITLES)


def first_given(name: str | None) -> str:
    """The first given name only (`Mary Ann` -> `mary`): middle names come and go."""
    if not name:
        return ""
    parts = name.replace("-", " ").split()
    return clean(parts[0]) if parts else ""


@lru_cache(maxsize=1)
def _groups() -> dict[str, str]:
    """Each name in a nickname group -> the group's key (union of groups sharing a name)."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name

    for group in GROUPS:
        root = find(group[0])
        for name in group[1:]:
            other = find(name)
            if other != root:
                parent[other] = root
    return {name: find(name) for name in parent}


def name_group(given: str) -> str:
    """The nickname group of a cleaned given name, or the name itself when it has none."""
    return _groups().get(given, given)


@lru_cache(maxsize=65536)
def phonetic(name: str) -> str:
    """Metaphone of a cleaned name (`` for none)."""
    return jellyfish.metaphone(name) if name else ""


@lru_cache(maxsize=1)
def _memberships() -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {}
    for index, group in enumerate(GROUPS):
        for name in group:
            found.setdefault(name, set()).add(index)
    return {name: frozenset(indices) for name, indices in found.items()}


def nicknames_agree(first: str, second: str) -> bool:
    """Whether two cleaned given names share a nickname group directly (`bill`, `will`).

    Direct, not through the joined groups: `bert` links Robert and Albert for blocking, but
    Robert and Albert are not one name.
    """
    memberships = _memberships()
    return bool(memberships.get(first, frozenset()) & memberships.get(second, frozenset()))
