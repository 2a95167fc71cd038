"""The police sources' API keys in the browser, for administrators: list them per source,
create one (shown once: only its hash is kept), revoke one after a confirmation. Audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from api.web import csrf
from api.web.deps import Admin, SessionDep, now, transaction
from api.web.roles import StaffUser
from api.web.templating import render
from models.audit import staff_actor, write_audit
from models.key_store import create_key, ensure_source, list_keys, revoke_keys
from models.tables import ApiKey, Source

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])


def _list(
    request: Request, user: StaffUser, *, errors: list[dict[str, str]] | None = None,
    form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    with transaction(request) as session:
        sources = list(session.execute(select(Source.id, Source.name).order_by(Source.name)))
        keys = list_keys(session)
    by_source: dict[str, list[object]] = {name: [] for _, name in sources}
    for key in keys:
        by_source.setdefault(key.source, []).append(key)
    return render(
        request,
        "admin_keys.html",
        {
            "title": "API keys",
            "by_source": by_source,
            "errors": errors or [],
            "error_title": bool(errors),
            "form": form or {},
            "notice": "The key is revoked" if request.query_params.get("notice") else None,
        },
        user=user,
        current="keys",
        status_code=400 if errors else 200,
    )


@router.get("/admin/keys", response_class=HTMLResponse)
def keys_page(request: Request, user: Admin) -> Response:
    return _list(request, user)


@router.post("/admin/keys", response_class=HTMLResponse)
def key_create(request: Request, user: Admin, source: Annotated[str, Form()] = "") -> Response:
    name = " ".join(source.split())
    if not name or len(name) > 100:
        text = "Enter the force's name" if not name else "The name must be 100 characters or fewer"
        return _list(request, user, errors=[{"href": "#source", "text": text}],
                     form={"source": source})  # fmt: skip
    with transaction(request) as session:
        source_id = ensure_source(session, name=name)
        key = create_key(session, source_name=name)
        write_audit(
            session,
            actor=staff_actor(user.id),
            action="key_created",
            detail={"source": source_id, "prefix": key.split("_")[1]},
            now=now(),
        )
    return render(
        request,
        "admin_key_created.html",
        {"title": "API key created", "source": name, "key": key},
        user=user,
        current="keys",
    )


def _key_source(session: SessionDep, prefix: str) -> tuple[int, str, bool] | None:
    row = session.execute(
        select(Source.id, Source.name, ApiKey.revoked_at)
        .join(Source, Source.id == ApiKey.source_id)
        .where(ApiKey.prefix == prefix)
    ).first()
    return (row[0], row[1], row[2] is not None) if row else None


@router.get("/admin/keys/{prefix}/revoke", response_class=HTMLResponse)
def key_revoke_confirm(request: Request, prefix: str, user: Admin, session: SessionDep) -> Response:
    found = _key_source(session, prefix)
    if found is None or found[2]:
        return RedirectResponse("/admin/keys", status_code=303)
    return render(
        request,
        "admin_key_revoke.html",
        {"title": "Revoke this key?", "prefix": prefix, "source": found[1]},
        user=user,
        current="keys",
    )


@router.post("/admin/keys/{prefix}/revoke")
def key_revoke(request: Request, prefix: str, user: Admin) -> Response:
    with transaction(request) as session:
        found = _key_source(session, prefix)
        if found is not None and revoke_keys(session, prefix=prefix):
            write_audit(
                session,
                actor=staff_actor(user.id),
                action="key_revoked",
                detail={"source": found[0], "prefix": prefix},
                now=now(),
            )
    return RedirectResponse("/admin/keys?notice=revoked", status_code=303)
