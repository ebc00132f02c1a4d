"""Reading filters from query strings, the same way for the pages and the API.

Every value is checked and a bad one is a clear :class:`InvalidInput` (a 400 page or JSON
error), never a traceback; empty fields mean "no filter".
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from advocacy.errors import InvalidInput
from advocacy.services.dashboard import DashboardFilter
from advocacy.services.inbox import CustomerFilter
from advocacy.store.queries import SENTIMENTS, FeedbackFilter, normalise_kind

T = TypeVar("T")
MAX_TEXT = 200


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{name}: at most {MAX_TEXT} characters")
    return value or None


def _date(params: Mapping[str, str], name: str, *, month_end: bool = False) -> dt.date | None:
    """A date (YYYY-MM-DD) or a month (YYYY-MM: its first day, or its last with
    ``month_end``)."""
    value = _text(params, name)
    if value is None:
        return None
    try:
        if len(value) == 7:
            first = dt.date.fromisoformat(value + "-01")
            if not month_end:
                return first
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            return following - dt.timedelta(days=1)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{name}: not a date (YYYY-MM-DD) or month (YYYY-MM): {value!r}"
        ) from None


def _number(params: Mapping[str, str], name: str) -> float | None:
    value = _text(params, name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(f"{name}: not a number: {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput(f"{name}: not a number: {value!r}")
    return number


def dashboard_filter(params: Mapping[str, str]) -> DashboardFilter:
    country = _text(params, "country")
    return DashboardFilter(
        since=_date(params, "from"),
        until=_date(params, "to", month_end=True),
        segment=_text(params, "segment"),
        country=country.upper() if country else None,
        channel=_text(params, "channel"),
        platform=(_text(params, "platform") or "").lower() or None,
    )


def feedback_filter(params: Mapping[str, str]) -> FeedbackFilter:
    kind = _text(params, "kind")
    sentiment = _text(params, "sentiment")
    if sentiment is not None and sentiment not in SENTIMENTS:
        raise InvalidInput(f"sentiment: use one of {', '.join(SENTIMENTS)}")
    urgent_text = _text(params, "urgent")
    if urgent_text not in (None, "yes", "no", "true", "false"):
        raise InvalidInput("urgent: use yes or no")
    since, until = _date(params, "from"), _date(params, "to", month_end=True)
    if since and until and since > until:
        raise InvalidInput("the start date is after the end date")
    return FeedbackFilter(
        kind=normalise_kind(kind) if kind else None,
        platform=_text(params, "platform"),
        customer_id=_text(params, "customer"),
        since=dt.datetime.combine(since, dt.time()) if since else None,
        until=dt.datetime.combine(until, dt.time.max) if until else None,
        min_rating=_number(params, "min_rating"),
        max_rating=_number(params, "max_rating"),
        language=_text(params, "language"),
        search=_text(params, "q"),
        sentiment=sentiment,
        theme=_text(params, "theme"),
        urgent=None if urgent_text is None else urgent_text in ("yes", "true"),
    )


def customer_filter(params: Mapping[str, str]) -> CustomerFilter:
    return CustomerFilter(
        search=_text(params, "q"),
        country=_text(params, "country"),
        segment=_text(params, "segment"),
    )


def page_size(params: Mapping[str, str], default: int) -> int:
    value = _number(params, "limit")
    if value is None:
        return default
    if not value.is_integer():
        raise InvalidInput("limit: a whole number")
    return int(value)


def query_string(params: Mapping[str, str], **changes: str | None) -> str:
    """The current query string with ``changes`` (``None`` removes a key; empty keys dropped)."""
    merged: dict[str, str] = {key: value for key, value in params.items() if value}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return urlencode(merged)


class TtlCache:
    """Results shared by the requests of one process, recomputed after ``seconds``.

    Stale while revalidating: once a value is older than ``seconds`` the next request starts
    one recomputation in a background thread and, like every request until it is done, gets
    the previous value at once; only the very first request of a key waits for it. Concurrent
    first requests of one key wait for the same computation.
    """

    MAX_ENTRIES = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._computing: dict[Any, threading.Event] = {}

    def get(self, key: Any, seconds: float, produce: Callable[[], T]) -> T:
        """The value of ``key``; ``seconds`` 0 computes it every time."""
        if seconds <= 0:
            return produce()
        with self._lock:
            entry = self._entries.get(key)
            running = self._computing.get(key)
            if entry is not None:
                if time.monotonic() - entry[0] >= seconds and running is None:
                    event = self._computing[key] = threading.Event()
                    threading.Thread(
                        target=self._refresh, args=(key, produce, event), daemon=True
                    ).start()
                stored: T = entry[1]
                return stored
            if running is None:
                event = self._computing[key] = threading.Event()
        if running is None:
            try:
                value = produce()
                self._store(key, value, time.monotonic())
                return value
            finally:
                with self._lock:
                    self._computing.pop(key, None)
                event.set()
        running.wait()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None:
            shared: T = entry[1]
            return shared
        return produce()  # the shared computation failed: try once more, here

    def _refresh(self, key: Any, produce: Callable[[], Any], event: threading.Event) -> None:
        try:
            self._store(key, produce(), time.monotonic())
        except Exception:  # the stale value stays; the next request tries again
            import logging

            logging.getLogger("advocacy.web").exception("refreshing %r failed", key)
        finally:
            with self._lock:
                self._computing.pop(key, None)
            event.set()

    def _store(self, key: Any, value: Any, at: float) -> None:
        with self._lock:
            if len(self._entries) >= self.MAX_ENTRIES and key not in self._entries:
                oldest = min(self._entries, key=lambda k: self._entries[k][0])
                del self._entries[oldest]
            self._entries[key] = (at, value)
