"""The item page's words: facts in plain English with links to where they are, tick boxes as
"Children present (tick box): No", the model's part without feature names, the priority with
its reason, deadlines as "due in 3 hours" / "overdue by 2 hours" in UK time, and highlights
widened from a rule's span to its clause with ruled-out mentions listed apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.web.highlight import clause_bounds, highlight
from api.web.item_wording import (
    due_phrase,
    model_sentence,
    priority_sentence,
    summarise,
)
from api.web.local_time import london
from models.contract import Notification
from screening.policy import DEFAULT_POLICY
from tests.factories import notification

NARRATIVE = (
    "Police attended the flat after a call. Her daughter Maja, aged 11, was in the flat and "
    "phoned for help. Her adult son, 24, was not there. The IP is 24 weeks pregnant."
)


def at(phrase: str, **extra: object) -> dict[str, object]:
    start = NARRATIVE.index(phrase)
    return {"source": "narrative", "start": start, "end": start + len(phrase),
            "text": phrase, **extra}


EVIDENCE = [
    {"source": "field", "field": "victim_pregnant", "value": True,
     "rule": "tick_box_victim_pregnant", "category": "pregnancy", "polarity": "positive"},
    at("daughter Maja, aged 11", rule="kinship_with_age", category="present"),
    at("daughter Maja, aged 11", rule="kinship_with_age", category="household"),
    at("weeks pregnant", rule="pregnancy", category="pregnancy"),
    {"source": "field", "field": "children_present", "value": False,
     "rule": "tick_box_children_present", "category": "present", "polarity": "negative"},
    at("adult son, 24", rule="adult_relative", polarity="negative"),
    {"source": "person", "field": "people.2.role", "value": 6, "rule": "child_role",
     "category": "present", "polarity": "positive"},
]


def doc() -> Notification:
    return notification(
        narrative=NARRATIVE,
        children_present=False,
        victim_pregnant=True,
        dash={"level": "high"},
        people=[
            {"role": "victim", "given_name": "Jo", "family_name": "Bell", "age": 33},
            {"role": "suspect", "given_name": "Sam", "family_name": "Bell", "age": 35},
            {"role": "child", "given_name": "Mia", "family_name": "Bell", "age": 6,
             "present_at_incident": True},
        ],
    )


def test_a_rule_span_is_widened_to_its_clause_and_anchored() -> None:
    marked = highlight(NARRATIVE, EVIDENCE)
    daughter = marked.facts[1]
    assert daughter.text == "Her daughter Maja, aged 11, was in the flat and phoned for help"
    assert marked.facts[2].anchor == daughter.anchor  # same clause, one anchor
    assert marked.facts[3].text == "The IP is 24 weeks pregnant"
    # Ruled-out mentions keep their own span (listed apart, not a whole clause struck out).
    assert marked.facts[5].text == "adult son, 24" and marked.facts[5].polarity == "negative"
    anchored = [s for s in marked.segments if s.anchor]
    assert [s.anchor for s in anchored] == ["fact-1", "fact-2", "fact-3"]
    first = anchored[0]
    assert first.text == daughter.text
    assert first.describedby == "legend-present legend-household"
    # The narrative is rebuilt exactly: no label text is put into it.
    assert "".join(s.text for s in marked.segments) == NARRATIVE


@pytest.mark.parametrize(
    ("text", "phrase", "clause"),
    [
        ("Approx. ten minutes later her son (4) woke up. Then", "son (4)",
         "Approx. ten minutes later her son (4) woke up"),
        ("Kids present; Alfie (3) asleep upstairs\nOfficers left.", "Alfie (3)",
         "Alfie (3) asleep upstairs"),
        ("She has a son", "son", "She has a son"),
    ],
)
def test_clause_bounds(text: str, phrase: str, clause: str) -> None:
    start = text.index(phrase)
    left, right = clause_bounds(text, start, start + len(phrase))
    assert text[left:right] == clause


def test_a_run_on_clause_keeps_the_rule_span() -> None:
    text = "word " * 100 + "her son (4) " + "word " * 100
    start = text.index("son (4)")
    assert clause_bounds(text, start, start + 7) == (start, start + 7)


def test_summary_says_each_fact_in_words_with_its_place() -> None:
    marked = highlight(NARRATIVE, EVIDENCE)
    summary = summarise(doc(), EVIDENCE, marked.facts)
    involvement = [(s.text, s.href, s.source) for s in summary.involvement]
    assert involvement == [
        ("the victim is pregnant", "#tick-victim_pregnant", "tick box"),
        ("“Her daughter Maja, aged 11, was in the flat and phoned for help” – child present "
         "and child in household", "#fact-1", "officer's account"),
        ("“The IP is 24 weeks pregnant” – pregnancy", "#fact-3", "officer's account"),
        ("Mia Bell, 6, is listed as a child, present at the incident", "#person-2",
         "people list"),
    ]
    ruled_out = [(s.text, s.href) for s in summary.ruled_out]
    assert ruled_out == [
        ("Children present (tick box): No", "#tick-children_present"),
        ("“adult son, 24”", "#fact-2"),
    ]
    every = " ".join(s.text for s in summary.involvement + summary.ruled_out)
    for code in ("people.", "People.", "tick_box", "kinship", "child_role", "False", "True"):
        assert code not in every


def test_the_models_part_in_words_never_feature_names() -> None:
    said = model_sentence(score=0.26, route="triage_check", categories=[], uncertain=False,
                          silent=False, policy=DEFAULT_POLICY)
    assert said.startswith("The model's score was 26%: no rule found a child")
    assert "screen-out threshold of 20%" in said
    out = model_sentence(score=0.05, route="screened_out", categories=[], uncertain=False,
                         silent=False, policy=DEFAULT_POLICY)
    assert out == ("The model's score was 5%: no rule found a child, and the score is at or "
                   "under the screen-out threshold of 20%.")
    silent = model_sentence(score=0.08, route="triage_check", categories=[], uncertain=False,
                            silent=True, policy=DEFAULT_POLICY)
    assert "nothing was recorded either way" in silent
    found = model_sentence(score=0.97, route="duty_review", categories=["present"],
                           uncertain=False, silent=False, policy=DEFAULT_POLICY)
    assert found.startswith("The model's score was 97%. The rules found a child")
    for sentence in (said, out, silent, found):
        assert "(+" not in sentence and "_" not in sentence


def test_the_priority_with_its_reason() -> None:
    urgent = priority_sentence(level="urgent", doc=doc(), evidence=EVIDENCE,
                               policy=DEFAULT_POLICY)
    assert urgent == "Urgent: a child was present and the DASH risk is high"
    calm = notification(narrative="Verbal argument. No injuries.", dash={"level": "standard"})
    household = [{"source": "narrative", "start": 0, "end": 6, "category": "household",
                  "polarity": "positive", "rule": "r"}]
    assert priority_sentence(level="normal", doc=calm, evidence=household,
                             policy=DEFAULT_POLICY) == (
        "Normal: no rule for urgent or high priority applied")
    chosen = priority_sentence(level="high", doc=calm, evidence=household, policy=DEFAULT_POLICY,
                               set_by="chosen by dora at the triage check")
    assert chosen == "High: chosen by dora at the triage check"
    stale = priority_sentence(level="urgent", doc=calm, evidence=household,
                              policy=DEFAULT_POLICY)
    assert stale.startswith("Urgent: set when the item was made") and "normal" in stale


def test_deadlines_in_words_and_uk_time() -> None:
    now = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
    assert due_phrase(now + timedelta(hours=3, minutes=20), now) == "due in 3 hours"
    assert due_phrase(now - timedelta(hours=2, minutes=5), now) == "overdue by 2 hours"
    assert due_phrase(now + timedelta(minutes=45), now) == "due in 45 minutes"
    assert due_phrase(now + timedelta(hours=1), now) == "due in 1 hour"
    assert due_phrase(now + timedelta(hours=75), now) == "due in 3 days 3 hours"
    assert london(datetime(2026, 11, 27, 14, 5, tzinfo=UTC)) == "27 Nov 2026, 14:05 GMT"
    assert london(datetime(2026, 7, 1, 14, 5, tzinfo=UTC)) == "1 Jul 2026, 15:05 BST"


def test_people_dash_history_and_unsettled_mentions_in_words() -> None:
    text = "Her son was mentioned by the neighbour. Verbal argument only."
    young = notification(
        narrative=text,
        people=[
            {"role": "victim", "given_name": "Lily", "family_name": "Shaw", "age": 16,
             "pregnant": True},
            {"role": "suspect", "given_name": "Ben", "family_name": "Ross", "age": 19},
        ],
    )
    evidence = [
        {"source": "person", "field": "people.0.age", "value": 16, "rule": "victim_under_18",
         "category": "young_party"},
        {"source": "person", "field": "people.0.pregnant", "value": True,
         "rule": "person_pregnant", "category": "pregnancy"},
        {"source": "field", "field": "dash.answers.9", "value": "yes",
         "rule": "dash_q9_pregnant_or_baby", "category": "pregnancy"},
        {"source": "history", "field": "address", "value": True,
         "rule": "child_at_address_before", "category": "household"},
        {"source": "narrative", "start": 4, "end": 7, "text": "son", "rule": "kinship",
         "polarity": "uncertain"},
    ]
    marked = highlight(text, evidence)
    summary = summarise(young, evidence, marked.facts)
    assert [(s.text, s.href) for s in summary.involvement] == [
        ("DASH question 9 answered yes: pregnant or had a baby in the last 18 months",
         "#incident-dash"),
        ("a child was recorded at this address before", "#earlier"),
        ("the victim, Lily Shaw, is under 18 (16)", "#person-0"),
        ("Lily Shaw is pregnant", "#person-0"),
    ]
    assert [(s.text, s.href) for s in summary.uncertain] == [
        ("“Her son was mentioned by the neighbour” – could be a child; not settled", "#fact-1")
    ]
    assert summary.ruled_out == []
    assert priority_sentence(level="high", doc=young, evidence=evidence,
                             policy=DEFAULT_POLICY) == "High: someone is pregnant"
