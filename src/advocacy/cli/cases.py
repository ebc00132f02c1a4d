"""``advocacy cases …`` and ``advocacy rules run``: following every unhappy customer up."""

from __future__ import annotations

import datetime as dt

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table
from advocacy.services import cases as casework


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@click.group("cases")
def cases_group() -> None:
    """Cases: a customer problem with an owner, a due time (SLA) and a timeline."""


@cases_group.command("list")
@click.option(
    "--status",
    default=None,
    help="open, in_progress, waiting, resolved, closed, or active (the first three).",
)
@click.option("--type", "case_type", type=click.Choice(casework.TYPES), default=None)
@click.option("--owner", default=None, help="Cases of this owner (e-mail).")
@click.option("--customer", default=None, help="Cases of this customer (their id).")
@click.option("--overdue", is_flag=True, help="Only open cases past their due time.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@db_option
@json_option
@click.pass_context
def list_command(
    ctx: click.Context, status: str | None, case_type: str | None, owner: str | None,
    customer: str | None, overdue: bool, limit: int, as_json: bool,
) -> None:  # fmt: skip
    """Cases, most urgent first: past due, then priority, then due time."""
    found = casework.list_cases(
        catalogue_from(ctx).engine, now=_now(), status=status, type=case_type, owner=owner,
        overdue=True if overdue else None, customer_ref=customer, limit=limit,
    )  # fmt: skip
    if as_json:
        echo_json(found)
        return
    columns = ["id", "customer_id", "type", "priority", "status", "owner", "due_at", "overdue"]
    click.echo(table(found, columns))


@cases_group.command("show")
@click.argument("case_id", type=int)
@db_option
@json_option
@click.pass_context
def show_command(ctx: click.Context, case_id: int, as_json: bool) -> None:
    """One case with its items and timeline."""
    found = casework.get_case(catalogue_from(ctx).engine, case_id, now=_now())
    if as_json:
        echo_json(found)
        return
    shown = ("id", "title", "customer_id", "type", "priority", "status", "owner", "team",
             "opened_at", "due_at", "overdue", "escalation_level", "source_item_ids")  # fmt: skip
    for name in shown:
        click.echo(f"{name}: {found[name]}")
    click.echo("timeline:")
    for event in found["timeline"]:
        rest = {k: v for k, v in event.items() if k not in ("at", "actor", "kind")}
        click.echo(f"  {event['at']}  {event['actor']:<12} {event['kind']:<11} {rest}")


@cases_group.command("status")
@click.argument("case_id", type=int)
@click.argument("status", type=click.Choice(casework.STATUSES))
@click.option("--note", default=None, help="Why, for the timeline.")
@click.option("--by", "actor", default="command line", help="Who (an e-mail).")
@db_option
@json_option
@click.pass_context
def status_command(
    ctx: click.Context, case_id: int, status: str, note: str | None, actor: str, as_json: bool
) -> None:
    """Move a case on: in_progress, waiting (on the customer), resolved, closed."""
    engine = catalogue_from(ctx).engine
    casework.change_status(engine, case_id, status, now=_now(), actor=actor, note=note)
    found = casework.get_case(engine, case_id, now=_now())
    if as_json:
        echo_json(found)
        return
    click.echo(f"Case {case_id}: {found['status']}.")


@cases_group.command("assign")
@click.argument("case_id", type=int)
@click.option("--owner", required=True, help="Who owns it (an e-mail).")
@click.option("--team", default=None)
@click.option("--by", "actor", default="command line", help="Who (an e-mail).")
@db_option
@json_option
@click.pass_context
def assign_command(
    ctx: click.Context, case_id: int, owner: str, team: str | None, actor: str, as_json: bool
) -> None:
    """Give a case an owner and a team."""
    engine = catalogue_from(ctx).engine
    casework.assign(engine, case_id, now=_now(), actor=actor, owner=owner, team=team)
    found = casework.get_case(engine, case_id, now=_now())
    if as_json:
        echo_json(found)
        return
    click.echo(f"Case {case_id}: owned by {owner}.")


@cases_group.command("note")
@click.argument("case_id", type=int)
@click.argument("text")
@click.option("--by", "actor", default="command line", help="Who (an e-mail).")
@db_option
@json_option
@click.pass_context
def note_command(ctx: click.Context, case_id: int, text: str, actor: str, as_json: bool) -> None:
    """Write a note on a case's timeline."""
    engine = catalogue_from(ctx).engine
    casework.add_note(engine, case_id, text, now=_now(), actor=actor)
    if as_json:
        echo_json(casework.get_case(engine, case_id, now=_now()))
        return
    click.echo(f"Noted on case {case_id}.")


@click.group("rules")
def rules_group() -> None:
    """The rules that open cases from feedback and escalate those past due."""


@rules_group.command("run")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Look at items from this day on (default: the last 30 days).",
)
@db_option
@json_option
@click.pass_context
def run_command(ctx: click.Context, since: dt.datetime | None, as_json: bool) -> None:
    """Open a case for every detractor answer, review at or below 2 of 5 and urgent ticket that
    has none (joining the customer's open case), and escalate cases past due. Idempotent."""
    report = casework.run_rules(catalogue_from(ctx).engine, now=_now(), since=since)
    if as_json:
        echo_json(report.as_dict())
        return
    click.echo(
        f"Opened {report.opened} cases, added {report.joined} items to open ones, "
        f"escalated {report.escalated}."
    )
