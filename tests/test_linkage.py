"""Person linkage, pure: nicknames, typos, transposed dates of birth and missing dates of birth
link; the same name at clearly different ages does not; the weights are a proper
Fellegi-Sunter table; history reaches the route and the incidents condition the priority."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from pydantic import ValidationError

from models.address import address_key
from models.contract import LabelledNotification, Notification
from screening.linkage.blocking import Candidate, shares_block
from screening.linkage.compare import compare
from screening.linkage.history import History, KnownChild
from screening.linkage.linker import assign, link_all
from screening.linkage.names import name_group, nicknames_agree
from screening.linkage.record import make_record, person_record
from screening.linkage.weights import FIELDS, MATCH_THRESHOLD
from screening.policy import DEFAULT_POLICY, IncidentCount, Policy, PriorityRule, PriorityRules
from screening.priority import conditions, priority
from screening.screener import load_screener
from screening.synth.recurring import recurring

ON = date(2026, 3, 1)


def rec(given, family, dob=None, age=None, *, on=ON, gender=None, address="LE3 9QP|4 willow",
        role="victim"):
    return make_record(given_name=given, family_name=family,
                       date_of_birth=date.fromisoformat(dob) if dob else None, age=age,
                       occurred_on=on, gender=gender, address_key=address, role=role)


def links(new, known) -> bool:
    return compare(new, known).weight >= MATCH_THRESHOLD and shares_block(new, known)


@pytest.mark.parametrize("short, formal", [("Bill", "William"), ("Liz", "Elizabeth"),
                                           ("Peggy", "Margaret"), ("Kate", "Catherine")])
def test_nicknames_link(short, formal):
    assert nicknames_agree(short.lower(), formal.lower())
    new = rec(short, "Harper", "1984-06-19", address="NG7 3CC|2 mill lane")
    assert compare(new, rec(formal, "Harper", "1984-06-19")).levels["given"] == "nickname"
    assert links(new, rec(formal, "Harper", "1984-06-19"))
    assert links(rec(short, "Harper", age=41), rec(formal, "Harper", "1984-06-19"))


def test_a_shared_diminutive_joins_blocks_but_not_names():
    assert name_group("robert") == name_group("albert")  # through `bert`, for blocking
    assert not nicknames_agree("robert", "albert")


@pytest.mark.parametrize("new, known", [
    (("Jonathon", "Smith"), ("Jonathan", "Smith")),
    (("Katherine", "Jonson"), ("Catherine", "Johnson")),
    (("Stephen", "Mcdonald"), ("Steven", "McDonald")),
    (("Pfilip", "Freeman"), ("Philip", "Freean")),  # both misspelt: the date of birth finds it
])
def test_typos_link(new, known):
    assert links(rec(*new, "1990-11-23", address="B1 1AA|9 high st", gender="male"),
                 rec(*known, "1990-11-23", gender="male"))


def test_transposed_day_and_month_link():
    new, known = rec("Kelly", "Barnes", "1993-04-07"), rec("Kelly", "Barnes", "1993-07-04")
    assert compare(new, known).levels["birth"] == "dob_transposed"
    assert shares_block(new, known)
    assert links(new, known)


def test_a_missing_date_of_birth_links():
    known = rec("Tariq", "Hussain", "1987-08-30", gender="male")
    assert links(rec("Tariq", "Hussain", age=38, address="M1 2AB|1 king st"), known)
    assert links(rec("Tariq", "Hussain"), known)  # nothing but the name, at the same address


def test_the_same_name_at_clearly_different_ages_does_not_link():
    father = rec("John", "Smith", "1968-02-11", gender="male")
    assert not links(rec("John", "Smith", "1999-05-02", gender="male"), father)
    assert not links(rec("John", "Smith", age=12, gender="male", role="child"), father)
    assert not links(rec("John", "Smith", age=35), rec("John", "Smith", age=58))
    # A child of no stated age is not the adult of the same name.
    assert not links(rec("John", "Smith", role="child"), father)


def test_two_people_of_one_notification_are_two_people():
    twin = rec("Amy", "Dale", "2018-03-03", role="child")
    known = [Candidate.of(1, rec("Amy", "Dale", "2018-03-03", role="child"))]
    linked = assign([twin, rec("Amy", "Dale", "2018-03-03", role="child")], known)
    assert [link.person_id for link in linked] == [1, None]


def test_no_chaining_through_a_record_without_a_date_of_birth():
    first = [rec("Neil", "Ward", "2008-10-21", role="child")]
    bridge = [rec("Neil", "Ward", role="child")]
    other = [rec("Neil", "Ward", "2013-01-07", role="child")]
    assert [group[0].person_id for group in link_all([first, bridge, other])] == [1, 1, 2]


def test_the_weights_are_a_fellegi_sunter_table():
    for name, levels in FIELDS.items():
        groups = [levels] if name != "birth" else [
            {k: v for k, v in levels.items() if k.startswith("dob")},
            {k: v for k, v in levels.items() if k.startswith("year")}]
        for group in groups:
            assert sum(level.m for level in group.values()) == pytest.approx(1.0, abs=1e-9)
            assert sum(level.u for level in group.values()) == pytest.approx(1.0, abs=1e-9)
        assert all(level.reason and 0 < level.m < 1 and 0 < level.u < 1
                   for level in levels.values())
        assert levels[next(iter(levels))].weight > 0  # agreement counts for, the last against
        assert levels[list(levels)[-1]].weight < 0 or name == "birth"


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def test_linkage_on_recurring_families_against_the_truth():
    rows = list(recurring(1500, seed=11))
    notifications = [Notification.model_validate(row["notification"]) for row, _ in rows]
    records = [[person_record(n, p, address_key(n.address)) for p in n.people]
               for n in notifications]
    predicted = [link.person_id for group in link_all(records) for link in group]
    truth = [pid for _, ids in rows for pid in ids]
    together = _pairs(Counter(zip(predicted, truth, strict=True)))
    precision = together / _pairs(Counter(predicted))
    recall = together / _pairs(Counter(truth))
    assert precision >= 0.99 and recall >= 0.93, (precision, recall)  # bench/linkage.py: 20,000


def test_recurring_rows_are_contract_valid_and_deterministic():
    first, again = list(recurring(40, seed=3)), list(recurring(40, seed=3))
    assert first == again
    for row, truth in first:
        LabelledNotification.model_validate(row)
        assert len(truth) == len(row["notification"]["people"])
    times = [row["notification"]["occurred_at"] for row, _ in first]
    assert times == sorted(times)
    assert max(Counter(pid for _, t in first for pid in t).values()) > 1  # people recur


def _two_adults() -> Notification:
    return Notification.model_validate({
        "reference": "HIST-1", "occurred_at": "2026-02-01T21:00:00+00:00",
        "incident_type": "incident", "address": {"line1": "4 Willow Close"},
        "people": [{"role": "victim", "given_name": "Ann", "age": 30},
                   {"role": "suspect", "given_name": "Bob", "age": 33}],
        "children_present": False, "children_in_household": False,
        "narrative": "A verbal argument between two adults who live alone. No one else there.",
    })


def test_a_known_child_routes_to_duty_review_with_the_earlier_notification_as_evidence():
    screener, notification = load_screener(), _two_adults()
    child = KnownChild(position=0, party_role="victim", category="child_of_party",
                       child_person_id=7, notification_id="n-1", reference="EARLY-9")
    plain = screener.screen(notification, DEFAULT_POLICY)
    known = screener.screen(notification, DEFAULT_POLICY, History(known_children=(child,)))
    assert plain.route != "duty_review" or "child_of_party" not in plain.categories
    assert known.route == "duty_review" and "child_of_party" in known.categories
    evidence = [e for e in known.evidence if e.source == "history"]
    assert evidence[0].value["reference"] == "EARLY-9" and evidence[0].field == "people.0"
    # History only adds: the bare flag and an empty History screen alike.
    assert screener.screen(notification, DEFAULT_POLICY, History()) == plain


def _incidents_policy(at_least: int = 3) -> Policy:
    rule = PriorityRule(when=[IncidentCount(kind="incidents_in_12_months", who="victim",
                                            at_least=at_least)])
    return Policy(priority_rules=PriorityRules(high=[*PriorityRules().high, rule]))


def test_the_incidents_condition_raises_priority_at_its_count():
    notification, policy = _two_adults(), _incidents_policy(3)
    assert priority(conditions(notification, [], {"victim": 3}), policy) == "high"
    assert priority(conditions(notification, [], {"victim": 5, "suspect": 1}), policy) == "high"
    assert priority(conditions(notification, [], {"victim": 2, "suspect": 9}), policy) == "normal"
    assert priority(conditions(notification, []), policy) == "normal"
    assert priority(conditions(notification, [], {"victim": 9}), DEFAULT_POLICY) == "normal"


def test_the_incidents_condition_is_validated_and_round_trips():
    policy = _incidents_policy(4)
    assert Policy.model_validate_json(policy.model_dump_json()) == policy
    for bad in ({"kind": "incidents_in_12_months", "who": "neighbour", "at_least": 3},
                {"kind": "incidents_in_12_months", "who": "victim", "at_least": 0},
                {"kind": "incidents", "who": "victim", "at_least": 3},
                {"kind": "incidents_in_12_months", "who": "victim"}):
        with pytest.raises(ValidationError):
            PriorityRule.model_validate({"when": [bad]})
    assert "incidents_in_12_months" not in DEFAULT_POLICY.model_dump_json()
