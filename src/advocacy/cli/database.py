"""``advocacy db``: create and migrate the database."""

from __future__ import annotations

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option
from advocacy.store.schema import current_revision, head_revision, upgrade


@click.group()
def db() -> None:
    """Create, migrate and inspect the database."""


@db.command("upgrade")
@db_option
@json_option
@click.pass_context
def upgrade_command(ctx: click.Context, as_json: bool) -> None:
    """Create the tables, or migrate them to this version's schema (safe to repeat)."""
    engine = catalogue_from(ctx, check_schema=False).engine
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if as_json:
        echo_json({"from": before, "to": after, "changed": before != after})
    elif before == after:
        click.echo(f"The database is already at revision {after}.")
    else:
        click.echo(f"Migrated the database from {before or 'empty'} to revision {after}.")


@db.command("status")
@db_option
@json_option
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Show the database's schema revision and how many records it holds."""
    catalogue = catalogue_from(ctx, check_schema=False)
    revision = current_revision(catalogue.engine)
    head = head_revision()
    counts = catalogue.counts() if revision == head else {}
    document = {
        "url": catalogue.engine.url.render_as_string(hide_password=True),
        "revision": revision,
        "latest": head,
        "up_to_date": revision == head,
        "counts": counts,
    }
    if as_json:
        echo_json(document)
        return
    click.echo(f"Database: {document['url']}")
    click.echo(f"Schema:   {revision or 'empty'} (latest {head})")
    if revision != head:
        click.echo("Run `advocacy db upgrade` to bring it up to date.")
    for name, number in counts.items():
        click.echo(f"  {name:<10} {number:>10,}")
