"""Tests for the synthetic labelled data generator (screening/synth/generator.py).

Rows must be valid contract section 5 objects, deterministic by seed, cover every category and
every 'does not count' family, and carry labels that agree with what the row shows.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from models.contract import CATEGORIES, LabelledNotification, Notification
from screening.synth import generate, write_jsonl
from screening.synth.record import RecordMaker

N_ROWS = 4000
CHILD_WORDS = re.compile(
    r"\b(child|children|kids?|son|sons|daughters?|baby|babies|pregnan\w*|grand\w*|nephew|niece"
    r"|twins|toddler|boy|girl|stepson|stepdaughter|/40|nursery|school|minor)\b",
    re.IGNORECASE,
)
STATED_AGE = re.compile(r"(?:\(|\baged |\bwho is |, )(\d{1,2})(?:\)|yrs|,)")
DASH_SENTENCE = re.compile(r"DASH[^.]*\.")


@pytest.fixture(scope="module")
def made() -> list[tuple[dict, object]]:
    maker = RecordMaker(seed=20260513)
    return [maker.make(index) for index in range(N_ROWS)]


@pytest.fixture(scope="module")
def rows(made) -> list[dict]:
    return [row for row, _ in made]


def test_every_row_validates_against_the_contract(rows):
    for row in rows:
        LabelledNotification.model_validate(row)
        json.dumps(row)  # plain JSON-able


def test_generate_matches_the_maker_and_is_deterministic_by_seed():
    first = list(generate(300, seed=5))
    assert first == list(generate(300, seed=5))
    assert first != list(generate(300, seed=6))
    assert len(first) == 300
    assert list(generate(0)) == []


def test_references_are_unique_and_well_formed(rows):
    references = [row["notification"]["reference"] for row in rows]
    assert len(set(references)) == len(references)
    assert all(re.fullmatch(r"[A-Za-z0-9/_-]{1,64}", ref) for ref in references)


def test_involved_share_is_about_55_percent(rows):
    share = sum(row["label"]["child_involvement"] for row in rows) / len(rows)
    assert 0.48 <= share <= 0.62


def test_every_category_appears_often_and_in_combination(rows):
    counts = Counter(c for row in rows for c in row["label"]["categories"])
    for category in CATEGORIES:
        assert counts[category] >= 0.02 * N_ROWS, category
    assert sum(len(row["label"]["categories"]) > 1 for row in rows) > 0.1 * N_ROWS


def test_label_categories_agree_with_involvement(rows):
    for row in rows:
        label = row["label"]
        assert label["child_involvement"] == bool(label["categories"])
        assert label["categories"] == [c for c in CATEGORIES if c in label["categories"]]


def test_every_does_not_count_family_and_hard_case_appears(made):
    tags = Counter(tag for _, scenario in made for tag in scenario.tags)
    wanted = [
        "negation",
        "adult_relative",
        "history",
        "other_sense",
        "non_party_child",
        "boundary_age",
        "adult_18",
        "silent",
        "show_people",
        "show_both",
        "tickbox_only_children_present",
        "tickbox_only_children_in_household",
        "tickbox_only_victim_pregnant",
        "tickbox_contradicts_children_present",
        "tickbox_contradicts_children_in_household",
        "tickbox_contradicts_victim_pregnant",
        "pregnant_suspect_partner",
        "young_apv",
        "young_young_victim",
        "young_young_couple",
        "birthday_edge",
    ]
    missing = [tag for tag in wanted if tags[tag] == 0]
    assert not missing


def test_does_not_count_wordings_appear_in_not_involved_rows(rows):
    text = "\n".join(
        row["notification"]["narrative"] for row in rows if not row["label"]["child_involvement"]
    )
    families = {
        "negation": ["No children", "Nil children", "Children: none", "does not have"],
        "adult": ["adult son", "adult daughter", "grown-up", "at university"],
        "history": ["as a child", "in care", "since they were children", "childhood"],
        "other sense": ["childish", "kidding", "'babe'", "Baby", "child seat"],
        "non-party child": ["neighbour's", "The neighbour who called us has"],
    }
    for family, phrases in families.items():
        found = [p for p in phrases if p in text]
        assert len(found) >= 2, (family, found)


def test_positive_phrasings_cover_the_rule_book(rows):
    text = "\n".join(row["notification"]["narrative"] for row in rows)
    for pattern in [
        r"\(\d{1,2}\)",
        r"aged \d",
        r"\d+yrs",
        r"\d+ y/o",
        r"-year-old",
        r"-yr-old",
        r"who is (one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
        r"DOB \d\d/\d\d/\d{4}",
        r"Year \d",
        r"nursery",
        r"GCSE",
        r"\d+/40",
        r"weeks pregnant",
        r"expecting",
        r"midwife",
        r"scan",
        r"foster",
        r"contact",
        r"grand(children|son|daughter|kids)",
        r"nephew|niece",
        r"childmind",
        r"twins",
        r"stepdaughter|stepson",
        r"little one",
        r"every weekend|most weekends",
    ]:
        assert re.search(pattern, text), pattern


def test_both_styles_appear(rows):
    narratives = [row["notification"]["narrative"] for row in rows]
    terse = [n for n in narratives if "S1" in n and "IP" in n]
    prose = [n for n in narratives if "\n\n" in n]
    assert len(terse) > 0.3 * len(narratives)
    assert len(prose) > 0.3 * len(narratives)
    assert any("DASH - " in n for n in terse)


def test_a_child_in_people_or_a_true_tick_box_means_involvement(rows):
    for row in rows:
        notification = Notification.model_validate(row["notification"])
        label = row["label"]
        if any(notification.is_child(p) for p in notification.people):
            assert label["child_involvement"], notification.reference
        if notification.children_present:
            assert "present" in label["categories"], notification.reference
        if notification.children_in_household:
            assert "household" in label["categories"], notification.reference
        victim_pregnant = any(p.role == "victim" and p.pregnant for p in notification.people)
        if notification.victim_pregnant or victim_pregnant:
            assert "pregnancy" in label["categories"], notification.reference


def test_young_party_agrees_with_the_parties_ages(made):
    for row, scenario in made:
        notification = Notification.model_validate(row["notification"])
        young = scenario.victim.age < 18 or scenario.suspect.age < 18
        assert ("young_party" in row["label"]["categories"]) == young
        for person in notification.people:
            if person.role in ("victim", "suspect"):
                age = notification.age_of(person)
                truth = scenario.victim if person.role == "victim" else scenario.suspect
                assert age is None or age == truth.age


def test_not_involved_rows_show_no_child_anywhere(made):
    for row, scenario in made:
        if row["label"]["child_involvement"]:
            continue
        n = row["notification"]
        # earlier incidents may name children who are adults now (tests/test_synth_styles.py)
        narrative = scenario.clean_narrative.replace(scenario.history_text, "")
        assert True not in (
            n.get("children_present"),
            n.get("children_in_household"),
            n.get("victim_pregnant"),
        )
        assert not re.search(r"\d+/40|weeks pregnant|is pregnant|expecting", narrative)
        for sentence in DASH_SENTENCE.sub("", narrative).split(". "):
            if "eighbour" in sentence:  # a non-party's child who saw nothing does not count
                continue
            for match in STATED_AGE.finditer(sentence):
                assert int(match.group(1)) >= 18, (n["reference"], match.group(0))


def test_silent_rows_say_nothing_about_children(made):
    silent = [(row, s) for row, s in made if "silent" in s.tags]
    assert len(silent) > 0.03 * N_ROWS
    involved = sum(row["label"]["child_involvement"] for row, _ in silent)
    assert 0 < involved < len(silent)  # silence can hide either truth
    for row, _ in silent:
        n = row["notification"]
        assert n.get("children_present") is None
        assert n.get("children_in_household") is None
        assert n.get("victim_pregnant") is None
        relationship = next(
            p.get("relationship_to_victim") for p in n["people"] if p["role"] == "suspect"
        )
        assert not CHILD_WORDS.search(n["narrative"].replace(relationship, "")), n["narrative"]
        notification = Notification.model_validate(n)
        assert not any(notification.is_child(p) for p in notification.people)


def test_children_listed_in_people_match_the_scenario(made):
    for row, scenario in made:
        notification = Notification.model_validate(row["notification"])
        listed = {
            (p.given_name, p.family_name)
            for p in notification.people
            if p.role not in ("victim", "suspect") and notification.is_child(p)
        }
        members = {(m.given, m.family) for g in scenario.groups for m in g.members}
        assert listed <= members
        for person in notification.people:
            if person.role in ("other_adult", "witness", "unknown") and person.age is not None:
                if (person.given_name, person.family_name) not in members:
                    assert notification.age_of(person) >= 18


def test_write_jsonl(tmp_path):
    path = tmp_path / "synth.jsonl"
    assert write_jsonl(50, str(path), seed=3) == 50
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50
    assert [json.loads(line) for line in lines] == list(generate(50, seed=3))
