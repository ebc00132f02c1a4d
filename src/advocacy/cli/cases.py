"""``advocacy cases …`` and ``advocacy rules run``: following every unhappy customer up."""

from __future__ import annotations

import datetime as dt

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.services import case_rules
from advocacy.services import cases as casework


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
        catalogue_from(ctx).engine, now=utc_now(), status=status, type=case_type, owner=owner,
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
    found = casework.get_case(catalogue_from(ctx).engine, case_id, now=utc_now())
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
    casework.change_status(engine, case_id, status, now=utc_now(), actor=actor, note=note)
    found = casework.get_case(engine, case_id, now=utc_now())
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
    casework.assign(engine, case_id, now=utc_now(), actor=actor, owner=owner, team=team)
    found = casework.get_case(engine, case_id, now=utc_now())
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
    casework.add_note(engine, case_id, text, now=utc_now(), actor=actor)
    if as_json:
        echo_json(casework.get_case(engine, case_id, now=utc_now()))
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
    """Run every enabled rule: a case for every detractor answer, review at or below 2 of 5,
    urgent ticket (joining the customer's open case), late delivery, repeated contacts,
    sentiment turning negative and significant NPS drop; escalate cases past due. Idempotent."""
    report = casework.run_rules(catalogue_from(ctx).engine, now=utc_now(), since=since)
    if as_json:
        echo_json(report.as_dict())
        return
    click.echo(
        f"Opened {report.opened} cases ({report.proactive} proactive), added items to open "
        f"ones {report.joined} times, escalated {report.escalated}."
    )
    for name, error in report.errors.items():
        click.echo(f"The rule {name} failed: {error}", err=True)


@rules_group.command("list")
@db_option
@json_option
@click.pass_context
def rules_list_command(ctx: click.Context, as_json: bool) -> None:
    """Every rule: on or off, and its parameters."""
    found = case_rules.rules_overview(catalogue_from(ctx).engine)
    if as_json:
        echo_json(found)
        return
    for rule in found:
        state = "on " if rule["enabled"] else "off"
        params = ", ".join(f"{k}={v}" for k, v in rule["params"].items())
        click.echo(f"{state} {rule['name']:<28} {rule['kind']:<9} {params}")


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE", param_hint="--param")
        params[name.strip()] = value.strip()
    return params


@rules_group.command("set")
@click.argument("name")
@click.option("--on/--off", "enabled", default=None, help="Turn the rule on or off.")
@click.option("--param", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A parameter (repeatable), e.g. --param grace_days=1.")  # fmt: skip
@click.option("--by", "actor", default="command line", help="Who (an e-mail).")
@db_option
@json_option
@click.pass_context
def rules_set_command(
    ctx: click.Context, name: str, enabled: bool | None, pairs: tuple[str, ...], actor: str,
    as_json: bool,
) -> None:  # fmt: skip
    """Turn a rule on or off, change its parameters."""
    found = case_rules.set_rule(
        catalogue_from(ctx).engine, name, now=utc_now(), actor=actor, enabled=enabled,
        params=_parse_params(pairs),
    )  # fmt: skip
    if as_json:
        echo_json(found)
        return
    params = ", ".join(f"{k}={v}" for k, v in found["params"].items())
    click.echo(f"{name}: {'on' if found['enabled'] else 'off'}; {params}")


@rules_group.command("sla")
@click.option("--priority", type=click.Choice(casework.PRIORITIES), default=None,
              help="The priority whose time to set.")  # fmt: skip
@click.option("--hours", type=float, default=None, help="Hours a case may take.")
@click.option("--type", "case_type", type=click.Choice(casework.TYPES), default=None,
              help="Only for cases of this type (default: every type).")  # fmt: skip
@click.option("--reset", is_flag=True, help="Back to the default (or to the policy of all types).")
@click.option("--by", "actor", default="command line", help="Who (an e-mail).")
@db_option
@json_option
@click.pass_context
def sla_command(
    ctx: click.Context, priority: str | None, hours: float | None, case_type: str | None,
    reset: bool, actor: str, as_json: bool,
) -> None:  # fmt: skip
    """The SLA: how many hours a case may take, by priority and type. With --priority and
    --hours (or --reset) it sets one; new cases get the new due time."""
    engine = catalogue_from(ctx).engine
    if priority is not None:
        if hours is None and not reset:
            raise click.UsageError("give --hours, or --reset")
        policy = casework.set_sla(engine, priority=priority, hours=None if reset else hours,
                                  type=case_type, now=utc_now(), actor=actor)  # fmt: skip
    elif hours is not None or reset or case_type is not None:
        raise click.UsageError("say which --priority")
    else:
        policy = casework.sla_policy(engine)
    if as_json:
        echo_json(policy.as_dict())
        return
    for name in reversed(casework.PRIORITIES):
        click.echo(f"{name:<7} {policy.hours[name]:g} h")
    for kind, hours_of in policy.by_type.items():
        for name, value in hours_of.items():
            click.echo(f"{name:<7} {value:g} h for {kind} cases")


@rules_group.command("assignments")
@db_option
@json_option
@click.pass_context
def assignments_command(ctx: click.Context, as_json: bool) -> None:
    """The assignment rules, in the order they are tried."""
    found = case_rules.list_assignment_rules(catalogue_from(ctx).engine)
    if as_json:
        echo_json(found)
        return
    for rule in found:
        conditions = "; ".join(f"{k} in {','.join(v)}" for k, v in rule["conditions"].items())
        click.echo(
            f"{rule['id']:>4} {rule['name']}: {conditions or 'every case'} → team "
            f"{rule['team'] or '-'}, owners {', '.join(rule['owners']) or '-'}"
        )


@rules_group.command("assign")
@click.argument("name")
@click.option("--team", default=None, help="The team the cases go to.")
@click.option("--owner", "owners", multiple=True, help="An owner (e-mail; repeat: in turn).")
@click.option("--type", "types", multiple=True, help="Only cases of this type (repeatable).")
@click.option("--rule", "rules", multiple=True, help="Only cases opened by this rule.")
@click.option("--language", "languages", multiple=True, help="Only cases in this language.")
@click.option("--priority", "priorities", multiple=True, help="Only cases of this priority.")
@click.option("--tier", "tiers", multiple=True, help="Only customers of this value tier.")
@db_option
@json_option
@click.pass_context
def assign_rule_command(
    ctx: click.Context, name: str, team: str | None, owners: tuple[str, ...],
    types: tuple[str, ...], rules: tuple[str, ...], languages: tuple[str, ...],
    priorities: tuple[str, ...], tiers: tuple[str, ...], as_json: bool,
) -> None:  # fmt: skip
    """Add an assignment rule: new cases that match go to TEAM, to OWNERS in turn."""
    conditions = {"type": types, "rule": rules, "language": languages, "priority": priorities,
                  "tier": tiers}  # fmt: skip
    rule_id = case_rules.add_assignment_rule(
        catalogue_from(ctx).engine, name=name, now=utc_now(), team=team, owners=owners,
        conditions={k: v for k, v in conditions.items() if v},
    )  # fmt: skip
    if as_json:
        echo_json({"id": rule_id})
        return
    click.echo(f"Assignment rule {rule_id} added.")


@rules_group.command("unassign")
@click.argument("rule_id", type=int)
@db_option
@json_option
@click.pass_context
def unassign_command(ctx: click.Context, rule_id: int, as_json: bool) -> None:
    """Remove an assignment rule."""
    case_rules.remove_assignment_rule(catalogue_from(ctx).engine, rule_id)
    if as_json:
        echo_json({"removed": rule_id})
        return
    click.echo(f"Assignment rule {rule_id} removed.")


@cases_group.command("summary")
@click.option("--sort", type=click.Choice(case_rules.SUMMARY_SORTS), default="value_at_risk",
              show_default=True)  # fmt: skip
@click.option("--status", default="active", show_default=True,
              help="active, all, or one status.")  # fmt: skip
@click.option("--limit", type=click.IntRange(1, 10_000), default=500, show_default=True)
@db_option
@json_option
@click.pass_context
def summary_command(ctx: click.Context, sort: str, status: str, limit: int, as_json: bool) -> None:
    """The value at risk: proactive cases, the largest first, with totals per currency."""
    found = case_rules.value_summary(
        catalogue_from(ctx).engine, now=utc_now(), sort=sort, status=status, limit=limit
    )
    if as_json:
        echo_json(found)
        return
    for total in found["totals"]:
        click.echo(
            f"{total['currency']}: {total['value_at_risk']:,.2f} at risk in {total['cases']} "
            f"cases ({total['overdue']} overdue)"
        )
    columns = ["id", "customer_id", "tier", "order", "delay_days", "clv", "value_at_risk",
               "currency", "status", "owner"]  # fmt: skip
    money = ("clv", "value_at_risk")
    rows = [{**case, **{k: f"{case[k]:,.2f}" for k in money if case[k] is not None}}
            for case in found["cases"]]  # fmt: skip
    click.echo(table(rows, columns))


@cases_group.command("open")
@click.option("--item", "item_ids", type=int, multiple=True, help="A feedback item (its id).")
@click.option("--customer", default=None, help="The customer (their id).")
@click.option("--title", default=None, help="What the case is about.")
@click.option("--priority", type=click.Choice(casework.PRIORITIES), default="normal",
              show_default=True)  # fmt: skip
@click.option("--owner", default=None, help="Who owns it (an e-mail).")
@click.option("--team", default=None)
@click.option("--by", "actor", default="command line", help="Who (an e-mail).")
@db_option
@json_option
@click.pass_context
def open_command(
    ctx: click.Context, item_ids: tuple[int, ...], customer: str | None, title: str | None,
    priority: str, owner: str | None, team: str | None, actor: str, as_json: bool,
) -> None:  # fmt: skip
    """Open a case by hand, about feedback items, a customer, or both."""
    engine = catalogue_from(ctx).engine
    case_id = casework.open_case_about(
        engine, now=utc_now(), actor=actor, item_ids=item_ids, customer_ref=customer, title=title,
        priority=priority, owner=owner, team=team,
    )  # fmt: skip
    if as_json:
        echo_json(casework.get_case(engine, case_id, now=utc_now()))
        return
    click.echo(f"Case {case_id} opened.")
