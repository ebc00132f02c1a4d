"""Closing the loop in the JSON API: a case's replies and the public ones to post (read by whoever
reads feedback, written by whoever works it), the reply templates and the automatic re-survey
(changed by the leads: ``cases.manage``), and the closing-the-loop metrics."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.errors import InvalidInput
from advocacy.services import case_metrics, resurveys
from advocacy.services import case_replies as replies
from advocacy.web.security import Principal, now_of, require

api = APIRouter(prefix="/api/v1", tags=["api"])

Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]
Lead = Annotated[Principal, Depends(require(Permission.CASES_MANAGE))]


class NewReply(BaseModel):
    body: str | None = Field(default=None, max_length=replies.MAX_BODY * 2)
    template: str | None = Field(default=None, max_length=60)
    language: str | None = Field(default=None, max_length=35)
    item_id: int | None = None
    channel: str | None = Field(default=None, max_length=20)
    subject: str | None = Field(default=None, max_length=replies.MAX_SUBJECT * 2)


class TemplateText(BaseModel):
    subject: str = Field(max_length=replies.MAX_SUBJECT * 2)
    body: str = Field(max_length=replies.MAX_BODY * 2)


class Resurvey(BaseModel):
    survey: str = Field(max_length=64)


class ResurveySetting(BaseModel):
    enabled: bool
    survey: str | None = Field(default=None, max_length=64)
    delay_days: int | None = None


@api.get("/cases/{case_id}/replies", summary="The replies written from a case")
def case_replies(request: Request, case_id: int, _principal: Reader) -> dict[str, Any]:
    return {"replies": replies.replies_of(request.app.state.engine, case_id)}


@api.post("/cases/{case_id}/replies", summary="Reply to a case's customer", status_code=201)
def write_reply(
    request: Request, case_id: int, body: NewReply, principal: Worker
) -> dict[str, Any]:
    return replies.write_reply(
        request.app.state.engine,
        case_id,
        actor=principal.name,
        now=now_of(request),
        body=body.body,
        template=body.template,
        language=body.language,
        item_id=body.item_id,
        channel=body.channel,
        subject=body.subject,
        agent=principal.name,
        company=replies.configured_company(request.app.state.settings),
    )


@api.get("/replies", summary="Replies of every case; status=to_post: the public ones to post")
def list_replies(
    request: Request,
    _principal: Reader,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1_000,
) -> dict[str, Any]:
    found = replies.list_replies(request.app.state.engine, status=status, limit=limit)
    return {"replies": found}


@api.post("/replies/{reply_id}/posted", summary="Record that a public reply was posted")
def mark_posted(request: Request, reply_id: int, principal: Worker) -> dict[str, Any]:
    return replies.mark_posted(
        request.app.state.engine, reply_id, actor=principal.name, now=now_of(request)
    )


@api.get("/case-metrics", summary="Closing-the-loop metrics, overall, per team and per rule")
def metrics(
    request: Request,
    _principal: Reader,
    since: Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
) -> dict[str, Any]:
    start = None
    if since is not None:
        try:
            start = dt.datetime.strptime(since, "%Y-%m-%d")
        except ValueError:
            raise InvalidInput(f"since: a date (YYYY-MM-DD), not {since!r}") from None
    return case_metrics.case_metrics(request.app.state.engine, now=now_of(request), since=start)


@api.get("/reply-templates", summary="The reply templates in every language")
def list_templates(request: Request, _principal: Reader) -> dict[str, Any]:
    found = replies.list_templates(request.app.state.engine)
    return {"templates": [template.as_dict() for template in found]}


@api.put("/reply-templates/{key}/{language}", summary="Save a reply template's wording")
def set_template(
    request: Request, key: str, language: str, body: TemplateText, _principal: Lead
) -> dict[str, Any]:
    saved = replies.set_template(
        request.app.state.engine, key, language, body.subject, body.body, now=now_of(request)
    )
    return saved.as_dict()


@api.post("/cases/{case_id}/resurvey", summary="Re-survey a resolved case's customer",
          status_code=201)  # fmt: skip
def resurvey(request: Request, case_id: int, body: Resurvey, principal: Worker) -> dict[str, Any]:
    invitation_id = resurveys.resurvey(
        request.app.state.engine,
        request.app.state.settings,
        case_id,
        survey_key=body.survey,
        now=now_of(request),
        actor=principal.name,
    )
    return {"case_id": case_id, "invitation_id": invitation_id}


@api.get("/resurvey-setting", summary="The automatic re-survey of resolved cases")
def resurvey_setting(request: Request, _principal: Reader) -> dict[str, Any]:
    return resurveys.resurvey_setting(request.app.state.engine)


@api.put("/resurvey-setting", summary="Turn the automatic re-survey on or off")
def set_resurvey_setting(
    request: Request, body: ResurveySetting, principal: Lead
) -> dict[str, Any]:
    return resurveys.set_resurvey(
        request.app.state.engine,
        survey_key=body.survey,
        delay_days=body.delay_days,
        enabled=body.enabled,
        actor=principal.name,
        now=now_of(request),
    )
