"""The JSON API, ``/api/v1``: the twin of every page, for integrations and scripts.

Authenticate with ``Authorization: Bearer TOKEN`` (or a browser session, which must then send
its CSRF token in ``X-CSRF-Token`` on changes). Errors are ``{"error": {"status", "title",
"detail"}}``. Lists are cut in pages: pass the ``next_cursor`` of a page as ``cursor``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from advocacy.access import Permission
from advocacy.services import accounts
from advocacy.services import inbox as items
from advocacy.web import forms
from advocacy.web.security import Principal, now_of, require
from advocacy.web.views import JsonDocument, dashboard_data, values_table

router = APIRouter(prefix="/api/v1", tags=["api"], default_response_class=JsonDocument)

Viewer = Annotated[Principal, Depends(require(Permission.DASHBOARD_VIEW))]
Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
CustomerReader = Annotated[Principal, Depends(require(Permission.CUSTOMERS_VIEW))]
UserAdmin = Annotated[Principal, Depends(require(Permission.USERS_MANAGE))]
TokenAdmin = Annotated[Principal, Depends(require(Permission.TOKENS_MANAGE))]
Text = Annotated[str | None, Query(max_length=200)]


def _params(**values: Any) -> dict[str, str]:
    return {key: str(value) for key, value in values.items() if value not in (None, "")}


@router.get("/me", summary="Who the token or session belongs to, and what it may do")
def me(principal: Viewer) -> dict[str, Any]:
    return {
        "kind": principal.kind,
        "id": principal.id,
        "name": principal.name,
        "role": principal.role.value,
        "permissions": sorted(p.value for p in Permission if principal.can(p)),
    }


@router.get("/dashboard", summary="Every number of the dashboard under the filters")
def dashboard(
    request: Request,
    _principal: Viewer,
    from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    to: Annotated[str | None, Query(max_length=10)] = None,
    segment: Text = None,
    country: Text = None,
    channel: Text = None,
    platform: Text = None,
) -> JsonDocument:
    filters = forms.dashboard_filter(
        _params(
            **{"from": from_},
            to=to,
            segment=segment,
            country=country,
            channel=channel,
            platform=platform,
        )
    )
    return JsonDocument(dashboard_data(request.app.state, filters))


@router.get("/feedback", summary="The feedback inbox, newest first, one page")
def feedback(
    request: Request,
    _principal: Reader,
    kind: Text = None,
    platform: Text = None,
    customer: Text = None,
    from_: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    to: Annotated[str | None, Query(max_length=10)] = None,
    min_rating: Text = None,
    max_rating: Text = None,
    language: Text = None,
    sentiment: Text = None,
    theme: Text = None,
    urgent: Text = None,
    q: Text = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=items.MAX_PAGE_SIZE)] = items.PAGE_SIZE,
) -> JsonDocument:
    filters = forms.feedback_filter(
        _params(
            kind=kind,
            platform=platform,
            customer=customer,
            **{"from": from_},
            to=to,
            min_rating=min_rating,
            max_rating=max_rating,
            language=language,
            sentiment=sentiment,
            theme=theme,
            urgent=urgent,
            q=q,
        )
    )
    page = items.feedback_page(request.app.state.engine, filters, cursor=cursor, limit=limit)
    return JsonDocument({"items": page.rows, "next_cursor": page.next_cursor})


@router.get("/feedback/{item_id}", summary="One feedback item in full, with its analysis")
def feedback_item(request: Request, item_id: int, _principal: Reader) -> JsonDocument:
    return JsonDocument(items.feedback_item(request.app.state.engine, item_id))


@router.get("/customers", summary="Customers by id, one page")
def customers(
    request: Request,
    _principal: CustomerReader,
    q: Text = None,
    country: Text = None,
    segment: Text = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=items.MAX_PAGE_SIZE)] = items.PAGE_SIZE,
) -> JsonDocument:
    page = items.customers_page(
        request.app.state.engine,
        forms.customer_filter(_params(q=q, country=country, segment=segment)),
        cursor=cursor,
        limit=limit,
    )
    return JsonDocument({"customers": page.rows, "next_cursor": page.next_cursor})


@router.get("/customers/{customer_id}", summary="The customer 360°: profile, orders, feedback")
def customer(request: Request, customer_id: str, _principal: CustomerReader) -> JsonDocument:
    document = items.customer_360(
        request.app.state.engine,
        customer_id,
        now=now_of(request),
        values=values_table(request.app.state),
    )
    return JsonDocument(document)


class NewUser(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=accounts.MAX_PASSWORD_LENGTH)
    role: str = Field(max_length=20)
    name: str | None = Field(default=None, max_length=300)
    locale: str | None = Field(default=None, max_length=10)


class UserChange(BaseModel):
    role: str | None = Field(default=None, max_length=20)
    active: bool | None = None
    locale: str | None = Field(default=None, max_length=10)
    name: str | None = Field(default=None, max_length=300)
    password: str | None = Field(default=None, max_length=accounts.MAX_PASSWORD_LENGTH)


@router.get("/users", summary="Every user (admins)")
def users(request: Request, _principal: UserAdmin) -> dict[str, Any]:
    return {"users": [user.as_dict() for user in accounts.list_users(request.app.state.engine)]}


@router.post("/users", status_code=201, summary="Add a user (admins)")
def add_user(request: Request, body: NewUser, _principal: UserAdmin) -> dict[str, Any]:
    user = accounts.create_user(
        request.app.state.engine,
        body.email,
        body.password,
        body.role,
        now=now_of(request),
        name=body.name,
        locale=body.locale,
    )
    return user.as_dict()


@router.patch("/users/{user_id}", summary="Change a user's role, status, language or password")
def change_user(
    request: Request, user_id: int, body: UserChange, principal: UserAdmin
) -> dict[str, Any]:
    engine = request.app.state.engine
    if principal.kind == "user" and principal.id == user_id and (body.role or body.active is False):
        from advocacy.errors import InvalidInput

        raise InvalidInput("you cannot change your own role or deactivate yourself")
    if body.password:
        accounts.set_password(engine, user_id, body.password, now=now_of(request))
    user = accounts.update_user(
        engine, user_id, role=body.role, active=body.active, locale=body.locale, name=body.name
    )
    return user.as_dict()


class NewToken(BaseModel):
    role: str = Field(max_length=20)
    name: str = Field(default="", max_length=200)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


@router.get("/tokens", summary="Every API token, without the secrets (admins)")
def tokens(request: Request, _principal: TokenAdmin) -> dict[str, Any]:
    return {"tokens": [token.as_dict() for token in accounts.list_tokens(request.app.state.engine)]}


@router.post("/tokens", status_code=201, summary="Create an API token; the secret is shown once")
def add_token(request: Request, body: NewToken, principal: TokenAdmin) -> dict[str, Any]:
    now = now_of(request)
    token, info = accounts.create_token(
        request.app.state.engine,
        body.role,
        now=now,
        name=body.name,
        created_by=principal.id if principal.kind == "user" else None,
        expires_at=now + dt.timedelta(days=body.expires_in_days) if body.expires_in_days else None,
    )
    return {"token": token, **info.as_dict()}


@router.delete("/tokens/{token_id}", summary="Revoke an API token")
def revoke_token(request: Request, token_id: int, _principal: TokenAdmin) -> dict[str, Any]:
    return accounts.revoke_token(request.app.state.engine, token_id, now=now_of(request)).as_dict()
