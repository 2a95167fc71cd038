"""Tests for the synthetic generator's extra styles (screening/synth/styles.py and friends).

Each style must occur at about its share, keep the label true to the rule book
(shared/spec/child-involvement.md), and change only the wording: typos, phone typing, regional
words, chronologies, remote incidents, agency shorthand, thin narratives and hard negatives. And
the model stays second line: whatever it scores, a notification with a positive or uncertain
finding is never screened out.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from models.contract import LabelledNotification, age_on
from screening.analysis import analyse
from screening.policy import DEFAULT_POLICY, Policy
from screening.route import route_of
from screening.synth import styles as synth_styles
from screening.synth import typos as synth_typos
from screening.synth.record import RecordMaker
from screening.synth.scenario import SHOW_AGENCY, SHOW_HISTORY

SEED = 424242
N_ROWS = 4000


@pytest.fixture(scope="module")
def made() -> list[tuple[dict, object]]:
    maker = RecordMaker(seed=SEED)
    return [maker.make(index) for index in range(N_ROWS)]


@pytest.fixture(scope="module")
def clean() -> list[tuple[dict, object]]:
    """The same rows with typos switched off."""
    maker = RecordMaker(seed=SEED, typos=False)
    return [maker.make(index) for index in range(N_ROWS)]


def _share(made, tag: str) -> float:
    return sum(tag in scenario.tags for _, scenario in made) / len(made)


def _involved(row: dict) -> bool:
    return row["label"]["child_involvement"]


# shares ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "share"),
    [
        ("style_remote", synth_styles.SHARE_REMOTE),
        ("style_agency", synth_styles.SHARE_AGENCY),
        ("style_chronology", synth_styles.SHARE_CHRONOLOGY),
        ("style_thin", synth_styles.SHARE_THIN),
        ("style_phone", synth_styles.SHARE_PHONE),
        ("style_dialect", synth_styles.SHARE_DIALECT),
        ("typos", synth_typos.SHARE_ROWS),
    ],
)
def test_each_style_occurs_at_about_its_share(made, tag, share):
    assert abs(_share(made, tag) - share) < 0.3 * share + 0.01, (tag, _share(made, tag))


def test_each_style_has_involved_and_not_involved_rows(made):
    for tag in (
        "style_remote",
        "style_agency",
        "style_chronology",
        "style_thin",
        "style_phone",
        "style_dialect",
        "typos",
    ):
        labels = Counter(_involved(row) for row, s in made if tag in s.tags)
        assert labels[True] > 0.015 * N_ROWS * 0.1 and labels[False] > 0, (tag, labels)


def test_involved_share_stays_about_55_percent(made):
    share = sum(_involved(row) for row, _ in made) / N_ROWS
    assert 0.48 <= share <= 0.62


# typos ----------------------------------------------------------------------------------------


def _one_slip_apart(a: str, b: str) -> bool:
    """Whether b is a with one adjacent swap, one letter dropped or one letter doubled."""
    if len(b) == len(a) - 1:
        return any(a[:i] + a[i + 1 :] == b for i in range(len(a)))
    if len(b) == len(a) + 1:
        return any(b[:i] + b[i + 1 :] == a and b[i] == b[i - 1] for i in range(1, len(b)))
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
    return False


def test_typos_change_only_words_and_never_the_label(made, clean):
    slipped = eligible_words = child_slips = 0
    for (row, scenario), (plain, _) in zip(made, clean, strict=True):
        assert row["label"] == plain["label"]
        typed, untyped = row["notification"], plain["notification"]
        assert {k: v for k, v in typed.items() if k != "narrative"} == {
            k: v for k, v in untyped.items() if k != "narrative"
        }
        if "typos" not in scenario.tags:
            assert typed["narrative"] == untyped["narrative"]
            continue
        before = re.findall(r"[A-Za-z]+", untyped["narrative"])
        after = re.findall(r"[A-Za-z]+", typed["narrative"])
        assert len(before) == len(after)
        assert re.sub(r"\D", "", untyped["narrative"]) == re.sub(r"\D", "", typed["narrative"])
        for a, b in zip(before, after, strict=True):
            if a == b:
                continue
            assert a.islower() and _one_slip_apart(a, b), (a, b)
            slipped += 1
            child_slips += bool(synth_typos._CHILD.search(a))
        eligible_words += len(before)
    rate = slipped / eligible_words
    assert 0.005 <= rate <= 0.04, rate
    assert child_slips > 0.1 * slipped  # child, kin and pregnancy words slip too


def test_typos_reach_child_kinship_and_pregnancy_words(made, clean):
    seen: set[str] = set()
    for (row, scenario), (plain, _) in zip(made, clean, strict=True):
        if "typos" not in scenario.tags:
            continue
        for a, b in zip(
            plain["notification"]["narrative"].split(),
            row["notification"]["narrative"].split(),
            strict=True,
        ):
            if a != b:
                for stem in ("child", "daughter", "pregnan", "grand", "nephew", "niece"):
                    if stem in a:
                        seen.add(stem)
    assert {"child", "daughter", "pregnan", "grand"} <= seen


def test_typos_are_deterministic_per_row():
    first = RecordMaker(3).make(17)[0]
    assert first == RecordMaker(3).make(17)[0]
    rng_a, rng_b = synth_typos.row_rng(3, 17), synth_typos.row_rng(3, 17)
    text = "the children were asleep upstairs and the daughter was at school " * 20
    assert synth_typos.add_typos(text, rng_a, 0.03) == synth_typos.add_typos(text, rng_b, 0.03)


# phone typing and regional words ---------------------------------------------------------------


def test_phone_typed_rows_are_lower_case_without_brackets_or_commas(made):
    phone = [(row, s) for row, s in made if "style_phone" in s.tags]
    assert phone
    for row, _ in phone:
        text = row["notification"]["narrative"]
        assert text == text.lower()
        assert not re.search(r"[(),;\n]", text), text


def test_regional_words_name_children_and_appear_in_negations(made):
    regional = re.compile(
        r"\b(bairns?|weans?|babb(y|ies)|little 'uns?|wee (one|ones|bairns?)|lass(ie)?|laddie|"
        r"grandbairns|grandweans|kiddies|young 'uns?|nippers?)\b",
        re.IGNORECASE,
    )
    involved = not_involved = 0
    for row, scenario in made:
        if "style_dialect" not in scenario.tags:
            continue
        if regional.search(scenario.clean_narrative):
            involved += _involved(row)
            not_involved += not _involved(row)
    assert involved > 0.2 * sum("style_dialect" in s.tags and _involved(row) for row, s in made)
    assert not_involved > 10  # "no bairns at the address" and friends
    grandparents = sum(
        bool(
            re.search(r"\b(nan|nana|nanna|gran|granny|grandad|grandpa|granda)\b", s.clean_narrative)
        )
        for _, s in made
    )
    assert grandparents > 20


# chronologies ---------------------------------------------------------------------------------


def test_children_only_in_earlier_incidents_are_labelled_by_the_rules(made):
    history_only = adult_now = 0
    for row, scenario in made:
        if "style_chronology" not in scenario.tags:
            continue
        assert scenario.history_text and scenario.history_text in scenario.clean_narrative
        listed = {
            (p.get("given_name"), p.get("family_name")) for p in row["notification"]["people"]
        }
        for group in scenario.groups:
            if group.show == SHOW_HISTORY:
                history_only += 1
                # still a party's child under 18: household or child_of_party, never nothing
                categories = set(row["label"]["categories"])
                assert categories & {"household", "child_of_party"}
                assert not {(m.given, m.family) for m in group.members} & listed
        for entry in scenario.history:
            if entry.kind == "adult_child":
                adult_now += 1
                person = entry.adult.person
                assert age_on(person.born, scenario.day) >= 18
                then = age_on(person.born, entry.day)
                assert then < 18 and f"({then})" in scenario.history_text
            if entry.kind == "young_then":
                party = scenario.victim if entry.party == "victim" else scenario.suspect
                assert age_on(party.born, scenario.day) >= 18 > entry.age
        if not scenario.groups and scenario.pregnant is None:
            assert not _involved(row) or "young_party" in row["label"]["categories"]
    assert history_only > 20 and adult_now > 20


def test_only_adults_now_in_a_chronology_is_not_involvement(made):
    decoys = [
        row
        for row, s in made
        if "history_adult_child" in s.tags
        and not s.groups
        and s.pregnant is None
        and min(s.victim.age, s.suspect.age) >= 18
    ]
    assert decoys and not any(_involved(row) for row in decoys)


def test_previous_incidents_agrees_with_the_chronology(made):
    for row, scenario in made:
        if scenario.history:
            count = row["notification"]["previous_incidents"]
            assert 0 <= count <= len(scenario.history)


# remote incidents, agency language, thin narratives -----------------------------------------------


def test_remote_incidents_never_have_the_suspect_at_the_scene(made):
    remote = [(row, s) for row, s in made if "style_remote" in s.tags]
    present = sum("present" in row["label"]["categories"] for row, _ in remote)
    assert present > 10 and sum(not _involved(row) for row, _ in remote) > 50
    for row, scenario in remote:
        suspect = next(p for p in row["notification"]["people"] if p["role"] == "suspect")
        assert suspect.get("present_at_incident") is not True
        assert "saw the assault" not in scenario.clean_narrative


def test_agency_child_lines_appear_only_where_a_child_is_involved(made):
    child_agency = re.compile(
        r"Op(eration)? Encompass|health visitor|\bHV\b|early help|SW allocated to (?!IP)|"
        r"(known|open) to CSC(?! as a child)|CIN plan|children's services aware",
        re.IGNORECASE,
    )
    adult_agency = re.compile(r"MARAC|IDVA|adult social|ASC SW|probation", re.IGNORECASE)
    hits = Counter()
    for row, scenario in made:
        text = scenario.clean_narrative
        if child_agency.search(text):
            assert _involved(row), text
            hits["child"] += 1
        if adult_agency.search(text):
            hits["adult_" + str(_involved(row))] += 1
    assert hits["child"] > 50 and hits["adult_False"] > 100 and hits["adult_True"] > 100
    agency_only = sum(any(g.show == SHOW_AGENCY for g in s.groups) for _, s in made)
    assert agency_only > 10


def test_thin_narratives_carry_the_facts_only_in_people_or_tick_boxes(made):
    thin = [(row, s) for row, s in made if "style_thin" in s.tags]
    assert sum(_involved(row) for row, _ in thin) > 50
    for row, scenario in thin:
        labelled = LabelledNotification.model_validate(row)
        n = labelled.notification
        assert len(scenario.clean_narrative) < 200
        if not _involved(row):
            continue
        structural = (
            any(n.is_child(p) for p in n.people)
            or any(p.pregnant for p in n.people)
            or True in (n.children_present, n.children_in_household, n.victim_pregnant)
        )
        assert structural, row


def test_a_child_in_people_is_involvement_in_every_style(made):
    for row, _ in made:
        n = LabelledNotification.model_validate(row).notification
        if any(n.is_child(p) for p in n.people):
            assert _involved(row), n.reference


# hard negatives --------------------------------------------------------------------------------


def test_hard_negatives_appear_in_not_involved_rows(made):
    text = "\n".join(s.clean_narrative for row, s in made if not _involved(row))
    for phrase in [
        r"Neither (of them|party) ha",
        r"When asked about children",
        r"No children (linked|are linked)",
        r"(No one|Nobody) under (18|eighteen)",
        r"turned (eighteen|18)|now eighteen|now 18",
        r"in (his|her) twenties",
        r"baby monitor",
        r"kidding",
        r"child seat",
        r"children are all",
        r"[Nn]eighbour's (daughter|son|children)",
    ]:
        assert re.search(phrase, text), phrase


# the model stays second line -------------------------------------------------------------------


def test_no_positive_or_uncertain_finding_is_screened_out_whatever_the_score():
    maker = RecordMaker(seed=99)
    permissive = Policy(screen_out_max_score=0.69, allow_silence_screen_out=True)
    kinds = Counter()
    for index in range(2000):
        row, _ = maker.make(index)
        notification = LabelledNotification.model_validate(row).notification
        facts = analyse(notification).facts()
        flagged = bool(facts.positive_categories or facts.uncertain_rules)
        kinds["positive"] += bool(facts.positive_categories)
        kinds["uncertain"] += bool(facts.uncertain_rules)
        for policy in (DEFAULT_POLICY, permissive):
            for score in (0.0, 1.0):
                if flagged:
                    assert route_of(facts, score, policy) != "screened_out", row
        if facts.positive_categories:
            assert route_of(facts, 0.0, permissive) == "duty_review"
    assert kinds["positive"] > 500 and kinds["uncertain"] > 0
