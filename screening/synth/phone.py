"""Narratives typed on a phone: lower case, little or no punctuation, text-speak now and then.

The words (and so the facts) stay the same; only case, punctuation and a few common short
forms change. Digits are kept whole, and a slash between digits (24/40, 8/12) is kept.
"""

from __future__ import annotations

import random
import re

_SHORT = (
    (r"\band\b", "&"),
    (r"\bbecause\b", "cos"),
    (r"\bplease\b", "pls"),
    (r"\bwith\b", "w/"),
    (r"\bmessages\b", "msgs"),
    (r"\bthrough\b", "thru"),
    (r"\byears\b", "yrs"),
)


def phone_typed(text: str, rng: random.Random) -> str:
    """`text` as if thumbed into a phone: lower case, most punctuation gone."""
    out = text.lower()
    out = re.sub(r"\s*\n+\s*", " ", out)
    keep_stops = rng.random() < 0.3  # some keep full stops and drop only the rest
    out = re.sub(r"(?<=\d)/(?=\d)", "\0", out)  # protect 24/40 and 8/12
    drop = r"[,;:()\[\]\"!?]" if keep_stops else r"[.,;:()\[\]\"!?]"
    out = re.sub(drop, " ", out)
    if rng.random() < 0.6:
        out = out.replace("'", "")
    out = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", out) if rng.random() < 0.5 else out
    out = re.sub(r"\s+-\s+", " ", out)
    out = out.replace("\0", "/")
    for pattern, short in _SHORT:
        if rng.random() < 0.4:
            out = re.sub(pattern, short, out)
    return re.sub(r"\s{2,}", " ", out).strip() or text.lower()
