"""Cases in the JSON API: the queue and each case for those who read feedback; assigning,
notes and status changes for those who work it (``feedback.work``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.services import cases as casework
from advocacy.web.security import Principal, now_of, require

api = APIRouter(prefix="/api/v1", tags=["api"])

Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]
Text = Annotated[str | None, Query(max_length=320)]


class CaseChange(BaseModel):
    status: str | None = Field(default=None, max_length=20)
    owner: str | None = Field(default=None, max_length=320)
    team: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=10_000)


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
    )
    return {"cases": found}


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
