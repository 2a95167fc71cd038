"""Imports every table module so that `Base.metadata` knows all tables (Alembic, tests)."""

from models import governance_tables, review_tables, tables  # noqa: F401
