"""The address key that links notifications at the same address: postcode plus first line."""

from __future__ import annotations

import re

from models.contract import Address, normalise_postcode

_NON_WORD = re.compile(r"[^a-z0-9]+")
_FLAT = re.compile(r"\b(flat|apartment|apt|unit)\b")


def normalise_line(line: str) -> str:
    """`12, Example Rd.` and `12 example rd` give the same key text."""
    words = _NON_WORD.sub(" ", line.lower())
    return " ".join(_FLAT.sub("flat", words).split())


def address_key(address: Address) -> str:
    """`POSTCODE|first line`; without a postcode, the town stands in for it."""
    if address.postcode:
        area = normalise_postcode(address.postcode)
    else:
        area = "town:" + normalise_line(address.town or "")
    return f"{area}|{normalise_line(address.line1)}"[:300]
