"""``advocacy advocates …``: the brand advocates with their evidence, and the programme's work —
tasks, rewards, messages, settings and the review invitations' audit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.config import load_settings
from advocacy.services import advocate_programme as programme
from advocacy.services import advocates as advocacy
from advocacy.services import customer_messages as messages

BY = click.option("--by", "actor", default="command line", help="Who (an e-mail).")


@click.group("advocates")
def advocates_group() -> None:
    """Brand advocates: promoters, happy reviewers and fans on social media, with evidence."""


@advocates_group.command("list")
@click.option("--status", type=click.Choice(advocacy.STATUSES), default=None,
              help="Only active, candidate or lapsed advocates.")  # fmt: skip
@click.option("--owner", default=None, help="Only the advocates this owner looks after.")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None)
@click.option("--limit", type=click.IntRange(1, 100_000), default=500, show_default=True)
@db_option
@json_option
@click.pass_context
def list_command(ctx: click.Context, status: str | None, owner: str | None,
                 min_score: float | None, limit: int, as_json: bool) -> None:  # fmt: skip
    """The advocates, highest score first, with their evidence; detractors are never among
    them. The programme's owner and status-since are added for those it keeps."""
    found = programme.advocates_overview(catalogue_from(ctx).engine, now=utc_now(), status=status,
                                         owner=owner, min_score=min_score, limit=limit)  # fmt: skip
    if as_json:
        echo_json(found)
        return
    rows = [{**a, "reasons": "; ".join(a["reasons"])} for a in found]
    click.echo(table(rows, ["customer_id", "name", "score", "status", "owner", "reasons"]))


@advocates_group.command("show")
@click.argument("customer")
@db_option
@json_option
@click.pass_context
def show_command(ctx: click.Context, customer: str, as_json: bool) -> None:
    """One advocate: status, owner, direct contact, tasks, rewards, messages and log."""
    found = programme.advocate_detail(catalogue_from(ctx).engine, customer, now=utc_now())
    if as_json:
        echo_json(found)
        return
    for key in ("customer_id", "name", "status", "score", "since", "owner", "referral_code",
                "contact"):  # fmt: skip
        click.echo(f"{key:<14} {found[key] if found[key] is not None else '-'}")
    click.echo(f"{'reasons':<14} {'; '.join(found['reasons'])}")
    click.echo("\ntasks:")
    click.echo(table(found["tasks"], ["id", "kind", "status", "owner", "due_at", "title"]))
    click.echo("\nlog:")
    for entry in found["log"]:
        click.echo(f"  {entry['at']}  {entry['actor']:<20} {entry['kind']:<14} {entry['detail']}")


@advocates_group.command("run")
@db_option
@json_option
@click.pass_context
def run_command(ctx: click.Context, as_json: bool) -> None:
    """Run the programme now: statuses, thank-yous, tasks, milestones, feedback requests and
    review invitations (the worker does it on its own every round that has news)."""
    catalogue = catalogue_from(ctx)
    report = programme.run_programme(catalogue.engine, load_settings(), now=utc_now(), force=True)
    if as_json:
        echo_json(report.as_dict())
        return
    for key, value in report.as_dict().items():
        click.echo(f"{key:<18} {value}")


@advocates_group.command("tasks")
@click.option("--status", type=click.Choice(programme.TASK_STATUSES), default="open",
              show_default=True)  # fmt: skip
@click.option(
    "--owner", default=None, help=f"Tasks of this owner; {programme.UNASSIGNED}: nobody's."
)
@click.option("--kind", type=click.Choice(programme.TASK_KINDS), default=None)
@click.option("--customer", default=None, help="Tasks about this customer (their id).")
@click.option("--overdue", is_flag=True, help="Only open tasks past their due date.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@db_option
@json_option
@click.pass_context
def tasks_command(
    ctx: click.Context, status: str, owner: str | None, kind: str | None, customer: str | None,
    overdue: bool, limit: int, as_json: bool,
) -> None:  # fmt: skip
    """The programme's tasks, the first due first."""
    found = programme.list_tasks(
        catalogue_from(ctx).engine, now=utc_now(), status=status, owner=owner, kind=kind,
        customer_ref=customer, overdue=True if overdue else None, limit=limit,
    )  # fmt: skip
    if as_json:
        echo_json(found)
        return
    click.echo(table(found, ["id", "customer_id", "kind", "owner", "due_at", "overdue", "title"]))


@advocates_group.command("done")
@click.argument("task_id", type=int)
@click.option("--note", default=None, help="What was done, for the advocate's log.")
@click.option("--skip", is_flag=True, help="Not done, and not to be done.")
@BY
@db_option
@json_option
@click.pass_context
def done_command(ctx: click.Context, task_id: int, note: str | None, skip: bool, actor: str,
                 as_json: bool) -> None:  # fmt: skip
    """Mark a task done (or skipped)."""
    found = programme.finish_task(catalogue_from(ctx).engine, task_id, actor=actor, now=utc_now(),
                                  note=note, skipped=skip)  # fmt: skip
    _done(found, as_json, f"task {task_id} {found['status']}")


@advocates_group.command("assign")
@click.argument("task_id", type=int)
@click.argument("owner")
@BY
@db_option
@json_option
@click.pass_context
def assign_command(ctx: click.Context, task_id: int, owner: str, actor: str,
                   as_json: bool) -> None:  # fmt: skip
    """Give a task to someone else (``-``: nobody)."""
    found = programme.assign_task(catalogue_from(ctx).engine, task_id,
                                  None if owner == programme.UNASSIGNED else owner,
                                  actor=actor, now=utc_now())  # fmt: skip
    _done(found, as_json, f"task {task_id} → {found['owner'] or 'nobody'}")


@advocates_group.command("task")
@click.argument("customer")
@click.argument("title")
@click.option("--kind", type=click.Choice(programme.TASK_KINDS), default="other", show_default=True)
@click.option("--due", type=click.DateTime(), required=True, help="When it is due (UTC).")
@click.option("--owner", default=None, help="Who does it (default: the advocate's owner).")
@BY
@db_option
@json_option
@click.pass_context
def task_command(ctx: click.Context, customer: str, title: str, kind: str, due: dt.datetime,
                 owner: str | None, actor: str, as_json: bool) -> None:  # fmt: skip
    """Set a task for an advocate by hand (a call, a gift to send, …)."""
    found = programme.create_task(catalogue_from(ctx).engine, customer, title, kind=kind,
                                  due=due, owner=owner, actor=actor, now=utc_now())  # fmt: skip
    _done(found, as_json, f"task {found['id']} for {customer}, due {found['due_at']}")


@advocates_group.command("log")
@click.argument("customer")
@click.argument("text")
@click.option("--kind", type=click.Choice(programme.LOG_KINDS), default="note", show_default=True)
@BY
@db_option
@json_option
@click.pass_context
def log_command(ctx: click.Context, customer: str, text: str, kind: str, actor: str,
                as_json: bool) -> None:  # fmt: skip
    """Write what was done for an advocate (a call, a meeting, a gift, a note) in their log."""
    found = programme.add_log_entry(catalogue_from(ctx).engine, customer, kind, text,
                                    actor=actor, now=utc_now())  # fmt: skip
    _done(found, as_json, f"{kind} written in {customer}'s log")


@advocates_group.command("reward")
@click.argument("customer")
@click.option("--kind", required=True, help="What it is: a gift card, early access, …")
@click.option("--amount", type=float, required=True, help="What it costs (0: nothing).")
@click.option("--currency", default=None, help="The budget's currency (the default).")
@click.option("--description", default=None)
@click.option("--task", "task_id", type=int, default=None, help="The reward task it settles.")
@BY
@db_option
@json_option
@click.pass_context
def reward_command(ctx: click.Context, customer: str, kind: str, amount: float,
                   currency: str | None, description: str | None, task_id: int | None,
                   actor: str, as_json: bool) -> None:  # fmt: skip
    """Give an advocate a reward, counted against this year's budget."""
    found = programme.give_reward(catalogue_from(ctx).engine, customer, kind=kind, amount=amount,
                                  currency=currency, description=description, task_id=task_id,
                                  actor=actor, now=utc_now())  # fmt: skip
    budget = found["budget"]
    line = (f"{kind} ({found['amount']:,.2f} {found['currency']}) for {customer}; "
            f"{budget['left']:,.2f} {budget['currency']} left for {budget['year']}")  # fmt: skip
    _done(found, as_json, line)


@advocates_group.command("rewards")
@click.option("--customer", default=None)
@db_option
@json_option
@click.pass_context
def rewards_command(ctx: click.Context, customer: str | None, as_json: bool) -> None:
    """Rewards given, newest first, and this year's budget."""
    engine = catalogue_from(ctx).engine
    found: dict[str, Any] = {
        "budget": programme.budget_status(engine, now=utc_now()),
        "rewards": programme.list_rewards(engine, customer_ref=customer),
    }
    if as_json:
        echo_json(found)
        return
    budget = found["budget"]
    click.echo(f"budget {budget['year']}: {budget['spent']:,.2f} of {budget['budget']:,.2f} "
               f"{budget['currency']} given, {budget['left']:,.2f} left")  # fmt: skip
    click.echo(table(found["rewards"], ["given_at", "customer_id", "kind", "amount", "currency",
                                        "milestone", "given_by"]))  # fmt: skip


@advocates_group.command("settings")
@db_option
@json_option
@click.pass_context
def settings_command(ctx: click.Context, as_json: bool) -> None:
    """The programme's settings."""
    found = programme.programme_settings(catalogue_from(ctx).engine).as_dict()
    if as_json:
        echo_json(found)
        return
    for key, value in found.items():
        click.echo(f"{key:<28} {value}")


@advocates_group.command("set")
@click.argument("name", type=click.Choice(programme.SETTING_NAMES))
@click.argument("value", required=False)
@BY
@db_option
@json_option
@click.pass_context
def set_command(ctx: click.Context, name: str, value: str | None, actor: str,
                as_json: bool) -> None:  # fmt: skip
    """Change one setting (no value: back to the default). Lists are JSON or comma-separated:
    ``owners 'olga@x.com,pedro@x.com'``, ``review_platforms '[{"name": "Google", "url": "…"}]'``."""
    parsed: Any = value
    if value is not None and value.strip()[:1] in ("[", "{"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise click.BadParameter(f"not JSON: {exc}") from None
    found = programme.set_setting(catalogue_from(ctx).engine, name, parsed, actor=actor,
                                  now=utc_now()).as_dict()  # fmt: skip
    _done(found, as_json, f"{name} = {found[name]}")


@advocates_group.command("messages")
@click.option("--kind", type=click.Choice(messages.KINDS), default=None)
@click.option("--status", type=click.Choice(messages.STATUSES), default=None)
@click.option("--customer", default=None)
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
@db_option
@json_option
@click.pass_context
def messages_command(ctx: click.Context, kind: str | None, status: str | None,
                     customer: str | None, limit: int, as_json: bool) -> None:  # fmt: skip
    """Thank-yous and review invitations, newest first, with why any was skipped."""
    found = messages.list_messages(catalogue_from(ctx).engine, kind=kind, status=status,
                                   customer_ref=customer, limit=limit)  # fmt: skip
    if as_json:
        echo_json(found)
        return
    click.echo(table(found, ["id", "customer_id", "kind", "status", "language", "created_at",
                             "reason"]))  # fmt: skip


@advocates_group.command("cancel")
@click.argument("message_id", type=int)
@BY
@db_option
@json_option
@click.pass_context
def cancel_command(ctx: click.Context, message_id: int, actor: str, as_json: bool) -> None:
    """Cancel a thank-you or invitation still waiting to be sent."""
    messages.cancel_message(catalogue_from(ctx).engine, message_id, actor=actor, now=utc_now())
    _done({"id": message_id, "status": "cancelled"}, as_json, f"message {message_id} cancelled")


@advocates_group.command("review-audit")
@click.option("--since", type=click.DateTime(), default=None)
@click.option("--until", type=click.DateTime(), default=None)
@db_option
@json_option
@click.pass_context
def review_audit_command(ctx: click.Context, since: dt.datetime | None,
                         until: dt.datetime | None, as_json: bool) -> None:  # fmt: skip
    """Who was invited to review, by NPS category, and whether anyone was left out for what
    they thought (review gating: never)."""
    found = messages.review_audit(catalogue_from(ctx).engine, since=since, until=until)
    if as_json:
        echo_json(found)
        return
    rows = [{**c, "skipped": "; ".join(f"{k}: {v}" for k, v in c["skipped"].items())}
            for c in found["categories"]]  # fmt: skip
    click.echo(table(rows, ["category", "considered", "asked", "asked_share", "skipped"]))
    click.echo("review gating: " + ("FOUND — " + json.dumps(found["skipped_for_other_reasons"])
                                    if found["gated"] else "none"))  # fmt: skip


def _done(found: Any, as_json: bool, line: str) -> None:
    if as_json:
        echo_json(found)
    else:
        click.echo(line)
