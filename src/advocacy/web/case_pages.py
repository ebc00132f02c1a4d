"""The case pages of the app: the queue, each case worked from its own page (assign, move,
note, reply, re-survey), the rules of casework (and the automatic re-survey) for leads and
admins, and the value at risk for decision makers. The metrics and the replies to post are in
``case_loop_pages``, whose router this one includes.

Reading cases takes ``feedback.view``; working them ``feedback.work``; the rule settings
``cases.manage``. A change answers with a redirect to the case (reloading the page never sends
it twice); a refused change shows the case again with the reason and what was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine, select

from advocacy.access import Permission
from advocacy.errors import InvalidInput, NotFound
from advocacy.services import (
    accounts,
    case_replies,
    case_rules,
    inbox,
    invitations,
    resurveys,
    surveys,
)
from advocacy.services import cases as casework
from advocacy.web import case_loop_pages, i18n
from advocacy.web.app import page_response
from advocacy.web.case_texts import (
    condition_names,
    describe,
    details_rows,
    due_text,
    invitation_status_names,
    param_help,
    priority_names,
    reply_status_names,
    rule_texts,
    status_names,
    template_names,
    type_names,
)
from advocacy.web.pages import context
from advocacy.web.security import Principal, now_of, require

pages = APIRouter(include_in_schema=False)
pages.include_router(case_loop_pages.pages)  # the metrics and the replies to post
_ = i18n.gettext_

Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]

QUEUE_LIMIT = 200
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,255}\.[^@\s<>\"'.]{2,63}$")
TEXT_LIMIT = 10_000


# --- reading --------------------------------------------------------------------------------


def _status_counts(engine: Engine, now: dt.datetime) -> dict[str, int]:
    """How many cases are in each status, how many are active and how many past due."""
    counts = casework.status_counts(engine, now=now)
    counts["active"] = sum(counts[status] for status in casework.OPEN)
    return counts


def email_of(request: Request, principal: Principal) -> str | None:
    """The e-mail a signed-in user owns cases by (API tokens own none)."""
    if principal.kind != "user":
        return None
    return accounts.get_user(request.app.state.engine, principal.id).email


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the queue's form asks for, checked."""

    status: str | None = "active"
    type: str | None = None
    priority: str | None = None
    owner: str | None = None
    unassigned: bool = False
    team: str | None = None
    overdue: bool = False
    customer: str | None = None


def _choice(params: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if value not in allowed:
        raise InvalidInput(f"{name}: one of {', '.join(allowed)}, not {value[:40]!r}")
    return value


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > 320:
        raise InvalidInput(f"{name}: at most 320 characters")
    return value or None


def queue_filter(params: Mapping[str, str], my_email: str | None) -> QueueFilter:
    status = _choice(params, "status", ("active", "all", *casework.STATUSES)) or "active"
    owner = _text(params, "owner")
    unassigned = owner == "none"
    if owner == "mine":
        if my_email is None:
            raise InvalidInput("owner: an API token has no cases of its own")
        owner = my_email
    overdue = _choice(params, "overdue", ("yes",))
    return QueueFilter(
        status=None if status == "all" else status,
        type=_choice(params, "type", casework.TYPES),
        priority=_choice(params, "priority", casework.PRIORITIES),
        owner=None if unassigned else owner,
        unassigned=unassigned,
        team=_text(params, "team"),
        overdue=overdue == "yes",
        customer=_text(params, "customer"),
    )


def queue(engine: Engine, filters: QueueFilter, *, now: dt.datetime) -> list[dict[str, Any]]:
    """The cases of ``filters``, most urgent first, ready for the page."""
    found = casework.list_cases(
        engine,
        now=now,
        status=filters.status,
        type=filters.type,
        owner=casework.UNASSIGNED if filters.unassigned else filters.owner,
        overdue=True if filters.overdue else None,
        customer_ref=filters.customer,
        priority=filters.priority,
        team=filters.team,
        limit=QUEUE_LIMIT,
    )
    for case in found:
        case["due_text"] = due_text(case, now)
    return found


@pages.get("/cases", response_class=HTMLResponse)
def queue_page(request: Request, principal: Reader) -> Response:
    engine, now = request.app.state.engine, now_of(request)
    filters = queue_filter(request.query_params, email_of(request, principal))
    return page_response(
        request,
        "cases.html",
        context(
            request,
            principal,
            cases=queue(engine, filters, now=now),
            counts=_status_counts(engine, now),
            filters=filters,
            limit=QUEUE_LIMIT,
            statuses=casework.STATUSES,
            types=casework.TYPES,
            priorities=casework.PRIORITIES,
            status_names=status_names(),
            type_names=type_names(),
            priority_names=priority_names(),
        ),
    )


# --- one case -------------------------------------------------------------------------------


def _done_message(done: str | None) -> str | None:
    return {
        "assigned": _("Assignment saved."),
        "status": _("Status changed."),
        "note": _("Note added."),
        "reply": _("Reply saved."),
        "opened": _("Case opened."),
        "exists": _("This feedback is in this case already."),
        "resurvey": _("The customer is asked again."),
    }.get(done or "")


def case_page_response(
    request: Request,
    principal: Principal,
    case_id: int,
    *,
    error: str | None = None,
    typed: Mapping[str, str] | None = None,
    status: int = 200,
) -> Response:
    engine, now = request.app.state.engine, now_of(request)
    case = casework.get_case(engine, case_id, now=now)
    items = []
    for item_id in case["source_item_ids"]:
        try:
            items.append(inbox.feedback_item(engine, item_id))
        except NotFound:  # removed since: the timeline still names it
            continue
    case["due_text"] = due_text(case, now)
    timeline = [
        {**event, "summary": describe(event), "body": event.get("text") or event.get("note")}
        for event in case["timeline"]
    ]
    template_keys = list(dict.fromkeys(t.key for t in case_replies.list_templates(engine)))
    asked = _resurvey_of(request, case["timeline"])
    return page_response(
        request,
        "case.html",
        context(
            request,
            principal,
            case=case,
            items=items,
            timeline=list(reversed(timeline)),
            details=details_rows(case.get("details") or {}, case.get("currency")),
            next_statuses=sorted(casework.TRANSITIONS[case["status"]], key=casework.STATUSES.index),
            status_names=status_names(),
            priority_names=priority_names(),
            type_names=type_names(),
            message=None if error else _done_message(request.query_params.get("done")),
            error=error,
            typed=dict(typed or {}),
            my_email=email_of(request, principal),
            replies=case_replies.replies_of(engine, case_id),
            template_keys=template_keys,
            template_names=template_names(),
            reply_status_names=reply_status_names(),
            resurvey=asked,
            can_resurvey=asked is None
            and case["status"] in resurveys.DONE
            and bool(case["customer_id"]),
            surveys=_active_surveys(engine),
            invitation_status_names=invitation_status_names(),
            kind_names={
                "nps": _("NPS answers"),
                "review": _("Reviews"),
                "social": _("Social posts"),
                "ticket": _("Tickets"),
            },
            sentiment_names={
                "negative": _("Negative"),
                "neutral": _("Neutral"),
                "positive": _("Positive"),
            },
        ),
        status=status,
    )


def _resurvey_of(request: Request, timeline: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The case's re-survey invitation (status, score), from its timeline; ``None`` without."""
    asked = [event for event in timeline if event["kind"] == "resurvey"]
    if not asked or not isinstance(asked[-1].get("invitation_id"), int):
        return None
    try:
        found = invitations.get_invitation(
            request.app.state.engine, request.app.state.settings, asked[-1]["invitation_id"]
        )
    except NotFound:  # removed since
        return None
    return {**found.as_dict(), "reason": asked[-1].get("reason")}


def _active_surveys(engine: Engine) -> list[surveys.SurveyInfo]:
    return [survey for survey in surveys.list_surveys(engine) if survey.active]


@pages.get("/cases/{case_id:int}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, principal: Reader) -> Response:
    return case_page_response(request, principal, case_id)


def _done(case_id: int, what: str) -> Response:
    return RedirectResponse(f"/cases/{case_id}?done={what}", status_code=303)


@pages.post("/cases/{case_id:int}/assign", response_class=HTMLResponse)
def assign_case(
    request: Request,
    case_id: int,
    principal: Worker,
    owner: Annotated[str, Form(max_length=1000)] = "",
    team: Annotated[str, Form(max_length=1000)] = "",
    me: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    owner, team = owner.strip(), team.strip()
    if me:
        owner = email_of(request, principal) or owner
    typed = {"owner": owner, "team": team}
    if owner and (len(owner) > 320 or not EMAIL.match(owner)):
        return case_page_response(
            request,
            principal,
            case_id,
            error=_("The owner is an e-mail address, such as ana@example.com."),
            typed=typed,
            status=400,
        )
    if len(team) > 100:
        return case_page_response(
            request,
            principal,
            case_id,
            error=_("A team's name is at most 100 characters."),
            typed=typed,
            status=400,
        )
    casework.assign(
        request.app.state.engine,
        case_id,
        now=now_of(request),
        actor=principal.name,
        owner=owner or None,
        team=team or None,
    )
    return _done(case_id, "assigned")


@pages.post("/cases/{case_id:int}/status", response_class=HTMLResponse)
def move_case(
    request: Request,
    case_id: int,
    principal: Worker,
    status: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=2 * TEXT_LIMIT)] = "",
) -> Response:
    engine, now = request.app.state.engine, now_of(request)
    current = casework.get_case(engine, case_id, now=now)["status"]
    typed = {"status_note": note}
    names = status_names()
    if status not in casework.TRANSITIONS[current]:
        return case_page_response(
            request,
            principal,
            case_id,
            error=_("A case that is %(was)s cannot become %(status)s.")
            % {"was": names[current], "status": names.get(status, status[:40] or "—")},
            typed=typed,
            status=400,
        )
    if len(note.strip()) > TEXT_LIMIT:
        return case_page_response(
            request,
            principal,
            case_id,
            error=_("A note is at most 10,000 characters."),
            typed=typed,
            status=400,
        )
    try:
        casework.change_status(
            engine, case_id, status, now=now, actor=principal.name, note=note.strip() or None
        )
    except InvalidInput as exc:  # moved by someone else meanwhile
        return case_page_response(
            request, principal, case_id, error=str(exc), typed=typed, status=400
        )
    return _done(case_id, "status")


@pages.post("/cases/{case_id:int}/notes", response_class=HTMLResponse)
def write_note(
    request: Request,
    case_id: int,
    principal: Worker,
    text: Annotated[str, Form(max_length=2 * TEXT_LIMIT)] = "",
) -> Response:
    problem = None
    if not text.strip():
        problem = _("Write the note first: it is empty.")
    elif len(text.strip()) > TEXT_LIMIT:
        problem = _("A note is at most 10,000 characters.")
    if problem:
        return case_page_response(
            request, principal, case_id, error=problem, typed={"note": text}, status=400
        )
    casework.add_note(
        request.app.state.engine, case_id, text, now=now_of(request), actor=principal.name
    )
    return _done(case_id, "note")


@pages.post("/cases/{case_id:int}/replies", response_class=HTMLResponse)
def reply_to_customer(
    request: Request,
    case_id: int,
    principal: Worker,
    template: Annotated[str, Form(max_length=60)] = "",
    language: Annotated[str, Form(max_length=10)] = "",
    text: Annotated[str, Form(max_length=2 * TEXT_LIMIT)] = "",
) -> Response:
    """A reply to the customer: from a template in their language, or as written."""
    typed = {"reply_template": template, "reply_language": language, "reply_text": text}
    written = text.strip()
    problem = None
    if bool(written) == bool(template):
        problem = _("Choose a template or write the reply yourself: one of the two.")
    elif len(written) > TEXT_LIMIT:
        problem = _("A reply is at most 10,000 characters.")
    if problem is None:
        try:
            case_replies.write_reply(
                request.app.state.engine,
                case_id,
                actor=principal.name,
                now=now_of(request),
                body=written or None,
                template=template or None,
                language=language or None,
                agent=principal.name,
                company=case_replies.configured_company(request.app.state.settings),
            )
        except InvalidInput as exc:
            problem = str(exc)
    if problem is not None:
        return case_page_response(
            request, principal, case_id, error=problem, typed=typed, status=400
        )
    return _done(case_id, "reply")


@pages.post("/cases/{case_id:int}/resurvey", response_class=HTMLResponse)
def resurvey_customer(
    request: Request,
    case_id: int,
    principal: Worker,
    survey: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Ask the customer of a resolved case again, with the survey chosen."""
    problem = None
    if not survey.strip():
        problem = _("Choose the survey to ask the customer with.")
    else:
        try:
            resurveys.resurvey(
                request.app.state.engine,
                request.app.state.settings,
                case_id,
                survey_key=survey.strip(),
                now=now_of(request),
                actor=principal.name,
            )
        except InvalidInput as exc:
            problem = str(exc)
        except NotFound:
            casework.get_case(request.app.state.engine, case_id, now=now_of(request))
            problem = _("There is no survey %(survey)s.") % {"survey": survey.strip()[:200]}
    if problem is not None:
        return case_page_response(
            request, principal, case_id, error=problem, typed={"survey": survey}, status=400
        )
    return _done(case_id, "resurvey")


@pages.post("/cases/open", response_class=HTMLResponse)
def open_case_by_hand(
    request: Request,
    principal: Worker,
    item_id: Annotated[str, Form(max_length=20)] = "",
    customer: Annotated[str, Form(max_length=200)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    priority: Annotated[str, Form(max_length=20)] = "normal",
) -> Response:
    """Open a case by hand from a feedback item's page or a customer's; an item already in a
    case leads to that case instead."""
    engine = request.app.state.engine
    items: list[int] = []
    if item_id.strip():
        if not item_id.strip().isdigit():
            raise InvalidInput("item_id: a whole number")
        items = [int(item_id)]
        with engine.connect() as connection:
            existing = connection.scalar(
                select(casework.CASE_ITEMS.c.case_id).where(
                    casework.CASE_ITEMS.c.feedback_item_id == items[0]
                )
            )
        if existing is not None:
            return _done(int(existing), "exists")
    if priority not in casework.PRIORITIES:
        raise InvalidInput(f"priority: one of {', '.join(casework.PRIORITIES)}")
    if len(title.strip()) > 300:
        raise InvalidInput("title: at most 300 characters")
    case_id = casework.open_case_about(
        engine,
        now=now_of(request),
        actor=principal.name,
        item_ids=items,
        customer_ref=customer.strip() or None,
        title=title.strip() or None,
        priority=priority,
    )
    return _done(case_id, "opened")


# --- the rules of casework (leads and admins) ---------------------------------------------------

Manager = Annotated[Principal, Depends(require(Permission.CASES_MANAGE))]


def _input_kind(default: Any) -> str:
    if isinstance(default, bool):
        return "checkbox"
    if isinstance(default, int):
        return "integer"
    if isinstance(default, float):
        return "number"
    return "text"


def _shown_param(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def rules_page_response(
    request: Request,
    principal: Principal,
    *,
    error: str | None = None,
    typed: Mapping[str, Any] | None = None,
    status: int = 200,
) -> Response:
    engine = request.app.state.engine
    texts, helps, typed = rule_texts(), param_help(), dict(typed or {})
    rules = []
    for rule in case_rules.rules_overview(engine):
        title, description = texts.get(rule["name"], (rule["title"], rule["description"]))
        given = typed.get("params", {}) if typed.get("rule") == rule["name"] else {}
        rules.append(
            {
                **rule,
                "shown_title": title,
                "shown_description": description,
                "fields": [
                    {
                        "name": name,
                        "kind": _input_kind(default),
                        "value": given.get(name, _shown_param(rule["params"].get(name, default))),
                        "default": _shown_param(default),
                        "help": helps.get(f"{rule['name']}.{name}")
                        or rule["param_help"].get(name, ""),
                        "on": bool(rule["params"].get(name, default)),
                    }
                    for name, default in rule["defaults"].items()
                ],
            }
        )
    done = {
        "rule": _("Rule saved."),
        "assignment": _("Assignment rule added."),
        "removed": _("Assignment rule removed."),
        "resurvey": _("Re-survey setting saved."),
        "sla": _("SLA saved."),
    }.get(request.query_params.get("done") or "")
    return page_response(
        request,
        "case_rules.html",
        context(
            request,
            principal,
            rules=rules,
            assignments=case_rules.list_assignment_rules(engine),
            condition_names=condition_names(),
            conditions=case_rules.CONDITIONS,
            resurvey=resurveys.resurvey_setting(engine),
            surveys=_active_surveys(engine),
            sla=casework.sla_policy(engine),
            priorities=list(reversed(casework.PRIORITIES)),
            priority_names=priority_names(),
            type_names=type_names(),
            typed=typed,
            error=error,
            message=None if error else done,
        ),
        status=status,
    )


@pages.get("/cases/rules", response_class=HTMLResponse)
def rules_page(request: Request, principal: Manager) -> Response:
    return rules_page_response(request, principal)


@pages.post("/cases/rules/{name}", response_class=HTMLResponse)
async def change_rule(request: Request, name: str, principal: Manager) -> Response:
    """Switch a rule on or off (``enabled``), or save its parameters (``param.NAME``)."""
    form = await request.form()
    enabled_field = str(form.get("enabled") or "")
    params = {
        key.removeprefix("param."): str(value)[:1000]
        for key, value in form.multi_items()
        if key.startswith("param.") and isinstance(value, str)
    }
    known = {rule["name"]: rule for rule in case_rules.rules_overview(request.app.state.engine)}
    if name not in known:
        raise NotFound(f"no rule {name!r}")
    if form.get("params") == "yes":  # unticked boxes are not sent
        for key, default in known[name]["defaults"].items():
            if isinstance(default, bool):
                params[key] = "yes" if form.get(f"param.{key}") else "no"
    try:
        case_rules.set_rule(
            request.app.state.engine,
            name,
            now=now_of(request),
            actor=principal.name,
            enabled=None if not enabled_field else enabled_field == "yes",
            params=params or None,
        )
    except InvalidInput as exc:
        return rules_page_response(
            request,
            principal,
            error=str(exc),
            typed={"rule": name, "params": params},
            status=400,
        )
    return RedirectResponse(f"/cases/rules?done=rule#rule-{name}", status_code=303)


def _settled(request: Request, principal: Principal, problem: str | None,
             typed: Mapping[str, Any], section: str) -> Response:  # fmt: skip
    """After a settings form: the rules page again with the problem and what was typed, or
    back to the section saved."""
    if problem is not None:
        return rules_page_response(request, principal, error=problem, typed=typed, status=400)
    return RedirectResponse(f"/cases/rules?done={section}#{section}", status_code=303)


@pages.post("/cases/resurvey-setting", response_class=HTMLResponse)
def change_resurvey_setting(
    request: Request,
    principal: Manager,
    enabled: Annotated[str, Form(max_length=5)] = "",
    survey: Annotated[str, Form(max_length=200)] = "",
    delay_days: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Turn the automatic re-survey on (a survey and a delay in days) or off."""
    typed = {"resurvey": {"enabled": bool(enabled), "survey": survey, "delay_days": delay_days}}
    delay = delay_days.strip()
    problem = None
    if delay and not (delay.isdigit() and int(delay) <= 365):
        problem = _("The delay is a whole number of days from 0 to 365.")
    elif enabled and not (survey.strip() and delay):
        problem = _("Choose the survey and the delay in days to turn the re-survey on.")
    if problem is None:
        try:
            resurveys.set_resurvey(
                request.app.state.engine,
                survey_key=survey.strip() or None,
                delay_days=int(delay) if delay else None,
                enabled=bool(enabled),
                actor=principal.name,
                now=now_of(request),
            )
        except InvalidInput as exc:
            problem = str(exc)
        except NotFound:
            problem = _("There is no survey %(survey)s.") % {"survey": survey.strip()[:200]}
    return _settled(request, principal, problem, typed, "resurvey")


@pages.post("/cases/sla", response_class=HTMLResponse)
def change_sla(
    request: Request,
    principal: Manager,
    priority: Annotated[str, Form(max_length=20)] = "",
    type: Annotated[str, Form(max_length=40)] = "",
    hours: Annotated[str, Form(max_length=40)] = "",
    reset: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Set the hours cases of a priority (of one type, or of all) may take, or reset them."""
    typed = {"sla": {"priority": priority, "type": type, "hours": hours}}
    problem = None
    value: float | None = None
    if not reset:
        try:
            value = float(hours.strip().replace(",", "."))
        except ValueError:
            problem = _("The hours are a number, more than 0.")
    if problem is None:
        try:
            casework.set_sla(
                request.app.state.engine, priority=priority, hours=value, type=type or None,
                now=now_of(request), actor=principal.name,
            )  # fmt: skip
        except InvalidInput as exc:
            problem = str(exc)
    return _settled(request, principal, problem, typed, "sla")


@pages.post("/cases/assignments", response_class=HTMLResponse)
def add_assignment(
    request: Request,
    principal: Manager,
    name: Annotated[str, Form(max_length=1000)] = "",
    team: Annotated[str, Form(max_length=1000)] = "",
    owners: Annotated[str, Form(max_length=50_000)] = "",
    type: Annotated[str, Form(max_length=1000)] = "",
    rule: Annotated[str, Form(max_length=1000)] = "",
    language: Annotated[str, Form(max_length=1000)] = "",
    priority: Annotated[str, Form(max_length=1000)] = "",
    tier: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    conditions = {
        "type": type,
        "rule": rule,
        "language": language,
        "priority": priority,
        "tier": tier,
    }
    try:
        case_rules.add_assignment_rule(
            request.app.state.engine,
            name=name,
            now=now_of(request),
            conditions={key: value for key, value in conditions.items() if value.strip()},
            team=team,
            owners=[line.strip() for line in owners.splitlines() if line.strip()],
        )
    except InvalidInput as exc:
        typed = {"assignment": {"name": name, "team": team, "owners": owners, **conditions}}
        return rules_page_response(request, principal, error=str(exc), typed=typed, status=400)
    return RedirectResponse("/cases/rules?done=assignment#assignments", status_code=303)


@pages.post("/cases/assignments/{rule_id:int}/remove", response_class=HTMLResponse)
def remove_assignment(request: Request, rule_id: int, _principal: Manager) -> Response:
    case_rules.remove_assignment_rule(request.app.state.engine, rule_id)
    return RedirectResponse("/cases/rules?done=removed#assignments", status_code=303)


# --- the value at risk, for decision makers -----------------------------------------------------


@pages.get("/cases/summary", response_class=HTMLResponse)
def summary_page(request: Request, principal: Reader) -> Response:
    params = request.query_params
    sort = _choice(params, "sort", case_rules.SUMMARY_SORTS) or "value_at_risk"
    status = _choice(params, "status", ("active", "all")) or "active"
    engine, now = request.app.state.engine, now_of(request)
    summary = case_rules.value_summary(engine, now=now, sort=sort, status=status, limit=500)
    for case in summary["cases"]:
        case["due_text"] = due_text(case, now)
    return page_response(
        request,
        "case_summary.html",
        context(
            request,
            principal,
            summary=summary,
            sort=sort,
            status=status,
            status_names=status_names(),
            priority_names=priority_names(),
            as_of=now,
        ),
    )
