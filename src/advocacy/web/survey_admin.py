"""The surveys page of the app and its API twin: how each survey does, the latest invitations,
and — for leads and admins — adding and changing surveys and sending one to a segment."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.errors import InvalidInput
from advocacy.services import invitations, surveys
from advocacy.services.survey_stats import survey_stats
from advocacy.web import i18n
from advocacy.web.app import page_response
from advocacy.web.pages import context
from advocacy.web.security import Principal, now_of, require
from advocacy.web.views import filter_choices

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"])
_ = i18n.gettext_

Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
Manager = Annotated[Principal, Depends(require(Permission.SURVEYS_MANAGE))]
SHOWN_INVITATIONS = 50


def _documents(request: Request) -> list[dict[str, Any]]:
    engine, settings = request.app.state.engine, request.app.state.settings
    stats = {row["survey"]: row for row in survey_stats(engine)}
    return [
        {**survey.document(settings.base_url), "stats": stats[survey.key]}
        for survey in surveys.list_surveys(engine)
    ]


def _page(
    request: Request,
    principal: Principal,
    *,
    message: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    engine, settings = request.app.state.engine, request.app.state.settings
    return page_response(
        request,
        "surveys.html",
        context(
            request,
            principal,
            surveys=_documents(request),
            invitations=invitations.list_invitations(engine, settings, limit=SHOWN_INVITATIONS),
            choices=filter_choices(request),
            triggers=surveys.TRIGGERS,
            message=message,
            error=error,
            mail_configured=bool(settings.smtp_host),
        ),
        status=status,
    )


@pages.get("/surveys", response_class=HTMLResponse)
def surveys_page(request: Request, principal: Reader) -> Response:
    return _page(request, principal)


def _number(value: str, name: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput(f"{name}: a whole number")
    return int(value)


@pages.post("/surveys", response_class=HTMLResponse)
def add_survey(
    request: Request,
    principal: Manager,
    key: Annotated[str, Form(max_length=63)],
    name: Annotated[str, Form(max_length=200)],
    trigger: Annotated[str, Form(max_length=20)] = "manual",
    delay_days: Annotated[str, Form(max_length=4)] = "",
    reminder_days: Annotated[str, Form(max_length=4)] = "",
    min_days_between: Annotated[str, Form(max_length=5)] = "",
    default_language: Annotated[str, Form(max_length=3)] = "en",
) -> Response:
    try:
        values: dict[str, Any] = {
            "delay_days": _number(delay_days, "delay_days"),
            "reminder_days": _number(reminder_days, "reminder_days"),
            "min_days_between": _number(min_days_between, "min_days_between"),
        }
        survey = surveys.create_survey(
            request.app.state.engine,
            now=now_of(request),
            key=key,
            name=name,
            trigger=trigger,
            default_language=default_language,
            **{k: v for k, v in values.items() if v is not None},
        )
    except InvalidInput as exc:
        return _page(request, principal, error=str(exc), status=400)
    request.app.state.public_surveys.clear()
    return _page(request, principal, message=_("Survey added: ") + survey.name)


@pages.post("/surveys/{key}", response_class=HTMLResponse)
def change_survey(
    request: Request,
    key: str,
    principal: Manager,
    active: Annotated[str, Form(max_length=5)] = "",
    reminder_days: Annotated[str, Form(max_length=4)] = "",
    min_days_between: Annotated[str, Form(max_length=5)] = "",
    delay_days: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    try:
        values: dict[str, Any] = {}
        if active:
            values["active"] = active == "yes"
        for name, given in (
            ("reminder_days", reminder_days),
            ("min_days_between", min_days_between),
            ("delay_days", delay_days),
        ):
            number = _number(given, name)
            if number is not None:
                values[name] = None if name == "reminder_days" and number == 0 else number
        survey = surveys.update_survey(request.app.state.engine, key, now=now_of(request), **values)
    except InvalidInput as exc:
        return _page(request, principal, error=str(exc), status=400)
    request.app.state.public_surveys.clear()
    return _page(request, principal, message=_("Survey changed: ") + survey.name)


@pages.post("/surveys/{key}/send", response_class=HTMLResponse)
def send_survey(
    request: Request,
    key: str,
    principal: Manager,
    segment: Annotated[str, Form(max_length=100)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    language: Annotated[str, Form(max_length=3)] = "",
    dry_run: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        report = invitations.send_to_segment(
            request.app.state.engine,
            request.app.state.settings,
            key,
            now=now_of(request),
            segment=segment or None,
            country=country or None,
            language=language or None,
            dry_run=bool(dry_run),
        )
    except InvalidInput as exc:
        return _page(request, principal, error=str(exc), status=400)
    skipped = ", ".join(f"{reason}: {count}" for reason, count in report.skipped.items())
    summary = (
        _("Would ask %(queued)s of %(considered)s customers.")
        if report.dry_run
        else _("Queued %(queued)s of %(considered)s customers.")
    ) % {"queued": report.queued, "considered": report.considered}
    return _page(
        request,
        principal,
        message=summary + (f" {_('Not asked')}: {skipped}." if skipped else ""),
    )


# --- the API ----------------------------------------------------------------------------------


class InvitationCreate(BaseModel):
    customer_id: str = Field(min_length=1, max_length=200)
    order_id: str | None = Field(default=None, max_length=200)
    channel: str = Field(default="link", pattern="^(link|email|widget)$")
    language: str | None = Field(default=None, max_length=3)


@api.get("/surveys", summary="Every survey with its response rate and time to answer")
def list_surveys(request: Request, _principal: Reader) -> dict[str, Any]:
    return {"surveys": _documents(request)}


@api.post(
    "/surveys/{key}/invitations",
    status_code=201,
    summary="Invite one customer: a personal link (and its e-mail with channel=email)",
)
def create_invitation(
    request: Request, key: str, body: InvitationCreate, _principal: Manager
) -> dict[str, Any]:
    info = invitations.invite(
        request.app.state.engine,
        request.app.state.settings,
        body.customer_id,
        now=now_of(request),
        survey_key=key,
        order_ref=body.order_id,
        channel=body.channel,
        language=body.language,
    )
    return info.as_dict()


@api.get("/surveys/{key}/invitations", summary="A survey's latest invitations")
def list_invitations(
    request: Request,
    key: str,
    _principal: Reader,
    status: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    surveys.get_survey(request.app.state.engine, key)
    found = invitations.list_invitations(
        request.app.state.engine,
        request.app.state.settings,
        survey_key=key,
        status=status,
        limit=limit,
    )
    return {"invitations": [info.as_dict() for info in found]}
