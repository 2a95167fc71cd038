"""Imports every table module so that `Base.metadata` knows all tables (Alembic, tests)."""

from models import (  # noqa: F401
    admin_tables,
    contact_tables,
    file_tables,
    governance_tables,
    ig_tables,
    job_tables,
    people_tables,
    review_tables,
    search_tables,
    tables,
)
