"""Sources and their API keys. A key is shown once; only its SHA-256 is stored. Every function
works in the caller's session (its transaction).

A key looks like `dvs_<prefix>_<secret>`: the prefix finds the row, the hash of the whole key
is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.db import rows_changed
from models.tables import ApiKey, Source
from models.types import utcnow

KEY_SCHEME = "dvs"


@dataclass(frozen=True)
class KeyInfo:
    prefix: str
    source: str
    created_at: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key(scheme: str) -> tuple[str, str]:
    """A new key `<scheme>_<prefix>_<secret>` and its prefix."""
    prefix = secrets.token_hex(6)
    return f"{scheme}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def parse_prefix(key: str, scheme: str = KEY_SCHEME) -> str | None:
    """The prefix of a `<scheme>_<prefix>_<secret>` key; None for anything else."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != scheme or not parts[1] or not parts[2]:
        return None
    return parts[1]


def key_is_live(key: str, *, key_hash: str, revoked_at: datetime | None) -> bool:
    """Whether `key` is the unrevoked key stored as `key_hash` (compared in constant time)."""
    return revoked_at is None and hmac.compare_digest(key_hash, hash_key(key))


def ensure_source(session: Session, *, name: str) -> int:
    """The id of the source called `name`, created if new."""
    source_id = session.scalar(select(Source.id).where(Source.name == name))
    if source_id is None:
        source = Source(name=name, created_at=utcnow())
        session.add(source)
        session.flush()
        source_id = source.id
    return source_id


def create_key(session: Session, *, source_name: str) -> str:
    """Create the source if new and a key for it; return the key (it is not stored)."""
    source_id = ensure_source(session, name=source_name)
    key, prefix = new_key(KEY_SCHEME)
    session.add(
        ApiKey(source_id=source_id, prefix=prefix, key_hash=hash_key(key), created_at=utcnow())
    )
    session.flush()
    return key


@dataclass(frozen=True)
class Principal:
    """The source a valid key belongs to."""

    source_id: int
    source_name: str


def authenticate(session: Session, *, key: str) -> Principal | None:
    """The source of a valid, unrevoked key, else None."""
    prefix = parse_prefix(key)
    if prefix is None:
        return None
    row = session.execute(
        select(ApiKey.source_id, ApiKey.key_hash, ApiKey.revoked_at, Source.name)
        .join(Source, Source.id == ApiKey.source_id)
        .where(ApiKey.prefix == prefix)
    ).first()
    if row is None or not key_is_live(key, key_hash=row.key_hash, revoked_at=row.revoked_at):
        return None
    return Principal(int(row.source_id), row.name)


def revoke_keys(
    session: Session, *, prefix: str | None = None, source_name: str | None = None
) -> int:
    """Revoke one key (by prefix, or the whole key) or every key of a source; return how many."""
    if prefix is not None and prefix.startswith(f"{KEY_SCHEME}_"):
        prefix = parse_prefix(prefix) or prefix
    statement = update(ApiKey).where(ApiKey.revoked_at.is_(None)).values(revoked_at=utcnow())
    if prefix is not None:
        statement = statement.where(ApiKey.prefix == prefix)
    elif source_name is not None:
        statement = statement.where(
            ApiKey.source_id.in_(select(Source.id).where(Source.name == source_name))
        )
    else:
        raise ValueError("give a prefix or a source")
    return rows_changed(session.execute(statement))


def list_keys(session: Session) -> list[KeyInfo]:
    rows = session.execute(
        select(ApiKey.prefix, Source.name, ApiKey.created_at, ApiKey.revoked_at)
        .join(Source, Source.id == ApiKey.source_id)
        .order_by(ApiKey.id)
    ).all()
    return [KeyInfo(r.prefix, r.name, r.created_at, r.revoked_at) for r in rows]


def source_name(session: Session, *, source_id: int) -> str | None:
    return session.scalar(select(Source.name).where(Source.id == source_id))
