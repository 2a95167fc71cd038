"""Benchmark: the retention purge over 100,000 notifications on PostgreSQL, under a minute.

Seeds a fresh PostgreSQL schema (TEST_DATABASE_URL, default the local `test` database) in SQL:
100,000 notifications, each with raw JSON of about 1.5 kB (an address, two people, a narrative),
a triage result with evidence, two audit events, the queue's summary, six search terms and a
person mention in the people index; one in ten decided by a duty worker (a closed
queue item, a decision whose reasoning names the person, a label and its labelled facts). All
of it is past its retention schedule. Then it times `governance.retention.purge` (the dry run
too), and, in the same run, a bare DELETE of the same notifications and every row that refers
to them, and prints both and their ratio.

    .venv/bin/python bench/retention.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import text  # noqa: E402

from governance.retention import purge  # noqa: E402
from models.db import get_engine, session_scope  # noqa: E402
from models.key_store import ensure_source  # noqa: E402
from models.migrate import migrate  # noqa: E402
from models.settings import Settings  # noqa: E402
from models.staff_store import create_staff  # noqa: E402
from models.types import utcnow  # noqa: E402
from screening.policy import DEFAULT_POLICY  # noqa: E402

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BAR_SECONDS = 60.0
NARRATIVE = "Two adults argued in the kitchen about money and the car keys. " * 18

SEED = [
    """INSERT INTO notifications (id, source_id, reference, body_hash, raw_json, status, attempts,
         address_key, received_at, triaged_at)
       SELECT md5('n' || g)::uuid, CAST(:source AS bigint), 'BR/' || g,
         md5(g::text) || md5(g::text),
         json_build_object(
           'reference', 'BR/' || g, 'occurred_at', '2023-01-01T00:00:00+00:00',
           'incident_type', 'incident',
           'address', json_build_object('line1', g || ' Example Street', 'town', 'Leicester',
                                        'postcode', 'LE1 1AA'),
           'people', json_build_array(
             json_build_object('role', 'victim', 'given_name', 'Given' || g,
                               'family_name', 'Family' || g, 'date_of_birth', '1990-01-01',
                               'ethnicity', 'White British', 'gender', 'female'),
             json_build_object('role', 'suspect', 'given_name', 'Other' || g,
                               'family_name', 'Family' || g, 'age', 40)),
           'narrative', CAST(:narrative AS text))::text,
         'triaged', 1, 'LE1 1AA|' || g || ' example street', CAST(:old AS timestamptz),
           CAST(:old AS timestamptz)
       FROM generate_series(1, CAST(:rows AS int)) g""",
    """INSERT INTO triage_results (notification_id, route, priority, score, categories, evidence,
         reasons, policy_version, model_version, created_at)
       SELECT md5('n' || g)::uuid,
         CASE WHEN g % 10 = 0 THEN 'duty_review' ELSE 'screened_out' END,
         CASE WHEN g % 10 = 0 THEN 'high' END, 0.05,
         CASE WHEN g % 10 = 0 THEN '["present"]'::jsonb ELSE '[]'::jsonb END,
         jsonb_build_array(jsonb_build_object('source', 'narrative', 'start', 4, 'end', 15,
           'text', 'adults argued', 'rule', 'adults_only', 'polarity', 'negative')),
         '["no child involvement found and the model score 0.05 is at or under 0.20"]'::jsonb,
         1, 'bench-model', CAST(:old AS timestamptz)
       FROM generate_series(1, CAST(:rows AS int)) g""",
    """INSERT INTO queue_items (id, notification_id, kind, priority, deadline_at, status,
         claimed_by, claimed_at, created_at, closed_at)
       SELECT g, md5('n' || g)::uuid, 'duty_review', 'high', CAST(:old AS timestamptz), 'closed',
         CAST(:staff AS bigint), CAST(:old AS timestamptz), CAST(:old AS timestamptz),
         CAST(:old AS timestamptz)
       FROM generate_series(10, CAST(:rows AS int), 10) g""",
    """INSERT INTO decisions (id, queue_item_id, notification_id, kind, outcome, reasoning,
         child_involvement, categories, decided_by, decided_at, needs_signoff)
       SELECT g, g, md5('n' || g)::uuid, 'duty_review', 'refer_for_assessment',
         'Given' || g || ' Family' || g || ' has a child at the address.', true,
         '["present"]'::jsonb, CAST(:staff AS bigint), CAST(:old AS timestamptz), false
       FROM generate_series(10, CAST(:rows AS int), 10) g""",
    """INSERT INTO labels (id, notification_id, child_involvement, categories, source,
         decision_id, labelled_by, labelled_at)
       SELECT g, md5('n' || g)::uuid, true, '["present"]'::jsonb, 'decision', g,
         CAST(:staff AS bigint), CAST(:old AS timestamptz)
       FROM generate_series(10, CAST(:rows AS int), 10) g""",
    """INSERT INTO labelled_facts (origin, notification_id, label_id, reference, occurred_at,
         child_involvement, categories, score, positive_categories, uncertain_rules, silent,
         model_version, created_at)
       SELECT 'label', md5('n' || g)::uuid, g, 'BR/' || g, CAST(:old AS timestamptz), true,
         'present', 0.6,
         'present', '', false, 'bench-model', CAST(:old AS timestamptz)
       FROM generate_series(10, CAST(:rows AS int), 10) g""",
    """INSERT INTO notification_summaries (notification_id, victim_name, victim_family,
         victim_family_key, town, town_key, postcode, received_at)
       SELECT md5('n' || g)::uuid, 'Given' || g || ' Family' || g, 'Family' || g,
         'family' || g, 'Leicester', 'leicester', 'LE11AA', CAST(:old AS timestamptz)
       FROM generate_series(1, CAST(:rows AS int)) g""",
    """INSERT INTO search_terms (notification_id, kind, value)
       SELECT md5('n' || g)::uuid, k, k || g
       FROM generate_series(1, CAST(:rows AS int)) g,
         unnest(ARRAY['reference', 'name', 'name', 'dob', 'postcode', 'line']) k""",
    """INSERT INTO people (id, created_at)
       SELECT g, CAST(:old AS timestamptz) FROM generate_series(1, CAST(:rows AS int)) g""",
    """INSERT INTO person_mentions (notification_id, position, person_id, role, given_name,
         family_name, date_of_birth, given, family, birth_year, gender, minor, given_key,
         family_key, address_key, occurred_at, linked_at)
       SELECT md5('n' || g)::uuid, 0, g, 'victim', 'Given' || g, 'Family' || g, '1990-01-01',
         'given' || g, 'family' || g, 1990, 'f', false, 'GN' || g, 'FM' || g,
         'LE1 1AA|' || g || ' example street', CAST(:old AS timestamptz),
         CAST(:old AS timestamptz)
       FROM generate_series(1, CAST(:rows AS int)) g""",
    """INSERT INTO audit_events (at, actor, action, notification_id, detail)
       SELECT CAST(:old AS timestamptz), 'source:1', a, md5('n' || g)::uuid,
         '{"route": "screened_out"}'::jsonb
       FROM generate_series(1, CAST(:rows AS int)) g,
         unnest(ARRAY['notification_received', 'notification_triaged']) a""",
]
# A bare DELETE of the same notifications and everything that refers to them.
BARE = [
    f"DELETE FROM {table} WHERE notification_id IN (SELECT id FROM doomed)"
    for table in ("audit_events", "labelled_facts", "labels", "decisions", "queue_items",
                  "triage_results", "purged_notifications", "outbox", "shadow_scores",
                  "person_mentions", "search_terms", "notification_summaries")
] + ["DELETE FROM notifications WHERE id IN (SELECT id FROM doomed)"]


def seed(url: str, rows: int) -> None:
    with session_scope(url) as session:
        source = ensure_source(session, name="bench-force")
        staff = create_staff(session, username="bench-duty", password_hash="x",
                             role="duty_worker", now=utcnow()).id
    params = {"rows": rows, "source": source, "staff": staff, "narrative": NARRATIVE,
              "old": utcnow() - timedelta(days=3 * 365)}
    with get_engine(url).begin() as conn:
        for statement in SEED:
            conn.execute(text(statement), params)
        for table in ("queue_items", "people"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :n)"),
                         {"n": rows + 10})
        conn.execute(text("ANALYZE"))


def bare_delete(url: str) -> float:
    with get_engine(url).begin() as conn:
        conn.execute(text("CREATE TEMP TABLE doomed AS SELECT id FROM notifications"))
        started = time.perf_counter()
        for statement in BARE:
            conn.execute(text(statement))
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    plain = PG_URL.replace("+psycopg", "")
    schema = f"bench_retention_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(plain, autocommit=True)
    admin.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            migrate(Settings(data_dir=Path(tmp), database_url=url),
                    DEFAULT_POLICY.model_dump(mode="json"))
            started = time.perf_counter()
            seed(url, args.rows)
            print(f"seeded {args.rows:,} notifications in {time.perf_counter() - started:.1f} s")
            later = utcnow() + timedelta(days=10 * 366)
            dry = purge(url, dry_run=True, now=later)
            print(f"dry run: {dry.notifications:,} would be purged, in {dry.seconds:.2f} s")
            report = purge(url, now=later)
            print(f"purge: {report.notifications:,} notifications in {report.seconds:.2f} s "
                  f"(rows changed: {report.rows_changed})")
            bare = bare_delete(url)
            print(f"bare DELETE of the same {args.rows:,} notifications and their rows: "
                  f"{bare:.2f} s")
            print(f"purge / bare DELETE: {report.seconds / bare:.2f}")
            ok = report.notifications == args.rows and report.seconds < BAR_SECONDS
            print(f"bar: under {BAR_SECONDS:.0f} s: {'met' if ok else 'NOT met'}")
            return 0 if ok else 1
    finally:
        get_engine(url).dispose()
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
