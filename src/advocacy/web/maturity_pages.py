"""The organisation's advocacy maturity in the app: ``GET /api/v1/maturity`` and the page
``/maturity`` (the 1–4 ladder with the current level marked, the evidence of every level —
met or not, the value against its target — and the next steps), for everyone who sees the
dashboard (``dashboard.view``).

The mapping of teams to departments the assessment counts with is changed by leads and admins
(``cases.manage``): on the page (a form with the CSRF token: put a team in a department, or take
it out) and with ``PUT /api/v1/maturity/departments`` (the whole mapping). A refused change
shows the page again with the reason and what was typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.errors import InvalidInput
from advocacy.services import maturity
from advocacy.web import i18n
from advocacy.web.app import page_response
from advocacy.web.pages import context
from advocacy.web.security import Principal, now_of, require

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
_ = i18n.gettext_

Viewer = Annotated[Principal, Depends(require(Permission.DASHBOARD_VIEW))]
Manager = Annotated[Principal, Depends(require(Permission.CASES_MANAGE))]
Days = Annotated[int, Query(ge=1, le=maturity.MAX_WINDOW_DAYS)]


class Departments(BaseModel):
    departments: dict[str, str] = Field(max_length=maturity.MAX_TEAMS)


@api.get("/maturity", summary="The organisation's advocacy maturity, its evidence and next steps")
def maturity_api(request: Request, _principal: Viewer, days: Days = 90) -> dict[str, Any]:
    return maturity.assess(request.app.state.engine, now=now_of(request), days=days)


@api.put("/maturity/departments", summary="Replace the mapping of teams to departments")
def departments_api(request: Request, principal: Manager, body: Departments) -> dict[str, Any]:
    kept = maturity.set_departments(
        request.app.state.engine, body.departments, actor=principal.name, now=now_of(request)
    )
    return {"departments": kept}


def level_texts() -> dict[int, tuple[str, str]]:
    """Each level's name and what it means, in the reader's language."""
    return {
        1: (_("Individual advocates"),
            _("Single employees in customer service answer customers' urgent needs.")),
        2: (_("Advocacy team"),
            _("A team solves customers' needs and collects information to identify and "
              "prioritise them.")),
        3: (_("Dedicated team across the company"),
            _("A dedicated internal team coordinates and applies advocacy across the company.")),
        4: (_("Advocacy everywhere"),
            _("Every strategy follows advocacy's principles and every employee does advocacy "
              "work.")),
    }  # fmt: skip


def criterion_names() -> dict[str, str]:
    """Each criterion's words, in the reader's language (by its key)."""
    return {
        "people_handling_cases": _("People who handled customers' cases"),
        "cases_answered": _("Cases answered or resolved"),
        "team_size": _("A team, not individuals: people handling cases"),
        "feedback_sources": _("Feedback sources collected"),
        "analysed_share": _("Feedback catalogued by sentiment and themes"),
        "followed_up_share": _("Detractors and negative reviews followed up by a case"),
        "follow_up_rules_on": _("Follow-up rules on"),
        "value_at_risk_cases": _("Cases prioritised by their value at risk"),
        "leads": _("An advocacy lead coordinating"),
        "teams": _("Teams handling cases"),
        "departments": _("Departments reached"),
        "sla_met_share": _("Cases resolved within their SLA"),
        "resurveyed_share": _("Resolved cases whose customer was asked again"),
        "active_advocates": _("Active brand advocates in the programme"),
        "advocate_tasks_done": _("Advocate tasks done"),
        "people_share": _("Users doing advocacy work"),
        "departments_wide": _("Departments reached, company-wide"),
        "followed_up_all": _("Every unhappy customer followed up"),
        "sla_met_high": _("Cases resolved within their SLA, nearly always"),
        "tasks_on_time_share": _("Advocate tasks done on time"),
        "thank_yous_sent": _("Thank-you messages sent to advocates"),
        "rewards_given": _("Rewards given to advocates"),
        "referrals": _("Customers referred by advocates"),
    }


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return _("nothing to measure")
    return i18n.percent(value, 0) if unit == "share" else i18n.number(value)


def _step(evidence: Mapping[str, Any]) -> str:
    return _("%(criterion)s: now %(value)s, target %(target)s.") % {
        "criterion": evidence["label"],
        "value": evidence["shown_value"],
        "target": evidence["shown_target"],
    }


def page_data(found: dict[str, Any]) -> dict[str, Any]:
    """The assessment with every word in the reader's language, ready for the template."""
    names, levels = criterion_names(), level_texts()
    evidence = [
        {
            **e,
            "label": names.get(e["key"], e["criterion"]),
            "shown_value": _shown(e["value"], e["unit"]),
            "shown_target": _shown(e["target"], e["unit"]),
        }
        for e in found["evidence"]
    ]
    by_key = {e["key"]: e for e in evidence}
    return {
        "levels": [
            {
                **level,
                "name": levels[level["level"]][0],
                "description": levels[level["level"]][1],
                "evidence": [e for e in evidence if e["level"] == level["level"]],
            }
            for level in reversed(found["levels"])
        ],
        "current": levels[found["level"]][0],
        "steps": [_step(by_key[step["key"]]) for step in found["next_steps"]],
    }


def maturity_page_response(
    request: Request,
    principal: Principal,
    *,
    error: str | None = None,
    typed: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    engine = request.app.state.engine
    found = maturity.assess(engine, now=now_of(request))
    mapping = maturity.departments(engine)
    message = _("Departments saved.") if request.query_params.get("done") == "departments" else None
    return page_response(
        request,
        "maturity.html",
        context(
            request,
            principal,
            found=found,
            shown=page_data(found),
            mapping=mapping,
            teams=maturity.known_teams(engine),
            error=error,
            message=None if error else message,
            typed=dict(typed or {}),
        ),
        status=status,
    )


@pages.get("/maturity", response_class=HTMLResponse)
def maturity_page(request: Request, principal: Viewer) -> Response:
    return maturity_page_response(request, principal)


@pages.post("/maturity/departments", response_class=HTMLResponse)
def change_department(
    request: Request,
    principal: Manager,
    team: Annotated[str, Form(max_length=1000)] = "",
    department: Annotated[str, Form(max_length=1000)] = "",
    remove: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Put a team in a department, or (``remove``) take it out of any."""
    try:
        maturity.set_department(
            request.app.state.engine, team, None if remove else department,
            actor=principal.name, now=now_of(request),
        )  # fmt: skip
    except InvalidInput as exc:
        return maturity_page_response(
            request, principal, error=str(exc), typed={"team": team, "department": department},
            status=400,
        )  # fmt: skip
    return RedirectResponse("/maturity?done=departments#departments", status_code=303)
