"""A form's fields and answers in a narrative: which answer hits count, and fields of adults.

Forms put a child word as a field's label and its answer after it ("Children: none", "Kids
present [x] No", "Childcare responsibilities: \"No.\""). An answer counts as a negation only
when it is the whole answer: not "Son - no injuries" (a word follows it), not "Children: No,
they are with their dad" (it goes on about them, so they exist), and not the box before "No" in
"Yes [x] No [ ]" (boxes there follow their options, so it is Yes's). A field named by a child
word whose entry names only adults ("Children: two adult daughters, 38 and 41") is those adults.
"""

from __future__ import annotations

from spacy.tokens import Doc

from screening.findings import Finding
from screening.narrative.mentions import Mention
from screening.narrative.patterns import Hit
from screening.narrative.scope import Layout

_ADULT_RULES = frozenset({"adult_relative", "adult_children"})
_DENIALS = frozenset({"negated_children", "answered_no"})
# Modifiers that are a form's answers ("Children: No", "[x] No"), beside the standalone ones.
_ANSWER_RULES = frozenset({"answered_no", "ticked_no"})
_CODES = frozenset({"n", "0", "nil", "n/a", "na", "none"})  # a form's answers, not a sentence's
_STOPS = frozenset({",", "-", "–", ";", "…", "—"})
_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})
_ANAPHORA = frozenset({"they", "he", "she", "them", "both", "their", "his", "her", "it", "one"})


def _followed_by_a_word(doc: Doc, hit: Hit) -> bool:
    """Does a word outside the modifier's gap words follow the hit ("- no injuries")? A word in
    capitals after a coded answer is the next field's label ("DEPENDANTS: 0 DRINK/DRUGS: Y")."""
    if hit.end >= len(doc):
        return False
    after = doc[hit.end]
    if doc[hit.end - 1].norm_ in _CODES and len(after.text) > 1 and after.text.isupper():
        return False
    return after.is_alpha and after.norm_ not in hit.group.gap_words


def _only_adults(found: list[Finding]) -> bool:
    """Adults, with at most children denied outright in general ("Children: Carl is her only
    child, no grandchildren"); not a denial of presence only ("Children: none present, two with
    dad"), and not denials alone."""
    def adult_or_denied(f: Finding) -> bool:
        return f.polarity == "negative" and (
            f.rule in _ADULT_RULES or (f.rule in _DENIALS and f.category is None)
        )

    return any(f.rule in _ADULT_RULES for f in found) and all(map(adult_or_denied, found))


def label_of_adults(
    doc: Doc, layout: Layout, label: Mention, mentions: list[Mention],
    judged: dict[int, list[Finding]],
) -> list[Finding] | None:
    """ "Children: two adult daughters, 38 and 41": a form's field named by a child word, whose
    entry names only people shown to be adults, is those adults (None: it is not such a field).
    So is a form's question and its answer: 'Dependants? "Got two lads, 19 and 22."'
    """
    end = label.end
    if end >= len(doc) or doc[end].text not in (":", "?") or label.kind != "minor":
        return None
    if label.start > 0 and not (doc[label.start - 1].is_space or doc[label.start - 1].is_punct):
        return None  # a field's label starts a line or follows a separator
    if doc[end].text == "?":  # the answer is the next sentence (past quotes and a dash)
        first = next((i for i in range(end + 1, len(doc)) if doc[i].is_alpha or doc[i].like_num),
                     None)
        if first is None:
            return None
        answer = layout.sentence(first)
        entry = [m for m in mentions if m.start > end and layout.sentence(m.start) == answer]
    else:
        line_end = next((i for i in range(end, len(doc)) if "\n" in doc[i].text_with_ws),
                        len(doc))
        entry = [m for m in mentions if end < m.start < line_end
                 and layout.sentence(m.start) == layout.sentence(end)]
    found = [f for m in entry for f in judged[id(m)]]
    if not _only_adults(found):
        return None
    start, stop = doc[label.start].idx, doc[end - 1].idx + len(doc[end - 1])
    return [Finding(None, "negative", "adult_children", "narrative", start, stop,
                    doc[label.start : end].text)]


def _box_is_the_last_options(doc: Doc, hit: Hit) -> bool:
    """ "Yes [x] No [ ]": boxes follow their options, so the ticked box before "No" is Yes's."""
    i = hit.end
    return (doc[i - 1].norm_ in {"no", "n"} and i + 1 < len(doc)
            and doc[i].text == "[" and doc[i + 1].text == "]")


def _answer_goes_on(doc: Doc, hit: Hit) -> bool:
    """ "Children: No, they are with their dad": an answer whose next clause goes on about
    them says they exist (the "no" answers something else), so it negates nothing and a person
    reads the rest; "Children: none, lives alone" is a bare answer."""
    i = hit.end
    if doc[i - 1].norm_ not in _STOPS:
        if i >= len(doc) or doc[i].norm_ not in _STOPS:
            return False
        i += 1
    while i < len(doc) and (doc[i].is_space or doc[i].norm_ in _QUOTES):
        i += 1
    return i < len(doc) and doc[i].norm_ in _ANAPHORA




def answer_counts(doc: Doc, hit: Hit) -> bool:
    """Does a modifier hit count where it stands? Only a form's answers are in question."""
    if hit.group.standalone and _followed_by_a_word(doc, hit):
        return False
    answer = hit.group.standalone or hit.group.rule in _ANSWER_RULES
    return not (
        answer
        and hit.group.direction == "backward"
        and hit.group.kind == "negated"
        and (_answer_goes_on(doc, hit) or _box_is_the_last_options(doc, hit))
    )
