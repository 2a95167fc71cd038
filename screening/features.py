"""The model's features: the narrative text and a numeric vector of structured facts.

The structured vector holds the tick boxes (true / false / null), people under 18, the rule
findings counted by category and polarity, the DASH level and a few incident facts. Its layout is
versioned by `FEATURE_VERSION`: a model trained on another layout is refused at load time.
"""

from __future__ import annotations

import math

import numpy as np

from models.contract import CATEGORIES
from screening.analysis import Analysis

FEATURE_VERSION = 1
_TICK_BOXES = ("children_present", "children_in_household", "victim_pregnant")
_POLARITIES = ("positive", "negative", "uncertain")
_DASH_LEVELS = ("standard", "medium", "high", "refused", "not_completed")
_CATEGORY_SLOTS = (*CATEGORIES, None)

NAMES: tuple[str, ...] = (
    *(f"{box}={state}" for box in _TICK_BOXES for state in ("true", "false", "null")),
    "people_under_18",
    "parties_under_18",
    *(f"finding:{c or 'general'}:{p}" for c in _CATEGORY_SLOTS for p in _POLARITIES),
    *(f"dash={level}" for level in (*_DASH_LEVELS, "none")),
    "crime",
    "previous_incidents",
    "narrative_length",
    "silent",
)
_INDEX = {name: i for i, name in enumerate(NAMES)}


def structured_vector(analysis: Analysis) -> np.ndarray:
    n = analysis.notification
    vector = np.zeros(len(NAMES), dtype=np.float64)
    for box in _TICK_BOXES:
        value = getattr(n, box)
        state = "null" if value is None else ("true" if value else "false")
        vector[_INDEX[f"{box}={state}"]] = 1.0
    under = [p for p in n.people if n.is_child(p)]
    vector[_INDEX["people_under_18"]] = min(len(under), 3) / 3
    vector[_INDEX["parties_under_18"]] = float(
        any(p.role in ("victim", "suspect") for p in under)
    )
    for finding in analysis.findings:
        key = f"finding:{finding.category or 'general'}:{finding.polarity}"
        vector[_INDEX[key]] = min(vector[_INDEX[key]] + 1 / 3, 1.0)
    vector[_INDEX[f"dash={n.dash.level if n.dash else 'none'}"]] = 1.0
    vector[_INDEX["crime"]] = float(n.incident_type == "crime")
    vector[_INDEX["previous_incidents"]] = min(n.previous_incidents or 0, 5) / 5
    vector[_INDEX["narrative_length"]] = math.log1p(len(n.narrative)) / 10
    vector[_INDEX["silent"]] = float(analysis.silent)
    return vector


def structured_matrix(analyses: list[Analysis]) -> np.ndarray:
    if not analyses:
        return np.zeros((0, len(NAMES)))
    return np.vstack([structured_vector(a) for a in analyses])
