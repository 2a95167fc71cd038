"""ConText-style scope over a tokenised narrative: which modifiers and cues reach a mention.

A modifier (negation, history, hypothesis, adult, whose child) reaches a mention when:
- its own span covers the mention ("abused as a child"), or
- scope "gap": the mention is within `max_gap` tokens in the modifier's direction and every
  token between is one of the group's `gap_words` ("no young children", but not "no injuries
  to the child"), or
- scope "clause": the mention is in the same clause, in the modifier's direction. Clauses end
  at sentence ends and at termination terms ("but", ";", a spaced dash), or
- scope "sentence": the mention is in the same sentence, in the modifier's direction, within
  `max_gap` tokens if one is set: a reading given after a dash ("'the kids' are coming round -
  meaning her mates") is about the words it explains, across the clause end.

Category cues (present, household, ...) are read from the mention's clause, else its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from screening.narrative.patterns import Group, Hit, terms
from screening.narrative.rule_files import Answers


@dataclass(frozen=True, slots=True)
class Layout:
    """Sentence and clause boundaries of one doc, and the cues found in each."""

    sentence_starts: list[int]
    clause_starts: list[int]
    clause_cues: dict[int, frozenset[str]]
    sentence_cues: dict[int, frozenset[str]]

    @classmethod
    def build(
        cls,
        doc: Doc,
        text: str,
        cues: list[Hit],
        terminations: list[Hit],
        dashes: tuple[str, ...],
        sentence_starts: list[int],
    ) -> Layout:
        ends = {h.end - 1 for h in terminations}
        for dash in dashes:
            at = text.find(f" {dash} ")
            while at >= 0:
                span = doc.char_span(at + 1, at + 2)
                if span is not None:
                    ends.add(span.start)
                at = text.find(f" {dash} ", at + 1)
        clause_starts = sorted(set(sentence_starts) | ends)
        by_clause: dict[int, set[str]] = {}
        by_sentence: dict[int, set[str]] = {}
        for hit in cues:
            by_clause.setdefault(bisect_right(clause_starts, hit.start), set()).add(hit.group.rule)
            sentence = bisect_right(sentence_starts, hit.start)
            by_sentence.setdefault(sentence, set()).add(hit.group.rule)
        return cls(
            sentence_starts,
            clause_starts,
            {k: frozenset(v) for k, v in by_clause.items()},
            {k: frozenset(v) for k, v in by_sentence.items()},
        )

    def sentence(self, token: int) -> int:
        return bisect_right(self.sentence_starts, token)

    def clause(self, token: int) -> int:
        return bisect_right(self.clause_starts, token)

    def cues(self, token: int) -> frozenset[str]:
        """Cues in the token's clause, or if it has none, in its sentence."""
        return self.clause_cues.get(self.clause(token)) or self.sentence_cues.get(
            self.sentence(token), frozenset()
        )

    def sentence_cue_set(self, sentence: int) -> frozenset[str]:
        return self.sentence_cues.get(sentence, frozenset())


def asks(doc: Doc, layout: Layout, sentence: int) -> bool:
    """Whether the sentence (its index in the layout) is a question: it ends with "?", perhaps
    with a quote mark or a dash after it, and another sentence follows."""
    starts = layout.sentence_starts
    if sentence >= len(starts):
        return False
    last = starts[sentence] - 1
    while last > 0 and (doc[last].is_space or doc[last].text in CLOSING_MARKS):
        last -= 1
    return doc[last].text == "?"


def answer_to(question_token: int, doc: Doc, layout: Layout, answers: Answers) -> Hit | None:
    """The answer that follows a question ("Any children? A: N"), as a modifier hit, if any.

    The token's sentence must end with "?"; the next sentence's first word (after "A", ":")
    decides: a negation word negates, a not-known word makes the mention hypothetical, a yes
    makes it a statement (`affirmed`); a reported answer there ("She said no") counts too.
    """
    sentence = layout.sentence(question_token)
    if not asks(doc, layout, sentence):
        return None
    end = layout.sentence_starts[sentence]  # the next sentence's first token
    i = _skip(doc, end, answers)  # "...?' - husband: 'no'": past the quote and the dash
    i = _skip(doc, _after_speaker(doc, i), answers)
    if i >= len(doc):
        return None
    for width in (3, 2, 1):  # "N/K" is three tokens, and not "N"
        word = "".join(t.norm_ for t in doc[i : i + width])
        if word in answers.unknown:
            return Hit(_ANSWER_UNKNOWN, i, i + width)
    if _bare(doc[i]) in answers.yes:  # "Any children? Yes, two": the mention is a fact
        return Hit(_ANSWER_YES, i, i + 1)
    if _bare(doc[i]) in answers.no:  # "N." is one token (an initial, to the tokenizer)
        return Hit(_ANSWER_NO, i, i + 1)
    lead = i
    while lead < len(doc) and lead < i + 3 and doc[lead].norm_ in answers.lead:
        lead += 1
    if lead > i and lead < len(doc) and doc[lead].norm_ in answers.no:
        after = doc[lead + 1] if lead + 1 < len(doc) else None
        if after is None or not after.is_alpha or after.norm_ in answers.lead_objects:
            return Hit(_ANSWER_NO, lead, lead + 1)
    said = next((j for j in range(i, min(len(doc), i + 5)) if doc[j].norm_ in _SAID), None)
    if said is not None:  # "Any kids? She said no.", "Any kids? IP said yes, two"
        return answer_at(_skip(doc, said + 1, answers), doc, answers)
    return answer_at(i, doc, answers)  # "Any kids? We've never had any."


# what may stand after a question mark that ends a question ("...?' - husband: 'no'")
CLOSING_MARKS = frozenset({"'", '"', "’", "”", "-", "–", "—"})


def _skip(doc: Doc, i: int, answers: Answers) -> int:
    """Past up to four of an answer's opening marks ("A:", "-", a quote)."""
    limit = i + 4
    while i < len(doc) and i < limit and (doc[i].is_space or doc[i].norm_ in answers.skip):
        i += 1
    return i


_SAID = frozenset({"said", "says", "say", "stated", "states", "replied", "replies", "answered",
                   "answers", "confirmed", "confirms", "advised", "advises", "responded", "told",
                   "answer", "response", "reply", "signed", "wrote", "writes", "indicated",
                   "indicates"})
_ANSWER_REACH = 14  # tokens from the question's mention to a reported answer
_AUXILIARIES = frozenset({"do", "does", "did", "have", "has", "had", "'ve", "'s", "are", "is"})
_NEGATORS = frozenset({"n't", "not", "never"})
_POSSESSION = frozenset({"have", "got", "had", "been"})


def reported_answer(mention_end: int, doc: Doc, layout: Layout, answers: Answers) -> Hit | None:
    """The answer reported after a question in the same sentence: "CH asked whether the caller
    has any children with the suspect: caller said no", "asked if there are kids in that house -
    caller says 'no, they just have the dogs'", "- husband: 'no, none, never have'", "- answer
    'We don't have any'": a verb of saying or a speaker's colon, then the answer, which is a
    negation word standing as the whole answer (not "said no one hit her"), a denial of having
    any, or a yes (an `affirmed` hit: the question's mention is then a statement)."""
    sentence = layout.sentence(mention_end - 1)
    limit = min(len(doc), mention_end + _ANSWER_REACH)
    for i in range(mention_end, limit):
        if layout.sentence(i) != sentence:
            return None
        norm = doc[i].norm_
        if norm not in _SAID and not (norm == ":" and doc[i - 1].is_alpha):
            continue
        j = i + 1
        while j < len(doc) and j < i + 4 and (doc[j].is_space or doc[j].norm_ in answers.skip
                                             or doc[j].norm_ in {",", "that"}):
            j += 1
        answer = answer_at(j, doc, answers)
        if answer is not None:
            return answer
    return None


def answer_at(j: int, doc: Doc, answers: Answers) -> Hit | None:
    """The answer that starts at token `j`, if it is one: a negation word that is the whole
    answer ("no", "none, never have", "no kids"), a denial of having any ("we don't have any",
    "they've never had children"), or a yes ("yes, two")."""
    if j >= len(doc):
        return None
    first = _bare(doc[j])
    if first in answers.yes:
        after = doc[j + 1] if j + 1 < len(doc) else None
        if after is None or not after.is_alpha:
            return Hit(_ANSWER_YES, j, j + 1)
        return None
    k = j
    while k < len(doc) and k < j + 3 and doc[k].norm_ in answers.lead:
        k += 1  # "God no", "well, no", "we have none"
    if k < len(doc) and _bare(doc[k]) in answers.no:
        after = doc[k + 1] if k + 1 < len(doc) else None
        if after is None or not after.is_alpha or after.norm_ in _ANSWERED_OBJECTS or (
            after.norm_ == "and"  # "they have none and live alone"
        ):
            return Hit(_ANSWER_NO, k, k + 1)
        return None
    if k < len(doc) and doc[k].norm_ in _AUXILIARIES and k + 1 < len(doc) and (
        doc[k + 1].norm_ in _NEGATORS
    ):
        k += 1
    if k >= len(doc) or doc[k].norm_ not in _NEGATORS:
        return None
    negator = k
    k += 1
    if k < len(doc) and doc[k].norm_ in _POSSESSION:
        k += 1
    else:
        return None  # "she does not know", "he's not sure": not a denial of having any
    if k >= len(doc) or not doc[k].is_alpha or doc[k].norm_ in _ANSWERED_OBJECTS or (
        doc[k].norm_ == "any"
    ):
        return Hit(_ANSWER_NO, negator, k)
    return None


# "she said no kids": the answer's own object ("said no one hit her" is not an answer)
_ANSWERED_OBJECTS = frozenset({"kids", "children", "child", "kid", "babies", "baby", "weans",
                               "bairns", "none", "thanks", "never", "applicable", "yet"})


def _bare(token: Token) -> str:
    """A word without its full stop: "N." answers as "N" does."""
    return token.norm_.rstrip(".") or token.norm_


_ITEM = re.compile(r"^(?:q|question)?\d{1,2}[.):]?$")  # a form's item number: "Q9", "10.", "9)"
_ITEM_FIRST = frozenset("q0123456789")  # cheaper than the regex for the words that are not
_ITEM_SEPARATORS = frozenset({"?", ":", "-", "–", "="})
_ITEM_REACH = 24  # tokens from a form item's number to its answer


def item_answer(token: int, doc: Doc, answers: Answers) -> Hit | None:
    """The answer a numbered form item gives ("9. pregnant or had a baby in last 18 months - no
    10. ...", "Q10 children/dependants - N", "Q9 pregnant/recent baby: N"): a negation word that
    follows the item's question after "?", ":" or a dash, standing alone (not "no injuries").
    The item runs from its number to the answer; a full stop or another number ends it."""
    start = token - 1
    while start >= 0 and token - start <= _ITEM_REACH:
        text = doc[start].norm_
        if _is_item(doc, start):
            break
        if text == "." and start > 0 and _is_item(doc, start - 1):
            start -= 1  # "9. pregnant ...": the number and its full stop open the item
            break
        if text in {".", "!"} or "\n" in doc[start].text:
            return None
        start -= 1
    else:
        return None
    i = token
    while i < len(doc) and i - start <= _ITEM_REACH:
        text = doc[i].norm_
        if text in _ITEM_SEPARATORS:
            j = i + 1
            while j < len(doc) and (doc[j].is_space or doc[j].norm_ in _ITEM_SEPARATORS):
                j += 1
            if j < len(doc) and _bare(doc[j]) in answers.no:
                after = doc[j + 1] if j + 1 < len(doc) else None
                ends = (
                    after is None
                    or after.is_punct
                    or after.is_space
                    or _is_item(doc, j + 1)
                    or doc[j].norm_.endswith(".")
                )
                if ends:
                    return Hit(_ANSWER_NO, j, j + 1)
            if j < len(doc) and doc[j].is_alpha and len(doc[j].text) <= 3:
                return None  # answered otherwise ("Y 3, 6, 11"): not this item's "no"
        if text in {".", "!"} or _is_item(doc, i) or "\n" in doc[i].text:
            return None
        i += 1
    return None


def _is_item(doc: Doc, i: int) -> bool:
    """A form's item number: "Q9", "10.", or a number set off by a dash or bracket ("10 - ",
    "9)"), not a number in the text ("in the last 18 months")."""
    text = doc[i].norm_
    if text[:1] not in _ITEM_FIRST or not _ITEM.match(text):
        return False
    if text[0] == "q":
        return True
    if i > 0 and doc[i - 1].like_num:
        return False
    if text[-1] in ".):":
        return True
    return i + 1 < len(doc) and doc[i + 1].norm_ in {".", ")", "-", "–", ":"}


def _after_speaker(doc: Doc, i: int) -> int:
    """Past a transcript's time stamp and speaker ("[00:03:18] IP: no"), where there is one:
    in a transcript the answer to a question is the next speaker's first word."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i < len(doc) and doc[i].text in {"[", "("}:
        close = next((j for j in range(i + 1, min(i + 6, len(doc))) if doc[j].text in {"]", ")"}),
                     None)
        if close is not None and any(t.like_num or ":" in t.text for t in doc[i + 1 : close]):
            i = close + 1
            while i < len(doc) and doc[i].is_space:
                i += 1
    # a speaker: one to three words, then a colon ("IP:", "S1:", "Mrs Kaur:")
    for width in (1, 2, 3):
        label = doc[i : i + width]
        if (
            i + width < len(doc)
            and doc[i + width].text == ":"
            and all(t.is_alpha or t.like_num or t.text.isalnum() for t in label)
        ):
            return i + width + 1
    return i


_ANSWER_NO = Group("modifier", "answered_no", "negated", direction="backward")
_ANSWER_UNKNOWN = Group("modifier", "unknown_answer", "hypothetical", direction="backward")
_ANSWER_YES = Group("modifier", "answered_yes", "affirmed", direction="backward")


def reaches(modifier: Hit, start: int, end: int, doc: Doc, layout: Layout) -> bool:
    """Does `modifier` reach the mention at tokens [start, end)?"""
    group = modifier.group
    if group.not_after and start > 0 and doc[start - 1].norm_ in group.not_after:
        return False  # "her kids at work": her own, whatever follows
    if group.possessive and not _may_own(modifier, start, end, doc):
        return False  # "her children live with her ex-husband": "her" is not the children
    if modifier.start < end and start < modifier.end:
        # A modifier's own words cover the mention ("abused as a child", "dim plant", "own
        # children"); one that starts with the mention is not about it ("father of").
        return group.direction == "forward" or group.scope == "cover" or modifier.start < start
    if group.scope == "cover" or layout.sentence(modifier.start) != layout.sentence(start):
        return False
    if group.direction == "forward":
        if start < modifier.end:
            return False
        between = range(modifier.end, start)
    else:
        if modifier.start < end:
            return False
        between = range(end, modifier.start)
    if group.scope in ("clause", "sentence"):
        # A long clause (a narrative with no punctuation is one clause) is read as a window.
        near = group.max_gap == 0 or len(between) <= group.max_gap
        if group.blocked_by and any(doc[i].norm_ in group.blocked_by for i in between):
            return False
        if group.scope == "sentence":  # across clauses: "'the kids' came - meaning her mates"
            return near
        return near and layout.clause(modifier.start) == layout.clause(start)
    if len(between) > group.max_gap:
        return False
    words, names = group.gap_words, group.gap_names
    return all(
        doc[i].norm_ in words or (names and _is_name(doc[i])) or _is_leader(doc[i].text)
        for i in between
    )


_OWNERS = {"his": "male", "her": "female", "their": ""}  # possessive -> gender it names


def _may_own(modifier: Hit, start: int, end: int, doc: Doc) -> bool:
    """Can the first possessive pronoun of `modifier` stand for the mention at [start, end)?
    "their" can for anyone; "his" and "her" only for one person, not of the other gender (a
    name or "child" is of either). The mention's last word is its head: "her two sons"."""
    pronoun = next(
        (doc[i].norm_ for i in range(modifier.start, modifier.end) if doc[i].norm_ in _OWNERS),
        None,
    )
    if pronoun is None or not _OWNERS[pronoun]:
        return True
    heads = [doc[i].norm_ for i in range(start, end) if doc[i].is_alpha]
    if not heads:
        return True
    head = heads[-1]
    if head.endswith("children") or (head.endswith("s") and not head.endswith("ss")):
        return False  # one person's pronoun, a plural mention
    other = "female" if _OWNERS[pronoun] == "male" else "male"
    return terms().referents.get(head) != other  # each referent word names one kind of person


def _is_name(token: Token) -> bool:
    """ "Kim", or a surname in capitals as police write them among words in lower case
    ("neither she nor MERTON has"); words in a line of capitals ("KIDS ON SCENE Y/N") are not."""
    if token.is_title:
        return True
    if not (token.is_upper and token.is_alpha and len(token) > 1):
        return False
    doc, i = token.doc, token.i
    beside = [doc[j] for j in (i - 1, i + 1) if 0 <= j < len(doc)]
    return any(b.is_lower and b.is_alpha for b in beside)


def _is_leader(text: str) -> bool:
    """ "CHILDREN.......: NONE": a form's leader dots or rule between a field and its answer."""
    return len(text) >= 2 and set(text) <= _LEADER_CHARACTERS


_LEADER_CHARACTERS = frozenset("._-–=*~")


def effects(
    modifiers: list[Hit],
    start: int,
    end: int,
    doc: Doc,
    layout: Layout,
    answers: Answers,
    rule: str,
) -> dict[str, Hit]:
    """The modifiers reaching a mention of target `rule`, by effect (the nearest one for each
    effect), and the answer to the question it stands in."""
    found: dict[str, Hit] = {}
    answer = answer_to(start, doc, layout, answers) or item_answer(start, doc, answers)
    if answer is not None:
        found[answer.group.kind] = answer
    for modifier in modifiers:
        applies_to = modifier.group.applies_to
        if applies_to and rule not in applies_to:
            continue
        if reaches(modifier, start, end, doc, layout):
            effect = modifier.group.kind
            best = found.get(effect)
            if best is None or abs(modifier.start - start) < abs(best.start - start):
                found[effect] = modifier
    return found
