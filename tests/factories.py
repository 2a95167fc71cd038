"""Building valid notifications for tests, with one place to change the defaults."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from models.contract import Notification

_counter = itertools.count(1)

BASE: dict[str, Any] = {
    "reference": "TEST/26/000001",
    "occurred_at": "2026-11-20T23:14:00+00:00",
    "incident_type": "crime",
    "address": {"line1": "12 Example Road", "town": "Leicester", "postcode": "LE2 1AA"},
    "dash": {"level": "standard", "yes_count": 3},
    "people": [
        {"role": "victim", "age": 34, "gender": "female"},
        {"role": "suspect", "age": 36, "gender": "male"},
    ],
    "children_present": False,
    "children_in_household": False,
    "victim_pregnant": False,
    "narrative": "Verbal argument between the couple about money. No assault. Advice given.",
}


def raw(**changes: Any) -> dict[str, Any]:
    """A valid notification as JSON-able data with a fresh reference, changed by `changes`."""
    body = copy.deepcopy(BASE)
    body["reference"] = f"TEST/26/{next(_counter):06d}"
    body.update(changes)
    return body


def notification(**changes: Any) -> Notification:
    return Notification.model_validate(raw(**changes))
