"""Webhooks in the JSON API, for those who set the rules of casework (``cases.manage``): add
one (its secret shown once), list them, remove one, and read the latest deliveries."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.services import notifications, webhooks
from advocacy.web.security import Principal, now_of, require

api = APIRouter(prefix="/api/v1", tags=["api"])

Manager = Annotated[Principal, Depends(require(Permission.CASES_MANAGE))]
Status = Annotated[str | None, Query(pattern="^(" + "|".join(notifications.STATUSES) + ")$")]


class WebhookCreate(BaseModel):
    url: str = Field(max_length=2000, description="http:// or https:// address to POST to")
    events: list[Annotated[str, Field(max_length=30)]] = Field(
        default_factory=list, max_length=50, description="event kinds wanted; none: every kind"
    )
    description: str | None = Field(default=None, max_length=200)


@api.get("/webhooks", summary="The webhooks (never their secrets)")
def list_webhooks(request: Request, _principal: Manager) -> dict[str, Any]:
    return {"webhooks": webhooks.list_webhooks(request.app.state.engine)}


@api.post("/webhooks", status_code=201, summary="Add a webhook; its secret is shown this once")
def add_webhook(request: Request, body: WebhookCreate, principal: Manager) -> dict[str, Any]:
    engine = request.app.state.engine
    webhook_id, secret = webhooks.add_webhook(
        engine,
        body.url,
        events=body.events,
        description=body.description,
        actor=principal.name,
        now=now_of(request),
    )
    return {**webhooks.get_webhook(engine, webhook_id), "secret": secret}


@api.delete("/webhooks/{webhook_id}", summary="Remove a webhook; what was queued is cancelled")
def remove_webhook(request: Request, webhook_id: int, _principal: Manager) -> dict[str, Any]:
    return webhooks.remove_webhook(request.app.state.engine, webhook_id)


@api.get("/webhooks/deliveries", summary="The latest notifications: webhooks and e-mails")
def list_deliveries(
    request: Request,
    _principal: Manager,
    status: Status = None,
    webhook: int | None = None,
    case: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    found = notifications.list_notifications(
        request.app.state.engine, limit=limit, status=status, webhook_id=webhook, case_id=case
    )
    return {"deliveries": found}
