"""Webhooks: the addresses told of case events, and how a request to one is made.

:func:`add_webhook` checks the address (http or https, a host, no credentials) and the event
kinds wanted (:data:`EVENT_KINDS`, or any kind already on a timeline) and makes the secret,
shown once; :func:`list_webhooks` and :func:`get_webhook` never show it; :func:`remove_webhook`
switches one off and cancels what was queued for it; :func:`ping_webhook` tests one at once.
:func:`post_signed` makes every request — the JSON signed by :func:`signature` (HMAC-SHA256 of
``TIMESTAMP.BODY``, Stripe-like), no redirects followed, the answer's body never read — and
says whether it went, may be tried again (no answer, 408, 429, 5xx) or failed for good.
The notifications outbox (:mod:`advocacy.services.notifications`) sends the queued ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Engine, Table, insert, select, update

from advocacy.errors import InvalidInput, NotFound
from advocacy.services.cases import EVENTS
from advocacy.store.tables import Notification, Webhook

WEBHOOKS = cast(Table, Webhook.__table__)
#: The notifications outbox (:mod:`advocacy.services.notifications` sends it).
NOTIFICATIONS = cast(Table, Notification.__table__)

#: Written on a case's timeline by the notifications outbox when its customer answers the
#: re-survey.
RESURVEY_ANSWERED = "resurvey_answered"
#: Event kinds a webhook can ask for: casework's, and ``reply_sent``, ``reply_failed`` and
#: ``resurvey_answered``, written by the notifications outbox.
EVENT_KINDS = (
    "opened",
    "item_added",
    "assigned",
    "status",
    "note",
    "priority",
    "escalated",
    "reply",
    "reply_sent",
    "reply_failed",
    "reply_posted",
    "resurvey",
    RESURVEY_ANSWERED,
)
#: Seconds a webhook may take to connect, and then to answer.
TIMEOUT_SECONDS = 10.0
WEBHOOK_REMOVED = "the webhook was removed"
_DESCRIPTION_MAX = 200
_URL_MAX = 2000


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one request to a webhook: ``sent``, ``retry`` or ``failed``."""

    status: str
    response_status: int | None = None
    error: str | None = None


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Advocacy-Signature`` header of ``body`` sent at ``timestamp`` (Unix seconds):
    ``t=TIMESTAMP,v1=HEX`` where HEX is HMAC-SHA256 of ``TIMESTAMP.BODY`` keyed by ``secret``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def post_signed(
    client: httpx.Client, url: str, secret: str, payload: dict[str, Any], *, now: dt.datetime
) -> Outcome:
    """POST ``payload`` to ``url``, signed with ``secret``; the answer's body is never read."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    timestamp = int(now.replace(tzinfo=dt.UTC).timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Advocacy-Webhooks/1",
        "Advocacy-Event": str(payload["event"]),
        "Advocacy-Delivery": str(payload["id"]),
        "Advocacy-Signature": signature(secret, timestamp, body),
    }
    try:
        with client.stream("POST", url, content=body, headers=headers) as response:
            status = response.status_code
    except httpx.InvalidURL as exc:
        return Outcome("failed", error=f"not a usable URL: {exc}")
    except httpx.HTTPError as exc:
        said = str(exc) or type(exc).__name__
        return Outcome("retry", error=f"cannot reach {urlsplit(url).netloc}: {said}")
    if 200 <= status < 300:
        return Outcome("sent", status)
    said = f"the receiver answered {status}"
    if status in (408, 429) or status >= 500:
        return Outcome("retry", status, said)
    if 300 <= status < 400:
        return Outcome("failed", status, f"{said} (a redirect): redirects are not followed")
    return Outcome("failed", status, said)


def http_client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """The client webhooks are sent with: 10 s to connect and to answer, no redirects."""
    return httpx.Client(transport=transport, timeout=TIMEOUT_SECONDS, follow_redirects=False)


def known_kinds(engine: Engine) -> list[str]:
    """The event kinds a webhook may ask for: :data:`EVENT_KINDS` and any other kind already on
    a timeline."""
    with engine.connect() as connection:
        seen = set(connection.scalars(select(EVENTS.c.kind).distinct()))
    return [*EVENT_KINDS, *sorted(seen - set(EVENT_KINDS))]


def check_url(url: str) -> str:
    """``url`` if a webhook can be sent to it: http or https, a host, no credentials, at most
    2,000 characters."""
    url = url.strip()
    if not url or len(url) > _URL_MAX:
        raise InvalidInput(f"url: 1 to {_URL_MAX:,} characters")
    if not url.isprintable() or any(ch.isspace() for ch in url):
        raise InvalidInput("url: no spaces or control characters")
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # a bad port raises
    except ValueError as exc:
        raise InvalidInput(f"url: not a URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise InvalidInput("url: an http:// or https:// address with a host")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("url: no credentials in it; receivers check the signature instead")
    return url


def add_webhook(
    engine: Engine,
    url: str,
    *,
    events: Iterable[str] = (),
    description: str | None = None,
    actor: str,
    now: dt.datetime,
) -> tuple[int, str]:
    """Add a webhook told of ``events`` (none: every kind); returns its id and its secret,
    which is shown this once."""
    url = check_url(url)
    wanted = list(dict.fromkeys(kind.strip() for kind in events if kind.strip()))
    kinds = known_kinds(engine)
    unknown = [kind for kind in wanted if kind not in kinds]
    if unknown:
        raise InvalidInput(
            f"unknown event kind {', '.join(map(repr, unknown))}: use {', '.join(kinds)}"
        )
    description = (description or "").strip() or None
    if description is not None and len(description) > _DESCRIPTION_MAX:
        raise InvalidInput(f"description: at most {_DESCRIPTION_MAX} characters")
    secret = "whsec_" + secrets.token_urlsafe(32)
    with engine.begin() as connection:
        webhook_id = connection.execute(
            insert(WEBHOOKS).values(
                url=url, secret=secret, events=wanted, active=True, description=description,
                created_at=now, created_by=actor[:320],
            )
        ).inserted_primary_key[0]  # type: ignore[index]  # fmt: skip
    return int(webhook_id), secret


def _webhook_document(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "url": row.url,
        "events": list(row.events or []),
        "active": bool(row.active),
        "description": row.description,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
    }


def _webhooks_query() -> Any:
    w = WEBHOOKS.c
    return select(w.id, w.url, w.events, w.active, w.description, w.created_at, w.created_by)


def list_webhooks(engine: Engine, *, include_removed: bool = False) -> list[dict[str, Any]]:
    """The webhooks, oldest first; never their secrets."""
    query = _webhooks_query()
    if not include_removed:
        query = query.where(WEBHOOKS.c.active.is_(True))
    with engine.connect() as connection:
        return [_webhook_document(row) for row in connection.execute(query.order_by("id"))]


def get_webhook(engine: Engine, webhook_id: int) -> dict[str, Any]:
    """One webhook, without its secret."""
    with engine.connect() as connection:
        row = connection.execute(_webhooks_query().where(WEBHOOKS.c.id == webhook_id)).first()
    if row is None:
        raise NotFound(f"no webhook {webhook_id}")
    return _webhook_document(row)


def remove_webhook(engine: Engine, webhook_id: int) -> dict[str, Any]:
    """Switch a webhook off; what was still queued for it is cancelled."""
    n = NOTIFICATIONS.c
    with engine.begin() as connection:
        if not connection.execute(
            update(WEBHOOKS).where(WEBHOOKS.c.id == webhook_id).values(active=False)
        ).rowcount:
            raise NotFound(f"no webhook {webhook_id}")
        cancelled = connection.execute(
            update(NOTIFICATIONS)
            .where(n.target == f"webhook:{webhook_id}", n.status == "queued")
            .values(status="cancelled", error=WEBHOOK_REMOVED)
        ).rowcount
    return {"id": webhook_id, "active": False, "cancelled": cancelled}


def ping_webhook(
    engine: Engine, webhook_id: int, *, now: dt.datetime,
    transport: httpx.BaseTransport | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Send a signed ``ping`` to a webhook at once and say what came of it (not queued, not
    retried: it tests the receiver)."""
    with engine.connect() as connection:
        hook = connection.execute(select(WEBHOOKS).where(WEBHOOKS.c.id == webhook_id)).first()
    if hook is None:
        raise NotFound(f"no webhook {webhook_id}")
    if not hook.active:
        raise InvalidInput(f"webhook {webhook_id} was removed")
    delivery = f"ping-{secrets.token_hex(8)}"
    payload = {"id": delivery, "event": "ping", "at": now.isoformat(), "actor": "advocacy",
               "detail": {"webhook_id": webhook_id}, "case": None}  # fmt: skip
    with http_client(transport) as client:
        outcome = post_signed(client, hook.url, hook.secret, payload, now=now)
    return {
        "webhook_id": webhook_id,
        "url": hook.url,
        "delivery": delivery,
        "status": "sent" if outcome.status == "sent" else "failed",
        "response_status": outcome.response_status,
        "error": outcome.error,
    }
