"""Staff password hashing (argon2id via argon2-cffi) and the login backoff schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that a wrong name costs the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_LENGTH = 12
FREE_ATTEMPTS = 5  # failures allowed before the account is locked for a while
BASE_LOCK = timedelta(minutes=1)
MAX_LOCK = timedelta(hours=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; spends the same work when there is no stored hash."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if password.strip() != password:
        return "must not start or end with spaces"
    return None


def lock_until(failed_logins: int, now: datetime) -> datetime | None:
    """After FREE_ATTEMPTS failures, lock for 1, 2, 4 ... minutes (at most an hour)."""
    if failed_logins < FREE_ATTEMPTS:
        return None
    exponent = min(failed_logins - FREE_ATTEMPTS, 10)
    return now + min(BASE_LOCK * (2**exponent), MAX_LOCK)
