"""The people index on real databases (SQLite and PostgreSQL): triage links each notification's
people, a child known from an earlier notification at another address routes a new one to duty
review with that notification as evidence, linking is idempotent on redelivery, the rolling
counts agree with a direct count, and the batch re-link is idempotent."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from governance.people_index import people_histories, people_history
from governance.people_relink import relink
from models.contract import Notification
from models.db import session_scope
from models.people_tables import KnownPerson, PersonMention
from models.tables import NotificationRecord, QueueItem, TriageResult
from models.triage_store import load_for_triage
from models.types import utcnow
from screening.policy import DEFAULT_POLICY, IncidentCount, Policy, PriorityRule, PriorityRules
from screening.screener import load_screener
from screening.synth.recurring import recurring
from tests.people_support import backend_settings, incident, person, store
from tests.web_support import add_user, client_for, sign_in
from workers.triage import triage_one


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def settings(request, tmp_path):
    yield from backend_settings(request.param, tmp_path)


def _result(url: str, notification_id) -> TriageResult:
    with session_scope(url) as session:
        return session.scalars(
            select(TriageResult).where(TriageResult.notification_id == notification_id)
        ).one()


def _history(url: str, notification_id):
    with session_scope(url) as session:
        loaded = load_for_triage(session, notification_id=notification_id)
        notification = Notification.model_validate_json(loaded.raw_json)
        return people_history(session, loaded=loaded, notification=notification, prior=False)


def _mentions(url: str) -> list[tuple]:
    with session_scope(url) as session:
        return [tuple(r) for r in session.execute(
            select(PersonMention.notification_id, PersonMention.position, PersonMention.person_id)
            .order_by(PersonMention.notification_id, PersonMention.position)).all()]


def test_a_child_known_at_another_address_routes_to_duty_review(settings):
    url = settings.database
    earlier = store(url, incident("EARLY-1", [
        person("victim", "Elizabeth", "Marsh", date_of_birth="1991-04-07", gender="female"),
        person("suspect", "Darren", "Cole", age=36),
        person("child", "Poppy", "Marsh", age=4, lives_at_address=False),
    ], when="2025-09-02T20:00:00+00:00", narrative="Officers attended an argument. Poppy, "
        "aged 4, lives with her father and was not at the address.", children=False))
    assert triage_one(url, earlier) == "triaged"
    # Months later, at another address and with another officer's spelling: no child listed.
    later = store(url, incident("LATER-1", [
        person("victim", "Liz", "Marsh", date_of_birth="1991-07-04", gender="female"),
        person("suspect", "Karl", "Benson", age=40),
    ], when="2026-02-10T22:30:00+00:00", line1="Flat 2, 19 Mill Lane", postcode="NG7 3CC"))
    assert triage_one(url, later) == "triaged"
    with session_scope(url) as session:
        alone = Notification.model_validate_json(
            load_for_triage(session, notification_id=later).raw_json)
    # Screened on its own, nothing in it says a child is involved.
    assert "child_of_party" not in load_screener().screen(alone, DEFAULT_POLICY).categories
    result = _result(url, later)
    assert result.route == "duty_review"
    assert "child_of_party" in result.categories
    known = [e for e in result.evidence if e.get("rule") == "child_known_from_earlier_notification"]
    assert len(known) == 1
    assert known[0]["value"]["notification_id"] == str(earlier)
    assert known[0]["value"]["reference"] == "EARLY-1"
    assert known[0]["field"] == "people.0" and known[0]["category"] == "child_of_party"
    with session_scope(url) as session:
        assert session.scalar(select(QueueItem.kind).where(QueueItem.notification_id == later)) \
            == "duty_review"
    # The victim is one known person across both notifications; the two suspects are not.
    mentions = {(n, p): pid for n, p, pid in _mentions(url)}
    assert mentions[(later, 0)] == mentions[(earlier, 0)]
    assert mentions[(later, 1)] != mentions[(earlier, 1)]
    # The item page shows her as known, with the earlier notification and the child's own line.
    add_user(settings, "duty", "duty_worker")
    with session_scope(url) as session:
        item_id = session.scalar(select(QueueItem.id).where(QueueItem.notification_id == later))
    with client_for(settings) as client:
        sign_in(client, "duty")
        response = client.get(f"/items/{item_id}")
        assert response.status_code == 200, response.text[-3000:]
        page = response.text
    section = page[page.index('id="known-people"'):]
    first_card, second_card = section.split('class="govuk-summary-card dv-known-person"')[1:3]
    assert "Liz Marsh (Victim)" in first_card and f"/notifications/{earlier}" in first_card
    assert first_card.count('class="dv-known-child"') == 1 and "Poppy Marsh" in first_card
    assert "Karl Benson (Suspect)" in second_card
    assert "Not named in an earlier notification" in second_card


def test_a_child_recorded_living_with_the_party_is_household(settings):
    url = settings.database
    earlier = store(url, incident("HH-1", [
        person("victim", "Sarah", "Quinn", date_of_birth="1988-02-20"),
        person("child", "Alfie", "Quinn", date_of_birth="2019-05-01", lives_at_address=True),
    ], when="2025-01-05T20:00:00+00:00", children=True))
    later = store(url, incident("HH-2", [person("victim", "Sara", "Quinn",
                                               date_of_birth="1988-02-20")],
                               when="2025-12-01T20:00:00+00:00", line1="7 Oak Road"))
    _history(url, earlier)
    history = _history(url, later)
    assert [(k.category, k.reference) for k in history.known_children] == [("household", "HH-1")]


def test_no_child_known_when_the_earlier_child_is_now_an_adult(settings):
    url = settings.database
    earlier = store(url, incident("OLD-1", [
        person("victim", "Mary", "Hollis", date_of_birth="1970-01-02"),
        person("child", "Dean", "Hollis", age=16, lives_at_address=True),
    ], when="2023-01-05T20:00:00+00:00"))
    later = store(url, incident("OLD-2", [person("victim", "Mary", "Hollis",
                                                date_of_birth="1970-01-02")],
                                when="2026-03-01T20:00:00+00:00"))
    _history(url, earlier)
    assert _history(url, later).known_children == ()


def test_linking_is_idempotent_on_redelivery(settings):
    url = settings.database
    first = store(url, incident("IDEM-1", [person("victim", "Ann", "Lowe", age=30),
                                          person("suspect", "Bob", "Lowe", age=33)]))
    once = _history(url, first)
    before = _mentions(url)
    twice = _history(url, first)
    assert _mentions(url) == before and len(before) == 2
    assert once == twice
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(KnownPerson)) == 2


def _load_recurring(url: str, n: int, seed: int) -> list:
    ids = [store(url, row["notification"]) for row, _ in recurring(n, seed)]
    with session_scope(url) as session:
        loaded = [load_for_triage(session, notification_id=i) for i in ids]
        notifications = [Notification.model_validate_json(item.raw_json) for item in loaded]
        histories = people_histories(session, loaded=loaded, notifications=notifications,
                                     priors=[False] * len(loaded))
    return list(zip(ids, notifications, histories, strict=True))


def test_rolling_counts_agree_with_a_direct_count(settings):
    url = settings.database
    linked = _load_recurring(url, 150, seed=5)
    with session_scope(url) as session:
        rows = session.execute(select(PersonMention.notification_id, PersonMention.position,
                                      PersonMention.person_id, NotificationRecord.raw_json)
                               .join(NotificationRecord)).all()
    when = {}
    people = defaultdict(dict)
    for notification_id, position, person_id, raw in rows:
        when[notification_id] = Notification.model_validate_json(raw).occurred_at
        people[notification_id][position] = person_id
    nonzero = 0
    for notification_id, notification, history in linked:
        at = notification.occurred_at

        def direct(ids: set[int], at=at) -> int:
            return sum(1 for other, listed in people.items()
                       if at - timedelta(days=365) <= when[other] <= at
                       and ids & set(listed.values()))

        roles = [p.role for p in notification.people]
        mine = people[notification_id]
        household = {mine[i] for i, p in enumerate(notification.people)
                     if p.role in ("victim", "suspect") or notification.is_child(p)}
        expected = {"victim": direct({mine[roles.index("victim")]}),
                    "suspect": direct({mine[roles.index("suspect")]}),
                    "household": direct(household)}
        assert history.incident_counts() == expected
        nonzero += expected["victim"] > 1
    assert nonzero > 5  # families do recur in the window


def test_relink_is_idempotent(settings):
    url = settings.database
    _load_recurring(url, 120, seed=9)
    with session_scope(url) as session:
        first = relink(session, now=utcnow())
    after_first = _mentions(url)
    with session_scope(url) as session:
        second = relink(session, now=utcnow())
    assert _mentions(url) == after_first
    assert second.changed == 0 and second.removed == 0 and second.indexed == 0
    # Online linkage (in incident order) and the batch re-link decide the same way.
    assert first.changed == 0 and first.indexed == 0
    assert first.mentions == second.mentions == len(after_first)
    with session_scope(url) as session:
        people = session.scalar(select(func.count()).select_from(KnownPerson))
    assert people == second.people == len({pid for _, _, pid in after_first})


def test_relink_indexes_notifications_triaged_before_the_index(settings):
    url = settings.database
    ids = [store(url, incident(f"PRE-{n}", [person("victim", "Jo", "Pike", age=29)]))
           for n in range(3)]
    with session_scope(url) as session:
        report = relink(session, now=utcnow())
    assert report.indexed == 3
    assert len({pid for n, _, pid in _mentions(url) if n in ids}) == 1


def test_the_incidents_condition_sets_priority_from_the_index(settings):
    url = settings.database
    linked = _load_recurring(url, 150, seed=5)
    # A routed notification whose victim is in 3 or more incidents in the 12 months to it.
    screener = load_screener()
    chosen = None
    for _, notification, history in linked:
        count = history.incident_counts()["victim"]
        result = screener.screen(notification, DEFAULT_POLICY, history)
        if count >= 3 and result.route != "screened_out" and result.priority != "urgent":
            chosen = notification, history, count
            break
    assert chosen is not None
    notification, history, count = chosen

    def urgent_at(at_least: int) -> Policy:
        rule = PriorityRule(when=[IncidentCount(kind="incidents_in_12_months", who="victim",
                                                at_least=at_least)])
        return Policy(priority_rules=PriorityRules(urgent=[*PriorityRules().urgent, rule]))

    assert screener.screen(notification, urgent_at(count), history).priority == "urgent"
    assert screener.screen(notification, urgent_at(count + 1), history).priority != "urgent"
    assert screener.screen(notification, urgent_at(3), False).priority != "urgent"


def test_the_shadow_model_sees_the_same_history_as_the_active_one(settings):
    """A candidate scored in shadow at triage gets the people index's history too: a child
    known only from an earlier notification routes its shadow score as it routes the real one."""
    from governance.active_model import ensure_registry
    from models.governance_tables import ShadowScore
    from models.model_registry import register_model
    from screening.screener import default_model_stem

    url = settings.database
    ensure_registry(url)
    with session_scope(url) as session:
        register_model(
            session, version="shadow-test", stem=str(default_model_stem()), sha256="0" * 64,
            trained_on={"source": "test"}, metrics={}, registered_by=None, now=utcnow(),
        )
    earlier = store(url, incident("SHADOW-1", [
        person("victim", "Elizabeth", "Marsh", date_of_birth="1991-04-07", gender="female"),
        person("child", "Poppy", "Marsh", age=4, lives_at_address=False),
    ], when="2025-09-02T20:00:00+00:00", narrative="Verbal argument only.", children=False))
    later = store(url, incident("SHADOW-2", [
        person("victim", "Liz", "Marsh", date_of_birth="1991-07-04", gender="female"),
    ], when="2026-02-10T22:30:00+00:00", line1="Flat 2, 19 Mill Lane", postcode="NG7 3CC"))
    assert triage_one(url, earlier) == "triaged"
    assert triage_one(url, later) == "triaged"
    assert _result(url, later).route == "duty_review"
    with session_scope(url) as session:
        shadow = session.scalars(
            select(ShadowScore).where(ShadowScore.notification_id == later)
        ).one()
    assert (shadow.model_version, shadow.route) == ("shadow-test", "duty_review")
