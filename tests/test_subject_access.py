"""Subject access on PostgreSQL: the export holds everything about its person (every
notification they appear in, its narrative, route, decisions, sample verdicts and every staff
view) and nothing about another person but the marked third parties; it is logged and audited
per notification with counts only; `dvscreen subject-access` writes the JSON and Markdown."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dvscreen import main
from governance.subject_access import THIRD_PARTY, Subject, export, find
from governance.subject_access_markdown import markdown
from models.audit import staff_actor, write_audit
from models.db import session_scope
from models.ig_tables import SubjectAccessExport
from models.tables import AuditEvent
from models.types import utcnow
from tests.ig_support import Person, decide, postgres_schema, seeded, verdict
from tests.web_support import add_user

pytestmark = pytest.mark.integration

SUBJECT = Person("Imogen", "Falconbridge", "1987-08-14")
THIRD = Person("Lysander", "Crowhurst", "1984-02-29", role="suspect")
STRANGER = Person("Perpetua", "Ashdown", "1987-08-14")  # same birth date, another person
SAME_NAME_OTHER_DOB = Person("Imogen", "Falconbridge", "1990-01-01")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Any:
    gen = postgres_schema(tmp_path_factory.mktemp("sar"), "sar")
    settings = next(gen)
    duty = add_user(settings, "duty", "duty_worker")
    manager = add_user(settings, "mgr", "manager")
    first = seeded(settings, "SA/1", [SUBJECT, THIRD], route="duty_review", priority="high",
                   narrative="Lysander Crowhurst shouted at Imogen; a child was upstairs "
                             "(kestrelwing).", line1="12 Heron Way")
    decide(settings, first.item_id, duty, "refer_for_assessment",
           "Lysander Crowhurst was violent; the child lives with Imogen (osprey).", ["present"])
    second = seeded(settings, "SA/2", [SUBJECT], route="screened_out", priority=None,
                    score=0.05, sample_share=1.0, narrative="Imogen reported a noise (merlin).",
                    line1="12 Heron Way")
    verdict(settings, second.item_id, manager, "confirm", "Imogen lives alone (goshawk).")
    other = seeded(settings, "SA/3", [STRANGER], route="screened_out", priority=None,
                   score=0.05, narrative="Perpetua argued with a neighbour (bittern).",
                   line1="4 Curlew Lane")
    seeded(settings, "SA/4", [SAME_NAME_OTHER_DOB], route="screened_out", priority=None,
           score=0.05, narrative="A different Imogen (dunnock).", line1="7 Plover Close")
    with session_scope(settings.database) as session:
        for n in (first, second, other):
            write_audit(session, actor=staff_actor(duty), action="viewed",
                        notification_id=n.notification_id, detail={"item": n.item_id})
        made = export(session, subject=Subject(" imogen ", "FALCONBRIDGE", date(1987, 8, 14)),
                      actor=staff_actor(manager), formats=("json", "md"), now=utcnow())
    yield {"settings": settings, "export": made, "first": first, "second": second,
           "other": other, "manager": manager}
    next(gen, None)


def test_export_holds_everything_about_its_person(world: Any) -> None:
    made = world["export"]
    assert [n["reference"] for n in made.notifications] == ["SA/1", "SA/2"]
    text = made.json()
    for needle in ("kestrelwing", "osprey", "merlin", "goshawk", "12 Heron Way",
                   "refer_for_assessment", "duty_review", "screened_out", "confirm"):
        assert needle in text, needle
    first, second = made.notifications
    assert [p["given_name"] for p in first["subject"]] == ["Imogen"]
    assert first["screening"]["route"] == "duty_review"
    assert first["decisions"][0]["decided_by"] == "duty"
    assert second["samples"][0]["decided_by"] == "mgr"
    views = [(e["actor"], e["action"]) for e in first["staff_views"]]
    assert ("staff: duty", "viewed") in views and ("staff: duty", "decided") in views
    assert made.staff_views == sum(len(n["staff_views"]) for n in made.notifications) >= 4


def test_export_holds_nothing_about_another_person_but_marked_third_parties(world: Any) -> None:
    made = world["export"]
    text = made.json()
    for needle in ("Perpetua", "Ashdown", "bittern", "Curlew", "SA/3", "SA/4", "dunnock",
                   "1990-01-01", str(world["other"].notification_id)):
        assert needle not in text, needle
    first = made.notifications[0]
    assert [(p["given_name"], p["third_party"]) for p in first["third_parties"]] == [
        ("Lysander", True)]
    narrative = first["narrative"]
    assert [m["text"] for m in narrative["third_party_mentions"]] == ["Lysander Crowhurst"]
    reasoning = first["decisions"][0]["reasoning_third_party_mentions"]
    assert [m["text"] for m in reasoning] == ["Lysander Crowhurst"]
    # Every place the third party is named is marked.
    readable = markdown(made)
    assert f"[[{THIRD_PARTY}: Lysander Crowhurst]] shouted at Imogen" in readable
    assert f"[[{THIRD_PARTY}: Lysander Crowhurst]] was violent" in readable
    assert readable.count("Lysander") == readable.count(THIRD_PARTY + ": Lysander") + 1
    assert made.third_parties == 1


def test_export_is_logged_and_audited_per_notification_without_names(world: Any) -> None:
    with session_scope(world["settings"].database) as session:
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "subject_access_export")).all()
        logged = session.scalars(select(SubjectAccessExport)).all()
    assert {e.notification_id for e in events} == {world["first"].notification_id,
                                                   world["second"].notification_id}
    assert all(e.actor == staff_actor(world["manager"]) for e in events)
    assert "Imogen" not in json.dumps([e.detail for e in events])
    assert [(r.notifications, r.third_parties) for r in logged] == [(2, 1)]


def test_cli_writes_json_and_markdown(world: Any, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settings = world["settings"]
    monkeypatch.setenv("DATABASE_URL", settings.database)
    monkeypatch.setenv("DVSCREEN_DATA_DIR", str(tmp_path))
    code = main(["subject-access", "--given-name", "Imogen", "--family-name", "Falconbridge",
                 "--dob", "1987-08-14", "--output-dir", str(tmp_path), "--by", "mgr"])
    assert code == 0
    written = json.loads(next(tmp_path.glob("subject-access-*.json")).read_text())
    assert [n["reference"] for n in written["notifications"]] == ["SA/1", "SA/2"]
    assert "kestrelwing" in next(tmp_path.glob("subject-access-*.md")).read_text()
    assert main(["subject-access", "--given-name", "Imogen", "--family-name", "Falconbridge",
                 "--dob", "1987-08-14", "--output-dir", str(tmp_path), "--by", "duty"]) == 1


def test_page_finds_downloads_and_refuses(world: Any) -> None:
    from tests.web_support import client_for, csrf_of, sign_in

    settings = world["settings"]
    client = client_for(settings)
    sign_in(client, "mgr")
    token = csrf_of(client.get("/subject-access").text)
    form = {"csrf_token": token, "given_name": "Imogen", "family_name": "Falconbridge",
            "dob-day": "14", "dob-month": "8", "dob-year": "1987"}
    found = client.post("/subject-access", data={**form, "output": "preview"})
    assert found.status_code == 200 and "2 notifications found" in found.text
    assert "SA/1" in found.text and "SA/3" not in found.text
    download = client.post("/subject-access", data={**form, "output": "json"})
    assert download.headers["content-type"].startswith("application/json")
    assert "attachment" in download.headers["content-disposition"]
    assert [n["reference"] for n in download.json()["notifications"]] == ["SA/1", "SA/2"]
    readable = client.post("/subject-access", data={**form, "output": "md"})
    assert readable.headers["content-type"].startswith("text/markdown")
    assert THIRD_PARTY in readable.text
    missing = client.post("/subject-access", data={"csrf_token": token, "given_name": "Imogen"})
    assert missing.status_code == 400 and "There is a problem" in missing.text
    assert "Enter the family name" in missing.text
    with session_scope(settings.database) as session:
        logged = session.scalars(select(SubjectAccessExport)).all()
    assert len(logged) >= 4  # the fixture's, the command's and these three
    duty = client_for(settings)
    sign_in(duty, "duty")
    assert duty.get("/subject-access").status_code in (303, 403)


def test_a_shared_family_name_is_not_marked_alone() -> None:
    from governance.subject_access import mentions, third_party_names

    people = [{"role": "victim", "given_name": "Jo", "family_name": "Bell"},
              {"role": "suspect", "given_name": "Sam", "family_name": "Bell"}]
    names = third_party_names(people, (0,), {"name": "PC Ada Grey"})
    assert names == ["PC Ada Grey", "Sam Bell", "Sam"]
    found = mentions("Sam Bell hit Jo Bell; later SAM left. Bell's car. PC Ada Grey came.", names)
    assert [m["text"] for m in found] == ["Sam Bell", "SAM", "PC Ada Grey"]


def test_notifications_the_people_index_links_are_included_and_marked(world: Any) -> None:
    from models.people_store import add_mentions, add_people

    settings = world["settings"]
    nickname = seeded(settings, "SA/5", [Person("Immy", "Falconbridge", "1987-08-14"), THIRD],
                      route="screened_out", priority=None, score=0.05,
                      narrative="Immy called about a noise (wagtail).", line1="12 Heron Way")

    def mention(notification_id: Any, person_id: int, given: str) -> dict[str, Any]:
        return {"notification_id": notification_id, "position": 0, "person_id": person_id,
                "role": "victim", "given_name": given, "family_name": "Falconbridge",
                "date_of_birth": date(1987, 8, 14), "given": given.lower(),
                "family": "falconbridge", "birth_year": 1987, "gender": "f", "minor": False,
                "given_key": given[:2].upper(), "family_key": "FLKN",
                "address_key": "LE3 9QP|12 heron way", "occurred_at": utcnow(),
                "linked_at": utcnow()}

    with session_scope(settings.database) as session:
        person, stranger = add_people(session, count=2, now=utcnow())
        add_mentions(session, rows=[mention(world["first"].notification_id, person, "Imogen"),
                                    mention(nickname.notification_id, person, "Immy"),
                                    mention(world["other"].notification_id, stranger, "X")])
        found = find(session, subject=Subject("Imogen", "Falconbridge", date(1987, 8, 14)))
    assert [(n["reference"], n["match"]) for n in found] == [
        ("SA/1", "exact"), ("SA/2", "exact"), ("SA/5", "linked")]
    linked = found[2]
    assert [p["given_name"] for p in linked["subject"]] == ["Immy"]
    assert [p["given_name"] for p in linked["third_parties"]] == ["Lysander"]
    assert "wagtail" in json.dumps(linked)
