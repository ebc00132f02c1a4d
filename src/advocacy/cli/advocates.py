"""``advocacy advocates …``: the brand advocates, with their evidence."""

from __future__ import annotations

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.services import advocates as advocacy


@click.group("advocates")
def advocates_group() -> None:
    """Brand advocates: promoters, happy reviewers and fans on social media, with evidence."""


@advocates_group.command("list")
@click.option("--status", type=click.Choice(advocacy.STATUSES), default=None,
              help="Only active, candidate or lapsed advocates.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1, 100_000), default=500, show_default=True)
@db_option
@json_option
@click.pass_context
def list_command(ctx: click.Context, status: str | None, limit: int, as_json: bool) -> None:
    """The advocates, highest score first; detractors are never among them."""
    now = utc_now()
    found = advocacy.find_advocates(catalogue_from(ctx).engine, now=now, status=status,
                                    limit=limit)  # fmt: skip
    if as_json:
        echo_json(found)
        return
    rows = [{**a, "reasons": "; ".join(a["reasons"])} for a in found]
    click.echo(table(rows, ["customer_id", "name", "score", "status", "reasons"]))
