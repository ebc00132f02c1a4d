"""``advocacy feedback``: list feedback items from every source."""

from __future__ import annotations

import datetime as dt

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    """An ISO 8601 date or date-time on the command line; a date alone is midnight UTC."""

    name = "DATE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            stamp = dt.datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 date such as 2025-01-31", param, ctx)
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
        return stamp


ISO_DATE = IsoDate()


@click.group()
def feedback() -> None:
    """Work with the feedback catalogue: NPS answers, reviews, social posts, tickets."""


@feedback.command("list")
@click.option("--kind", help="nps, reviews, social or tickets.")
@click.option("--platform", help="Review platform or social network, e.g. trustpilot.")
@click.option("--customer", "customer_id", metavar="ID", help="Only this customer's items.")
@click.option("--since", type=ISO_DATE, help="From this date (inclusive).")
@click.option("--until", type=ISO_DATE, help="Up to this date-time (inclusive).")
@click.option("--min-rating", type=float, help="Rating at least this, on the item's own scale.")
@click.option("--max-rating", type=float, help="Rating at most this, on the item's own scale.")
@click.option("--language", help="Language code, e.g. es.")
@click.option("--search", help="Words to find in the title or text.")
@click.option(
    "--sentiment",
    type=click.Choice(["negative", "neutral", "positive"]),
    help="Sentiment found by text analysis.",
)
@click.option("--theme", help="A theme found by text analysis, e.g. delivery.")
@click.option("--urgent", is_flag=True, help="Only items text analysis found urgent.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@db_option
@json_option
@click.pass_context
def list_command(
    ctx: click.Context,
    kind: str | None,
    platform: str | None,
    customer_id: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    min_rating: float | None,
    max_rating: float | None,
    language: str | None,
    search: str | None,
    sentiment: str | None,
    theme: str | None,
    urgent: bool,
    limit: int,
    as_json: bool,
) -> None:
    """List feedback items, newest first, filtered by kind, platform, date, customer, rating."""
    frame = catalogue_from(ctx).feedback(
        kind=kind,
        platform=platform,
        customer_id=customer_id,
        since=since,
        until=until,
        min_rating=min_rating,
        max_rating=max_rating,
        language=language,
        search=search,
        sentiment=sentiment,
        theme=theme,
        urgent=True if urgent else None,
        limit=limit,
    )
    rows = [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
    if as_json:
        echo_json({"count": len(rows), "items": rows})
        return
    if not rows:
        click.echo("No feedback matches.")
        return
    columns = [
        "occurred_at",
        "kind",
        "platform",
        "item_id",
        "customer_id",
        "rating",
        "language",
        "sentiment",
        "text",
    ]
    click.echo(table(rows, columns, widths={"text": 70}))
