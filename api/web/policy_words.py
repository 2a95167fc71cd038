"""A refused policy change in plain words: "The deadline for urgent items must be between 1 and
336 hours", never "deadlines.urgent: Input should be less than or equal to 336"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

# What each policy field is called on the form, and how its bounds read.
FIELD_WORDS = {
    "screen_out_max_score": ("The screen-out score", "", 1.0),
    "review_min_score": ("The duty review score", "", 1.0),
    "sample_share": ("The share of screen-outs sampled", "%", 100.0),
    "deadlines.urgent": ("The deadline for urgent items", " hours", 1.0),
    "deadlines.high": ("The deadline for high priority items", " hours", 1.0),
    "deadlines.normal": ("The deadline for normal priority items", " hours", 1.0),
    "deadlines.holiday_region": ("The bank holidays", "", 1.0),
    "deadlines.working_day_start": ("The start of the working day", "", 1.0),
    "deadlines.working_day_end": ("The end of the working day", "", 1.0),
}
RULES = {
    "screen_out_max_score must be below review_min_score": (
        "The screen-out score must be below the duty review score"
    ),
    "the working day must start before it ends": "The working day must start before it ends",
}


def _bound(value: Any, suffix: str, scale: float) -> str:
    number = float(value) * scale
    text = f"{number:g}"
    return f"{text}{suffix}"


def plain_error(item: Mapping[str, Any]) -> str:
    """One pydantic error of a policy change, in the form's words."""
    where = ".".join(str(p) for p in item.get("loc", ()))
    message = str(item.get("msg", ""))
    for rule, words in RULES.items():
        if rule in message:
            return words
    name, suffix, scale = FIELD_WORDS.get(where, ("This value", "", 1.0))
    context = item.get("ctx") or {}
    kind = str(item.get("type", ""))
    low, high = context.get("ge"), context.get("le")
    limits = FIELD_LIMITS.get(where)
    if kind in ("greater_than_equal", "less_than_equal") and limits:
        low, high = limits
        # "between 1 and 336 hours", but "between 0% and 100%".
        first = _bound(low, "" if suffix.startswith(" ") else suffix, scale)
        return f"{name} must be between {first} and {_bound(high, suffix, scale)}"
    if kind == "greater_than_equal" and low is not None:
        return f"{name} must be {_bound(low, suffix, scale)} or more"
    if kind == "less_than_equal" and high is not None:
        return f"{name} must be {_bound(high, suffix, scale)} or less"
    if kind in ("time_parsing", "string_pattern_mismatch", "time_type"):
        return f"{name} must be a time like 09:00"
    if kind in ("literal_error", "enum"):
        return f"Select {name[0].lower()}{name[1:]}"
    if kind.startswith(("int_", "float_")):
        return f"{name} must be a number"
    return f"{name} is not valid"


# Both bounds of the bounded fields, so a value out of range names the whole range.
FIELD_LIMITS: dict[str, tuple[float, float]] = {
    "screen_out_max_score": (0.0, 1.0),
    "review_min_score": (0.0, 1.0),
    "sample_share": (0.0, 1.0),
    "deadlines.urgent": (1, 24 * 14),
    "deadlines.high": (1, 24 * 14),
    "deadlines.normal": (1, 24 * 14),
}


def policy_errors(error: ValidationError, fields: Mapping[str, str]) -> list[dict[str, str]]:
    """The GOV.UK error list of a refused policy change: plain words, each linked to its field
    (`fields` maps a policy field to the form field's id)."""
    out = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"])
        out.append({"text": plain_error(item), "href": "#" + fields.get(where, "screen_out_max")})
    return out
