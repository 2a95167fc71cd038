"""API keys of the consumers of the contacts feed (the council's case-management system): a
kind of key apart from police sources' (`dvc_<prefix>_<secret>` in `consumer_keys`, never
`dvs_` in `api_keys`), shown once and hashed at rest as models/key_store.py does. Store
functions take the caller's Session first; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.contact_tables import ConsumerKey
from models.db import rows_changed
from models.key_store import hash_key, key_is_live, new_key, parse_prefix

CONSUMER_SCHEME = "dvc"


@dataclass(frozen=True)
class Consumer:
    """The consumer a valid key belongs to."""

    key_id: int
    name: str

    @property
    def actor(self) -> str:
        return f"consumer:{self.key_id}"


@dataclass(frozen=True)
class ConsumerKeyInfo:
    prefix: str
    consumer: str
    created_at: datetime
    revoked_at: datetime | None


def _prefix(key: str) -> str | None:
    return parse_prefix(key, CONSUMER_SCHEME)


def create_consumer_key(session: Session, *, consumer: str, now: datetime) -> str:
    """A new key for `consumer`; returned once (only its hash is kept)."""
    key, prefix = new_key(CONSUMER_SCHEME)
    session.add(
        ConsumerKey(consumer=consumer, prefix=prefix, key_hash=hash_key(key), created_at=now)
    )
    session.flush()
    return key


def authenticate_consumer(session: Session, *, key: str) -> Consumer | None:
    """The consumer of a valid, unrevoked consumer key, else None (a police key is None)."""
    prefix = _prefix(key)
    if prefix is None:
        return None
    row = session.execute(
        select(ConsumerKey.id, ConsumerKey.consumer, ConsumerKey.key_hash, ConsumerKey.revoked_at)
        .where(ConsumerKey.prefix == prefix)
    ).first()
    if row is None or not key_is_live(key, key_hash=row.key_hash, revoked_at=row.revoked_at):
        return None
    return Consumer(int(row.id), row.consumer)


def is_consumer_key(key: str) -> bool:
    return _prefix(key) is not None


def revoke_consumer_keys(session: Session, *, prefix: str, now: datetime) -> int:
    """Revoke one consumer key by prefix (or the whole key); how many were revoked."""
    prefix = _prefix(prefix) or prefix
    result = session.execute(
        update(ConsumerKey)
        .where(ConsumerKey.prefix == prefix, ConsumerKey.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return rows_changed(result)


def list_consumer_keys(session: Session) -> list[ConsumerKeyInfo]:
    rows = session.execute(
        select(ConsumerKey.prefix, ConsumerKey.consumer, ConsumerKey.created_at,
               ConsumerKey.revoked_at).order_by(ConsumerKey.id)
    ).all()
    return [ConsumerKeyInfo(r.prefix, r.consumer, r.created_at, r.revoked_at) for r in rows]
