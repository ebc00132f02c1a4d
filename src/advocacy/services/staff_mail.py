"""The e-mails Advocacy writes to its own users — a case assigned, escalated or answered, an
advocate task due — in each user's language.

The language is the one the user chose in the web app (their account's locale), else English; an
address that is no user's (a distribution list) gets English. The words are those of the web
app's catalogues (:mod:`advocacy.i18n`), so a team reads the same terms in its inbox as on its
pages. Names the service gives without a translation (a plugin rule's title, a task's title as
it was written) stay as they are; times are written ``2026-11-26 09:00 UTC`` in every language.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, func, select

from advocacy.config import Settings
from advocacy.i18n import DEFAULT_LOCALE, supported, translations
from advocacy.mail.survey_mail import one_line
from advocacy.services.notifications import case_url, envelope
from advocacy.services.webhooks import RESURVEY_ANSWERED
from advocacy.store.engine import connected
from advocacy.store.tables import User

Words = Callable[[str], str]


def staff_language(bind: Engine | Connection, address: str) -> str:
    """The language of the user with the e-mail ``address`` (one of the interface's), or
    English."""
    column = User.__table__.c
    with connected(bind) as connection:
        chosen = connection.execute(
            select(column.locale).where(func.lower(column.email) == address.strip().lower())
        ).scalar()
    return supported(chosen) or DEFAULT_LOCALE


def _in(language: str) -> tuple[str, Words]:
    """``language`` as one of the interface's (else English), and its words."""
    code = supported(language) or DEFAULT_LOCALE
    return code, translations(code).gettext


def status_names(_: Words) -> dict[str, str]:
    """The cases' statuses in the words of ``_`` (the web app's too)."""
    return {
        "open": _("Open"),
        "in_progress": _("In progress"),
        "waiting": _("Waiting"),
        "resolved": _("Resolved"),
        "closed": _("Closed"),
    }


def priority_names(_: Words) -> dict[str, str]:
    """The cases' priorities in the words of ``_`` (the web app's too)."""
    return {"low": _("Low"), "normal": _("Normal"), "high": _("High"), "urgent": _("Urgent")}


def _what_happened(event: Any, case_id: Any, title: str, _: Words) -> tuple[str, str]:
    """The subject and a sentence for an event of a case."""
    detail = dict(event.detail or {})
    actor = one_line(event.actor, 100)
    kind = one_line(event.kind, 30)
    facts = {"id": case_id, "title": title}
    if event.kind == "assigned":
        subject = _("Case %(id)s assigned to you: %(title)s") % facts
        rule = one_line(detail.get("by_rule"), 100)
        if rule:
            return subject, _("The assignment rule %(rule)s gave this case to you.") % {
                "rule": rule
            }
        return subject, _("%(actor)s assigned this case to you.") % {"actor": actor}
    if event.kind == "escalated":
        return _("Case %(id)s escalated: %(title)s") % facts, _(
            "This case is %(hours)s hours past due: escalated to level %(level)s, priority "
            "%(priority)s."
        ) % {
            "hours": detail.get("overdue_hours", "?"),
            "level": detail.get("level", "?"),
            "priority": priority_names(_).get(str(detail.get("priority")), "?"),
        }
    if event.kind == "item_added":
        return (
            _("Case %(id)s new feedback: %(title)s") % facts,
            _("New feedback from the customer joined this case."),
        )
    if event.kind == RESURVEY_ANSWERED:
        score = detail.get("score")
        sentence = (
            _("The customer answered the re-survey with %(score)s of 10.") % {"score": score}
            if score is not None
            else _("The customer answered the re-survey.")
        )
        return _("Case %(id)s re-survey answered: %(title)s") % facts, sentence
    return (
        _("Case %(id)s %(event)s: %(title)s") % {**facts, "event": kind},
        _("%(actor)s: %(event)s.") % {"actor": actor, "event": kind},
    )


def _due(at: dt.datetime, late: bool, _: Words) -> str:
    """A due time in UTC, said to be past when it is."""
    due = at.strftime("%Y-%m-%d %H:%M UTC")
    return _("%(due)s (overdue)") % {"due": due} if late else due


def _compose(
    settings: Settings, *, to: str, subject: str, now: dt.datetime, language: str, title: str,
    lines: list[str], facts: list[tuple[str, str]], link: tuple[str, str],
) -> EmailMessage:  # fmt: skip
    """An automatic e-mail to ``to``: the text part (the lines, the facts, the link) and its
    HTML twin, every value escaped."""
    message = envelope(settings, to=to, subject=subject, now=now)
    message["Auto-Submitted"] = "auto-generated"
    text = "\n".join(f"{name}: {value}" for name, value in facts)
    message.set_content("\n\n".join([*lines, text, link[1]]) + "\n")
    e = html.escape
    rows = "".join(f"<tr><th align=left>{e(n)}</th><td>{e(v)}</td></tr>" for n, v in facts)
    paragraphs = "".join(f"<p>{e(line)}</p>" for line in lines)
    message.add_alternative(
        f"""<!doctype html>
<html lang="{e(language)}"><head><meta charset="utf-8"><title>{e(title)}</title></head>
<body style="font:15px/1.5 Arial,sans-serif;color:#1f2937">
{paragraphs}
<table role="presentation" cellpadding="4">{rows}</table>
<p><a href="{e(link[1])}">{e(link[0])}</a></p>
</body></html>
""",
        subtype="html",
    )
    message["Content-Language"] = language  # after the parts, which reset the Content-* headers
    return message


def case_notification(
    settings: Settings, *, to: str, event: Any, case: dict[str, Any], now: dt.datetime,
    language: str = DEFAULT_LOCALE,
) -> EmailMessage:  # fmt: skip
    """The e-mail telling ``to`` of ``event`` on ``case`` (a case document), in ``language``."""
    language, _ = _in(language)
    title = one_line(case["title"], 300)
    subject, sentence = _what_happened(event, case["id"], title, _)
    due = _due(dt.datetime.fromisoformat(case["due_at"]), bool(case.get("overdue")), _)
    status, priority = str(case["status"]), str(case["priority"])
    facts = [
        (_("Case"), f"{case['id']}: {title}"),
        (_("Priority"), priority_names(_).get(priority, priority)),
        (_("Status"), status_names(_).get(status, status)),
        (_("Due"), due),
        (_("Owner"), one_line(case.get("owner"), 320) or _("nobody yet")),
    ]
    return _compose(
        settings, to=to, subject=subject, now=now, language=language, title=title,
        lines=[sentence], facts=facts,
        link=(_("Open the case"), case_url(settings, int(case["id"]))),
    )  # fmt: skip


def task_reminder(
    settings: Settings, task: Any, *, now: dt.datetime, language: str = DEFAULT_LOCALE
) -> EmailMessage:
    """The e-mail reminding an owner of one advocate task, in ``language``."""
    language, _ = _in(language)
    title = one_line(task.title, 300)
    late = task.due_at < now
    subject = (_("Overdue: %(task)s") if late else _("Due: %(task)s")) % {"task": title}
    base = settings.base_url.rstrip("/")
    facts = [
        (_("Advocate"), one_line(task.customer_name or task.customer_ref, 300)),
        (_("Due"), _due(task.due_at, late, _)),
        (_("All your tasks"), f"{base}/advocates/tasks"),
    ]
    return _compose(
        settings, to=task.owner, subject=subject, now=now, language=language, title=title,
        lines=[title], facts=facts,
        link=(_("Open"), f"{base}/customers/{quote(task.customer_ref, safe='')}"),
    )  # fmt: skip
