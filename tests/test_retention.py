"""Retention on PostgreSQL: a purge leaves no personal data of a purged notification in any
table (every text and JSON column searched) and keeps the figures (the dashboard's tables and
the what-if's results are equal before and after); a legal hold, on a notification or on a
person, stops it; a dry run deletes nothing; the schedule is a validated part of the policy."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from governance.retention import months_before, purge
from governance.subject_access import Subject, find
from governance.whatif import history_from, run_whatif
from governance.whatif_history import sync_label_facts
from models.audit import write_audit
from models.dashboard_queries import decisions_by_outcome, per_day_by_route, sample_outcomes
from models.db import session_scope
from models.ig_tables import PurgedNotification, PurgeRun
from models.labelled_facts import load_facts
from models.retention_store import place_notification_hold, place_person_hold
from models.tables import AuditEvent, NotificationRecord
from models.types import utcnow
from screening.policy import DEFAULT_POLICY, Policy
from tests.ig_support import Person, decide, occurrences, postgres_schema, seeded, verdict
from tests.web_support import add_user

pytestmark = pytest.mark.integration

GONE = [  # purged: a screen-out nobody looked at, a decided one, a sampled one
    Person("Aurelia", "Quenby", "1990-03-04"),
    Person("Bartholomew", "Vexley", "1985-11-21"),
    Person("Cressida", "Ormerod", "1979-07-30"),
]
HELD_BY_NOTIFICATION = Person("Dorcas", "Pilkingworth", "1992-01-15")
HELD_PERSON = Person("Evander", "Thistlewood", "1988-06-09")
OPEN = Person("Fenella", "Rookwright", "1995-02-02")
WORDS = ["zebrawood", "quillback", "marramgrass", "sandpiper", "ptarmigan", "wolfsbane"]
LINES = ["17 Marigold Terrace", "3 Juniper Wynd", "88 Hollyhock Row", "5 Larkspur Mews",
         "9 Foxglove Chase", "2 Bracken Rise"]
FUTURE = utcnow() + timedelta(days=7 * 366)


def _figures(url: str) -> dict[str, Any]:
    with session_scope(url) as session:
        facts = load_facts(session)
        whatif = run_whatif(history_from(facts), DEFAULT_POLICY).report.as_dict()
        return {
            "per_day": list(per_day_by_route(session, utcnow()).rows),
            "sample": sample_outcomes(session),
            "decisions": list(decisions_by_outcome(session).rows),
            "whatif": whatif,
            "notifications": session.scalar(select(func.count()).select_from(NotificationRecord)),
        }


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    gen = postgres_schema(tmp_path_factory.mktemp("retention"), "retention")
    settings = next(gen)
    url = settings.database
    head = add_user(settings, "head", "head_of_safeguarding")
    duty = add_user(settings, "duty", "duty_worker")
    manager = add_user(settings, "mgr", "manager")
    suspect = Person("Gideon", "Quenby", "1970-05-05", role="suspect")
    seeded(settings, "RT/1", [GONE[0], suspect], route="screened_out", priority=None,
           score=0.05, narrative=f"Two adults argued about the {WORDS[0]} fence.",
           line1=LINES[0], postcode="LE2 7QX")
    decided = seeded(settings, "RT/2", [GONE[1]], route="duty_review", priority="high",
                     narrative=f"A child was present near the {WORDS[1]}.", line1=LINES[1])
    decide(settings, decided.item_id, duty, "refer_for_assessment",
           f"Bartholomew Vexley's child was present; {WORDS[1]} noted.", ["present"])
    sampled = seeded(settings, "RT/3", [GONE[2]], route="screened_out", priority=None,
                     score=0.05, sample_share=1.0, line1=LINES[2],
                     narrative=f"Neighbours heard shouting over {WORDS[2]}.")
    verdict(settings, sampled.item_id, manager, "confirm", f"Cressida Ormerod lives alone, "
            f"{WORDS[2]}.")
    held = seeded(settings, "RT/4", [HELD_BY_NOTIFICATION], route="screened_out", priority=None,
                  score=0.05, narrative=f"A dispute about a {WORDS[3]}.", line1=LINES[3])
    seeded(settings, "RT/5", [HELD_PERSON], route="screened_out", priority=None, score=0.05,
           narrative=f"Words over a {WORDS[4]}.", line1=LINES[4])
    seeded(settings, "RT/6", [OPEN], route="triage_check", priority="normal",
           narrative=f"Unclear whether a child visits; {WORDS[5]}.", line1=LINES[5])
    assert sync_label_facts(url) == 2
    with session_scope(url) as session:  # an audit detail that (wrongly) names a person
        write_audit(session, actor="system:test", action="note_added",
                    notification_id=decided.notification_id,
                    detail={"note": f"spoke to Bartholomew Vexley at {LINES[1]}"})
    with session_scope(url) as session:
        place_notification_hold(session, notification_id=held.notification_id,
                                reason="court order 123", placed_by=head, now=utcnow())
        place_person_hold(session, given_name="EVANDER ", family_name="thistlewood",
                          date_of_birth=datetime(1988, 6, 9).date(), reason="police request",
                          placed_by=head, now=utcnow())
    before = _figures(url)
    dry = purge(url, dry_run=True, now=FUTURE)
    after_dry = _figures(url)
    report = purge(url, now=FUTURE)
    after = _figures(url)
    with session_scope(url) as session:
        exports = [find(session, subject=Subject(p.given, p.family, date.fromisoformat(p.dob)))
                   for p in GONE]
    again = purge(url, now=FUTURE)
    yield {"settings": settings, "before": before, "dry": dry, "after_dry": after_dry,
           "report": report, "after": after, "again": again, "exports": exports}
    next(gen, None)


def test_dry_run_shows_what_would_go_and_deletes_nothing(world: Any) -> None:
    dry = world["dry"]
    assert dry.dry_run and dry.notifications == 3 and dry.held == 2
    assert sorted(r[0] for r in dry.shown) == ["RT/1", "RT/2", "RT/3"]
    assert dry.per_class == {"screened_out_not_sampled": 1, "screened_out_confirmed": 1,
                             "no_child_confirmed": 0, "child_involved": 1}
    assert dry.rows_changed == {}
    assert world["after_dry"] == world["before"]


def test_purge_leaves_no_personal_data_of_purged_notifications(world: Any) -> None:
    settings = world["settings"]
    assert world["report"].notifications == 3
    needles = [n for p in GONE for n in p.needles] + ["Gideon", "1970-05-05"]
    needles += WORDS[:3] + LINES[:3] + ["LE2 7QX", "LE2"]
    for needle in needles:
        assert occurrences(settings, needle) == [], needle


def test_a_subject_access_export_after_the_purge_holds_nothing_of_it(world: Any) -> None:
    assert world["exports"] == [[], [], []]


def test_held_and_open_notifications_keep_their_data(world: Any) -> None:
    settings = world["settings"]
    for person, word, line in ((HELD_BY_NOTIFICATION, WORDS[3], LINES[3]),
                               (HELD_PERSON, WORDS[4], LINES[4]), (OPEN, WORDS[5], LINES[5])):
        for needle in (*person.needles, word, line):
            assert ("notifications", "raw_json", 1) in occurrences(settings, needle), needle


def test_purge_keeps_the_figures(world: Any) -> None:
    assert world["after"] == world["before"]
    assert world["before"]["whatif"]["total"] == 2


def test_purge_is_logged_and_audited_with_counts_only_and_not_repeated(world: Any) -> None:
    assert world["again"].notifications == 0
    with session_scope(world["settings"].database) as session:
        assert session.scalar(select(func.count()).select_from(PurgedNotification)) == 3
        runs = session.scalars(select(PurgeRun).order_by(PurgeRun.id)).all()
        audits = session.scalars(
            select(AuditEvent).where(AuditEvent.action.in_(["retention_purge",
                                                            "retention_dry_run"]))
            .order_by(AuditEvent.id)).all()
    assert [r.dry_run for r in runs] == [True, False, False]
    assert [a.action for a in audits] == ["retention_dry_run", "retention_purge",
                                          "retention_purge"]
    assert audits[1].detail["notifications"] == 3
    assert audits[1].detail["rows_changed"]["notifications"] == 3
    assert audits[1].notification_id is None


def test_schedule_is_validated_with_defaults() -> None:
    assert DEFAULT_POLICY.retention.screened_out_not_sampled == 6
    with pytest.raises(ValidationError):
        Policy.model_validate({"retention": {"screened_out_not_sampled": 0}})
    with pytest.raises(ValidationError):
        Policy.model_validate({"retention": {"screened_out_not_sampled": 24,
                                             "screened_out_confirmed": 12}})
    # A stored policy from before retention existed still validates, with the defaults.
    old = DEFAULT_POLICY.model_dump(mode="json")
    del old["retention"]
    assert Policy.model_validate(old).retention == DEFAULT_POLICY.retention


def test_months_before_is_calendar_months() -> None:
    assert months_before(datetime(2026, 3, 31, 9, tzinfo=UTC), 1) == datetime(2026, 2, 28, 9,
                                                                              tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15,
                                                                            tzinfo=UTC)


def test_nothing_is_due_before_its_schedule(tmp_path: Path) -> None:
    gen = postgres_schema(tmp_path, "retention_fresh")
    settings = next(gen)
    try:
        seeded(settings, "RF/1", [Person("Hester", "Mallory", "1991-01-01")],
               route="screened_out", priority=None, score=0.05, narrative="Words.",
               line1="1 Elm Road")
        assert purge(settings.database, dry_run=True).notifications == 0
        five_months = utcnow() + timedelta(days=5 * 30)
        assert purge(settings.database, dry_run=True, now=five_months).notifications == 0
        assert purge(settings.database, dry_run=True,
                     now=utcnow() + timedelta(days=190)).notifications == 1
    finally:
        next(gen, None)


def test_the_embedded_sqlite_database_purges_the_same_way(tmp_path: Path) -> None:
    from tests.web_support import make_settings

    settings = make_settings(tmp_path)
    made = seeded(settings, "RS/1", [Person("Ignatius", "Wrenfield", "1980-02-02")],
                  route="screened_out", priority=None, score=0.05, narrative="Loud words.",
                  line1="6 Alder Walk")
    report = purge(settings.database, now=FUTURE)
    assert report.notifications == 1 and report.rows_changed["notifications"] == 1
    with session_scope(settings.database) as session:
        row = session.get(NotificationRecord, made.notification_id)
        assert row is not None and row.raw_json == "" and row.address_key == ""


def test_page_command_and_holds_placed_by_staff(tmp_path: Path, capsys: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from dvscreen import main
    from tests.web_support import client_for, csrf_of, sign_in

    gen = postgres_schema(tmp_path, "retention_web")
    settings = next(gen)
    try:
        add_user(settings, "head", "head_of_safeguarding")
        person = Person("Jessamy", "Kettleby", "1983-04-05")
        seeded(settings, "RW/1", [person], route="screened_out", priority=None, score=0.05,
               narrative="Raised voices.", line1="8 Birch Lane")
        seeded(settings, "RW/2", [Person("Kit", "Lowther", "1975-01-01")],
               route="screened_out", priority=None, score=0.05, narrative="A quarrel.",
               line1="9 Birch Lane")
        client = client_for(settings)
        sign_in(client, "head")
        page = client.get("/retention")
        assert page.status_code == 200 and "6 months after it was closed" in page.text
        token = csrf_of(page.text)
        refused = client.post("/retention/holds", data={"csrf_token": token, "kind": "person",
                                                        "given_name": "Jessamy"})
        assert refused.status_code == 400
        assert "There is a problem" in refused.text and "Enter a real date of birth" in refused.text
        placed = client.post("/retention/holds", data={
            "csrf_token": token, "kind": "person", "given_name": "jessamy",
            "family_name": "KETTLEBY", "dob-day": "5", "dob-month": "4", "dob-year": "1983",
            "reason": "Family court"})
        assert placed.status_code == 303
        assert "1983" not in client.get("/retention").text  # the hold shows no identifiers
        held = client.post("/retention/holds", data={"csrf_token": token, "kind": "notification",
                                                     "reference": "RW/2", "reason": "Appeal"})
        assert held.status_code == 303
        monkeypatch.setenv("DATABASE_URL", settings.database)
        monkeypatch.setenv("DVSCREEN_DATA_DIR", str(tmp_path))
        assert main(["retention", "purge", "--dry-run"]) == 0
        assert "0 notifications would be purged" in capsys.readouterr().out
        # Past the schedule both are due, and both are held.
        dry = purge(settings.database, dry_run=True, now=FUTURE)
        assert (dry.notifications, dry.held) == (0, 2)
        holds = client.get("/retention").text
        for hold_id in sorted({int(h) for h in re.findall(r"/retention/holds/(\d+)/release",
                                                           holds)}):
            released = client.post(f"/retention/holds/{hold_id}/release",
                                   data={"csrf_token": token})
            assert released.status_code == 303
        dry = purge(settings.database, dry_run=True, now=FUTURE)
        assert (dry.notifications, dry.held) == (2, 0)
        shown = client.post("/retention/dry-run", data={"csrf_token": token})
        assert "RW/1" not in shown.text  # not due today
        assert occurrences(settings, "Kettleby") != []  # a dry run removed nothing
    finally:
        next(gen, None)


def test_retention_classes() -> None:
    import uuid

    from governance.retention import retention_class
    from models.retention_store import Candidate

    def of(route: str, sampled: bool, involved: bool | None) -> str:
        return retention_class(Candidate(uuid.uuid4(), "R", route, utcnow(), sampled, involved))

    assert of("screened_out", False, None) == "screened_out_not_sampled"
    assert of("screened_out", True, False) == "screened_out_confirmed"
    assert of("screened_out", True, True) == "child_involved"  # an overturn
    assert of("triage_check", False, False) == "no_child_confirmed"
    assert of("duty_review", False, True) == "child_involved"
    # Unlabelled work that is not an unsampled screen-out is kept as long as a child's record.
    assert of("duty_review", False, None) == "child_involved"
    assert of("screened_out", True, None) == "child_involved"


def test_the_purge_is_on_the_beat_schedule() -> None:
    from workers.celery_app import app
    from workers.retention import TASK

    entry = app.conf.beat_schedule["retention-purge"]
    assert entry["task"] == TASK and entry["schedule"] == 24 * 3600
    assert TASK in app.tasks


def test_a_batch_skips_work_reopened_or_held_since_the_plan(tmp_path: Path) -> None:
    from models.retention_store import purge_batch, start_run
    from tests.web_support import make_settings

    settings = make_settings(tmp_path)
    head = add_user(settings, "head", "head_of_safeguarding")
    live = seeded(settings, "RB/1", [Person("Lorcan", "Miskelly", "1981-03-03")],
                  route="triage_check", priority="normal", narrative="Unclear.", line1="1 Ash")
    held = seeded(settings, "RB/2", [Person("Mabli", "Nance", "1982-04-04")],
                  route="screened_out", priority=None, score=0.05, narrative="Words.",
                  line1="2 Ash")
    free = seeded(settings, "RB/3", [Person("Niamh", "Ockenden", "1983-05-05")],
                  route="screened_out", priority=None, score=0.05, narrative="Words.",
                  line1="3 Ash")
    ids = [live.notification_id, held.notification_id, free.notification_id]
    with session_scope(settings.database) as session:
        place_notification_hold(session, notification_id=held.notification_id, reason="x",
                                placed_by=head, now=utcnow())
        run_id = start_run(session, actor="system:test", policy_version=1, dry_run=False,
                           now=utcnow())
        changed = purge_batch(session, run_id=run_id, ids=ids,
                              retention_class=dict.fromkeys(ids, "screened_out_not_sampled"),
                              now=utcnow())
    assert changed["skipped"] == 2 and changed["notifications"] == 1
    with session_scope(settings.database) as session:
        kept = {i: session.get(NotificationRecord, i).raw_json != "" for i in ids}
    assert kept == {live.notification_id: True, held.notification_id: True,
                    free.notification_id: False}


def test_a_person_hold_covers_what_the_people_index_links_to_them(tmp_path: Path) -> None:
    from models.people_store import add_mentions, add_people
    from models.retention_store import held_notifications
    from tests.web_support import make_settings

    settings = make_settings(tmp_path)
    head = add_user(settings, "head", "head_of_safeguarding")
    exact = seeded(settings, "RL/1", [Person("Octavia", "Penhaligon", "1979-09-09")],
                   route="screened_out", priority=None, score=0.05, narrative="Words.",
                   line1="1 Elm")
    nickname = seeded(settings, "RL/2", [Person("Tavi", "Penhaligon", "1979-09-09")],
                      route="screened_out", priority=None, score=0.05, narrative="Words.",
                      line1="1 Elm")
    other = seeded(settings, "RL/3", [Person("Quentin", "Rowse", "1979-09-09")],
                   route="screened_out", priority=None, score=0.05, narrative="Words.",
                   line1="2 Elm")

    def mention(notification_id: Any, person_id: int) -> dict[str, Any]:
        return {"notification_id": notification_id, "position": 0, "person_id": person_id,
                "role": "victim", "given": "x", "family": "y", "gender": "u",
                "minor": False, "given_key": "X", "family_key": "Y", "address_key": "k",
                "occurred_at": utcnow(), "linked_at": utcnow()}

    with session_scope(settings.database) as session:
        person, stranger = add_people(session, count=2, now=utcnow())
        add_mentions(session, rows=[mention(exact.notification_id, person),
                                    mention(nickname.notification_id, person),
                                    mention(other.notification_id, stranger)])
        place_person_hold(session, given_name="Octavia", family_name="Penhaligon",
                          date_of_birth=date(1979, 9, 9), reason="x", placed_by=head,
                          now=utcnow())
    with session_scope(settings.database) as session:
        assert held_notifications(session) == {exact.notification_id, nickname.notification_id}


def test_readers_of_stored_notifications_pass_over_purged_ones(world: Any) -> None:
    """Label export, the shadow comparison's set, label facts and the people index read the raw
    JSON: a purged notification (raw JSON emptied) is left out, never a crash."""
    from governance.people_relink import index_missing
    from models.label_store import iter_labels
    from models.labelled_facts import pending_labels
    from models.model_registry import recent_labelled

    url = world["settings"].database
    with session_scope(url) as session:
        purged = set(session.scalars(select(PurgedNotification.notification_id)))
        purged_refs = set(session.scalars(
            select(NotificationRecord.reference).where(NotificationRecord.id.in_(purged))))
        exported = [row["notification"]["reference"] for row in iter_labels(session)]
        recent = recent_labelled(session, since=datetime(2000, 1, 1, tzinfo=UTC))
        pending = pending_labels(session)
        index_missing(session, now=FUTURE)
    assert purged_refs, "the purge removed something"
    assert not purged_refs & set(exported)
    assert not purged & {row[0] for row in recent}
    assert not purged & {item.notification_id for item in pending}
