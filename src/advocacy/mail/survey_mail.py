"""The survey e-mail: the question with the 0–10 scale clickable in the message itself.

Each of the eleven numbers is a link that records that score and opens the page for the reason
(:func:`advocacy.services.invitations.links_for`). The message has a plain-text part with the
same links, an HTML part styled inline (mail clients drop style sheets), the customer's
language, and ``List-Unsubscribe`` with one-click unsubscribe (RFC 8058) besides the link in the
footer. Everything the customer or the company wrote is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from advocacy.errors import InvalidInput
from advocacy.surveys.texts import fill

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def one_line(value: str | None, limit: int = 200) -> str:
    """One line of text for a header or a greeting: no control characters (no header
    injection), trimmed."""
    return _CONTROL.sub(" ", value or "").strip()[:limit]


def survey_message(
    *,
    to: str,
    sender: str,
    wording: dict[str, str],
    language: str,
    url: str,
    score_urls: list[str],
    unsubscribe_url: str,
    name: str | None = None,
    order_ref: str | None = None,
    reminder: bool = False,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The invitation (or its reminder) to ``to``, from ``sender`` (``Name <address>``)."""
    if len(score_urls) != 11:
        raise InvalidInput("a survey e-mail needs the eleven score links")
    person = one_line(name)
    order = one_line(order_ref, 100)
    greeting = fill(wording["greeting"], name=person) if person else wording["greeting_anonymous"]
    intro = fill(wording["intro"], order=order) if order else wording["intro_no_order"]
    subject = wording["reminder_subject" if reminder else "subject"]

    message = EmailMessage()
    sender_name, sender_address = parseaddr(sender)
    try:
        message["From"] = Address(display_name=one_line(sender_name), addr_spec=sender_address)
        message["To"] = Address(display_name=person, addr_spec=one_line(to, 320))
    except (ValueError, IndexError) as exc:
        raise InvalidInput(f"not an e-mail address: {exc}") from None
    message["Subject"] = one_line(subject, 300)
    message["Date"] = format_datetime((now or dt.datetime.now(dt.UTC)).replace(tzinfo=dt.UTC))
    message["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"

    numbers = "\n".join(f"  {score:>2}  {link}" for score, link in enumerate(score_urls))
    message.set_content(
        f"{greeting}\n\n{intro}\n\n{wording['question']}\n{wording['scale_hint']}\n\n"
        f"{numbers}\n\n{wording['footer']}\n{wording['unsubscribe_link']}: {unsubscribe_url}\n"
    )
    message.add_alternative(
        _html(wording, language, greeting, intro, score_urls, unsubscribe_url), subtype="html"
    )
    # After the parts: setting the content replaces every Content-* header.
    message["Content-Language"] = language
    return message


def _html(
    wording: dict[str, str],
    language: str,
    greeting: str,
    intro: str,
    score_urls: list[str],
    unsubscribe_url: str,
) -> str:
    e = html.escape
    cell = (
        "display:inline-block;min-width:28px;padding:10px 4px;margin:2px;border:1px solid #8a94a6;"
        "border-radius:6px;color:#1f2937;font:600 16px/1 Arial,sans-serif;text-decoration:none;"
        "text-align:center"
    )
    scores = "".join(
        f'<a href="{e(link)}" style="{cell}" aria-label="{score}">{score}</a>'
        for score, link in enumerate(score_urls)
    )
    return f"""<!doctype html>
<html lang="{e(language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(wording["question"])}</title></head>
<body style="margin:0;padding:24px;background:#f5f6f8;font:16px/1.5 Arial,sans-serif;color:#1f2937">
<div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p>{e(greeting)}</p>
<p>{e(intro)}</p>
<p style="font-size:18px;font-weight:bold">{e(wording["question"])}</p>
<div role="group" aria-label="{e(wording["score_legend"])}">{scores}</div>
<table role="presentation" width="100%" style="font-size:13px;color:#4b5563"><tr>
<td align="left">0 = {e(wording["low"])}</td>
<td align="right">10 = {e(wording["high"])}</td></tr></table>
<p style="font-size:13px;color:#6b7280;margin-top:32px">{e(wording["footer"])}<br>
<a href="{e(unsubscribe_url)}" style="color:#6b7280">{e(wording["unsubscribe_link"])}</a></p>
</div></body></html>
"""
