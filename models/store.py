"""The functions that read and write the pipeline's tables, in one place to import from.

They live in small modules by subject: intake_store (receiving), triage_store (results, queue
items, failures, replay), outbox_store (relay and sweep), policy_store, key_store and audit.
"""

from models.audit import record_event
from models.intake_store import (
    NotificationStatus,
    Stored,
    canonical_hash,
    notification_status,
    store_notification,
)
from models.key_store import (
    Principal,
    authenticate,
    create_key,
    ensure_source,
    list_keys,
    revoke_keys,
)
from models.outbox_store import publish_pending, requeue_stale
from models.policy_store import StoredPolicy, active_policy
from models.triage_store import (
    TriageInput,
    in_sample,
    load_for_triage,
    pipeline_counts,
    prior_child_at_address,
    record_failure,
    record_result,
    replay_failed,
)

__all__ = [
    "NotificationStatus",
    "Principal",
    "Stored",
    "StoredPolicy",
    "TriageInput",
    "active_policy",
    "authenticate",
    "canonical_hash",
    "create_key",
    "ensure_source",
    "in_sample",
    "list_keys",
    "load_for_triage",
    "notification_status",
    "pipeline_counts",
    "prior_child_at_address",
    "publish_pending",
    "record_event",
    "record_failure",
    "record_result",
    "replay_failed",
    "requeue_stale",
    "revoke_keys",
    "store_notification",
]
