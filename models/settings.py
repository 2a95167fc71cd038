"""Runtime settings from the environment (pydantic-settings).

With nothing set, the embedded default: SQLite at `$DVSCREEN_DATA_DIR/dvscreen.db` (default
`./var/`) and kombu's `filesystem://` broker with its folders under the same directory, so the
service runs with no server at all. `DATABASE_URL` and `BROKER_URL` switch to PostgreSQL and Redis.
Other knobs are `DVSCREEN_*` variables (e.g. `DVSCREEN_TRIAGE_MAX_ATTEMPTS`).

`get_settings()` reads the environment once per process (each `dvscreen` command reads it
afresh); the web app keeps the settings it was built with in `app.state.settings`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="DVSCREEN_", extra="ignore", populate_by_name=True, frozen=True
    )

    data_dir: Path = Field(
        default=Path("var"), validation_alias=AliasChoices("DVSCREEN_DATA_DIR", "data_dir")
    )
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    broker_url: str | None = Field(
        default=None, validation_alias=AliasChoices("BROKER_URL", "broker_url")
    )
    # Celery queue for triage and maintenance tasks (tests use their own per run).
    queue: str = "dvscreen"

    # Intake limits.
    max_notification_bytes: int = MIB
    max_batch_bytes: int = 10 * MIB
    max_batch_items: int = 500
    # A valid key is remembered this long per API process, saving a query per request; a
    # revoked key therefore stops working within this many seconds. 0 turns it off.
    auth_cache_seconds: float = Field(default=2.0, ge=0)

    # Triage retries: attempt n waits base * 2**(n-1) seconds (capped), plus jitter. After
    # `triage_max_attempts` failed attempts the notification is marked `failed` (see replay).
    triage_max_attempts: int = Field(default=5, ge=1)
    triage_retry_base_seconds: float = Field(default=1.0, gt=0)
    triage_retry_max_seconds: float = Field(default=30.0, gt=0)
    # Ids per triage message the relay publishes (a backlog is drained in chunks). Triage
    # screens and records a message's ids together, so a larger message is cheaper per
    # notification; a quiet stream still goes one or two at a time. 25 measured best here.
    task_batch_size: int = Field(default=25, ge=1, le=500)

    # Outbox relay: its own process (`dvscreen relay`), which also runs the sweep; `dvscreen
    # serve` starts and supervises one. `relay_in_worker` runs it as a thread of the worker's
    # main process instead (the old shape; the relay then dies with that worker).
    relay_enabled: bool = True
    relay_in_worker: bool = False
    relay_interval_seconds: float = Field(default=0.05, gt=0)
    relay_batch_size: int = Field(default=500, ge=1)

    # Recovery of lost messages (README, "Recovery bounds"). A worker leases the notifications
    # it starts for `triage_lease_seconds` (extended over a retry's countdown); every
    # `sweep_interval_seconds` the relay publishes again any notification still `received`
    # whose lease ran out, or which was never started `sweep_grace_seconds` after its publish
    # while the broker queue is empty. A lost message is therefore triaged again within about
    # grace + interval + one triage after the fault ends: 15 + 5 + a few seconds < 30 s.
    triage_lease_seconds: float = Field(default=15.0, gt=0)
    sweep_interval_seconds: float = Field(default=5.0, gt=0)
    sweep_grace_seconds: float = Field(default=15.0, gt=0)
    # The slow backstop (Celery beat): anything `received` whose last publish is older than
    # this is published again, whatever the queue holds.
    stale_grace_seconds: float = Field(default=600.0, gt=0)

    worker_concurrency: int | None = None

    # Staff web app. Session cookies are `Secure` unless the service runs on plain HTTP on a
    # workstation: `DVSCREEN_PLAIN_HTTP=true`, or unset with the embedded default (SQLite,
    # `make run` on 127.0.0.1). The production shape (DATABASE_URL set) always sets Secure.
    plain_http: bool | None = None
    # The session cookie's signing secret (default: a random one kept in the data directory).
    session_secret: str | None = None

    # Policy governance: `DVSCREEN_SINGLE_APPROVAL=true` lets a small authority with one head
    # of safeguarding approve their own policy change (default: a second head must).
    single_approval: bool = False

    @property
    def secure_cookies(self) -> bool:
        if self.plain_http is not None:
            return not self.plain_http
        return bool(self.database_url)

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()

    @property
    def database(self) -> str:
        """The SQLAlchemy URL: DATABASE_URL or SQLite in the data directory."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url[len("postgres://") :]
            elif url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            return url
        return f"sqlite:///{self.resolved_data_dir / 'dvscreen.db'}"

    @property
    def broker(self) -> str:
        return self.broker_url or "filesystem://"

    @property
    def is_embedded_broker(self) -> bool:
        return self.broker.startswith("filesystem://")

    @property
    def broker_folder(self) -> Path:
        return self.resolved_data_dir / "broker"

    def ensure_data_dir(self) -> None:
        """Create the folders the embedded default needs."""
        if not self.database_url or self.is_embedded_broker:
            self.resolved_data_dir.mkdir(parents=True, exist_ok=True)
        if self.is_embedded_broker:
            for name in ("queue", "processed", "control"):
                (self.broker_folder / name).mkdir(parents=True, exist_ok=True)

    def broker_transport_options(self) -> dict[str, Any]:
        if self.is_embedded_broker:
            queue = str(self.broker_folder / "queue")
            return {
                "data_folder_in": queue,
                "data_folder_out": queue,
                "processed_folder": str(self.broker_folder / "processed"),
                "control_folder": str(self.broker_folder / "control"),
                "store_processed": False,
                # Poll the queue folder every 0.1 s (default 1 s) for low latency.
                "polling_interval": 0.1,
            }
        # Redis. Celery's Redis caveats ("Visibility timeout", docs: getting-started/backends-
        # and-brokers/redis): a message not acknowledged within the visibility timeout is
        # delivered again, to another worker, even while the first is still holding it, and an
        # ETA/countdown longer than the timeout loops forever. Our tasks acknowledge late, so a
        # message is unacknowledged for (time waiting behind one prefetched task) + (run time)
        # + (retry countdown, capped at triage_retry_max_seconds = 30 s by default). Five
        # minutes is a wide margin over that, and short enough that a message held by a
        # worker that was killed outright comes back within minutes without our help. The
        # sweep (grace 3 min) recovers such messages too, and a duplicate delivery is harmless
        # because triage is idempotent (unique result per notification).
        return {
            "visibility_timeout": 300,
            # Restore expired unacked messages every 10 s rather than the default 100 s.
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": 5,
            "socket_timeout": 10,
            "retry_on_timeout": True,
        }


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read from the environment once."""
    return Settings()
