"""Benchmark: the duty queue page with 5,000 open items and search over 100,000 notifications,
served over HTTP by uvicorn.

Seeds a fresh database (SQLite in a temporary folder, or --database-url, e.g. a PostgreSQL
schema) with N notifications (names, dates of birth, addresses), of which M are open
duty/triage items and the rest screened out; each is indexed for search by the same code intake
uses (`models.search_store.index_rows`). Signs a duty worker in and times GET /queue (first
page, a filtered page, a deep page) and GET /search (by reference, name, sound-alike name,
date of birth, postcode, address line) end to end over a real socket. Baselines, timed the
same way in the same run: the bare database work of each page (`list_queue`, `search`) and a
bare render of its template with the same rows. The bar: p95 under 300 ms for every page.

    .venv/bin/python bench/ui.py [--items 5000] [--notifications 100000] [--requests 60]
                                 [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from api.app import create_app  # noqa: E402
from api.web.passwords import hash_password  # noqa: E402
from api.web.templating import templates  # noqa: E402
from models.db import session_scope  # noqa: E402
from models.key_store import ensure_source  # noqa: E402
from models.migrate import migrate  # noqa: E402
from models.queue_store import QueueFilters, list_queue  # noqa: E402
from models.search_store import index_rows, search  # noqa: E402
from models.search_tables import NotificationSummary, SearchTerm  # noqa: E402
from models.settings import Settings  # noqa: E402
from models.staff_store import create_staff  # noqa: E402
from models.tables import NotificationRecord, QueueItem, TriageResult  # noqa: E402
from screening.policy import DEFAULT_POLICY  # noqa: E402

BAR_MS = 300.0
PASSWORD = "benchmark-password-1"
GIVEN = ("Kerry", "Jo", "Sam", "Ola", "Nina", "Tomasz", "Aisha", "Liam", "Zoe", "Priya",
         "Mohammed", "Chloe", "Dan", "Ruth", "Kai", "Amy", "Lee", "Bea", "Omar", "Ivy")  # fmt: skip
FAMILY = ("Smith", "Jones", "Patel", "Hale", "Nowak", "Khan", "Brown", "Taylor", "Wilson",
          "Evans", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "White",
          "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson",
          "Clarke", "Clark", "Turner", "Hill", "Scott", "Cooper", "Morris", "Ward", "Moore",
          "King", "Watson", "Baker", "Harrison", "Morgan", "Kowalczyk", "Begum", "Ali", "Singh",
          "Murphy", "O'Brien", "Kelly", "Campbell", "Stewart", "Young")  # fmt: skip
STREETS = ("Willow Close", "Ash Grove", "Canal Street", "Elm Road", "Birch Avenue",
           "Station Road", "High Street", "Church Lane", "Mill Lane", "Park Road")  # fmt: skip
TOWNS = ("Leicester", "Loughborough", "Hinckley", "Melton Mowbray", "Coalville")


def body_of(n: int, rng: random.Random) -> dict[str, Any]:
    victim_family = rng.choice(FAMILY)
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365))
    return {
        "reference": f"BENCH/{n:06d}",
        "address": {
            "line1": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
            "town": rng.choice(TOWNS),
            "postcode": f"LE{rng.randint(1, 19)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}"
            f"{rng.choice('HJLNPQ')}",
        },
        "people": [
            {
                "role": "victim",
                "given_name": rng.choice(GIVEN),
                "family_name": victim_family,
                "date_of_birth": born.isoformat(),
            },
            {
                "role": "suspect",
                "given_name": rng.choice(GIVEN),
                "family_name": rng.choice(FAMILY),
                "age": rng.randint(18, 70),
            },
        ],
        "narrative": "x" * 400,
    }


def seed(settings: Settings, items: int, notifications: int) -> int:
    """Bulk-insert `notifications` notifications with their results and search index, `items`
    of them with an open queue item; return a duty worker's id."""
    with session_scope(settings.database) as session:
        source_id = ensure_source(session, name="bench-force")
    now = datetime.now(UTC)
    rng = random.Random(7)
    batch: dict[Any, list[dict[str, Any]]] = {
        NotificationRecord: [], NotificationSummary: [], SearchTerm: [], TriageResult: [],
        QueueItem: [],
    }  # fmt: skip

    def flush(session: Any) -> None:
        for table, rows in batch.items():
            if rows:
                session.execute(insert(table), rows)
                rows.clear()

    with session_scope(settings.database) as session:
        for n in range(notifications):
            nid = uuid.uuid4()
            body = body_of(n, rng)
            received = now - timedelta(minutes=rng.randint(0, 90 * 24 * 60))
            batch[NotificationRecord].append({
                "id": nid, "source_id": source_id, "reference": body["reference"],
                "body_hash": f"{n:064d}", "raw_json": json.dumps(body), "status": "triaged",
                "attempts": 1, "address_key": f"{body['address']['postcode']}|x",
                "received_at": received, "triaged_at": received,
            })  # fmt: skip
            summary, terms = index_rows(nid, body, received)
            batch[NotificationSummary].append(summary)
            batch[SearchTerm].extend(terms)
            queued = n < items
            kind = ("triage_check" if n % 5 == 0 else "duty_review") if queued else "screened_out"
            priority = rng.choice(("urgent", "high", "high", "normal", "normal", "normal"))
            batch[TriageResult].append({
                "notification_id": nid, "route": kind, "priority": priority if queued else None,
                "score": round(rng.random(), 3), "categories": ["present"] if n % 2 else [],
                "evidence": [], "reasons": ["bench"], "policy_version": 1,
                "model_version": "bench", "created_at": received,
            })  # fmt: skip
            if queued:
                hours = DEFAULT_POLICY.deadline_hours(priority)
                received = now - timedelta(minutes=rng.randint(0, 7 * 24 * 60))
                batch[QueueItem].append({
                    "notification_id": nid, "kind": kind, "priority": priority,
                    "deadline_at": received + timedelta(hours=hours), "status": "open",
                    "created_at": received,
                })  # fmt: skip
            if len(batch[SearchTerm]) > 5000:
                flush(session)
        flush(session)
        user = create_staff(
            session,
            username="bench",
            password_hash=hash_password(PASSWORD),
            role="duty_worker",
            now=now,
        )
        return user.id


def timed(fn: Callable[[], object], repeats: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
    }


QUEUE_PAGES = {
    "GET /queue": "/queue",
    "GET /queue?priority=urgent&overdue=1": "/queue?priority=urgent&overdue=1",
    "GET /queue?family=smi&town=leic": "/queue?family=smi&town=leic",
    "GET /queue?page=60": "/queue?page=60",
}
# (kind, query, similar) searched; the first is the one the ratio is given for.
SEARCHES = {
    "GET /search name=smith": ("name", "smith", False),
    "GET /search reference": ("reference", "BENCH/012345", False),
    "GET /search name=kerry hal (two words)": ("name", "kerry hal", False),
    "GET /search name~smyth (sounds like)": ("name", "smyth", True),
    "GET /search date of birth": ("dob", "1980-06-15", False),
    "GET /search postcode=LE5": ("postcode", "LE5", False),
    "GET /search address=12 willow": ("address", "12 willow", False),
}


def search_url(kind: str, query: str, similar: bool) -> str:
    if kind == "dob":
        year, month, day = query.split("-")
        return f"/search?by=dob&dob-day={day}&dob-month={month}&dob-year={year}"
    params = httpx.QueryParams({"by": kind, "q": query, **({"similar": "1"} if similar else {})})
    return f"/search?{params}"


def row(name: str, f: dict[str, float]) -> None:
    print(f"{name:48} {f['p50']:8.1f} {f['p95']:8.1f} {f['max']:8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    total = max(args.items, args.notifications)

    workdir = Path(tempfile.mkdtemp(prefix="dvscreen-bench-ui-"))
    # Served over plain HTTP on localhost: the session cookie must not be Secure-only.
    settings = Settings(data_dir=workdir, database_url=args.database_url, plain_http=True)
    migrate(settings, DEFAULT_POLICY.model_dump(mode="json"))
    started = time.perf_counter()
    user_id = seed(settings, args.items, total)
    took = time.perf_counter() - started
    dialect = settings.database.split(":", 1)[0]
    print(f"seeded {total} notifications ({args.items} open items) in {took:.1f} s ({dialect})")

    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        login = client.get("/login").text
        token = login.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed = client.post("/login", data={"username": "bench", "password": PASSWORD,
                                             "csrf_token": token})  # fmt: skip
        assert signed.status_code == 303, signed.status_code

        def get(path: str, marker: str) -> None:
            response = client.get(path)
            assert response.status_code == 200 and marker in response.text, path

        served = {name: figures(timed(lambda p=path: get(p, "dv-queue"), args.requests))
                  for name, path in QUEUE_PAGES.items()}  # fmt: skip
        for name, (kind, query, similar) in SEARCHES.items():
            url = search_url(kind, query, similar)
            served[name] = figures(timed(lambda u=url: get(u, "search-results"), args.requests))

    server.should_exit = True
    thread.join(timeout=10)

    def queue_query() -> Any:
        with session_scope(settings.database) as session:
            return list_queue(session, user_id=user_id, now=datetime.now(UTC),
                              filters=QueueFilters(), page=1, per_page=50)  # fmt: skip

    def search_query() -> Any:
        with session_scope(settings.database) as session:
            return search(session, kind="name", query="smith", limit=50)

    base = {"user": None, "csrf_token": "x", "navigation": [], "cspNonce": "x",
            "now": datetime.now(UTC)}  # fmt: skip
    queue_context = {
        **base, "title": "Queue", "result": queue_query(), "filters": QueueFilters(),
        "priorities": ("urgent", "high", "normal"), "page_url": lambda n: f"/queue?page={n}",
        "overdue_count": 0, "sources": [], "work_types": [], "work_type_names": {},
        "received_names": {}, "filtered": False, "is_manager": False,
    }  # fmt: skip
    search_context = {
        **base, "title": "Search", "kind": "name", "kinds": {}, "form": {"q": "smith"},
        "errors": [], "results": search_query(), "limit": 50,
        "link_of": lambda hit: f"/notifications/{hit.notification_id}", "route_names": {},
    }  # fmt: skip
    queue_template = templates.env.get_template("queue.html")
    search_template = templates.env.get_template("search.html")
    baselines = {
        "queue": (figures(timed(queue_query, args.requests)),
                  figures(timed(lambda: queue_template.render(queue_context), args.requests))),
        "search": (figures(timed(search_query, args.requests)),
                   figures(timed(lambda: search_template.render(search_context),
                                 args.requests))),
    }  # fmt: skip

    print(f"\n{'what':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, f in served.items():
        row(name, f)
    for page, (db, render) in baselines.items():
        row(f"baseline: bare {page} query (DB work of page)", db)
        row(f"baseline: bare {page} template render", render)
    for page, first in (("queue", "GET /queue"), ("search", "GET /search name=smith")):
        db, render = baselines[page]
        bare = db["p50"] + render["p50"]
        f = served[first]
        print(f"\nserved {first} p50 is {f['p50'] / bare:.2f}x the bare query + render "
              f"({bare:.1f} ms); overhead {f['p50'] - bare:.1f} ms")  # fmt: skip
    worst = max(f["p95"] for f in served.values())
    ok = worst < BAR_MS
    print(f"bar: p95 < {BAR_MS:.0f} ms with {args.items} open items and {total} notifications: "
          f"{'PASS' if ok else 'FAIL'} (worst p95 {worst:.1f} ms)")  # fmt: skip
    return 0 if ok else 1


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    sys.exit(main())
