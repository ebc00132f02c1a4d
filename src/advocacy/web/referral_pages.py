"""Referrals on the web: the advocates' public links, the report page and its JSON twin.

- ``GET /r/CODE`` — an advocate's referral link, open to anyone without a log-in: records the
  visit (once per client address and code an hour, at most
  :data:`~advocacy.services.referrals.DAILY_VISIT_CAP` a code and day) and redirects (302) to
  the configured landing address (``ADVOCACY_REFERRAL_LANDING_URL``, else the base URL) with
  ``ref=CODE`` added. The target is only ever that address: nothing in the request chooses it.
  A code that is nobody's gets a 404 page and nothing is recorded.
- ``GET /advocates/referrals`` (``customers.view``) — per advocate: code, link, visits,
  referred customers, their orders, revenue and the value created; a form to attribute a
  referral by hand and one to give an advocate their code (``feedback.work``).
- ``GET /api/v1/referrals`` (``customers.view``), ``POST /api/v1/referrals`` (attribute) and
  ``POST /api/v1/advocates/CUSTOMER/referral-code`` (issue) (``feedback.work``).

The numbers and rules are :mod:`advocacy.services.referrals`'.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.datastructures import State

from advocacy.access import Permission
from advocacy.errors import AdvocacyError
from advocacy.services import referrals
from advocacy.web import i18n
from advocacy.web.app import page_response
from advocacy.web.pages import context
from advocacy.web.security import Principal, client_address, now_of, public, require

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1", tags=["api"])
_ = i18n.gettext_

Anyone = Annotated[Principal | None, Depends(public)]
Reader = Annotated[Principal, Depends(require(Permission.CUSTOMERS_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]

_visitors_lock = threading.Lock()


def _recent_visitors(state: State) -> referrals.RecentVisitors:
    """The web process's memory of recent visitors, made on the first visit."""
    with _visitors_lock:
        found = getattr(state, "referral_visitors", None)
        if found is None:
            found = state.referral_visitors = referrals.RecentVisitors()
        return found


@router.get("/r/{code}")
def follow_link(request: Request, code: str, _anyone: Anyone) -> Response:
    """An advocate's referral link: count the visit, then on to the landing address."""
    visit = referrals.record_visit(
        request.app.state.engine,
        code,
        now=now_of(request),
        visitor=client_address(request),
        recent=_recent_visitors(request.app.state),
    )
    target = referrals.landing_address(request.app.state.settings.referral_landing, visit.code)
    return RedirectResponse(target, status_code=302)


def _with_links(request: Request, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    settings = request.app.state.settings
    return [
        {**row, "link": referrals.referral_link(settings, row["code"]) if row["code"] else None}
        for row in rows
    ]


# --- the page ---------------------------------------------------------------------------------


def _done_message(done: str | None) -> str | None:
    return {
        "attributed": _("Referral attributed."),
        "exists": _("This referral was attributed already."),
        "code": _("Referral code ready."),
    }.get(done or "")


def _page(
    request: Request,
    principal: Principal,
    *,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    advocate = (request.query_params.get("advocate") or "").strip()[:200] or None
    report = referrals.referral_report(
        request.app.state.engine, now=now_of(request), advocate=advocate
    )
    return page_response(
        request,
        "referrals.html",
        context(
            request,
            principal,
            rows=_with_links(request, report),
            advocate=advocate,
            message=None if error else _done_message(request.query_params.get("done")),
            error=error,
            typed=typed or {},
            recent_days=referrals.RECENT_DAYS,
        ),
        status=status,
    )


@router.get("/advocates/referrals", response_class=HTMLResponse)
def referrals_page(request: Request, principal: Reader) -> Response:
    return _page(request, principal)


@router.post("/advocates/referrals", response_class=HTMLResponse)
def attribute_by_hand(
    request: Request,
    principal: Worker,
    referred: Annotated[str, Form(max_length=1000)] = "",
    code: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Attribute a referral from the page's form; a refusal shows the page with the reason."""
    try:
        done = referrals.attribute(
            request.app.state.engine, referred, code, actor=principal.name, now=now_of(request)
        )
    except AdvocacyError as exc:
        typed = {"referred": referred, "code": code}
        return _page(request, principal, error=str(exc), typed=typed, status=400)
    outcome = "attributed" if done["created"] else "exists"
    return RedirectResponse(f"/advocates/referrals?done={outcome}", status_code=303)


@router.post("/advocates/referrals/code", response_class=HTMLResponse)
def issue_by_hand(
    request: Request,
    principal: Worker,
    customer: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Give an advocate their referral code from the page's form."""
    engine = request.app.state.engine
    try:
        advocate_id = referrals.advocate_id_of(engine, customer)
        referrals.issue_code(engine, advocate_id, now=now_of(request), actor=principal.name)
    except AdvocacyError as exc:
        return _page(request, principal, error=str(exc), typed={"customer": customer}, status=400)
    return RedirectResponse("/advocates/referrals?done=code", status_code=303)


# --- the JSON API -----------------------------------------------------------------------------


class NewReferral(BaseModel):
    customer_id: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=100)


@api.get("/referrals", summary="Referrals per advocate: visits, referred customers, value created")
def list_referrals(
    request: Request,
    _principal: Reader,
    advocate: Annotated[str | None, Query(max_length=200)] = None,
) -> dict[str, Any]:
    report = referrals.referral_report(
        request.app.state.engine, now=now_of(request), advocate=advocate
    )
    return {"referrals": _with_links(request, report)}


@api.post("/referrals", summary="Attribute a referred customer to an advocate's code")
def attribute_referral(request: Request, principal: Worker, body: NewReferral) -> Response:
    done = referrals.attribute(
        request.app.state.engine,
        body.customer_id,
        body.code,
        actor=principal.name,
        now=now_of(request),
    )
    return JSONResponse(done, status_code=201 if done["created"] else 200)


@api.post("/advocates/{customer}/referral-code", summary="An advocate's referral code and link")
def issue_referral_code(request: Request, customer: str, principal: Worker) -> dict[str, Any]:
    engine = request.app.state.engine
    advocate_id = referrals.advocate_id_of(engine, customer)
    code = referrals.issue_code(engine, advocate_id, now=now_of(request), actor=principal.name)
    link = referrals.referral_link(request.app.state.settings, code)
    return {"customer_id": customer.strip(), "code": code, "link": link}
