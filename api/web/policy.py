"""The screening policy pages of the head of safeguarding: the active version, proposals
waiting for a second head's approval, the whole immutable history, and the form to propose a
change (with its reason). Approving one's own proposal is refused unless single approval is
allowed (DVSCREEN_SINGLE_APPROVAL=true)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.web import csrf
from api.web.deps import Head, now, settings_of, transaction
from api.web.policy_words import policy_errors
from api.web.roles import StaffUser
from api.web.templating import render
from governance.policy import active_policy, policy_with_changes
from models.policy_governance import (
    GovernanceError,
    approve_policy,
    list_policy_versions,
    propose_policy,
    reject_policy,
)

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.check_csrf)])

REFUSALS = {
    "self_approval": "You cannot approve your own change: a second head of safeguarding must",
    "not_proposed": "That version is no longer waiting for approval",
    "not_found": "There is no such policy version",
    "not_head": "Only a head of safeguarding can do this",
    "conflict": "Someone else changed this at the same time: check it and try again",
    "reason_required": "Say why the policy should change",
}
NOTICES = {
    "proposed": "Your change is proposed. It takes effect when a second head of safeguarding "
    "approves it.",
    "approved": "The change is approved and is now the active policy.",
    "rejected": "The proposal is closed: it will not take effect.",
}


def _policy_page(request: Request, user: StaffUser, *, error: str | None = None,
                 status_code: int = 200) -> Response:
    with transaction(request) as session:
        policy = active_policy(session)
        versions = list_policy_versions(session)
    single = settings_of(request).single_approval
    return render(
        request,
        "policy.html",
        {
            "title": "Screening policy",
            "policy": policy,
            "proposals": [v for v in versions if v.status == "proposed"],
            "versions": versions,
            "single_approval": single,
            "notice": NOTICES.get(request.query_params.get("notice", "")),
            "errors": [{"text": REFUSALS.get(error, "That could not be done"),
                        "href": "#proposals"}] if error else [],
        },
        user=user,
        current="policy",
        status_code=status_code,
    )


@router.get("/policy", response_class=HTMLResponse)
def policy_page(request: Request, user: Head) -> Response:
    return _policy_page(request, user)


def _form_values(request: Request, policy: Any) -> dict[str, Any]:
    query = request.query_params
    return {
        "screen_out_max": query.get("screen_out_max", f"{policy.screen_out_max_score:g}"),
        "review_min": query.get("review_min", f"{policy.review_min_score:g}"),
        "allow_silence": query.get(
            "allow_silence", "yes" if policy.allow_silence_screen_out else "no"
        ),
        "sample_percent": f"{policy.sample_share * 100:g}",
        "urgent": str(policy.deadlines.urgent),
        "high": str(policy.deadlines.high),
        "normal": str(policy.deadlines.normal),
        **_calendar_values(policy),
        "reason": "",
    }


HOLIDAY_REGION_NAMES = {
    "england_and_wales": "England and Wales",
    "scotland": "Scotland",
    "northern_ireland": "Northern Ireland",
}


def _calendar_values(policy: Any) -> dict[str, Any]:
    """The form's working-time fields, from the policy's deadlines."""
    deadlines = policy.deadlines
    return {
        "working": [p for p in ("urgent", "high", "normal") if deadlines.in_working_hours(p)],
        "holiday_region": deadlines.holiday_region,
        "day_start": deadlines.working_day_start.strftime("%H:%M"),
        "day_end": deadlines.working_day_end.strftime("%H:%M"),
    }


@router.get("/policy/propose", response_class=HTMLResponse)
def propose_form(request: Request, user: Head) -> Response:
    with transaction(request) as session:
        policy = active_policy(session)
    return render(
        request,
        "policy_propose.html",
        {"title": "Propose a policy change", "form": _form_values(request, policy),
         "policy": policy, "errors": [], "holiday_regions": HOLIDAY_REGION_NAMES},
        user=user,
        current="policy",
    )


FIELD_NAMES = {
    "screen_out_max_score": "screen_out_max",
    "review_min_score": "review_min",
    "sample_share": "sample_percent",
    "deadlines.urgent": "urgent",
    "deadlines.high": "high",
    "deadlines.normal": "normal",
    "deadlines.holiday_region": "holiday_region",
    "deadlines.working_day_start": "day_start",
    "deadlines.working_day_end": "day_end",
    "deadlines": "day_start",
}


def _number(value: str) -> float:
    return float(value.strip().rstrip("%"))


@router.post("/policy/propose")
def propose(
    request: Request,
    user: Head,
    screen_out_max: Annotated[str, Form()] = "",
    review_min: Annotated[str, Form()] = "",
    allow_silence: Annotated[str, Form()] = "no",
    sample_percent: Annotated[str, Form()] = "",
    urgent: Annotated[str, Form()] = "",
    high: Annotated[str, Form()] = "",
    normal: Annotated[str, Form()] = "",
    working: Annotated[list[str] | None, Form()] = None,
    holiday_region: Annotated[str, Form()] = "england_and_wales",
    day_start: Annotated[str, Form()] = "09:00",
    day_end: Annotated[str, Form()] = "17:00",
    reason: Annotated[str, Form()] = "",
) -> Response:
    form = {
        "screen_out_max": screen_out_max, "review_min": review_min,
        "allow_silence": allow_silence, "sample_percent": sample_percent, "urgent": urgent,
        "high": high, "normal": normal, "reason": reason, "working": list(working or []),
        "holiday_region": holiday_region, "day_start": day_start, "day_end": day_end,
    }
    errors: list[dict[str, str]] = []
    with transaction(request) as session:
        active = active_policy(session)
        try:
            changes = {
                "screen_out_max_score": _number(screen_out_max),
                "review_min_score": _number(review_min),
                "allow_silence_screen_out": allow_silence == "yes",
                "sample_share": _number(sample_percent) / 100,
                "deadlines": {"urgent": int(_number(urgent)), "high": int(_number(high)),
                              "normal": int(_number(normal)),
                              "working_hours": {p: p in form["working"]
                                                for p in ("urgent", "high", "normal")},
                              "holiday_region": holiday_region,
                              "working_day_start": day_start.strip(),
                              "working_day_end": day_end.strip()},
            }
            policy = policy_with_changes(active, changes)
        except ValueError as error:
            policy = None
            if isinstance(error, ValidationError):
                errors += policy_errors(error, FIELD_NAMES)
            else:
                errors.append({"text": "Enter the scores, the share and the deadlines as numbers",
                               "href": "#screen_out_max"})
        if not reason.strip():
            errors.append({"text": REFUSALS["reason_required"], "href": "#reason"})
        if not errors and policy is not None:
            propose_policy(session, policy=policy.model_dump(mode="json"), reason=reason,
                           proposed_by=user.id, now=now())
            return RedirectResponse("/policy?notice=proposed", status_code=303)
    return render(
        request,
        "policy_propose.html",
        {"title": "Propose a policy change", "form": form, "policy": active, "errors": errors,
         "error_title": True, "holiday_regions": HOLIDAY_REGION_NAMES},
        user=user,
        current="policy",
        status_code=400,
    )


@router.post("/policy/{version}/approve")
def approve(request: Request, version: int, user: Head) -> Response:
    try:
        with transaction(request) as session:
            approve_policy(session, version=version, approver=user.id,
                           single_approval=settings_of(request).single_approval, now=now())
    except GovernanceError as error:
        return _policy_page(request, user, error=error.code,
                            status_code=403 if error.code == "self_approval" else 409)
    return RedirectResponse("/policy?notice=approved", status_code=303)


@router.post("/policy/{version}/reject")
def reject(request: Request, version: int, user: Head) -> Response:
    try:
        with transaction(request) as session:
            reject_policy(session, version=version, user_id=user.id, now=now())
    except GovernanceError as error:
        return _policy_page(request, user, error=error.code, status_code=409)
    return RedirectResponse("/policy?notice=rejected", status_code=303)
