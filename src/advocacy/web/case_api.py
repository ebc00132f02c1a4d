"""Cases in the JSON API: the queue, each case and the value at risk for those who read
feedback; opening, assigning, notes and status changes for those who work it
(``feedback.work``); the rules and the assignment rules for leads (``cases.manage``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.services import case_rules
from advocacy.services import cases as casework
from advocacy.web.security import Principal, now_of, require

api = APIRouter(prefix="/api/v1", tags=["api"])

Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]
Manager = Annotated[Principal, Depends(require(Permission.CASES_MANAGE))]
Text = Annotated[str | None, Query(max_length=320)]


class CaseChange(BaseModel):
    status: str | None = Field(default=None, max_length=20)
    owner: str | None = Field(default=None, max_length=320)
    team: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=10_000)


class NewCase(BaseModel):
    item_ids: list[int] = Field(default_factory=list, max_length=1000)
    customer_id: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=300)
    priority: str = Field(default="normal", max_length=10)
    owner: str | None = Field(default=None, max_length=320)
    team: str | None = Field(default=None, max_length=100)


class RuleChange(BaseModel):
    enabled: bool | None = None
    params: dict[str, Any] = Field(default_factory=dict, max_length=50)


class SlaChange(BaseModel):
    priority: str = Field(max_length=10)
    hours: float | None = None
    type: str | None = Field(default=None, max_length=30)


class NewAssignment(BaseModel):
    name: str = Field(max_length=100)
    team: str | None = Field(default=None, max_length=100)
    owners: list[str] = Field(default_factory=list, max_length=100)
    conditions: dict[str, list[str]] = Field(default_factory=dict, max_length=10)


@api.get("/cases", summary="The case queue, most urgent first")
def list_cases(
    request: Request,
    _principal: Reader,
    status: Text = None,
    type: Text = None,
    owner: Text = None,
    customer: Text = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    priority: Text = None,
    team: Text = None,
    rule: Text = None,
) -> dict[str, Any]:
    found = casework.list_cases(
        request.app.state.engine,
        now=now_of(request),
        status=status,
        type=type,
        owner=owner,
        overdue=overdue,
        customer_ref=customer,
        limit=limit,
        priority=priority,
        team=team,
        rule=rule,
    )
    return {"cases": found}


@api.post("/cases", status_code=201, summary="Open a case by hand")
def open_case(request: Request, body: NewCase, principal: Worker) -> dict[str, Any]:
    engine, now = request.app.state.engine, now_of(request)
    case_id = casework.open_case_about(
        engine, now=now, actor=principal.name, item_ids=body.item_ids,
        customer_ref=body.customer_id, title=body.title, priority=body.priority,
        owner=body.owner, team=body.team,
    )  # fmt: skip
    return casework.get_case(engine, case_id, now=now)


@api.get("/cases/summary", summary="The value at risk: proactive cases, largest first")
def value_summary(
    request: Request,
    _principal: Reader,
    sort: Text = "value_at_risk",
    status: Text = "active",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> dict[str, Any]:
    return case_rules.value_summary(
        request.app.state.engine, now=now_of(request), sort=sort or "value_at_risk",
        status=status or "active", limit=limit,
    )  # fmt: skip


@api.get("/case-rules", summary="The rules that open cases, their state and parameters")
def list_rules(request: Request, _principal: Reader) -> dict[str, Any]:
    return {"rules": case_rules.rules_overview(request.app.state.engine)}


@api.patch("/case-rules/{name}", summary="Turn a rule on or off, change its parameters")
def change_rule(
    request: Request, name: str, body: RuleChange, principal: Manager
) -> dict[str, Any]:
    return case_rules.set_rule(
        request.app.state.engine, name, now=now_of(request), actor=principal.name,
        enabled=body.enabled, params=body.params,
    )  # fmt: skip


@api.get("/sla", summary="How many hours a case may take, by priority and type")
def get_sla(request: Request, _principal: Reader) -> dict[str, Any]:
    return casework.sla_policy(request.app.state.engine).as_dict()


@api.put("/sla", summary="Set the hours of one priority (of one type); null: back to default")
def put_sla(request: Request, body: SlaChange, principal: Manager) -> dict[str, Any]:
    return casework.set_sla(
        request.app.state.engine, priority=body.priority, hours=body.hours, type=body.type,
        now=now_of(request), actor=principal.name,
    ).as_dict()  # fmt: skip


@api.get("/assignment-rules", summary="Who gets new cases, in the order the rules are tried")
def list_assignments(request: Request, _principal: Reader) -> dict[str, Any]:
    return {"assignment_rules": case_rules.list_assignment_rules(request.app.state.engine)}


@api.post("/assignment-rules", status_code=201, summary="Add an assignment rule")
def add_assignment(request: Request, body: NewAssignment, _principal: Manager) -> dict[str, Any]:
    engine = request.app.state.engine
    rule_id = case_rules.add_assignment_rule(
        engine, name=body.name, now=now_of(request), conditions=body.conditions,
        team=body.team, owners=body.owners,
    )  # fmt: skip
    return next(r for r in case_rules.list_assignment_rules(engine) if r["id"] == rule_id)


@api.delete("/assignment-rules/{rule_id}", status_code=204, summary="Remove an assignment rule")
def remove_assignment(request: Request, rule_id: int, _principal: Manager) -> None:
    case_rules.remove_assignment_rule(request.app.state.engine, rule_id)


@api.get("/cases/{case_id}", summary="One case with its items and timeline")
def get_case(request: Request, case_id: int, _principal: Reader) -> dict[str, Any]:
    return casework.get_case(request.app.state.engine, case_id, now=now_of(request))


@api.patch("/cases/{case_id}", summary="Assign a case, write a note, move its status")
def change_case(
    request: Request, case_id: int, body: CaseChange, principal: Worker
) -> dict[str, Any]:
    engine, now, actor = request.app.state.engine, now_of(request), principal.name
    if body.owner is not None or body.team is not None:
        casework.assign(engine, case_id, now=now, actor=actor, owner=body.owner, team=body.team)
    if body.note:
        casework.add_note(engine, case_id, body.note, now=now, actor=actor)
    if body.status:
        casework.change_status(engine, case_id, body.status, now=now, actor=actor)
    return casework.get_case(engine, case_id, now=now)
