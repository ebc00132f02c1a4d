"""Closing the loop, on the page: the metrics of casework (how fast, within the SLA, and whether
the customers asked again are happier) and the public replies waiting to be posted by hand.

Both are read with ``feedback.view``; a reply is marked posted with ``feedback.work``; the
replies' CSV is for those who post them (``feedback.work``) and those who export data
(``data.export``). The case pages include this router (see ``case_pages``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.access import Permission
from advocacy.errors import InvalidInput
from advocacy.services import case_metrics, case_replies
from advocacy.web import i18n
from advocacy.web.app import page_response
from advocacy.web.case_texts import metric_definitions, rule_texts
from advocacy.web.pages import context
from advocacy.web.security import Forbidden, Principal, now_of, require

pages = APIRouter(include_in_schema=False)
_ = i18n.gettext_

Reader = Annotated[Principal, Depends(require(Permission.FEEDBACK_VIEW))]
Worker = Annotated[Principal, Depends(require(Permission.FEEDBACK_WORK))]

#: The periods of the metrics page, in days (``all``: every case).
PERIODS = ("30", "90", "365", "all")
DEFAULT_PERIOD = "90"


def period_names() -> dict[str, str]:
    return {
        "30": _("Last 30 days"),
        "90": _("Last 90 days"),
        "365": _("Last 365 days"),
        "all": _("All time"),
    }


def _rows(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """The table's rows: overall, then each team, then each rule, each with its label."""
    texts = rule_texts()
    rows = [{"group": "overall", "label": _("All cases"), **metrics["overall"]}]
    for name, figures in metrics["teams"].items():
        label = _("No team") if name == case_metrics.UNASSIGNED else name
        rows.append({"group": "team", "name": name, "label": label, **figures})
    for name, figures in metrics["rules"].items():
        label = _("Opened by hand") if name == case_metrics.MANUAL else texts.get(name, (name,))[0]
        rows.append({"group": "rule", "name": name, "label": label, **figures})
    return rows


@pages.get("/cases/metrics", response_class=HTMLResponse)
def metrics_page(request: Request, principal: Reader) -> Response:
    period = (request.query_params.get("period") or DEFAULT_PERIOD).strip()
    if period not in PERIODS:
        raise InvalidInput(f"period: one of {', '.join(PERIODS)}, not {period[:40]!r}")
    engine, now = request.app.state.engine, now_of(request)
    since = None if period == "all" else now - dt.timedelta(days=int(period))
    metrics = case_metrics.case_metrics(engine, now=now, since=since)
    return page_response(
        request,
        "case_metrics.html",
        context(
            request,
            principal,
            rows=_rows(metrics),
            period=period,
            periods=PERIODS,
            period_names=period_names(),
            since=since,
            as_of=now,
            definitions=metric_definitions(),
        ),
    )


# --- public replies to post by hand -----------------------------------------------------------


def replies_page_response(
    request: Request, principal: Principal, *, error: str | None = None, status: int = 200
) -> Response:
    done = {"posted": _("Marked as posted.")}.get(request.query_params.get("done") or "")
    return page_response(
        request,
        "case_replies_to_post.html",
        context(
            request,
            principal,
            replies=case_replies.replies_to_post(request.app.state.engine),
            can_export=principal.can(Permission.FEEDBACK_WORK)
            or principal.can(Permission.DATA_EXPORT),
            error=error,
            message=None if error else done,
        ),
        status=status,
    )


@pages.get("/cases/replies", response_class=HTMLResponse)
def replies_page(request: Request, principal: Reader) -> Response:
    return replies_page_response(request, principal)


@pages.get("/cases/replies.csv")
def replies_csv(request: Request, principal: Reader) -> Response:
    # Those who post the replies need the list as much as those who export data.
    if not (principal.can(Permission.FEEDBACK_WORK) or principal.can(Permission.DATA_EXPORT)):
        raise Forbidden
    return Response(
        case_replies.to_post_csv(request.app.state.engine),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="advocacy-replies-to-post.csv"'},
    )


@pages.post("/cases/replies/{reply_id:int}/posted", response_class=HTMLResponse)
def mark_posted(request: Request, reply_id: int, principal: Worker) -> Response:
    try:
        case_replies.mark_posted(
            request.app.state.engine, reply_id, actor=principal.name, now=now_of(request)
        )
    except InvalidInput:  # posted by someone else meanwhile
        return replies_page_response(
            request,
            principal,
            error=_("This reply is not waiting to be posted any more."),
            status=400,
        )
    return RedirectResponse("/cases/replies?done=posted", status_code=303)
