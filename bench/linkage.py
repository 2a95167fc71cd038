"""Benchmark: person linkage on synthetic recurring families (the issue 12 linkage bars).

1. Accuracy: `--notifications` (20,000) notifications of recurring families
   (screening/synth/recurring.py, with the truth of who is who) linked earliest first with the
   decision online linkage makes (`screening.linkage.linker.link_all`: the same `assign` over
   the same blocks); pairwise precision and recall against the truth, and the time.
   Bars: precision >= 0.99, recall >= 0.95.
2. Latency: an index of `--people` (200,000) known people (about 1.3 mentions each, written
   with the generator's errors) on SQLite and, when reachable, PostgreSQL; then `--probes`
   notifications (a known victim written differently, a known or new suspect, a new child)
   linked one at a time with `governance.people_index.link_notification` (the blocking query,
   the scoring and the inserts; rolled back so that the index stays the same size), p50 and
   p95, and in the same run the bare blocking query (`models.people_store.candidates`) for the
   same notifications, with the ratio. Bar: p95 under 50 ms.

    .venv/bin/python bench/linkage.py [--notifications 20000] [--people 200000] [--probes 300]
                                      [--backend sqlite|postgresql|both] [--skip-accuracy]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from governance.people_index import block_query, link_notification  # noqa: E402
from models.address import address_key  # noqa: E402
from models.contract import Address, Notification  # noqa: E402
from models.db import get_engine, get_sessionmaker, session_scope  # noqa: E402
from models.key_store import ensure_source  # noqa: E402
from models.migrate import migrate  # noqa: E402
from models.people_store import candidates  # noqa: E402
from models.people_tables import KnownPerson, PersonMention  # noqa: E402
from models.settings import Settings  # noqa: E402
from models.tables import NotificationRecord  # noqa: E402
from screening.linkage.linker import link_all  # noqa: E402
from screening.linkage.record import make_record, person_record  # noqa: E402
from screening.synth.faker import FakeSource  # noqa: E402
from screening.synth.recurring import NamePools, recurring  # noqa: E402
from screening.synth.recurring_noise import written_birth, written_family, written_given  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PRECISION_BAR, RECALL_BAR, P95_BAR_MS = 0.99, 0.95, 50.0
ON = date(2026, 6, 1)
WHEN = datetime(2026, 6, 1, 21, 0, tzinfo=UTC)


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def accuracy(n: int, seed: int) -> bool:
    started = time.perf_counter()
    rows = list(recurring(n, seed))
    made = time.perf_counter() - started
    notifications = [Notification.model_validate(row["notification"]) for row, _ in rows]
    records = [[person_record(x, p, address_key(x.address)) for p in x.people]
               for x in notifications]
    started = time.perf_counter()
    linked = link_all(records)
    took = time.perf_counter() - started
    predicted = [link.person_id for group in linked for link in group]
    truth = [pid for _, ids in rows for pid in ids]
    together = _pairs(Counter(zip(predicted, truth, strict=True)))
    precision = together / _pairs(Counter(predicted))
    recall = together / _pairs(Counter(truth))
    ok = precision >= PRECISION_BAR and recall >= RECALL_BAR
    print(f"accuracy: {n} notifications, {len(truth)} mentions of {len(set(truth))} people "
          f"(generated in {made:.1f} s)")
    print(f"  precision {precision:.4f} (bar {PRECISION_BAR}), recall {recall:.4f} "
          f"(bar {RECALL_BAR}), linked in {took:.1f} s ({1000 * took / n:.2f} ms a notification)"
          f" {'PASS' if ok else 'FAIL'}")
    return ok


class Population:
    """Known people (names as the recurring generator draws them) and how an officer writes
    them down (the generator's errors)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"bench-linkage:{seed}")
        self.fake = FakeSource(seed, self.rng)
        self.names = NamePools(seed, self.rng)

    def someone(self) -> dict[str, Any]:
        rng = self.rng
        gender = rng.choice(["female", "male"])
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(85 * 365))
        return {"given": self.names.given(gender), "family": self.names.family_name(),
                "born": born, "gender": gender}

    def written(self, who: dict[str, Any], role: str, on: date) -> dict[str, Any]:
        dob, age = written_birth(who["born"], on, role == "child", self.rng)
        person = {"role": role, "given_name": written_given(who["given"], self.rng),
                  "family_name": written_family(who["family"], self.rng), "gender": who["gender"]}
        if dob:
            person["date_of_birth"] = dob
        if age is not None:
            person["age"] = age
        return person


def seed_index(url: str, people: int, population: Population) -> list[dict[str, Any]]:
    """`people` known people, with their mentions and notifications, inserted in bulk."""
    rng = population.rng
    with session_scope(url) as session:
        source = ensure_source(session, name="Bench Constabulary")
    known = [population.someone() for _ in range(people)]
    notifications, mentions = [], []
    pending: list[tuple[int, dict[str, Any]]] = []
    day0 = datetime(2023, 1, 1, tzinfo=UTC)

    def flush() -> None:
        notification_id = uuid.uuid4()
        when = day0 + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        address = population.fake.address()
        key = address_key(Address(**address))
        notifications.append({
            "id": notification_id, "source_id": source, "reference": f"BL-{len(notifications)}",
            "body_hash": uuid.uuid4().hex * 2, "raw_json": "{}", "status": "triaged",
            "attempts": 0, "address_key": key, "received_at": when,
        })
        for position, (person_id, person) in enumerate(pending):
            record = make_record(
                given_name=person["given_name"], family_name=person["family_name"],
                date_of_birth=date.fromisoformat(person["date_of_birth"])
                if "date_of_birth" in person else None,
                age=person.get("age"), occurred_on=when.date(), gender=person["gender"],
                address_key=key, role=person["role"])
            mentions.append({
                "notification_id": notification_id, "position": position, "person_id": person_id,
                "role": person["role"], "given_name": person["given_name"],
                "family_name": person["family_name"], "date_of_birth": record.date_of_birth,
                "age": person.get("age"), "lives_at_address": None, "given": record.given,
                "family": record.family, "birth_year": record.birth_year,
                "gender": record.gender, "minor": record.minor, "given_key": record.given_key,
                "family_key": record.family_key, "given_block": record.given_block,
                "address_key": key, "occurred_at": when,
                "weight": None, "linked_at": when,
            })
        pending.clear()

    for person_id, who in enumerate(known, start=1):
        for _ in range(1 + (rng.random() < 0.3)):
            pending.append((person_id, population.written(who, "victim", ON)))
            if len(pending) == 3:
                flush()
    if pending:
        flush()
    engine = get_engine(url)
    with engine.begin() as connection:
        for start in range(0, people, 20000):
            ids = range(start + 1, min(people, start + 20000) + 1)
            connection.execute(insert(KnownPerson), [{"id": i, "created_at": day0} for i in ids])
        for start in range(0, len(notifications), 20000):
            connection.execute(insert(NotificationRecord), notifications[start:start + 20000])
        for start in range(0, len(mentions), 20000):
            connection.execute(insert(PersonMention), mentions[start:start + 20000])
        if connection.dialect.name == "postgresql":  # ids given above: move the sequence on
            connection.execute(text("SELECT setval(pg_get_serial_sequence('people', 'id'), "
                                    "(SELECT max(id) FROM people))"))
    print(f"  index: {people} people, {len(mentions)} mentions in {len(notifications)} "
          "notifications")
    return known


def probe(population: Population, known: list[dict[str, Any]], n: int) -> Notification:
    rng = population.rng
    suspect = rng.choice(known) if rng.random() < 0.5 else population.someone()
    child = population.someone() | {"born": ON - timedelta(days=rng.randrange(16 * 365))}
    return Notification.model_validate({
        "reference": f"PROBE-{n}", "occurred_at": WHEN.isoformat(), "incident_type": "incident",
        "address": population.fake.address(),
        "people": [population.written(rng.choice(known), "victim", ON),
                   population.written(suspect, "suspect", ON),
                   population.written(child, "child", ON) | {"lives_at_address": True}],
        "narrative": "Officers attended a domestic argument.",
    })


def _ms(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return 1000 * statistics.median(ordered), 1000 * ordered[int(0.95 * (len(ordered) - 1))]


def latency(name: str, url: str, people: int, probes: int, seed: int) -> bool:
    print(f"latency on {name}:")
    population = Population(seed)
    started = time.perf_counter()
    known = seed_index(url, people, population)
    print(f"  seeded in {time.perf_counter() - started:.0f} s")
    maker = get_sessionmaker(url)
    linking, bare, found = [], [], []
    for n in range(probes + 10):  # the first ten warm the caches and are not counted
        notification = probe(population, known, n)
        notification_id = uuid.uuid4()
        key = address_key(notification.address)
        records = [person_record(notification, p, key) for p in notification.people]
        with maker() as session:
            session.execute(select(1))  # the transaction is open, as triage's is
            started = time.perf_counter()
            rows = candidates(session, queries=[block_query(r) for r in records],
                              exclude_notification=notification_id)
            took_bare = time.perf_counter() - started
            session.rollback()
        with maker() as session:
            session.add(NotificationRecord(
                id=notification_id, source_id=1, reference=notification.reference,
                body_hash="0" * 64, raw_json="{}", address_key=key, received_at=WHEN))
            session.flush()  # the transaction is open, as triage's is
            started = time.perf_counter()
            link_notification(session, notification_id=notification_id,
                              notification=notification, address_key=key, now=WHEN)
            took = time.perf_counter() - started
            session.rollback()
        if n >= 10:
            linking.append(took)
            bare.append(took_bare)
            found.append(len(rows))
    p50, p95 = _ms(linking)
    b50, b95 = _ms(bare)
    ok = p95 < P95_BAR_MS
    print(f"  link one notification: p50 {p50:.1f} ms, p95 {p95:.1f} ms (bar {P95_BAR_MS:.0f})"
          f" {'PASS' if ok else 'FAIL'}")
    print(f"  bare blocking query:   p50 {b50:.1f} ms, p95 {b95:.1f} ms; ratio at p95 "
          f"{p95 / b95:.2f}; candidates per notification: median "
          f"{statistics.median(found):.0f}, max {max(found)}")
    return ok


def sqlite_url(tmp: str) -> Settings:
    settings = Settings(data_dir=Path(tmp))
    migrate(settings)
    return settings


def postgres(run: Any) -> bool | None:
    plain = PG_URL.replace("+psycopg", "")
    try:
        conn = psycopg.connect(plain, connect_timeout=3, autocommit=True)
    except psycopg.Error:
        print("latency on PostgreSQL: unreachable, skipped")
        return None
    schema = f"bench_linkage_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp), database_url=url)
            migrate(settings)
            with session_scope(url) as session:
                session.connection().exec_driver_sql("ANALYZE")
            return run("PostgreSQL", url)
    finally:
        get_engine(url).dispose()
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notifications", type=int, default=20000)
    parser.add_argument("--people", type=int, default=200000)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    results: list[bool] = []
    if not args.skip_accuracy:
        results.append(accuracy(args.notifications, args.seed))

    def run(name: str, url: str) -> bool:
        return latency(name, url, args.people, args.probes, args.seed)

    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run("SQLite", sqlite_url(tmp).database))
    if args.backend in ("postgresql", "both"):
        outcome = postgres(run)
        if outcome is not None:
            results.append(outcome)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
