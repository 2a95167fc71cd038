"""Whether a word in a narrative is written as a person's name or as an acronym.

Police write a surname in capitals beside a given name ("Fiona BELL", "CULLEN Dean"); a word in
capitals alone is a form's field, a score or an acronym ("DAQ 8", "CCF (4)").
"""

from __future__ import annotations

from spacy.tokens import Doc


def is_name(token_text: str, stop: frozenset[str]) -> bool:
    """Capitalised, letters only and not a listed non-name ("Her", "DASH")."""
    return token_text[:1].isupper() and token_text.isalpha() and token_text.lower() not in stop


def is_acronym(doc: Doc, i: int) -> bool:
    """ "DAQ 2", "CCF (4)": a word in capitals is a surname only beside a given name written
    with a capital ("Fiona BELL", "CULLEN Dean"), as police write names; alone it is an
    acronym, a form's field or a score, not a person."""
    text = doc[i].text
    if len(text) < 2 or not text.isupper():
        return False
    beside = [doc[j].text for j in (i - 1, i + 1) if 0 <= j < len(doc)]
    return not any(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in beside)
