"""Imports every table module so that `Base.metadata` knows all tables (Alembic, tests)."""

from models import governance_tables, review_tables, tables  # noqa: F401
from models import ig_tables  # noqa: F401
from models import contact_tables, file_tables  # noqa: F401
from models import search_tables  # noqa: F401
