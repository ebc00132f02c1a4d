"""``advocacy churn``: the churn rate as the articles define it, with its series and survival."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from advocacy.cli.feedback import ISO_DATE
from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table


@click.command()
@click.option("--as-of", "as_of", type=ISO_DATE, help="End of the window (default now, UTC).")
@click.option(
    "--months",
    type=click.IntRange(min=1),
    default=12,
    show_default=True,
    help="Length of the window in calendar months.",
)
@click.option(
    "--definition",
    type=click.Choice(["contract", "inactivity"]),
    help="Lost at churned_at (contract) or after --inactive-days without an order (inactivity). "
    "Default: contract when any customer has a churned_at.",
)
@click.option(
    "--inactive-days",
    type=click.IntRange(min=1),
    default=365,
    show_default=True,
    help="Days without an order after which a customer is lost (inactivity definition).",
)
@click.option("--cohorts", is_flag=True, help="Also show retention by acquisition month.")
@db_option
@json_option
@click.pass_context
def churn(
    ctx: click.Context,
    as_of: dt.datetime | None,
    months: int,
    definition: str | None,
    inactive_days: int,
    cohorts: bool,
    as_json: bool,
) -> None:
    """Churn rate: customers lost in the window ÷ average customers over it.

    The average is the mean of the active customers at the window's month boundaries (13 for a
    year). Also prints the monthly churn of the window and the survival of customers' tenure.
    """
    from advocacy.services.churn import churn_report  # polars loads only when asked

    report = churn_report(
        catalogue_from(ctx).engine,
        as_of=as_of,
        months=months,
        definition=definition,
        inactive_days=inactive_days,
    )
    if as_json:
        echo_json(report)
        return
    click.echo(render_report(report))
    if cohorts:
        click.echo("")
        click.echo(render_cohorts(report["cohorts"]))


def _percent(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{100 * value:.{digits}f} %"


def render_report(report: dict[str, Any]) -> str:
    """The churn report as text for the terminal."""
    definition = report["definition"]
    if definition == "inactivity":
        definition += f" (lost after {report['inactive_days']} days without an order)"
    else:
        definition += " (lost when the contract is cancelled: churned_at)"
    start, end = report["window_start"][:10], report["window_end"][:10]
    lines = [
        f"Churn rate {_percent(report['churn_rate'])} over the {report['months']} months "
        f"from {start} to {end}",
        f"  {report['lost']:,} customers lost ÷ {report['average_customers']:,.1f} customers on "
        f"average (mean of {len(report['boundaries'])} month boundaries)",
        f"  definition: {definition}",
        "",
        "Monthly churn",
    ]
    rows = [
        {
            "month": row["month"][:7] + ("" if row["complete"] else " (so far)"),
            "active at start": row["active_at_start"],
            "acquired": row["acquired"],
            "lost": row["lost"],
            "churn": _percent(row["churn_rate"], 2),
        }
        for row in report["monthly"][-12:]
    ]
    lines.append(table(rows, ["month", "active at start", "acquired", "lost", "churn"]))
    survival = report["survival"]
    year = next((p for p in survival["points"] if p["months"] == 12), None)
    lines.append("")
    if year is None or year["survival"] is None:
        lines.append("Survival at 12 months: not enough history yet.")
    else:
        lines.append(
            f"Survival at 12 months: {_percent(year['survival'])} of customers are still "
            f"customers a year after they started\n  95 % CI {_percent(year['ci_low'])} – "
            f"{_percent(year['ci_high'])} (Kaplan–Meier over {survival['customers']:,} customers, "
            "those still active counted as censored)"
        )
    return "\n".join(lines)


COHORT_AGES = (0, 1, 2, 3, 6, 9, 12, 18, 24)


def render_cohorts(cohorts: list[dict[str, Any]]) -> str:
    """Retention by acquisition month at a few ages, the newest cohorts last."""
    if not cohorts:
        return "No cohorts yet."
    rows = []
    for cohort in cohorts[-24:]:
        row: dict[str, Any] = {"cohort": cohort["cohort"][:7], "customers": cohort["size"]}
        for age in COHORT_AGES:
            shares = cohort["retention"]
            value = shares[age] if age < len(shares) else None
            row[f"{age} m"] = _percent(value, 0) if value is not None else ""
        rows.append(row)
    return "Retention by acquisition month (share still customers after N months)\n" + table(
        rows, list(rows[0])
    )
