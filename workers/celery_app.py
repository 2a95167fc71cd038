"""The Celery application: JSON only, late acknowledgement, requeue on a lost worker, one
message prefetched per process. `celery -A workers.celery_app worker` runs it.

The outbox relay (workers/outbox.py) runs in its own process (`dvscreen relay`) and sweeps for
lost messages too; beat schedules the slow backstop sweep (workers/sweep.py).

Surviving a broker outage: the crash seen under load (`kombu/transport/redis.py _connparams:
'NoneType' object has no attribute 'hostname'`, then "Unrecoverable error" and the worker
exits) is a kombu 5.7.0 defect on the consumer's connection-loss path, corrected by the Redis
transport in workers/broker.py (its docstring has the whole chain). The relay, which publishes
through other connections from another thread, no longer lives in the worker at all.
Reconnection is retried every second (kombu's default backs off to 30 s), so a worker consumes
again within a second or two of Redis coming back.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, signals
from celery.app.amqp import AMQP
from kombu import Connection

from models.db import dispose_engines
from models.settings import Settings, get_settings
from workers.broker import TRANSPORT

log = logging.getLogger("dvscreen.workers")

# Publishing from the relay: a short in-call retry rides out a dropped pooled connection; a
# longer one would only hold the relay's transaction open while Redis is down. The outbox row
# is the durable retry: unpublished rows are tried again on every relay pass (backing off to
# 5 s while publishing fails), so nothing depends on this policy to avoid loss.
PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


# How often beat looks for service labels not yet in the what-if history (a job if there are).
LABEL_SYNC_SECONDS = 60.0


# Reconnecting to a broker that went away: every second, not kombu's 2, 4 ... 30 s.
RECONNECT_INTERVAL_SECONDS = 1.0


class PromptConnection(Connection):
    """A kombu connection whose reconnect attempts never back off beyond a second."""

    def ensure_connection(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["interval_start"] = min(kwargs.get("interval_start", 0), RECONNECT_INTERVAL_SECONDS)
        kwargs["interval_step"] = min(kwargs.get("interval_step", 0.5), 0.5)
        kwargs["interval_max"] = RECONNECT_INTERVAL_SECONDS
        return super().ensure_connection(*args, **kwargs)


class PromptAMQP(AMQP):
    Connection = PromptConnection


def make_celery(settings: Settings) -> Celery:
    settings.ensure_data_dir()
    app = Celery(
        "dvscreen",
        broker=settings.broker,
        include=[
            "workers.triage",
            "workers.sweep",
            "workers.retention",
            "workers.governance_tasks",
        ],
        amqp=PromptAMQP,
    )
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        event_serializer="json",
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.queue,
        task_default_exchange=settings.queue,
        task_default_routing_key=settings.queue,
        broker_transport_options=settings.broker_transport_options(),
        broker_connection_retry_on_startup=True,
        # Keep reconnecting to a broker that went away, however long it takes.
        broker_connection_max_retries=None,
        broker_connection_timeout=2,
        task_publish_retry=True,
        task_publish_retry_policy=PUBLISH_RETRY_POLICY,
        worker_send_task_events=False,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        beat_schedule={
            "sweep": {
                "task": "dvscreen.sweep",
                "schedule": settings.stale_grace_seconds / 4,
                "options": {"expires": settings.stale_grace_seconds / 2},
            },
            # Service labels into the what-if history (workers/governance_tasks.py).
            "label-sync": {
                "task": "dvscreen.schedule_label_sync",
                "schedule": LABEL_SYNC_SECONDS,
                "options": {"expires": LABEL_SYNC_SECONDS},
            },
            # The retention purge (workers/retention.py), once a day.
            "retention-purge": {
                "task": "dvscreen.retention_purge",
                "schedule": 24 * 3600,
                "options": {"expires": 12 * 3600},
            },
        },
    )
    if settings.worker_concurrency:
        app.conf.worker_concurrency = settings.worker_concurrency
    if settings.broker.startswith(("redis://", "rediss://")):
        app.conf.broker_transport = TRANSPORT
    if settings.is_embedded_broker:
        # No broadcast between workers on the file system broker.
        app.conf.worker_enable_remote_control = False
    app.conf.dvscreen_settings = settings
    return app


def settings_of(app: Celery) -> Settings:
    return app.conf.dvscreen_settings


app = make_celery(get_settings())


@signals.worker_process_init.connect
def _child_started(**_kwargs: Any) -> None:
    """A new pool process: drop inherited connections and load the screening model."""
    dispose_engines()
    try:
        from screening.screener import load_screener

        load_screener()
    except Exception as error:  # the task reports it per notification
        log.warning("could not preload the screening model (%s)", type(error).__name__)


@signals.worker_ready.connect
def _start_relay(sender: Any = None, **_kwargs: Any) -> None:
    settings = settings_of(app)
    if settings.relay_enabled and settings.relay_in_worker:
        from workers.outbox import start_relay

        start_relay(app, settings)


@signals.worker_shutdown.connect
def _stop_relay(**_kwargs: Any) -> None:
    from workers.outbox import stop_relay

    stop_relay()
