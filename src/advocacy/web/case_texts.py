"""The words of the case pages, in the page's language: names of statuses, priorities, types
and reply states; a timeline entry told in a sentence; a proactive case's value at risk as
labelled rows; the shipped rules' titles and parameter help ("overdue by 5 h" included).

Everything here is called while a request is served, so ``_`` reads the request's locale.
Rules and keys this module does not know (a plugin's, a newer service's) are shown as the
service gives them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from advocacy.services import cases as casework
from advocacy.services import staff_mail
from advocacy.web import i18n

_ = i18n.gettext_


# --- names in the page's language ------------------------------------------------------------


def status_names() -> dict[str, str]:
    return staff_mail.status_names(_)


def priority_names() -> dict[str, str]:
    return staff_mail.priority_names(_)


def type_names() -> dict[str, str]:
    return {
        "detractor": _("Detractor"),
        "negative_review": _("Negative review"),
        "urgent_ticket": _("Urgent ticket"),
        "proactive": _("Proactive"),
        "manual": _("Opened by hand"),
    }


def detail_labels() -> dict[str, str]:
    return {
        "order": _("Order"),
        "order_id": _("Order"),
        "order_value": _("Order value"),
        "promised_at": _("Promised delivery"),
        "delivered_at": _("Delivered"),
        "delivered": _("Delivered yet"),
        "delay_days": _("Delay (days)"),
        "clv": _("Lifetime value (CLV)"),
        "tier": _("Value tier"),
        "yearly_revenue": _("Yearly revenue"),
        "expected_lifespan_years": _("Expected lifespan (years)"),
        "expected_clv_lost": _("Expected CLV lost"),
        "value_at_risk": _("Value at risk"),
        "order_currency": _("Order currency"),
        "currency": _("Currency"),
        "explanation": _("How it was reckoned"),
    }


MONEY_DETAILS = frozenset({"order_value", "clv", "yearly_revenue", "expected_clv_lost"})
TIME_DETAILS = frozenset({"promised_at", "delivered_at"})


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def due_text(case: Mapping[str, Any], now: dt.datetime) -> str | None:
    """ "overdue by 5 h" / "due in 3 d" for an active case, relative to ``now``."""
    due = _parse(case.get("due_at"))
    if due is None or case.get("status") not in casework.OPEN:
        return None
    hours = abs((due - now).total_seconds()) / 3600
    late = due < now
    if hours >= 48:
        days = i18n.number(hours / 24)
        return (
            _("overdue by %(days)s d") % {"days": days}
            if late
            else _("due in %(days)s d") % {"days": days}
        )
    shown = i18n.number(max(1.0, hours) if late else hours)
    return (
        _("overdue by %(hours)s h") % {"hours": shown}
        if late
        else _("due in %(hours)s h") % {"hours": shown}
    )


def _plain(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def describe(event: Mapping[str, Any]) -> str:
    """What one entry of the timeline says, in words (an unknown kind shows its details)."""
    kind = event.get("kind", "")
    statuses, priorities, types = status_names(), priority_names(), type_names()
    detail = {
        key: value
        for key, value in event.items()
        if key not in ("at", "actor", "kind") and value not in (None, "", [], {})
    }
    if kind == "opened":
        text = _("Opened: %(type)s, priority %(priority)s") % {
            "type": types.get(detail.get("type", ""), _plain(detail.get("type", ""))),
            "priority": priorities.get(detail.get("priority", ""), detail.get("priority", "")),
        }
        return text + (f" · {detail['rule']}" if detail.get("rule") else "")
    if kind == "item_added":
        return _("Feedback item %(item)s added") % {"item": detail.get("item_id", "?")}
    if kind == "assigned":
        if not detail.get("owner") and not detail.get("team"):
            return _("Unassigned")
        return _("Assigned to %(owner)s, team %(team)s") % {
            "owner": detail.get("owner") or "—",
            "team": detail.get("team") or "—",
        }
    if kind == "status":
        return _("Status: %(was)s → %(status)s") % {
            "was": statuses.get(detail.get("was", ""), detail.get("was", "?")),
            "status": statuses.get(detail.get("status", ""), detail.get("status", "?")),
        }
    if kind == "note":
        return _("Note")
    if kind == "escalated":
        return _("Escalated to level %(level)s, priority %(priority)s, %(hours)s h past due") % {
            "level": detail.get("level", "?"),
            "priority": priorities.get(detail.get("priority", ""), detail.get("priority", "?")),
            "hours": i18n.number(detail.get("overdue_hours"), 1)
            if isinstance(detail.get("overdue_hours"), int | float)
            else "?",
        }
    if kind == "priority":
        return _("Priority raised to %(priority)s") % {
            "priority": priorities.get(detail.get("priority", ""), detail.get("priority", "?"))
        }
    if kind == "reply":
        channel = str(detail.get("channel") or "")
        parts = [
            {"email": _("E-mail"), "platform": _("Platform")}.get(channel, channel),
            i18n.language_name(detail.get("language")) if detail.get("language") else "",
            template_names().get(detail.get("template", ""), detail.get("template", "")),
        ]
        said = ", ".join(part for part in parts if part)
        return _("Reply written") + (f" ({said})" if said else "")
    known = {
        "reply": _("Reply written"),
        "reply_sent": _("Reply sent"),
        "reply_failed": _("Reply not sent"),
        "reply_posted": _("Reply posted on the platform"),
        "resurvey": _("Customer asked again (re-survey)"),
        "resurvey_answered": _("Re-survey answered"),
        "reopened": _("Reopened"),
        "notified": _("Notified"),
    }
    # A known kind leaves out the ids of its records (replies, invitations): words only.
    shown = {
        key: value
        for key, value in detail.items()
        if key not in ("text", "note") and not (kind in known and key.endswith("_id"))
    }
    extra = ", ".join(f"{key.replace('_', ' ')}: {_plain(value)}" for key, value in shown.items())
    title = known.get(kind) or kind.replace("_", " ").capitalize() or "?"
    return f"{title} ({extra})" if extra else title


def _redundant(key: str, details: Mapping[str, Any], currency: str | None) -> bool:
    """Whether a detail says again what the page shows already (the value at risk and its
    currency stand above the breakdown)."""
    if key in ("value_at_risk", "currency"):
        return True
    if key == "order_currency":
        return details.get(key) == currency
    return key == "delivered" and bool(details.get("delivered_at"))


def _number(value: float) -> str:
    if float(value).is_integer():
        return i18n.number(value)
    return i18n.number(value, 1 if round(value, 1) == value else 2)


def details_rows(details: Mapping[str, Any], currency: str | None) -> list[tuple[str, str]]:
    """A proactive case's breakdown as labelled rows: known keys first, in a reading order,
    then any other key as it is."""
    labels = detail_labels()
    ordered = [key for key in labels if key in details] + sorted(
        key for key in details if key not in labels
    )
    rows = []
    for key in ordered:
        value = details[key]
        if value is None or value == "" or _redundant(key, details, currency):
            continue
        if key in MONEY_DETAILS and isinstance(value, int | float):
            # The order's own amount is in the order's currency; the rest in the customer's.
            money_currency = details.get("order_currency") if key == "order_value" else None
            shown = i18n.money(value, money_currency or currency)
        elif key in TIME_DETAILS and isinstance(value, str):
            try:
                shown = i18n.datetime(value)
            except ValueError:
                shown = value
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif isinstance(value, int | float):
            shown = _number(value)
        else:
            shown = _plain(value)
        rows.append((labels.get(key) or key.replace("_", " ").capitalize(), shown))
    return rows


def reply_status_names() -> dict[str, str]:
    return {
        "queued": _("Queued"),
        "sending": _("Sending"),
        "sent": _("Sent"),
        "failed": _("Failed"),
        "to_post": _("To post on the platform"),
        "posted": _("Posted"),
    }


def template_names() -> dict[str, str]:
    return {
        "apology": _("Apology"),
        "resolved": _("Problem solved"),
        "thanks": _("Thanks"),
        "review_reply": _("Reply to a public review"),
        "late_delivery": _("Late delivery"),
    }


def rule_texts() -> dict[str, tuple[str, str]]:
    """The shipped rules' titles and descriptions (parameter names stay as they are)."""
    return {
        "detractor": (
            _("Detractor answer"),
            _("Every NPS answer of 0 to max_score (detractors: 0–6)."),
        ),
        "negative_review": (
            _("Negative review"),
            _("Every public review at or below max_share of its scale (0.4: 2 of 5)."),
        ),
        "urgent_ticket": (
            _("Urgent ticket"),
            _("Every ticket the text analysis found urgent (legal threats, safety, cancelling…)."),
        ),
        "late_delivery": (
            _("Late delivery"),
            _(
                "Orders delivered later than promised, or not delivered by the promised date, "
                "promised within the last window_days."
            ),
        ),
        "repeated_contacts": (
            _("Repeated contacts"),
            _(
                "A customer's min_contacts tickets or more within window_days about the same "
                "theme, none of them in a case yet."
            ),
        ),
        "sentiment_turning_negative": (
            _("Sentiment turning negative"),
            _(
                "A customer's last recent analysed items all negative (the latest within "
                "window_days), after at least earlier items that were mostly not."
            ),
        ),
        "nps_drop": (
            _("NPS drop in a segment"),
            _(
                "A statistically significant fall of the NPS of a segment over the last "
                "period_days against the period before."
            ),
        ),
    }


def param_help() -> dict[str, str]:
    """What each parameter of the shipped rules does, by ``rule.parameter``."""
    return {
        "detractor.max_score": _("answers at or below this score open a case"),
        "negative_review.max_share": _(
            "reviews rated at or below this share of the scale open a case"
        ),
        "late_delivery.grace_days": _("days past the promised date before an order counts as late"),
        "late_delivery.window_days": _("orders promised within this many days are watched"),
        "late_delivery.min_order_value": _("smaller orders are left alone"),
        "late_delivery.high_delay_days": _(
            "a delay this long (or a top-tier customer) makes the case high"
        ),
        "repeated_contacts.min_contacts": _("how many tickets about one theme make a pattern"),
        "repeated_contacts.window_days": _("within how many days"),
        "sentiment_turning_negative.recent": _("how many of the latest items must be negative"),
        "sentiment_turning_negative.earlier": _(
            "how many items before them are needed to know the customer was content"
        ),
        "sentiment_turning_negative.max_earlier_negative_share": _(
            "at most this share of the earlier items negative"
        ),
        "sentiment_turning_negative.window_days": _("the latest negative item is at most this old"),
        "nps_drop.period_days": _("the length of the two periods compared"),
        "nps_drop.min_answers": _("answers each period needs before it is compared"),
        "nps_drop.min_drop": _("the smallest fall, in NPS points, worth a case"),
        "nps_drop.confidence": _("the confidence of the significance test"),
        "nps_drop.dimensions": _(
            "what segments are: country, segment, language, channel, touchpoint"
        ),
    }


def condition_names() -> dict[str, str]:
    return {
        "type": _("Type"),
        "rule": _("Rule"),
        "language": _("Language"),
        "priority": _("Priority"),
        "tier": _("Value tier"),
    }


def metric_definitions() -> list[tuple[str, str]]:
    """What each figure of the closing-the-loop metrics means (docs/replies.md)."""
    return [
        (_("Opened"), _("cases opened in the period.")),
        (_("Resolved"), _("of those, the cases resolved or closed.")),
        (_("Open"), _("of those, the cases open, in progress or waiting.")),
        (_("Overdue now"), _("open cases past their due time now.")),
        (
            _("First response"),
            _(
                "the median and the 90th percentile of the hours from opening to the first "
                "response, over the cases that have one."
            ),
        ),
        (
            _("Resolution"),
            _("the same, to resolution (the time it was resolved, else the time it was closed)."),
        ),
        (
            _("SLA met"),
            _(
                "cases resolved at or before their due time ÷ (resolved cases + open cases past "
                "due), with its 95 % Wilson score interval. Open cases still within their time "
                "are not judged yet."
            ),
        ),
        (
            _("Re-surveys answered"),
            _("re-surveys that asked the customer, and how many of them were answered."),
        ),
        (
            _("Before → after"),
            _(
                "over the answered re-surveys whose case came from NPS answers: the mean score "
                "before (a case's before is the mean of its NPS answers) and the mean re-survey "
                "score after, and the mean change."
            ),
        ),
        (
            _("Detractors won back"),
            _(
                "of the detractors (before at most 6), how many became passives (7–8) or "
                "promoters (9–10)."
            ),
        ),
    ]


def invitation_status_names() -> dict[str, str]:
    """A (re-)survey invitation's status, in words."""
    return {
        "queued": _("Queued to be e-mailed"),
        "sending": _("Being e-mailed"),
        "sent": _("E-mailed"),
        "failed": _("Not sent"),
        "link": _("Personal link made"),
        "skipped": _("Not asked"),
    }
