"""Builds valid notifications for pipeline tests (invented, not taken from the examples)."""

from __future__ import annotations

import copy
import random
from typing import Any

_TOWNS = [("Leicester", "LE2 1AA"), ("Derby", "DE1 2BB"), ("Nottingham", "NG7 3CC")]


def make_notification(reference: str, *, child: bool = True, seed: int = 0) -> dict[str, Any]:
    rng = random.Random(seed)
    town, postcode = _TOWNS[rng.randrange(len(_TOWNS))]
    people: list[dict[str, Any]] = [
        {"role": "victim", "given_name": "Testvictim", "age": 30 + rng.randrange(20)},
        {"role": "suspect", "given_name": "Testsuspect", "age": 31 + rng.randrange(20)},
    ]
    if child:
        people.append(
            {
                "role": "child",
                "given_name": "Testchild",
                "age": 3 + rng.randrange(10),
                "present_at_incident": True,
                "lives_at_address": True,
            }
        )
        narrative = (
            "Officers attended after a call reporting shouting. The victim's son, aged 6, "
            "was in the kitchen during the argument and was upset."
        )
    else:
        narrative = (
            "Officers attended a verbal argument between two adults at the address. "
            "Both parties live alone and no one else was present."
        )
    return {
        "reference": reference,
        "occurred_at": "2026-11-20T23:14:00+00:00",
        "incident_type": "incident",
        "address": {
            "line1": f"{1 + rng.randrange(200)} Test Road",
            "town": town,
            "postcode": postcode,
        },
        "dash": {"level": "standard", "yes_count": rng.randrange(10)},
        "people": people,
        "children_present": child,
        "children_in_household": child,
        "narrative": narrative,
    }


def amended(notification: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(notification)
    changed["narrative"] += " Amended."
    return changed
