"""Brand advocates and their programme in the JSON API: the advocates with their evidence, each
advocate's page of work, the tasks, rewards, messages and the review invitations' audit for those
who may see customers (``customers.view``); doing the work (tasks, notes, rewards, cancelling a
message) for those who work feedback (``feedback.work``); the settings and an immediate run of
the programme for leads (``cases.manage``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.errors import InvalidInput
from advocacy.services import advocate_programme as programme
from advocacy.services import customer_messages as messages
from advocacy.web.security import Principal, now_of, require

api = APIRouter(prefix="/api/v1", tags=["api"])

Reader = Annotated[Principal, Depends(require(Permission.CUSTOMERS_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]
Manager = Annotated[Principal, Depends(require(Permission.CASES_MANAGE))]
Text = Annotated[str | None, Query(max_length=320)]


class TaskDone(BaseModel):
    note: str | None = Field(default=None, max_length=1_000)
    skipped: bool = False


class TaskOwner(BaseModel):
    owner: str | None = Field(default=None, max_length=320)


class NewTask(BaseModel):
    customer_id: str = Field(max_length=200)
    title: str = Field(max_length=300)
    kind: str = Field(default="other", max_length=30)
    due_at: dt.datetime
    owner: str | None = Field(default=None, max_length=320)


class LogEntry(BaseModel):
    kind: str = Field(default="note", max_length=20)
    text: str = Field(max_length=2_000)


class NewReward(BaseModel):
    kind: str = Field(max_length=60)
    amount: float
    currency: str | None = Field(default=None, max_length=3)
    description: str | None = Field(default=None, max_length=300)
    task_id: int | None = None


@api.get("/advocates", summary="Brand advocates, highest score first, with their evidence")
def list_advocates(
    request: Request,
    _principal: Reader,
    status: Annotated[str | None, Query(max_length=20)] = None,
    owner: Text = None,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 500,
) -> dict[str, Any]:
    found = programme.advocates_overview(
        request.app.state.engine, now=now_of(request), status=status, owner=owner,
        min_score=min_score, limit=limit,
    )  # fmt: skip
    return {"advocates": found, "counts": programme.programme_counts(request.app.state.engine)}


@api.get("/advocates/{customer}", summary="One advocate: status, log, tasks, rewards, messages")
def get_advocate(request: Request, customer: str, _principal: Reader) -> dict[str, Any]:
    return programme.advocate_detail(request.app.state.engine, customer, now=now_of(request))


@api.post("/advocates/{customer}/log", status_code=201, summary="Write in an advocate's log")
def write_log(request: Request, customer: str, body: LogEntry, principal: Worker) -> dict[str, Any]:
    return programme.add_log_entry(request.app.state.engine, customer, body.kind, body.text,
                                   actor=principal.name, now=now_of(request))  # fmt: skip


@api.post("/advocates/{customer}/rewards", status_code=201,
          summary="Reward an advocate within this year's budget")  # fmt: skip
def give_reward(request: Request, customer: str, body: NewReward,
                principal: Worker) -> dict[str, Any]:  # fmt: skip
    return programme.give_reward(
        request.app.state.engine, customer, kind=body.kind, amount=body.amount,
        currency=body.currency, description=body.description, task_id=body.task_id,
        actor=principal.name, now=now_of(request),
    )  # fmt: skip


@api.get("/advocate-rewards", summary="Rewards given and this year's budget")
def list_rewards(request: Request, _principal: Reader, customer: Text = None) -> dict[str, Any]:
    engine = request.app.state.engine
    return {"budget": programme.budget_status(engine, now=now_of(request)),
            "rewards": programme.list_rewards(engine, customer_ref=customer)}  # fmt: skip


@api.get("/advocate-tasks", summary="The programme's tasks, the first due first")
def list_tasks(
    request: Request,
    _principal: Reader,
    status: Text = "open",
    owner: Text = None,
    kind: Text = None,
    customer: Text = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
) -> dict[str, Any]:
    engine, now = request.app.state.engine, now_of(request)
    found = programme.list_tasks(engine, now=now, status=status or None, owner=owner, kind=kind,
                                 customer_ref=customer, overdue=overdue, limit=limit)  # fmt: skip
    return {"tasks": found, "counts": programme.task_counts(engine, now=now)}


@api.post("/advocate-tasks", status_code=201, summary="Set a task for an advocate by hand")
def create_task(request: Request, body: NewTask, principal: Worker) -> dict[str, Any]:
    due = body.due_at.astimezone(dt.UTC).replace(tzinfo=None) if body.due_at.tzinfo else body.due_at
    return programme.create_task(
        request.app.state.engine, body.customer_id, body.title, kind=body.kind, due=due,
        owner=body.owner, actor=principal.name, now=now_of(request),
    )  # fmt: skip


@api.post("/advocate-tasks/{task_id}/done", summary="Mark a task done or skipped")
def finish_task(request: Request, task_id: int, body: TaskDone,
                principal: Worker) -> dict[str, Any]:  # fmt: skip
    return programme.finish_task(
        request.app.state.engine, task_id, actor=principal.name, now=now_of(request),
        note=body.note, skipped=body.skipped,
    )  # fmt: skip


@api.post("/advocate-tasks/{task_id}/assign", summary="Give a task to someone (null: nobody)")
def assign_task(request: Request, task_id: int, body: TaskOwner,
                principal: Worker) -> dict[str, Any]:  # fmt: skip
    return programme.assign_task(request.app.state.engine, task_id, body.owner,
                                 actor=principal.name, now=now_of(request))  # fmt: skip


@api.get("/advocate-settings", summary="The advocate programme's settings")
def get_settings(request: Request, _principal: Reader) -> dict[str, Any]:
    return programme.programme_settings(request.app.state.engine).as_dict()


@api.patch("/advocate-settings", summary="Change settings (null: back to the default)")
def change_settings(request: Request, body: dict[str, Any], principal: Manager) -> dict[str, Any]:
    if not body or len(body) > len(programme.SETTING_NAMES):
        raise InvalidInput(f"settings: some of {', '.join(programme.SETTING_NAMES)}")
    return programme.set_settings(
        request.app.state.engine, body, actor=principal.name, now=now_of(request)
    ).as_dict()


@api.post("/advocates/run", summary="Run the programme now")
def run_programme(request: Request, _principal: Manager) -> dict[str, Any]:
    return programme.run_programme(
        request.app.state.engine, request.app.state.settings, now=now_of(request), force=True
    ).as_dict()


@api.get("/customer-messages", summary="Thank-yous and review invitations, newest first")
def list_messages(
    request: Request,
    _principal: Reader,
    kind: Text = None,
    status: Text = None,
    customer: Text = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
) -> dict[str, Any]:
    return {"messages": messages.list_messages(request.app.state.engine, kind=kind, status=status,
                                               customer_ref=customer, limit=limit)}  # fmt: skip


@api.post("/customer-messages/{message_id}/cancel", summary="Cancel a message not sent yet")
def cancel_message(request: Request, message_id: int, principal: Worker) -> dict[str, Any]:
    messages.cancel_message(request.app.state.engine, message_id, actor=principal.name,
                            now=now_of(request))  # fmt: skip
    return {"id": message_id, "status": "cancelled"}


@api.get("/review-invitations/audit", summary="Who was invited to review, by NPS category")
def review_audit(
    request: Request,
    _principal: Reader,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[str, Any]:
    def naive(value: dt.datetime | None) -> dt.datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    return messages.review_audit(request.app.state.engine, since=naive(since), until=naive(until))
