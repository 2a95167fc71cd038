"""The FastAPI application factory: intake routes, health checks, problem details, OpenAPI."""

from __future__ import annotations

from fastapi import FastAPI

from api import contacts, health, intake
from api.openapi import install_docs, install_openapi
from api.problems import install_problem_handlers
from api.web import (
    contacts_export,
    equality,
    file_mappings,
    imports,
    mount_web,
    retention,
    subject_access,
    transparency,
)
from models.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. The database must already be migrated (every command does this)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="dvscreen",
        version="1.0",
        description="Domestic abuse notification intake and screening for children's services.",
        docs_url=None,  # served by api.openapi.install_docs from the vendored assets
        redoc_url=None,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(intake.router)
    app.include_router(contacts.router)
    app.include_router(health.router)
    mount_web(app)
    app.include_router(contacts_export.router)
    app.include_router(file_mappings.router)
    app.include_router(imports.router)
    # Issue 13: retention and legal holds, subject access, equality, the transparency record.
    for governance_page in (retention, subject_access, equality, transparency):
        app.include_router(governance_page.router)
    install_openapi(app)
    install_docs(app)
    return app
