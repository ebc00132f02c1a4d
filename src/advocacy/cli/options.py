"""Options shared by every command: ``--db`` and ``--json``, and how results are printed."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any, TypeVar

import click

from advocacy.bootstrap import open_catalogue
from advocacy.catalogue import Catalogue
from advocacy.store.schema import ensure_current

F = TypeVar("F", bound=Callable[..., Any])


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.ensure_object(dict)["db"] = value
    return value


def db_option(command: F) -> F:
    """``--db URL`` on a command; it works before the command name too (``advocacy --db URL …``)."""
    return click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_remember_db,
        help="Database URL (SQLAlchemy); default ADVOCACY_DATABASE_URL, else ./advocacy.sqlite.",
    )(command)


def json_option(command: F) -> F:
    """``--json``: print one JSON document on standard output instead of a table."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document on standard output."
    )(command)


def catalogue_from(ctx: click.Context, *, check_schema: bool = True) -> Catalogue:
    """The catalogue the command line points at, opened once per invocation.

    With ``check_schema`` a database that is not migrated is refused with the fix, rather than
    failing later on a missing table.
    """
    state = ctx.ensure_object(dict)
    if "catalogue" not in state:
        state["catalogue"] = open_catalogue(state.get("db"))
        ctx.call_on_close(state["catalogue"].close)
    catalogue: Catalogue = state["catalogue"]
    if check_schema and not state.get("schema_checked"):
        ensure_current(catalogue.engine)
        state["schema_checked"] = True
    return catalogue


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if value is not None and type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_json(document: Any) -> str:
    """``document`` as JSON: dates in ISO 8601, missing numbers as null."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(key): walk(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [walk(item) for item in value]
        return _plain(value)

    return json.dumps(walk(document), ensure_ascii=False, indent=2)


def echo_json(document: Any) -> None:
    click.echo(to_json(document))


def table(
    rows: list[dict[str, Any]], columns: list[str], *, widths: dict[str, int] | None = None
) -> str:
    """A plain-text table of ``rows``; long cells are cut with an ellipsis."""
    widths = widths or {}
    cells = [[_cell(row.get(name), widths.get(name, 30)) for name in columns] for row in rows]
    sizes = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    lines = ["  ".join(name.ljust(size) for name, size in zip(columns, sizes, strict=True))]
    lines.append("  ".join("-" * size for size in sizes))
    lines += [
        "  ".join(cell.ljust(size) for cell, size in zip(row, sizes, strict=True)) for row in cells
    ]
    return "\n".join(line.rstrip() for line in lines)


def _cell(value: Any, width: int) -> str:
    value = _plain(value)
    if value is None:
        return ""
    text = f"{value:g}" if isinstance(value, float) else " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def utc_now() -> dt.datetime:
    """Now, in naive UTC to the second, as the catalogue stores times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
