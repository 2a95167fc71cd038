"""Pipeline benchmark on PostgreSQL and Redis: intake rate, end-to-end throughput (submitted to
triaged) and latency p50/p95/p99 at a steady rate and flat out, against two baselines measured
in the same run: a bare FastAPI endpoint that inserts one row (intake), and a no-op Celery task
through the same broker and worker settings (end to end).

    .venv/bin/python bench/pipeline.py [--count 2000] [--rate 20] [--steady-seconds 30]

Uses TEST_DATABASE_URL / TEST_REDIS_URL (defaults: local postgres `test`, redis db 0) in a
schema and queue of its own, removed afterwards. Bars (issue 3): intake >= 300/s; end to end
>= 50% of the no-op baseline; p95 < 1 s at 20/s. Exit status 1 if a bar is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from fastapi import FastAPI, Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402

DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


# --- the bare intake baseline: one FastAPI endpoint, one INSERT --------------------------


def bare_app():  # uvicorn --app-dir bench --factory pipeline:bare_app
    from sqlalchemy import text

    from models.db import get_engine

    engine = get_engine(os.environ["DATABASE_URL"])
    app = FastAPI()

    @app.post("/bare")
    async def bare(request: Request) -> JSONResponse:
        body = await request.body()

        def insert() -> None:
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO bench_rows (body) VALUES (:b)"),
                                   {"b": body.decode()})

        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(insert)
        return JSONResponse({"ok": True}, status_code=202)

    return app


# --- helpers ---------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def notification(reference: str, i: int) -> dict:
    from tests.notification_factory import make_notification

    return make_notification(reference, child=i % 3 != 0, seed=i)


class Stack:
    """Child processes of the benchmark, each in its own process group."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env, self.workdir, self.children = env, workdir, []

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("wb")
        # bench/ after the project root, so that `noop_task` imports and `screening` is ours.
        env = {**self.env, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), str(ROOT / "bench"), self.env.get("PYTHONPATH")]))}
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append(child)
        return child

    def uvicorn(self, target: str, port: int, workers: int) -> subprocess.Popen:
        # The bare app lives here; the real one must not see bench/screening.py as `screening`.
        app_dir = ["--app-dir", str(ROOT / "bench")] if target.startswith("pipeline:") else []
        child = self.spawn(f"uvicorn-{port}", [
            sys.executable, "-m", "uvicorn", *app_dir, "--factory", target, "--host", "127.0.0.1",
            f"--port={port}", f"--workers={workers}", "--log-level=warning", "--no-access-log",
        ])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/docs", timeout=1)
                return child
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"{target} did not start")

    def worker(self, concurrency: int) -> subprocess.Popen:
        # The production app with the benchmark's no-op task (bench/noop_task.py) registered.
        child = self.spawn("worker", [
            sys.executable, "-m", "celery", "-A", "noop_task", "worker",
            "--loglevel=WARNING", "-Q", self.env["DVSCREEN_QUEUE"],
            f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
            "--without-heartbeat",
        ])
        time.sleep(4)
        return child

    def stop(self, child: subprocess.Popen) -> None:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()

    def stop_all(self) -> None:
        for child in reversed(self.children):
            self.stop(child)


class RawClient:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams: far lighter than httpx, so
    that on 2 cores the load generator takes little of the CPU it is measuring."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, key: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def post_all(base: str, path: str, bodies: list[bytes], key: str, clients: int,
                   rate: float | None = None) -> tuple[float, list[int]]:
    """POST every body with `clients` concurrent connections (or at `rate` per second)."""
    host, port = base.removeprefix("http://").split(":")
    pool = [RawClient(host, int(port)) for _ in range(clients)]
    codes: list[int] = []
    started = time.perf_counter()
    if rate:
        idle: asyncio.Queue[RawClient] = asyncio.Queue()
        for client in pool:
            idle.put_nowait(client)

        async def one(body: bytes) -> int:
            client = await idle.get()
            try:
                return await client.post(path, body, key)
            finally:
                idle.put_nowait(client)

        tasks = []
        for i, body in enumerate(bodies):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(body)))
        codes = list(await asyncio.gather(*tasks))
    else:
        pending = list(reversed(bodies))

        async def run(client: RawClient) -> None:
            while pending:
                codes.append(await client.post(path, pending.pop(), key))

        await asyncio.gather(*(run(client) for client in pool))
    elapsed = time.perf_counter() - started
    for client in pool:
        await client.close()
    return elapsed, codes


def db_latencies(conninfo: str, schema: str) -> tuple[list[float], float, int]:
    """Per notification: triaged_at - received_at; and the span first received to last
    triaged."""
    with psycopg.connect(conninfo) as connection:
        rows = connection.execute(
            f"SELECT extract(epoch FROM triaged_at - received_at), received_at, triaged_at "
            f"FROM {schema}.notifications WHERE status = 'triaged'"
        ).fetchall()
    if not rows:
        return [], float("nan"), 0
    span = (max(r[2] for r in rows) - min(r[1] for r in rows)).total_seconds()
    return [float(r[0]) for r in rows], span, len(rows)


def wait_triaged(conninfo: str, schema: str, expected: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(conninfo, autocommit=True) as connection:
        while time.monotonic() < deadline:
            done = connection.execute(
                f"SELECT count(*) FROM {schema}.notifications WHERE status = 'triaged'"
            ).fetchone()[0]
            if done >= expected:
                return
            time.sleep(0.25)
    raise RuntimeError(f"only {done} of {expected} triaged within {timeout:.0f} s")


def truncate(conninfo: str, schema: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(
            f"TRUNCATE {schema}.audit_events, {schema}.queue_items, {schema}.triage_results, "
            f"{schema}.outbox, {schema}.notifications CASCADE"
        )


# --- the run -------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="notifications flat out")
    parser.add_argument("--rate", type=float, default=20.0, help="steady rate per second")
    parser.add_argument("--steady-seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--api-workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery pool processes")
    args = parser.parse_args()

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    conninfo = DATABASE_URL.replace("+psycopg", "")
    separator = "&" if "?" in DATABASE_URL else "?"
    url = f"{DATABASE_URL}{separator}options=-csearch_path%3D{schema}"
    workdir = Path(os.environ.get("TMPDIR", "/tmp")) / schema
    workdir.mkdir(parents=True)
    queue = f"dvscreen-{schema}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": url, "BROKER_URL": REDIS_URL,
           "DVSCREEN_QUEUE": queue, "DVSCREEN_DATA_DIR": str(workdir)}
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "BROKER_URL", "DVSCREEN_QUEUE",
                                           "DVSCREEN_DATA_DIR")})

    from models.db import session_scope
    from models.key_store import create_key
    from models.migrate import migrate
    from models.settings import Settings
    from screening.policy import DEFAULT_POLICY

    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
        connection.execute(f"CREATE TABLE {schema}.bench_rows (id bigserial primary key, "
                           "body text not null)")
    migrate(Settings(), DEFAULT_POLICY.model_dump(mode="json"))
    with session_scope(url) as session:
        key = create_key(session, source_name="Bench Police")
    stack = Stack(env, workdir)
    figures: dict[str, float] = {}
    try:
        count = args.count
        bodies = [json.dumps(notification(f"BENCH/{i:06d}", i)).encode() for i in range(count)]

        # 1. Intake baseline: bare endpoint, one INSERT per request.
        bare = stack.uvicorn("pipeline:bare_app", 8901, args.api_workers)
        elapsed, codes = asyncio.run(post_all("http://127.0.0.1:8901", "/bare", bodies, key,
                                              args.clients))
        assert codes.count(202) == count, set(codes)
        figures["bare_intake_per_s"] = count / elapsed
        stack.stop(bare)

        # 2. Intake: the real API, no worker running.
        api = stack.uvicorn("api.app:create_app", 8902, args.api_workers)
        elapsed, codes = asyncio.run(post_all("http://127.0.0.1:8902", "/v1/notifications",
                                              bodies, key, args.clients))
        assert codes.count(202) == count, set(codes)
        figures["intake_per_s"] = count / elapsed
        truncate(conninfo, schema)

        # 3. No-op Celery baseline: one message per notification through the same broker.
        import redis

        from workers.celery_app import app as celery_app

        worker = stack.worker(args.concurrency)
        counter = f"{queue}:noop"
        client = redis.Redis.from_url(REDIS_URL)
        client.delete(counter)
        # Warm up: wait until the worker handles a message before timing.
        celery_app.send_task("dvscreen.noop", args=[["warm-up"], counter], queue=queue)
        while int(client.get(counter) or 0) < 1:
            time.sleep(0.05)
        client.delete(counter)
        started = time.perf_counter()
        for i in range(count):
            celery_app.send_task("dvscreen.noop", args=[[str(i)], counter], queue=queue)
        while int(client.get(counter) or 0) < count:
            time.sleep(0.01)
        figures["noop_per_s"] = count / (time.perf_counter() - started)
        client.delete(counter)

        # 4. End to end, flat out: submitted (received_at) to triaged (triaged_at).
        elapsed, codes = asyncio.run(post_all("http://127.0.0.1:8902", "/v1/notifications",
                                              bodies, key, args.clients))
        assert codes.count(202) == count, set(codes)
        wait_triaged(conninfo, schema, count, timeout=900)
        latencies, span, done = db_latencies(conninfo, schema)
        figures["e2e_per_s"] = done / span
        for q in (50, 95, 99):
            figures[f"flat_p{q}_s"] = percentile(latencies, q)
        truncate(conninfo, schema)

        # 5. End to end at a steady rate.
        steady = int(args.rate * args.steady_seconds)
        steady_bodies = [json.dumps(notification(f"STEADY/{i:06d}", i)).encode()
                         for i in range(steady)]
        asyncio.run(post_all("http://127.0.0.1:8902", "/v1/notifications", steady_bodies, key,
                             args.clients, rate=args.rate))
        wait_triaged(conninfo, schema, steady, timeout=300)
        latencies, _, _ = db_latencies(conninfo, schema)
        for q in (50, 95, 99):
            figures[f"steady_p{q}_s"] = percentile(latencies, q)
        figures["steady_mean_s"] = statistics.fmean(latencies)
        stack.stop(worker)
        stack.stop(api)
    finally:
        stack.stop_all()
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")

    intake_ratio = figures["intake_per_s"] / figures["bare_intake_per_s"]
    e2e_ratio = figures["e2e_per_s"] / figures["noop_per_s"]
    print(f"pipeline benchmark: {args.count} notifications flat out, {args.rate:g}/s for "
          f"{args.steady_seconds:g} s; {os.cpu_count()} cores; PostgreSQL + Redis")
    print(f"  intake, bare FastAPI + one INSERT  {figures['bare_intake_per_s']:8.0f} /s")
    print(f"  intake, POST /v1/notifications     {figures['intake_per_s']:8.0f} /s"
          f"   ({intake_ratio:.0%} of bare)")
    print(f"  no-op Celery task, same broker     {figures['noop_per_s']:8.0f} /s")
    print(f"  end to end (submitted -> triaged)  {figures['e2e_per_s']:8.0f} /s"
          f"   ({e2e_ratio:.0%} of no-op)")
    print(f"  latency flat out   p50 {figures['flat_p50_s']:.3f} s  p95 {figures['flat_p95_s']:.3f}"
          f" s  p99 {figures['flat_p99_s']:.3f} s")
    print(f"  latency at {args.rate:g}/s   p50 {figures['steady_p50_s']:.3f} s  p95 "
          f"{figures['steady_p95_s']:.3f} s  p99 {figures['steady_p99_s']:.3f} s")
    bars = {
        "intake >= 300/s": figures["intake_per_s"] >= 300,
        "end to end >= 50% of no-op": e2e_ratio >= 0.5,
        f"p95 < 1 s at {args.rate:g}/s": figures["steady_p95_s"] < 1.0,
    }
    for bar, met in bars.items():
        print(f"  [{'met' if met else 'MISSED'}] {bar}")
    return 0 if all(bars.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
