"""Child involvement in the attending officer's narrative: every mention, judged, with its span.

`narrative_findings(text, occurred_on)` tokenises the narrative (`patterns.tokenise`: spaCy's
English tokenizer, built once per process, after a scanned form's OCR errors are put right by
`ocr`, keeping every offset), reads a chronology's dated entries (`entries`), finds the terms
of `data/child_terms.toml` and the ages in it, and judges each mention with the ConText
modifiers and category cues of `data/context_terms.toml`:

- a minor-only word ("the kids", "toddler") or an age under 18 is a positive finding;
- a kinship word ("her son") is positive with an age under 18 or a minor cue (school, cot),
  not counted (negative, `adult_relative`) with an adult age or cue, and otherwise `uncertain`:
  it may be an adult, so a person must look; a later bare mention takes an earlier age;
- negated ("no children"), historical ("abused as a child"), adult ("adult son") and
  non-party ("a neighbour's boy") mentions give negative findings kept for audit; wishes
  ("wants children") and other senses ("childish", "child seat") give nothing;
- the category comes from cues in the mention's clause, else its sentence: present (at the
  scene), household (lives there, or away for the night), child_of_party (lives elsewhere),
  regular_visitor; household when nothing says (a child of a party must reach a person).

Negative findings whose rule is in `AUDIT_ONLY_RULES` record why a mention did not count; they
say nothing about whether a child lives at the address. An adult age said of all of a party's
children ("their kids are grown up, 20 and 23", `adult_children`) does: the narrative is not
silent about children.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from models.contract import ADULT_AGE
from screening.findings import Finding, Polarity
from screening.narrative.composition import composition_findings
from screening.narrative.entries import NO_CHRONOLOGY, Chronology, chronology
from screening.narrative.form_answers import label_of_adults
from screening.narrative.hit_sets import sort_hits
from screening.narrative.mentions import Mention, build_mentions
from screening.narrative.patterns import Hit, match, terms, tokenise
from screening.narrative.quotes import (
    is_quoted_word,
    is_term_of_address,
    quoted_spans,
    spoken_spans,
)
from screening.narrative.rule_files import context_terms
from screening.narrative.scope import Layout, asks, effects, reported_answer

AUDIT_ONLY_RULES = frozenset(
    {"adult_relative", "adult_anaphora", "historical_childhood", "non_party_child", "adult_sibling",
     "other_referent"}
)
# category -> the cue that gives it, for relatives (a grandchild, a niece) who need one
_RELATIVE_CUES = (
    ("present", "present"),
    ("household", "household"),
    ("regular_visitor", "visitor"),
)
_PERSON_KINDS = frozenset({"minor", "kin", "relative", "sibling", "named", "age"})
# Words before a kinship word that point past the listed relation to another person.
_OTHER_RELATION = frozenset(
    {"other", "another", "his", "s1's", "younger", "youngest", "older", "eldest", "second",
     "third", "two", "three", "both", "new", "baby", "step", "suspect's"}
)
# Findings that say outright there is no child: they answer a sign of one.
_NO_CHILD_RULES = frozenset({"negated_children", "lives_alone", "answered_no"})
# A plural person word, or one after these, speaks of all of them ("only son", "both girls").
_PLURAL_PEOPLE = frozenset(
    {"children", "kids", "sons", "daughters", "boys", "girls", "offspring", "stepchildren",
     "stepsons", "stepdaughters", "grandchildren", "grandkids", "bairns", "weans"}
)
_ALL_OF_THEM = frozenset({"only", "both", "all"})
_POSSESSIVE = frozenset({"'s", "'", "’s", "’"})
# who the children away are: "they", or a count of them ("two live with dad")
_THEY = frozenset({"they", "both", "all", "two", "three", "four", "2", "3", "4", "one", "1"})
_BE = frozenset({"were", "are", "'re", "was", "being"})
_AWAY = frozenset({"at", "with", "staying", "away", "asleep", "upstairs", "visiting"})
_LIVE = frozenset({"live", "lives", "living", "stay", "stays"})
_OPENING_QUOTES = frozenset({"'", "‘", '"', "“"})
_DASHES = frozenset({"-", "–", "—"})
# People who live at the address without being parties: a child of theirs may live there too
_CO_RESIDENTS = frozenset({"lodger", "lodgers", "housemate", "housemates", "flatmate", "flatmates",
                           "tenant", "tenants"})
_GLOSS_REACH = 8  # tokens from a pregnancy word to the denial that answers or translates it
# Cues that place a mention as a child is placed: an explained word there is not taken as read.
_PLACING_CUES = frozenset({"present", "household", "visitor", "elsewhere", "minor"})
_CONTINUING = frozenset({"he", "she", "they", "both", "it", "his", "her", "their"})


class _Judge:
    """Judges the mentions of one narrative."""

    def __init__(
        self,
        doc: Doc,
        text: str,
        layout: Layout,
        modifiers: list[Hit],
        mentions: list[Mention],
        party_ages: dict[str, int],
        dated: Chronology = NO_CHRONOLOGY,
    ) -> None:
        self.doc = doc
        self.chronology = dated
        self.party_ages = party_ages
        self.text = text
        self.layout = layout
        self.modifiers = modifiers
        self.referents = terms().referents
        self.mentions = mentions
        answers = context_terms().answers
        self.fx = {
            id(m): effects(modifiers, m.start, m.end, doc, layout, answers, m.rule)
            for m in mentions
        }
        # child words explained as animals or adults ("the 'kids' are the goats"), by head word
        self.explained = {
            doc[m.end - 1].norm_
            for m in mentions
            if "other_referent" in self.fx[id(m)] and m.age is None and not self.owner(m)
        }
        # referent -> {"minor", "adult"}, from ages and adult modifiers, for later bare mentions
        self.settled: dict[str, set[str]] = {}
        for m in mentions:
            key = self.referent(m)
            if key and m.age is not None:
                self.settled.setdefault(key, set()).add("minor" if m.age.is_minor else "adult")
            elif key and "adult" in self.fx[id(m)]:
                self.settled.setdefault(key, set()).add("adult")

    def other_referent(self, m: Mention, fx: dict[str, Hit]) -> bool:
        """ "The 'kids' are their two spaniels", "'the kids' - meaning her mates": the word is
        explained as animals or adults; and so is the same word elsewhere in the narrative
        ("taking the kids to his brother's"), where nothing places it as a child would be
        placed (at the scene, at home, visiting). Never the word as an owner ("the kids' dog",
        "the dog is her kids' pet"): that is the children themselves."""
        doc = self.doc
        if self.owner(m):
            return False
        if "other_referent" in fx:
            return True
        word = doc[m.end - 1].norm_
        return word in self.explained and not _PLACING_CUES & self.layout.cues(m.start)

    def placed_elsewhere(self, m: Mention) -> bool:
        """After "no children present", the same sentence goes on to say where they were
        ("- they were at school", "as both were at their dad's", "two live with dad"): they
        exist."""
        doc = self.doc
        sentence = self.layout.sentence(m.start)
        if asks(doc, self.layout, sentence):  # "Any kids? No, they are at school": the answer
            sentence += 1
        for i in range(m.end, min(len(doc) - 2, m.end + 12)):
            if self.layout.sentence(i) > sentence:
                return False
            if doc[i].norm_ not in _THEY:
                continue
            j = i + 1
            if doc[j].norm_ in _BE:
                j += 1
            if doc[j].norm_ in {"both", "all", "still", "already"} and j + 1 < len(doc):
                j += 1
            if doc[j].norm_ in _LIVE:  # "two live with dad" (not "both live alone")
                if j + 1 < len(doc) and doc[j + 1].norm_ == "with":
                    return True
                continue
            if doc[j].norm_ in _AWAY and (doc[j - 1].norm_ in _BE or doc[i].norm_ != "they"):
                return True
        return False

    def owner(self, m: Mention) -> bool:
        """ "the kids' dog": the mention owns what follows. An apostrophe after it closes a
        quotation instead where one opened just before it ("'the kids' are the goats")."""
        doc = self.doc
        if m.end >= len(doc) or doc[m.end].norm_ not in _POSSESSIVE:
            return False
        if doc[m.end].norm_ in {"'s", "’s"}:
            return True
        floor = self.layout.sentence_starts[self.layout.sentence(m.start) - 1]
        for i in range(m.start - 1, max(floor, m.start - 12) - 1, -1):
            if doc[i].text in _OPENING_QUOTES:
                # the nearest quote mark before it opens ("'get rid of the baby'") when it
                # stands before a word; one straight after a word closes or owns
                return not (i == 0 or doc[i - 1].whitespace_ or not doc[i - 1].is_alpha)
        return True

    def referent(self, m: Mention) -> str | None:
        span = self.doc[m.start : m.end]
        norm = " ".join(t.norm_ for t in span)
        return self.referents.get(norm) or self.referents.get(span[-1].norm_)

    def finding(
        self,
        m: Mention,
        category: str | None,
        polarity: Polarity,
        rule: str,
        also: Hit | None = None,
    ) -> Finding:
        start, end = m.char_start, m.char_end
        if also is not None:
            first, last = self.doc[also.start], self.doc[also.end - 1]
            start, end = min(start, first.idx), max(end, last.idx + len(last))
        return Finding(category, polarity, rule, "narrative", start, end, self.text[start:end])

    def judge(self, m: Mention) -> list[Finding]:
        fx = self.fx[id(m)]
        if m.kind == "statement":
            return [self.finding(m, m.category, "negative", m.rule)]
        if self.chronology.long_ago(m.char_start):  # "1998: Karen 5 months pregnant"
            return [self.finding(m, None, "negative", "historical_childhood")]
        if m.kind == "implied":
            # "no other children" after a person already mentioned ("an adult son, 25. No other
            # children.") denies any further child; with nobody before it, it implies one.
            if any(p.kind in _PERSON_KINDS and p.end <= m.start for p in self.mentions):
                return [self.finding(m, m.category, "negative", "no_other_children")]
            return [self.finding(m, m.category, "uncertain", m.rule)]
        if m.kind == "pregnancy" and m.sign_only:
            # "I haven't even had the scan": a scan had, due or not yet had is a sign for a
            # person to read, whatever negates it; only someone else's or the past settles it
            if {"historical", "non_party"} & fx.keys():
                return []
            return [self.finding(m, "pregnancy", "uncertain", m.rule)]
        if m.kind == "pregnancy":
            return self.pregnancy(m, fx)
        if m.kind == "unplaced_age":
            return [] if {"negated", "historical"} & fx.keys() else [
                self.finding(m, m.category, "uncertain", m.rule)
            ]
        if m.kind == "young_party":
            if {"negated", "historical"} & fx.keys():  # "committed when he was 17"
                return []
            return [self.finding(m, "young_party", "positive", m.rule)]
        found = self.person(m, fx)
        if m.sign_only:
            return [replace(f, polarity="uncertain") if f.is_positive else f for f in found]
        return found

    def answered(self, m: Mention) -> bool:
        """A mention of the same kind negated in the question's sentence ("whether she could be
        pregnant; she replied 'I am not pregnant'", "asked about children: 'we have no kids'")."""
        sentence = self.layout.sentence(m.start)
        pregnancy = m.kind == "pregnancy"
        return any(
            o is not m
            and (o.kind == "pregnancy") == pregnancy
            and self.layout.sentence(o.start) == sentence
            and "negated" in self.fx[id(o)]
            for o in self.mentions
        )

    def glossed_denial(self, m: Mention) -> bool:
        """A pregnancy word that a denial straight after it answers or translates: a field's
        label ("Pregnancy: IP is not currently pregnant"), or words in another language glossed
        in a bracket or after a dash ("'nie jestem w ciąży' (I'm not pregnant)")."""
        doc = self.doc
        sentence = self.layout.sentence(m.start)
        for o in self.mentions:
            if o.kind != "pregnancy" or o.start < m.end or o.start - m.end > _GLOSS_REACH:
                continue
            if self.layout.sentence(o.start) != sentence or "negated" not in self.fx[id(o)]:
                return False
            between = [t.text for t in doc[m.end : o.start]]
            label = bool(between) and between[0] in {":", "-", "–"}
            gloss = "(" in between or (
                any(t in _DASHES for t in between) and any(t in _OPENING_QUOTES for t in between)
            )
            return label or gloss
        return False

    def denied_later(self, m: Mention) -> bool:
        """ "S claims she is pregnant ... IP states she is not pregnant": a pregnancy only
        supposed or alleged, denied outright later in the narrative."""
        return any(
            o.kind == "pregnancy" and o.start > m.end and "negated" in self.fx[id(o)]
            for o in self.mentions
        )

    def question(self, m: Mention, category: str | None) -> list[Finding] | None:
        """A mention inside a question asserts nothing: its answer decides, else a person; after
        a yes ("any kids? - she said yes, two") it is a statement (None: judge it as one)."""
        if self.answered(m):
            if self.placed_elsewhere(m):
                return [self.finding(m, "household", "positive", "children_away")]
            return [self.finding(m, category, "negative", "answered_no")]
        answer = reported_answer(m.end, self.doc, self.layout, context_terms().answers)
        if answer is not None and answer.group.kind == "affirmed":
            return None
        if answer is not None and self.placed_elsewhere(m):  # "said no, they're at her mum's"
            return [self.finding(m, "household", "positive", "children_away")]
        if answer is not None:  # "... any children: caller said no"
            return [self.finding(m, category, "negative", "answered_no", answer)]
        return [self.finding(m, category, "uncertain", "question_unanswered")]

    def pregnancy(self, m: Mention, fx: dict[str, Hit]) -> list[Finding]:
        asked = "question" in fx and not {"negated", "affirmed"} & fx.keys() and m.age is None
        if asked and (found := self.question(m, "pregnancy")) is not None:
            return found
        if "negated" in fx:
            return [self.finding(m, "pregnancy", "negative", "negated_pregnancy", fx["negated"])]
        if self.glossed_denial(m):  # "Pregnancy: not pregnant", "'w ciąży' (I'm not pregnant)"
            return [self.finding(m, "pregnancy", "negative", "answered_no")]
        if {"historical", "wish", "non_party", "unrecorded"} & fx.keys():
            return []
        if "hypothetical" in fx:
            if self.answered(m) or self.denied_later(m):
                return [self.finding(m, "pregnancy", "negative", "answered_no")]
            return [self.finding(m, "pregnancy", "uncertain", "hypothetical", fx["hypothetical"])]
        return [self.finding(m, "pregnancy", "positive", m.rule)]

    def person(self, m: Mention, fx: dict[str, Hit]) -> list[Finding]:
        if "wish" in fx or "unrecorded" in fx:
            return []
        asked = "question" in fx and not {"negated", "affirmed"} & fx.keys() and m.age is None
        if asked and m.kind == "minor" and (found := self.question(m, m.category)) is not None:
            return found
        if "historical" in fx:
            return [self.finding(m, None, "negative", "historical_childhood", fx["historical"])]
        if m.age is None and self.other_referent(m, fx):  # "'the kids' - meaning her mates"
            return [self.finding(m, None, "negative", "other_referent", fx.get("other_referent"))]
        if "negated" in fx and m.age is None:
            cues = self.layout.cues(m.start)
            category = "present" if "present" in cues and "household" not in cues else None
            answered = fx["negated"].group.rule == "answered_no"
            if (category == "present" or answered) and self.placed_elsewhere(m):
                # "no children present - they were at swimming with her sister": there are
                # children, away at the time (household: "even if away at the time")
                return [self.finding(m, "household", "positive", "children_away")]
            return [self.finding(m, category, "negative", "negated_children", fx["negated"])]
        polarity, rule = self.polarity(m, fx)
        if polarity == "negative":
            if rule == "adult_relative" and "non_party" not in fx and self.all_of_them(m):
                rule = "adult_children"  # "their kids are grown up": said of all of them
            return [self.finding(m, None, "negative", rule, fx.get("adult"))]
        if "party_child" in fx and m.kind == "kin" and m.age is None and self.possessed(m):
            return [self.finding(m, "young_party", "uncertain", "party_as_child")]
        owner = fx.get("non_party")
        if owner is not None and not owner.start <= m.start < owner.end:  # not "his brother's"
            # Counts only when at the scene: "did not witness anything" is an absence cue.
            cues = self.layout.cues(m.start)
            heard = self.layout.sentence_cue_set(self.layout.sentence(m.start))
            if "present" in cues and "absent" not in cues | heard:
                return [self.finding(m, "present", polarity, "non_party_child_present")]
            if "visitor" in cues:  # "minds her neighbours' children every morning"
                return [self.finding(m, "regular_visitor", polarity, "non_party_child_visiting")]
            if "household" in cues and "elsewhere" not in cues:  # "her friend's kids live with IP"
                return [self.finding(m, "household", polarity, "non_party_child_resident")]
            if "elsewhere" not in cues and _CO_RESIDENTS & {
                t.norm_ for t in self.doc[owner.start : owner.end]
            }:  # "the lodger's kids": someone who lives at the address; their children may too
                return [self.finding(m, "household", "uncertain", "co_resident_child")]
            return [self.finding(m, None, "negative", "non_party_child", fx["non_party"])]
        if "hypothetical" in fx and "affirmed" not in fx:
            answer = reported_answer(m.end, self.doc, self.layout, context_terms().answers)
            if answer is None:
                polarity, rule = "uncertain", "hypothetical"
            elif answer.group.kind != "affirmed":  # "asked whether any live there - said no"
                return [self.finding(m, None, "negative", "answered_no", answer)]
        if m.kind == "sibling" and polarity != "positive":  # an adult unless shown a child
            return [self.finding(m, None, "negative", "adult_sibling")]
        if m.kind in ("relative", "sibling"):  # counts only there, living there or staying
            cues = self.cue_set(m)
            categories = [c for c, cue in _RELATIVE_CUES if cue in cues]
            if not categories and (m.age is None or "elsewhere" in cues):
                return [self.finding(m, None, "negative", "non_party_child")]
            if not categories:  # a young relative placed nowhere: a person decides
                return [self.finding(m, "household", "uncertain", "relative_child_unplaced")]
        else:
            categories = self.categories(m)
        return [self.finding(m, c, polarity, rule) for c in categories]

    def polarity(self, m: Mention, fx: dict[str, Hit]) -> tuple[Polarity, str]:
        if m.age is not None:
            if not m.age.is_minor:
                return "negative", "adult_relative"
            return "positive", m.rule if m.kind in ("named", "age") else f"{m.rule}_with_age"
        if "adult" in fx or self.is_adult_party(m):
            return "negative", "adult_relative"
        settled = self.settled.get(self.referent(m) or "", set())
        if m.kind in ("named", "age") or (m.kind == "minor" and settled != {"adult"}):
            return "positive", m.rule
        if m.kind == "minor":  # "the children" after they were said to be adults
            return "negative", "adult_anaphora"
        if "minor" in self.layout.cues(m.start) or "minor" in self.layout.sentence_cue_set(
            self.layout.sentence(m.start)
        ):
            return "positive", "kinship_with_minor_cue"
        if "minor" in settled:
            return "positive", "kinship_in_context"
        if settled == {"adult"}:
            return "negative", "adult_anaphora"
        return "uncertain", "kinship_age_unknown"

    def all_of_them(self, m: Mention) -> bool:
        """ "Their kids are grown up", "the couple's only son is 26", "both daughters": a plural,
        or a kinship word after "only", "both" or "all", says who all of them are; "her son
        (24)" says nothing of any other child."""
        doc = self.doc
        head = doc[m.end - 1].norm_
        before = {doc[i].norm_ for i in range(max(0, m.start - 3), m.start)}
        return head in _PLURAL_PEOPLE or not before.isdisjoint(_ALL_OF_THEM)

    def is_adult_party(self, m: Mention) -> bool:
        """ "her son S1", "S1, her son": a kinship word naming a listed party aged 18 or over;
        or "Son pushed his mother", "IP's son": the victim's only listed son, a party, is."""
        if m.kind != "kin" or not self.party_ages:
            return False
        doc = self.doc
        if self.names_listed_relation(m):
            return True
        after = [doc[i].norm_ for i in range(m.end, min(m.end + 3, len(doc)))]
        opened = after[:1] in (["("], [","])
        if opened:
            after = after[1:]
        if not after or after[0] not in self.party_ages:
            return False
        # Set off ("her son (S1)", "her son S1, who") it names the party; run on ("her son S1
        # arrested", punctuation lost) it may not, and a person must look.
        closed = after[1:2] in ([")"], [","], ["."], ["who"], [";"])
        return (opened or closed) and self.party_ages[after[0]] >= ADULT_AGE

    def names_listed_relation(self, m: Mention) -> bool:
        """The kinship word is the victim's relation a listed adult party holds, and nothing
        before it points to another ("her other son", "his son", "two sons")."""
        doc = self.doc
        age = self.party_ages.get(f"relation:{doc[m.end - 1].norm_}")
        if age is None or age < ADULT_AGE:
            return False
        before = {doc[i].norm_ for i in range(max(0, m.start - 2), m.start)}
        return before.isdisjoint(_OTHER_RELATION)

    def possessed(self, m: Mention) -> bool:
        """'her daughter', 'his son': a possessive pronoun, not a party's name, before the word."""
        first = self.doc[m.start].norm_
        before = self.doc[m.start - 1].norm_ if m.start else ""
        return first in {"her", "his", "their"} or before in {"her", "his", "their"}

    def cue_set(self, m: Mention) -> frozenset[str]:
        """Category cues of the mention's clause, else sentence, else a continuing sentence."""
        return self.layout.cues(m.start) - {"minor"} or self.continuing(m.start)

    def categories(self, m: Mention) -> list[str]:
        if m.fixed_category and m.category:
            return [m.category]
        cues = self.cue_set(m)
        categories = []
        if "present" in cues:
            categories.append("present")
        if "elsewhere" in cues:
            categories.append("child_of_party")
        if "visitor" in cues:
            categories.append("regular_visitor")
        if {"household", "absent"} & cues or categories == ["present"]:
            categories.append("household")
        return categories or [m.category or "household"]

    def continuing(self, token: int) -> frozenset[str]:
        """Cues of the next sentence when it goes on about the same person ("She lives...")."""
        layout = self.layout
        sentence = layout.sentence(token)
        if sentence >= len(layout.sentence_starts):
            return frozenset()
        if self.doc[layout.sentence_starts[sentence]].norm_ not in _CONTINUING:
            return frozenset()
        return layout.sentence_cue_set(sentence + 1) - {"minor"}


def narrative_findings(
    text: str, occurred_on: date, party_ages: dict[str, int] | None = None
) -> list[Finding]:
    """Every mention of child involvement in `text`, judged, with character spans into `text`.

    `party_ages` maps the words that name a listed party ("ip", "s1", "victim") to their age on
    the day, so that "her son S1" is known to be an adult.
    """
    t = terms()
    sent = text
    doc, text, orths, sentence_starts = tokenise(text)  # as read: OCR misreadings put right
    hits = match(doc, orths)
    sorted_hits = sort_hits(doc, hits)
    targets, cues = sorted_hits.targets, sorted_hits.cues
    layout = Layout.build(
        doc, text, cues, sorted_hits.terminations, t.spaced_dashes, sentence_starts
    )

    def sentence_start(token: int) -> int:
        return layout.sentence_starts[layout.sentence(token) - 1]

    dated = chronology(text, occurred_on)
    mentions = build_mentions(doc, text, t, targets, occurred_on, sentence_start, dated)
    covered = {i for h in hits for i in range(h.start, h.end)}
    modifiers = sorted_hits.modifiers
    judge = _Judge(doc, text, layout, modifiers, mentions, party_ages or {}, dated)
    findings: list[Finding] = []
    signs: list[tuple[int, Finding]] = []  # (sentence, finding) of signs ("a car seat")
    denied: set[int] = set()  # sentences that say outright there is no child
    seen: set[tuple[object, ...]] = set()
    quoted, spoken = quoted_spans(text), spoken_spans(text)
    read = [
        m for m in mentions
        if not is_term_of_address(text, m.char_start, m.char_end, quoted, spoken)
        and (m.kind == "pregnancy" or not is_quoted_word(text, m.char_start, m.char_end, quoted))
    ]
    judged = {id(m): judge.judge(m) for m in read}
    for mention in read:
        sentence = layout.sentence(mention.start)
        for f in label_of_adults(doc, layout, mention, read, judged) or judged[id(mention)]:
            key = (f.category, f.polarity, f.start, f.end)
            if key in seen:
                continue
            seen.add(key)
            if mention.sign_only:
                signs.append((sentence, f))
                continue
            findings.append(f)
            if f.rule in _NO_CHILD_RULES and f.polarity == "negative":
                denied.add(sentence)
    # A sign ("a child seat in the back") is for a person to weigh, unless its own sentence says
    # that there is no child ("a child seat in the back but it was empty, no one else in the
    # car"). A denial elsewhere contradicts the sign, and a contradiction is for a person.
    findings.extend(
        replace(f, polarity="negative", rule="sign_without_child")
        if f.polarity == "uncertain" and sentence in denied
        else f
        for sentence, f in signs
    )
    findings.extend(_near_misses(doc, text, t.spelling.near_misses(orths), covered))
    findings.extend(composition_findings(text))
    if text != sent:  # the evidence quotes the narrative as sent, OCR errors and all
        findings = [f if f.start is None or f.end is None
                    else replace(f, text=sent[f.start : f.end]) for f in findings]
    return findings


def _near_misses(doc: Doc, text: str, tokens: list[int], covered: set[int]) -> list[Finding]:
    """The safety net: a word that starts like a child word but that no rule resolved."""
    found = []
    for i in tokens:
        if i in covered:
            continue
        token = doc[i]
        start, end = token.idx, token.idx + len(token)
        found.append(Finding("household", "uncertain", "unresolved_child_word", "narrative",
                             start, end, text[start:end]))
    return found
