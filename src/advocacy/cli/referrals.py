"""``advocacy referrals …``: advocates' referral codes and links, attribution, the report."""

from __future__ import annotations

from typing import Any

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table, utc_now
from advocacy.config import Settings, load_settings
from advocacy.services import referrals

ACTOR = "command line"


def _settings(ctx: click.Context) -> Settings:
    return load_settings(database_url=ctx.ensure_object(dict).get("db"))


def _amounts(values: dict[str, float]) -> str:
    return ", ".join(f"{amount:,.2f} {currency}" for currency, amount in values.items())


@click.group("referrals")
def referrals_group() -> None:
    """Referrals: advocates' codes and links, the customers they brought and the value created."""


@referrals_group.command("code")
@click.argument("customer")
@db_option
@json_option
@click.pass_context
def code_command(ctx: click.Context, customer: str, as_json: bool) -> None:
    """Print the referral code and link of the advocate CUSTOMER (made on first use, then kept)."""
    engine = catalogue_from(ctx).engine
    code = referrals.issue_code(
        engine, referrals.advocate_id_of(engine, customer), now=utc_now(), actor=ACTOR
    )
    document = {
        "customer_id": customer.strip(),
        "code": code,
        "link": referrals.referral_link(_settings(ctx), code),
    }
    if as_json:
        echo_json(document)
        return
    click.echo(f"{document['code']}  {document['link']}")


@referrals_group.command("attribute")
@click.argument("referred")
@click.argument("code")
@db_option
@json_option
@click.pass_context
def attribute_command(ctx: click.Context, referred: str, code: str, as_json: bool) -> None:
    """Attribute the customer REFERRED to the advocate whose referral code is CODE."""
    done = referrals.attribute(
        catalogue_from(ctx).engine, referred, code, actor=ACTOR, now=utc_now()
    )
    if as_json:
        echo_json(done)
        return
    what = "attributed to" if done["created"] else "was already attributed to"
    click.echo(f"{done['referred_customer']} {what} {done['advocate']} (code {done['code']}).")


@referrals_group.command("import")
@db_option
@json_option
@click.pass_context
def import_command(ctx: click.Context, as_json: bool) -> None:
    """Attribute the customers whose imported attribute referral_code names an advocate's code."""
    result = referrals.attribute_from_imports(catalogue_from(ctx).engine, now=utc_now())
    if as_json:
        echo_json(result)
        return
    click.echo(
        f"{result['attributed']} attributed, {result['unknown_codes']} unknown code(s), "
        f"{result['refused']} refused."
    )
    for problem in result["problems"]:
        click.echo(f"  {problem['customer_id']}: {problem['reason']}")


@referrals_group.command("list")
@click.option("--advocate", default=None, metavar="CUSTOMER", help="Only this advocate.")
@db_option
@json_option
@click.pass_context
def list_command(ctx: click.Context, advocate: str | None, as_json: bool) -> None:
    """Per advocate: code, link, visits, referred customers, their orders, revenue since the
    referral and the value created (revenue + expected CLV), highest value first."""
    settings = _settings(ctx)
    report = referrals.referral_report(catalogue_from(ctx).engine, now=utc_now(), advocate=advocate)
    rows: list[dict[str, Any]] = [
        {**row, "link": referrals.referral_link(settings, row["code"]) if row["code"] else None}
        for row in report
    ]
    if as_json:
        echo_json(rows)
        return
    shown = [
        {**row, "visits": f"{row['visits_30_days']}/{row['visits']}",
         "revenue": _amounts(row["revenue"]), "value_created": _amounts(row["value_created"])}
        for row in rows
    ]  # fmt: skip
    columns = ["customer_id", "name", "code", "link", "visits", "referred_customers", "orders",
               "revenue", "value_created"]  # fmt: skip
    click.echo(table(shown, columns, widths={"link": 60, "value_created": 40, "revenue": 40}))
