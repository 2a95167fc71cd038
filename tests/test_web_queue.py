"""The queue's columns and filters at the store (force, work type, received, the victim's
family name, town), the manager's wider queue (samples too), and a returned decision flagged
to its worker; on SQLite and on the real PostgreSQL (prefix ranges on "C"-collated keys)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from models.casework_store import record_decision, sign_off
from models.db import session_scope
from models.key_store import ensure_source
from models.queue_store import QueueFilters, claim, list_queue
from models.review_tables import WORK_KINDS
from models.tables import NotificationRecord
from models.types import utcnow
from tests.test_web_search import postgres_settings  # noqa: F401  (the fixture)
from tests.web_support import HOURS, add_user, make_settings, notification_body, seed


def person(given: str, family: str) -> list[dict]:
    return [{"role": "victim", "given_name": given, "family_name": family, "age": 30}]


def seed_queue(settings) -> dict[str, object]:
    hale = seed(settings, notification_body("Q/1", "Her son (4) was present.",
                people=person("Kerry", "Hale")), route="duty_review", priority="urgent",
                categories=["present"], source="Leicestershire Police")  # fmt: skip
    hall = seed(settings, notification_body("Q/1", "Her son (4) was present.",
                people=person("Jo", "Hall-Smith")), route="duty_review", priority="high",
                categories=["present"], source="Northants Police")  # fmt: skip
    nowak = seed(settings, notification_body("Q/2", "Unclear.", people=person("Ola", "Nowak")),
                 route="triage_check", priority="normal",
                 source="Leicestershire Police")  # fmt: skip
    sample = seed(settings, notification_body("Q/3", "Adults only.", people=person("Al", "Ng")),
                  route="screened_out", priority=None, score=0.01, sample_share=1.0)  # fmt: skip
    with session_scope(settings.database) as session:
        session.execute(
            update(NotificationRecord)
            .where(NotificationRecord.id == nowak.notification_id)
            .values(received_at=utcnow() - timedelta(days=9))
        )
        session.execute(
            update(NotificationRecord)
            .where(NotificationRecord.id == hall.notification_id)
            .values(received_at=utcnow() - timedelta(days=3))
        )
    return {"hale": hale, "hall": hall, "nowak": nowak, "sample": sample}


def check_filters(settings) -> None:
    s = seed_queue(settings)
    uid = add_user(settings, "dora", "duty_worker")
    with session_scope(settings.database) as session:
        leics = ensure_source(session, name="Leicestershire Police")

    def items(kinds: tuple[str, ...] = WORK_KINDS, **filters: object) -> list[int]:
        with session_scope(settings.database) as session:
            page = list_queue(session, user_id=uid, now=utcnow(), filters=QueueFilters(**filters),
                              kinds=kinds)  # fmt: skip
        assert page.matching == len(page.rows)
        return [r.item_id for r in page.rows]

    hale, hall, nowak = (s[k].item_id for k in ("hale", "hall", "nowak"))
    assert items() == [hale, hall, nowak]
    assert items(source_id=leics) == [hale, nowak]
    assert items(kind="triage_check") == [nowak]
    assert items(received="day") == [hale]
    assert items(received="week") == [hale, hall]
    assert items(received="older") == [nowak]
    assert items(family="ha") == [hale, hall]
    assert items(family="HALL smith") == [hall]
    assert items(family="hale", town="leic") == [hale]
    assert items(town="derby") == []
    # A manager's queue holds the screened-out sample too.
    assert s["sample"].item_id in items(kinds=(*WORK_KINDS, "manager_sample"))
    with session_scope(settings.database) as session:
        rows = list_queue(session, user_id=uid, now=utcnow()).rows
    by_id = {r.item_id: r for r in rows}
    assert (by_id[hale].source_name, by_id[hale].victim_family, by_id[hale].town) == (
        "Leicestershire Police", "Hale", "Leicester")  # fmt: skip
    assert by_id[hall].source_name == "Northants Police"


def test_queue_filters_on_sqlite(tmp_path: Path):
    check_filters(make_settings(tmp_path))


@pytest.mark.integration
def test_queue_filters_on_postgresql(postgres_settings):  # noqa: F811
    check_filters(postgres_settings)


def test_a_returned_decision_is_flagged_to_its_worker(tmp_path: Path):
    settings = make_settings(tmp_path)
    item = seed(settings, notification_body("R/1", "Her son (4) was present."),
                route="duty_review", priority="high", categories=["present"])  # fmt: skip
    dora = add_user(settings, "dora", "duty_worker")
    mandy = add_user(settings, "mandy", "manager")

    def returned() -> bool:
        with session_scope(settings.database) as session:
            (row,) = list_queue(session, user_id=dora, now=utcnow()).rows
        return row.returned

    with session_scope(settings.database) as session:
        assert claim(session, item_id=item.item_id, user_id=dora, now=utcnow())
        decided = record_decision(session, item_id=item.item_id, user_id=dora,
                                  outcome="no_further_action", reasoning="Safe.",
                                  categories=["present"], priority=None, deadline_hours=HOURS,
                                  now=utcnow())  # fmt: skip
    assert not returned()
    with session_scope(settings.database) as session:
        sign_off(session, decision_id=decided.decision_id, manager_id=mandy, approve=False,
                 note="Check with the school.", now=utcnow())  # fmt: skip
    assert returned()
    with session_scope(settings.database) as session:
        record_decision(session, item_id=item.item_id, user_id=dora, outcome="no_further_action",
                        reasoning="School says all is well.", categories=["present"],
                        priority=None, deadline_hours=HOURS, now=utcnow())  # fmt: skip
    assert not returned()  # decided again: waiting for sign-off, no longer returned
