"""What a notification can be found by: its summary and search terms, from its JSON document,
and the same normalisation applied to what a person types into the search box.

Built from the document (a dict) rather than the contract model, so that a stored notification
is indexed the same way at intake, in the migration that fills the index, and on re-indexing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import jellyfish

from models.address import normalise_line

_NOT_LETTER = re.compile(r"[^a-z]+")
_APOSTROPHES = re.compile(r"['’`]")
_NOT_POSTCODE = re.compile(r"[^A-Z0-9]+")
_HOUSE_NUMBER = re.compile(r"^(flat [0-9a-z]+ )?[0-9]+[a-z]? ")
_NOT_REFERENCE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case without accents: `Zoë` -> `zoe`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_words(text: str) -> list[str]:
    """The words of a name as the index keeps them: `O'Brien-Smith` -> `obrien`, `smith`."""
    return [w for w in _NOT_LETTER.split(_APOSTROPHES.sub("", fold(text))) if w]


def sound_of(word: str) -> str:
    """A name word's sound (Metaphone): `smith` and `smyth` sound the same."""
    return str(jellyfish.metaphone(word))[:50]


def postcode_key(text: str) -> str:
    """A postcode or part of one, compact: `le3 9qp` -> `LE39QP`."""
    return _NOT_POSTCODE.sub("", text.upper())


def reference_key(text: str) -> str:
    return _NOT_REFERENCE.sub("", text).upper()


def street_of(line: str) -> str:
    """A normalised first line without its house (or flat) number: `4 willow close` ->
    `willow close`; the same line when it has none."""
    return _HOUSE_NUMBER.sub("", line)


def family_key(text: str) -> str:
    return " ".join(name_words(text))


def town_key(text: str) -> str:
    return " ".join(name_words(text))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _people(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    people = document.get("people")
    return [p for p in people if isinstance(p, Mapping)] if isinstance(people, list) else []


def summary_of(document: Mapping[str, Any]) -> dict[str, str]:
    """The queue's summary: the (first) victim's name and family name, the town, the postcode."""
    victim = next((p for p in _people(document) if p.get("role") == "victim"), {})
    given, family = _text(victim.get("given_name")), _text(victim.get("family_name"))
    address = document.get("address")
    address = address if isinstance(address, Mapping) else {}
    town = _text(address.get("town"))
    return {
        "victim_name": " ".join(p for p in (given, family) if p)[:201],
        "victim_family": family[:100],
        "victim_family_key": family_key(family)[:100],
        "town": town[:100],
        "town_key": town_key(town)[:100],
        "postcode": _text(address.get("postcode")).upper()[:10],
    }


def _unique(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for kind, value in pairs:
        if value:
            seen.setdefault((kind, value[:200]), None)
    return list(seen)


def terms_of(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every (kind, value) the notification can be found by (see search_tables.TERM_KINDS)."""
    pairs: list[tuple[str, str]] = [("reference", reference_key(_text(document.get("reference"))))]
    for person in _people(document):
        for field in ("given_name", "family_name"):
            for word in name_words(_text(person.get(field))):
                pairs += [("name", word), ("sound", sound_of(word))]
        pairs.append(("dob", _text(person.get("date_of_birth"))))
    address = document.get("address")
    if isinstance(address, Mapping):
        pairs.append(("postcode", postcode_key(_text(address.get("postcode")))))
        line = normalise_line(_text(address.get("line1")))
        pairs += [("line", line), ("street", street_of(line))]
    return _unique(pairs)
