"""What pages and API routes share: the cached dashboard, the customers' values, CSV writing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import State

from advocacy.services import dashboard as board
from advocacy.services.value import customer_values

#: Churn and customer values follow customers, not items, and cost most to compute: they are
#: reused for five minutes whatever the dashboard's own cache.
VALUES_CACHE_SECONDS = 300.0
CSV_SECTIONS = ("nps_trend", "volume", "sentiment", "themes", "churn", "clv", "tiers", "surveys")


def dashboard_data(state: State, filters: board.DashboardFilter) -> dict[str, Any]:
    """The dashboard of ``filters`` from the app's cache (``state`` is ``app.state``)."""
    seconds = state.settings.dashboard_cache_seconds

    def compute() -> dict[str, Any]:
        values = values_table(state) if filters.until is None else None
        churn = state.cache.get(
            ("churn", filters.segment, filters.country, filters.until),
            VALUES_CACHE_SECONDS,
            lambda: board.churn_section(state.engine, filters),
        )
        return board.dashboard(state.engine, filters, values=values, churn=churn)

    return state.cache.get(("dashboard", filters), seconds, compute)  # type: ignore[no-any-return]


def filter_choices(request: Request) -> dict[str, list[str]]:
    state = request.app.state
    return state.cache.get(  # type: ignore[no-any-return]
        ("choices",), 60.0, lambda: board.filter_choices(state.engine)
    )


def values_table(state: State) -> pl.DataFrame:
    """Every customer's CLV and value tier, recomputed at most every few minutes."""
    return state.cache.get(  # type: ignore[no-any-return]
        ("values",),
        VALUES_CACHE_SECONDS,
        lambda: board.with_customer_groups(state.engine, customer_values(state.engine).table),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


class JsonDocument(Response):
    """A JSON response written straight with :func:`json.dumps` (dates as ISO 8601; NaN and
    infinities as null), several times faster than FastAPI's generic encoder on a page of
    items."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(
            _finite(content), default=_plain, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return "" if value is None else value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def section_rows(data: dict[str, Any], section: str) -> tuple[list[str], list[list[Any]]]:
    """The numbers of one dashboard chart as a header and rows (its CSV download)."""
    if section == "nps_trend":
        header = ["month", "nps", "answers", "ci_low", "ci_high", "change", "p_value"]
        return header, [[row[key] for key in header] for row in data["nps"]["trend"]]
    if section == "volume":
        header = ["kind", "platform", "items"]
        return header, [[row[key] for key in header] for row in data["volume"]]
    if section == "sentiment":
        rows = [[key, value] for key, value in data["sentiment"].items()]
        extra = [["not analysed", data["not_analysed"]], ["without text", data["without_text"]]]
        return ["sentiment", "items"], [*rows, *extra]
    if section == "surveys":
        header = [
            "survey",
            "delivered",
            "answered",
            "response_rate",
            "response_rate_low",
            "response_rate_high",
            "median_hours_to_answer",
            "p90_hours_to_answer",
            "reminded",
            "anonymous_answers",
        ]
        return header, [[row[key] for key in header] for row in data["surveys"]]
    if section == "themes":
        header = ["theme", "items", "negative", "positive"]
        return header, [[row[key] for key in header] for row in data["themes"]]
    if section == "churn":
        header = ["month", "active_at_start", "acquired", "lost", "churn_rate", "complete"]
        return header, [[row[key] for key in header] for row in data["churn"]["monthly"]]
    if section == "clv":
        currency = data["value"].get("currency")
        return ["currency", "clv_from", "clv_to", "customers"], [
            [currency, row["low"], row["high"], row["customers"]]
            for row in data["value"]["histogram"]
        ]
    if section == "tiers":
        value = data["value"]
        return ["currency", "tier", "customers", "clv"], [
            [value.get("currency"), tier, count, value.get("tier_clv", {}).get(tier)]
            for tier, count in value.get("tiers", {}).items()
        ]
    raise KeyError(section)
