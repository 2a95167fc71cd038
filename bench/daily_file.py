"""Daily-file benchmark on PostgreSQL: a 5,000-row CSV of synthetic notifications (with some bad
rows) imported end to end, then triaged by the pipeline's own code in-process: the outbox is
relayed by `models.outbox_store.publish_pending` and each message's ids are screened by
`workers.triage.triage_batch`, the function the Celery task runs. Checks that every good row is
stored and triaged, that every bad row is reported by row number and column, and that a second
import of the same file adds nothing. Prints the times and rows per second.

    .venv/bin/python bench/daily_file.py [--rows 5000] [--bad-every 100] [--no-triage]

Uses TEST_DATABASE_URL (default: local postgres `test`) in a schema of its own, dropped after.
Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from models.db import get_engine, session_scope  # noqa: E402
from models.file_import import begin_import, run_import  # noqa: E402
from models.file_mapping import PERSON_SLOTS, FileMapping  # noqa: E402
from models.file_mapping_store import save_mapping  # noqa: E402
from models.key_store import ensure_source  # noqa: E402
from models.migrate import migrate  # noqa: E402
from models.outbox_store import publish_pending  # noqa: E402
from models.settings import Settings  # noqa: E402
from models.tables import NotificationRecord, OutboxRow  # noqa: E402
from models.types import utcnow  # noqa: E402
from screening.policy import DEFAULT_POLICY  # noqa: E402
from screening.synth import generate  # noqa: E402

DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SOURCE = "Bench Police"
TOP = {
    "reference": ("reference",), "occurred_at": ("occurred_at",),
    "reported_at": ("reported_at",), "incident_type": ("incident_type",),
    "offences": ("offences",), "address_line1": ("address", "line1"),
    "address_line2": ("address", "line2"), "address_town": ("address", "town"),
    "address_postcode": ("address", "postcode"), "dash_level": ("dash", "level"),
    "dash_yes_count": ("dash", "yes_count"), "children_present": ("children_present",),
    "children_in_household": ("children_in_household",),
    "victim_pregnant": ("victim_pregnant",), "previous_incidents": ("previous_incidents",),
    "narrative": ("narrative",), "officer_id": ("officer", "id"),
    "officer_name": ("officer", "name"), "officer_station": ("officer", "station"),
}
PERSON = ("given_name", "family_name", "date_of_birth", "age", "gender",
          "relationship_to_victim", "present_at_incident", "lives_at_address", "pregnant")
ROLE_OF_SLOT = dict(PERSON_SLOTS)


def header() -> list[str]:
    """Column titles as a force might write them ("Victim given name"), one per field."""
    names = [*TOP, *(f"{slot}_{f}" for slot, _role in PERSON_SLOTS for f in PERSON)]
    return [name.replace("_", " ").capitalize() for name in names]


def fields() -> list[str]:
    return [*TOP, *(f"{slot}_{f}" for slot, _role in PERSON_SLOTS for f in PERSON)]


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def in_the_past(notification: dict[str, Any]) -> dict[str, Any]:
    """The synthetic notification moved a year back when it lies ahead of today (the contract
    refuses incidents after tomorrow): every date moves together, so ages still agree."""
    occurred = datetime.fromisoformat(notification["occurred_at"])
    if occurred < datetime.now(UTC) - timedelta(days=1):
        return notification
    back = timedelta(days=365)

    def moved(value: str) -> str:
        return (datetime.fromisoformat(value) - back).isoformat()

    shifted = {**notification, "occurred_at": moved(notification["occurred_at"])}
    if notification.get("reported_at"):
        shifted["reported_at"] = moved(notification["reported_at"])
    shifted["people"] = [
        {**p, "date_of_birth": (date.fromisoformat(p["date_of_birth"]) - back).isoformat()}
        if p.get("date_of_birth") else p
        for p in notification["people"]
    ]
    return shifted


def flatten(notification: dict[str, Any], reference: str) -> dict[str, str]:
    notification = in_the_past(notification)
    row: dict[str, str] = {}
    for name, path in TOP.items():
        node: Any = notification
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        row[name] = cell(node)
    row["reference"] = reference
    free = {role: [s for s, r in PERSON_SLOTS if r == role] for role in set(ROLE_OF_SLOT.values())}
    for person in notification["people"]:
        role = person["role"] if person["role"] in free else "other_adult"
        if not free[role]:
            continue
        slot = free[role].pop(0)
        for f in PERSON:
            row[f"{slot}_{f}"] = cell(person.get(f))
    return row


def spoil(row: dict[str, str], kind: int) -> str:
    """Make one row bad in one of three ways; the field it spoils."""
    if kind == 0:
        row["occurred_at"] = "31/13/2026 25:00"
        return "occurred_at"
    if kind == 1:
        row["victim_age"] = "about thirty"
        return "victim_age"
    row["address_line1"] = ""
    return "address.line1"


def make_csv(rows: int, bad_every: int) -> tuple[bytes, dict[int, str]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    titles = header()
    writer.writerow(titles)
    spoilt: dict[int, str] = {}
    for index, labelled in enumerate(generate(rows, seed=12)):
        row = flatten(labelled["notification"], f"BENCH/{index:06d}")
        if bad_every and index % bad_every == bad_every // 2:
            spoilt[index + 2] = spoil(row, len(spoilt) % 3)  # spreadsheet row number
        writer.writerow([row.get(f, "") for f in fields()])
    return buffer.getvalue().encode("utf-8"), spoilt


def counts(url: str) -> tuple[int, int, int]:
    with session_scope(url) as session:
        return (
            session.scalar(select(func.count()).select_from(NotificationRecord)) or 0,
            session.scalar(select(func.count()).select_from(OutboxRow)) or 0,
            session.scalar(
                select(func.count()).where(NotificationRecord.status == "triaged")
            ) or 0,
        )


def import_once(url: str, data: bytes) -> tuple[Any, float]:
    with session_scope(url) as session:
        source_id = ensure_source(session, name=SOURCE)
        import_id = begin_import(session, source_id=source_id, file_name="bench.csv", data=data,
                                 actor="system:bench", now=utcnow())
    started = time.perf_counter()
    summary = run_import(partial(session_scope, url), import_id=import_id, data=data)
    return summary, time.perf_counter() - started


def triage_all(url: str) -> float:
    """Relay the outbox and triage each message's ids, as the relay and the worker do."""
    from workers.triage import triage_batch

    messages: list[list[str]] = []

    def publish(_task: str, ids: Sequence[str]) -> None:
        messages.append(list(ids))

    started = time.perf_counter()
    while True:
        messages.clear()
        with session_scope(url) as session:
            published = publish_pending(session, publish=publish, limit=500, chunk_size=50)
        for ids in messages:
            triage_batch(url, [uuid.UUID(i) for i in ids])
        if not published:
            return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--bad-every", type=int, default=100)
    parser.add_argument(
        "--no-triage", action="store_true", help="import twice only (no relay, no screening)"
    )
    args = parser.parse_args()

    schema = f"dvs_bench_file_{uuid.uuid4().hex[:8]}"
    plain = DATABASE_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{DATABASE_URL}?options=-csearch_path%3D{schema}"
    failures: list[str] = []
    try:
        migrate(Settings(database_url=url), DEFAULT_POLICY.model_dump(mode="json"))
        columns = dict(zip(header(), fields(), strict=True))
        with session_scope(url) as session:
            source_id = ensure_source(session, name=SOURCE)
            save_mapping(session, source_id=source_id, mapping=FileMapping(columns=columns),
                         actor="system:bench", now=utcnow())
        data, spoilt = make_csv(args.rows, args.bad_every)
        print(f"file: {args.rows} rows, {len(data) / 1e6:.1f} MB, {len(spoilt)} spoilt rows")

        summary, seconds = import_once(url, data)
        good = args.rows - len(spoilt)
        print(f"import: {seconds:.2f} s, {args.rows / seconds:.0f} rows/s "
              f"({summary.created} new, {summary.repeated} repeated, {summary.rejected} rejected)")
        triage_seconds = 0.0 if args.no_triage else triage_all(url)
        stored, outbox, triaged = counts(url)
        if not args.no_triage:
            print(f"triage: {triage_seconds:.2f} s, "
                  f"{triaged / triage_seconds:.0f} notifications/s")
        total = seconds + triage_seconds
        print(f"end to end: {total:.2f} s, {args.rows / total:.0f} rows/s "
              f"({stored} stored, {triaged} triaged)")
        reported = {(p.row, p.field) for p in summary.problems if p.column is not None}
        if summary.created != good or stored != good or outbox != good:
            failures.append(f"stored {stored} (outbox {outbox}) of {good} good rows")
        if triaged != (0 if args.no_triage else good):
            failures.append(f"triaged {triaged} of {good}")
        missing = {(r, f) for r, f in spoilt.items()} - reported
        if summary.rejected != len(spoilt) or missing:
            failures.append(f"bad rows not reported by row and column: {sorted(missing)[:5]}")
        for problem in summary.problems[:3]:
            print(f"  e.g. {problem.describe()}")

        again, again_seconds = import_once(url, data)
        after = counts(url)
        print(f"second import: {again_seconds:.2f} s, {again.created} new, "
              f"{again.repeated} repeated, {again.rejected} rejected")
        if again.created or after != (stored, outbox, triaged) or again.repeated != good:
            failures.append(f"the second import changed something: {after} after")
    finally:
        get_engine(url).dispose()
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
    for failure in failures:
        print(f"FAIL: {failure}")
    print("all checks passed" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
