"""The advocate programme's pages: the advocates with filters, the tasks to do for them (done,
skipped, rewarded, taken), the review invitations' audit, and the programme's settings; the
advocate's section of the customer page writes in their log and cancels a thank-you.

Reading takes ``customers.view``; doing the work ``feedback.work``; the settings
``cases.manage``. A change answers with a redirect (reloading never sends it twice); a refused
one shows the page again with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.access import Permission
from advocacy.errors import InvalidInput, NotFound
from advocacy.services import advocate_programme as programme
from advocacy.services import customer_messages as messages
from advocacy.services.advocates import STATUSES
from advocacy.web import i18n
from advocacy.web.app import page_response
from advocacy.web.case_pages import email_of
from advocacy.web.pages import context
from advocacy.web.security import Principal, now_of, require

pages = APIRouter(include_in_schema=False)
_ = i18n.gettext_

Reader = Annotated[Principal, Depends(require(Permission.CUSTOMERS_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]
Manager = Annotated[Principal, Depends(require(Permission.CASES_MANAGE))]
Field = Annotated[str, Form(max_length=3_000)]

LIST_LIMIT = 500


def status_names() -> dict[str, str]:
    return {"active": _("Active"), "candidate": _("Candidate"), "lapsed": _("Lapsed")}


def task_names() -> dict[str, str]:
    return {
        "welcome": _("Welcome"),
        "reply_review": _("Thank for a review"),
        "share_post": _("Share a post"),
        "reward": _("Reward"),
        "call": _("Call"),
        "other": _("Other"),
    }


def log_names() -> dict[str, str]:
    return {
        "status": _("Status"),
        "task_created": _("Task"),
        "task_done": _("Task done"),
        "task_skipped": _("Task skipped"),
        "task_assigned": _("Task given"),
        "reminder": _("Reminder"),
        "thank_you": _("Thank-you"),
        "feedback_request": _("Feedback request"),
        "milestone": _("Milestone"),
        "reward": _("Reward"),
        "referral": _("Referral"),
        "referral_code": _("Referral code"),
        "note": _("Note"),
        "call": _("Call"),
        "meeting": _("Meeting"),
        "gift": _("Gift"),
        "other": _("Other"),
    }


def milestone_names() -> dict[str, str]:
    return {
        "first_promoter_answer": _("First promoter answer"),
        "three_promoter_answers": _("Three promoter answers"),
        "first_positive_review": _("First positive review"),
        "first_referral": _("First customer referred"),
        "five_referrals": _("Five customers referred"),
        "one_year": _("A year as an advocate"),
    }


def message_names() -> dict[str, str]:
    return {
        "thank_you": _("Thank-you"),
        "review_invitation": _("Review invitation"),
        "queued": _("Queued"),
        "sending": _("Sending"),
        "sent": _("Sent"),
        "failed": _("Failed"),
        "skipped": _("Not sent"),
        "cancelled": _("Cancelled"),
    }


def reason_names() -> dict[str, str]:
    """The reasons a customer was not invited to review (all of them the customer's own)."""
    return {
        "no e-mail address": _("no e-mail address"),
        "unsubscribed": _("unsubscribed"),
        "consent withdrawn": _("consent withdrawn"),
        "asked recently": _("asked recently"),
    }


def category_names() -> dict[str, str]:
    return {
        "promoter": _("Promoters"),
        "passive": _("Passives"),
        "detractor": _("Detractors"),
        "no answer": _("No NPS answer"),
    }


def names() -> dict[str, Any]:
    """Every word the programme's templates translate, by family."""
    return {
        "status_names": status_names(),
        "task_names": task_names(),
        "log_names": log_names(),
        "milestone_names": milestone_names(),
        "message_names": message_names(),
    }


def _param(params: Mapping[str, str], name: str, limit: int = 320) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"{name}: at most {limit} characters")
    return value or None


def _owner(request: Request, principal: Principal, value: str | None) -> str | None:
    if value == "mine":
        mine = email_of(request, principal)
        if mine is None:
            raise InvalidInput("owner: an API token has no tasks of its own")
        return mine
    if value == "none":
        return programme.UNASSIGNED
    return value


# --- the advocates ---------------------------------------------------------------------------


@pages.get("/advocates", response_class=HTMLResponse)
def advocates_page(request: Request, principal: Reader) -> Response:
    engine, now, params = request.app.state.engine, now_of(request), request.query_params
    status = _param(params, "status")
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status: one of {', '.join(STATUSES)}, not {status[:40]!r}")
    raw_score = _param(params, "min_score", 10)
    try:
        min_score = float(raw_score) if raw_score else None
    except ValueError:
        raise InvalidInput(f"min_score: a number from 0 to 100, not {raw_score!r}") from None
    owner = _owner(request, principal, _param(params, "owner"))
    query = _param(params, "q", 100)
    found = programme.advocates_overview(engine, now=now, status=status, owner=owner,
                                         min_score=min_score, limit=100_000)  # fmt: skip
    if query:
        needle = query.lower()
        found = [
            a for a in found
            if needle in (a["name"] or "").lower() or needle in a["customer_id"].lower()
        ]  # fmt: skip
    return page_response(
        request,
        "advocates.html",
        context(
            request, principal, advocates=found[:LIST_LIMIT], total=len(found), limit=LIST_LIMIT,
            counts=programme.programme_counts(engine), tasks=programme.task_counts(engine, now=now),
            statuses=STATUSES, **names(),
        ),
    )  # fmt: skip


# --- tasks ----------------------------------------------------------------------------------


def _tasks_page(request: Request, principal: Principal, *, error: str | None = None,
                status_code: int = 200) -> Response:  # fmt: skip
    engine, now, params = request.app.state.engine, now_of(request), request.query_params
    status = _param(params, "status") or "open"
    kind = _param(params, "kind")
    owner = _owner(request, principal, _param(params, "owner"))
    overdue = params.get("overdue") == "yes"
    found = programme.list_tasks(engine, now=now, status=status, kind=kind, owner=owner,
                                 overdue=True if overdue else None,
                                 customer_ref=_param(params, "customer"))  # fmt: skip
    done = params.get("done")
    return page_response(
        request,
        "advocate_tasks.html",
        context(
            request, principal, tasks=found, counts=programme.task_counts(engine, now=now),
            budget=programme.budget_status(engine, now=now), error=error,
            message=None if error else _done_message(done), task_statuses=programme.TASK_STATUSES,
            task_kinds=programme.TASK_KINDS, overdue=overdue,
            task_status_names={"open": _("Open"), "done": _("Done"), "skipped": _("Skipped")},
            **names(),
        ),
        status=status_code,
    )  # fmt: skip


def _done_message(done: str | None) -> str | None:
    return {
        "done": _("Task done."),
        "skipped": _("Task skipped."),
        "rewarded": _("Reward given and the task done."),
        "taken": _("The task is yours."),
        "saved": _("Settings saved."),
        "noted": _("Written in the advocate's log."),
        "cancelled": _("Message cancelled."),
    }.get(done or "")


@pages.get("/advocates/tasks", response_class=HTMLResponse)
def tasks_page(request: Request, principal: Reader) -> Response:
    return _tasks_page(request, principal)


def _back_to_tasks(request: Request, what: str) -> Response:
    kept = {k: v for k, v in request.query_params.items() if k != "done"}
    return RedirectResponse(f"/advocates/tasks?{urlencode({**kept, 'done': what})}",
                            status_code=303)  # fmt: skip


def _refused(request: Request, principal: Principal, exc: InvalidInput | NotFound) -> Response:
    return _tasks_page(request, principal, error=str(exc),
                       status_code=404 if isinstance(exc, NotFound) else 400)  # fmt: skip


@pages.post("/advocates/tasks/{task_id:int}/done", response_class=HTMLResponse)
def finish_task(request: Request, task_id: int, principal: Worker, note: Field = "",
                skip: Annotated[str, Form(max_length=5)] = "") -> Response:  # fmt: skip
    try:
        programme.finish_task(request.app.state.engine, task_id, actor=principal.name,
                              now=now_of(request), note=note, skipped=bool(skip))  # fmt: skip
    except (InvalidInput, NotFound) as exc:
        return _refused(request, principal, exc)
    return _back_to_tasks(request, "skipped" if skip else "done")


@pages.post("/advocates/tasks/{task_id:int}/take", response_class=HTMLResponse)
def take_task(request: Request, task_id: int, principal: Worker) -> Response:
    mine = email_of(request, principal)
    try:
        if mine is None:
            raise InvalidInput("an API token cannot own a task")
        programme.assign_task(request.app.state.engine, task_id, mine, actor=principal.name,
                              now=now_of(request))  # fmt: skip
    except (InvalidInput, NotFound) as exc:
        return _refused(request, principal, exc)
    return _back_to_tasks(request, "taken")


@pages.post("/advocates/tasks/{task_id:int}/reward", response_class=HTMLResponse)
def reward_task(request: Request, task_id: int, principal: Worker, customer: Field,
                kind: Field, amount: Field = "0", description: Field = "") -> Response:  # fmt: skip
    try:
        value = float(amount.replace(",", ".") or 0)
    except ValueError:
        return _tasks_page(request, principal, error=_("The amount is a number, such as 25."),
                           status_code=400)  # fmt: skip
    try:
        programme.give_reward(request.app.state.engine, customer, kind=kind, amount=value,
                              description=description, task_id=task_id, actor=principal.name,
                              now=now_of(request))  # fmt: skip
    except (InvalidInput, NotFound) as exc:
        return _refused(request, principal, exc)
    return _back_to_tasks(request, "rewarded")


# --- the customer page's section -------------------------------------------------------------


def advocate_section(request: Request, customer_ref: str) -> dict[str, Any] | None:
    """What the customer page shows of an advocate (``None`` for a customer who is not one)."""
    try:
        found = programme.advocate_detail(request.app.state.engine, customer_ref,
                                          now=now_of(request))  # fmt: skip
    except NotFound:
        return None
    from advocacy.services.referrals import referral_link

    found["link"] = (referral_link(request.app.state.settings, found["referral_code"])
                     if found["referral_code"] else None)  # fmt: skip
    found["open_tasks"] = [t for t in found["tasks"] if t["status"] == "open"]
    return {**found, **names(), "log_kinds": programme.LOG_KINDS}


def _back_to_customer(customer: str, what: str) -> Response:
    return RedirectResponse(f"/customers/{quote(customer, safe='')}?done={what}#advocate",
                            status_code=303)  # fmt: skip


@pages.post("/advocates/{customer}/log", response_class=HTMLResponse)
def write_log(request: Request, customer: str, principal: Worker, text: Field,
              kind: Annotated[str, Form(max_length=20)] = "note") -> Response:  # fmt: skip
    programme.add_log_entry(request.app.state.engine, customer, kind, text, actor=principal.name,
                            now=now_of(request))  # fmt: skip
    return _back_to_customer(customer, "noted")


@pages.post("/advocates/messages/{message_id:int}/cancel", response_class=HTMLResponse)
def cancel_message(
    request: Request, message_id: int, principal: Worker, customer: Field
) -> Response:
    messages.cancel_message(request.app.state.engine, message_id, actor=principal.name,
                            now=now_of(request))  # fmt: skip
    return _back_to_customer(customer, "cancelled")


# --- review invitations ----------------------------------------------------------------------


@pages.get("/advocates/reviews", response_class=HTMLResponse)
def reviews_page(request: Request, principal: Reader) -> Response:
    engine, now = request.app.state.engine, now_of(request)
    days = 90
    audit = messages.review_audit(engine, since=now - dt.timedelta(days=days))
    return page_response(
        request,
        "advocate_reviews.html",
        context(
            request, principal, audit=audit, days=days,
            invitations=messages.list_messages(engine, kind="review_invitation", limit=100),
            settings=programme.programme_settings(engine), category_names=category_names(),
            reason_names=reason_names(),
            **names(),
        ),
    )  # fmt: skip


# --- settings --------------------------------------------------------------------------------


def _settings_page(
    request: Request, principal: Principal, *, error: str | None = None,
    typed: Mapping[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    engine, now = request.app.state.engine, now_of(request)
    return page_response(
        request,
        "advocate_settings.html",
        context(
            request, principal, settings=programme.programme_settings(engine),
            budget=programme.budget_status(engine, now=now), error=error, typed=dict(typed or {}),
            message=None if error else _done_message(request.query_params.get("done")),
        ),
        status=status_code,
    )  # fmt: skip


@pages.get("/advocates/settings", response_class=HTMLResponse)
def settings_page(request: Request, principal: Manager) -> Response:
    return _settings_page(request, principal)


#: The settings form's fields: (form name, setting, kind of value).
_FORM = (
    ("owners", "owners", "text"),
    ("contact", "contact", "text"),
    ("budget_amount", "budget_amount", "text"),
    ("budget_currency", "budget_currency", "text"),
    ("thank_you", "thank_you", "flag"),
    ("thank_you_delay_hours", "thank_you_delay_hours", "text"),
    ("thank_you_min_days_between", "thank_you_min_days_between", "text"),
    ("listening", "listening", "flag"),
    ("listening_survey", "listening_survey", "text"),
    ("task_days", "task_days", "text"),
    ("reminder_hours", "reminder_hours", "text"),
    ("max_reminders", "max_reminders", "text"),
    ("review_delay_days", "review_delay_days", "text"),
    ("review_min_days_between", "review_min_days_between", "text"),
)


@pages.post("/advocates/settings", response_class=HTMLResponse)
async def save_settings(request: Request, principal: Manager) -> Response:
    form = await request.form()
    typed = {key: str(value)[:3_000] for key, value in form.items() if isinstance(value, str)}
    engine, now = request.app.state.engine, now_of(request)
    platforms = []
    for n in range(3):
        name = typed.get(f"platform_name_{n}", "").strip()
        url = typed.get(f"platform_url_{n}", "").strip()
        if name or url:
            platforms.append({"name": name, "url": url})
    values: dict[str, Any] = {}
    for field, setting, kind in _FORM:
        raw = typed.get(field, "")
        values[setting] = (raw == "on") if kind == "flag" else (raw.strip() or None)
    values["review_platforms"] = platforms or None
    values["review_invitations"] = typed.get("review_invitations") == "on"
    if values["review_invitations"] and not platforms:
        error = _("Add the review platforms to invite to first.")
        return _settings_page(request, principal, error=error, typed=typed, status_code=400)
    current = programme.programme_settings(engine).as_dict()
    changed = {name: value for name, value in values.items() if value != current.get(name)}
    try:  # all or nothing: every value is checked before any is saved
        if changed:
            programme.set_settings(engine, changed, actor=principal.name, now=now)
    except InvalidInput as exc:
        return _settings_page(request, principal, error=str(exc), typed=typed, status_code=400)
    return RedirectResponse("/advocates/settings?done=saved", status_code=303)
