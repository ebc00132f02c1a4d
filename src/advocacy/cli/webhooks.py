"""``advocacy webhooks …``: the addresses told of case events, and what was delivered."""

from __future__ import annotations

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.services import notifications, webhooks


@click.group("webhooks")
def webhooks_group() -> None:
    """Webhooks: signed POSTs of case events to other programs (docs/notifications.md)."""


@webhooks_group.command("add")
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    metavar="KIND",
    help="An event kind to send (repeatable; none: every kind), e.g. assigned, escalated.",
)
@click.option("--description", default=None, help="What the webhook is for (200 characters).")
@click.option("--by", "actor", default="command line", help="Who (an e-mail).")
@db_option
@json_option
@click.pass_context
def add_command(
    ctx: click.Context, url: str, events: tuple[str, ...], description: str | None, actor: str,
    as_json: bool,
) -> None:  # fmt: skip
    """Add a webhook and print its signing secret, shown this once."""
    engine = catalogue_from(ctx).engine
    webhook_id, secret = webhooks.add_webhook(
        engine, url, events=events, description=description, actor=actor, now=utc_now()
    )
    if as_json:
        echo_json({**webhooks.get_webhook(engine, webhook_id), "secret": secret})
        return
    click.echo(f"Webhook {webhook_id}: {url}")
    click.echo(f"Secret (shown this once; the receiver checks signatures with it): {secret}")


@webhooks_group.command("list")
@click.option("--all", "include_removed", is_flag=True, help="Removed webhooks too.")
@db_option
@json_option
@click.pass_context
def list_command(ctx: click.Context, include_removed: bool, as_json: bool) -> None:
    """The webhooks (their secrets are never shown again)."""
    found = webhooks.list_webhooks(catalogue_from(ctx).engine, include_removed=include_removed)
    if as_json:
        echo_json(found)
        return
    rows = [{**hook, "events": ", ".join(hook["events"]) or "all"} for hook in found]
    click.echo(table(rows, ["id", "url", "events", "active", "description"], widths={"url": 60}))


@webhooks_group.command("remove")
@click.argument("webhook_id", type=int)
@db_option
@json_option
@click.pass_context
def remove_command(ctx: click.Context, webhook_id: int, as_json: bool) -> None:
    """Switch a webhook off; what was still queued for it is cancelled."""
    done = webhooks.remove_webhook(catalogue_from(ctx).engine, webhook_id)
    if as_json:
        echo_json(done)
        return
    click.echo(f"Webhook {webhook_id} removed; {done['cancelled']} queued deliveries cancelled.")


@webhooks_group.command("deliveries")
@click.option("--status", type=click.Choice(notifications.STATUSES), default=None)
@click.option("--webhook", "webhook_id", type=int, default=None, help="Those of one webhook.")
@click.option("--case", "case_id", type=int, default=None, help="Those about one case.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@db_option
@json_option
@click.pass_context
def deliveries_command(
    ctx: click.Context, status: str | None, webhook_id: int | None, case_id: int | None,
    limit: int, as_json: bool,
) -> None:  # fmt: skip
    """The latest notifications, webhooks and e-mails: status, tries, answer and error."""
    found = notifications.list_notifications(
        catalogue_from(ctx).engine, limit=limit, status=status, webhook_id=webhook_id,
        case_id=case_id,
    )  # fmt: skip
    if as_json:
        echo_json(found)
        return
    columns = ["id", "case_id", "event", "target", "status", "attempts", "response_status",
               "error"]  # fmt: skip
    click.echo(table(found, columns, widths={"error": 50}))


@webhooks_group.command("test")
@click.argument("webhook_id", type=int)
@db_option
@json_option
@click.pass_context
def test_command(ctx: click.Context, webhook_id: int, as_json: bool) -> None:
    """Send a signed ping to a webhook now and say how it answered (exit 1 if it failed)."""
    outcome = webhooks.ping_webhook(catalogue_from(ctx).engine, webhook_id, now=utc_now())
    if as_json:
        echo_json(outcome)
    elif outcome["status"] == "sent":
        click.echo(f"Webhook {webhook_id} answered {outcome['response_status']}: delivered.")
    if outcome["status"] != "sent":
        raise click.ClickException(f"webhook {webhook_id} failed: {outcome['error']}")
