"""``advocacy nps``: the Net Promoter Score with its uncertainty, trend and breakdowns."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import click

from advocacy.cli.feedback import ISO_DATE
from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table
from advocacy.metrics.nps_groups import PERIODS
from advocacy.services.nps import BREAKDOWNS


def _end_of(value: dt.datetime | None) -> dt.datetime | None:
    """``--to`` is inclusive: a date alone means up to the end of that day."""
    if value is None:
        return None
    if value.time() == dt.time():
        return value + dt.timedelta(days=1)
    return value + dt.timedelta(microseconds=1)


@click.command()
@click.option("--from", "since", type=ISO_DATE, help="First day of answers (inclusive).")
@click.option("--to", "until", type=ISO_DATE, help="Last day of answers (inclusive).")
@click.option(
    "--by",
    type=click.Choice([*PERIODS, *BREAKDOWNS]),
    help="A trend by week, month or quarter, or a breakdown by a field.",
)
@click.option("--confidence", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True)
@db_option
@json_option
@click.pass_context
def nps(
    ctx: click.Context,
    since: dt.datetime | None,
    until: dt.datetime | None,
    by: str | None,
    confidence: float,
    as_json: bool,
) -> None:
    """The Net Promoter Score: % promoters (9–10) − % detractors (0–6), with its margin of error.

    With --by a period, each period is compared with the one before; with --by a field, each
    group with all other answers. A change is marked significant when its p-value is below
    1 − confidence. Samples under 30 answers are flagged and get the score interval.
    """
    from advocacy.services.nps import nps_report

    report = nps_report(
        catalogue_from(ctx).engine, since=since, until=_end_of(until), by=by, confidence=confidence
    )
    if as_json:
        echo_json(report)
        return
    click.echo(render(report))


def _points(value: float | None, signed: bool = True) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def render(report: dict[str, Any]) -> str:
    """The report as text: the overall score, then the groups as a table."""
    if not report["n"]:
        return "No NPS answers in that period."
    n = report["n"]
    share = {key: 100 * report[key] / n for key in ("promoters", "passives", "detractors")}
    level = round(100 * report["confidence"])
    lines = [
        f"NPS {_points(report['nps'])} ± {_points(report['margin_of_error'], False)} points "
        f"({level}% interval {_points(report['ci_low'])} to {_points(report['ci_high'])}), "
        f"{n:,} answers",
        f"  promoters {report['promoters']:,} ({share['promoters']:.0f}%)   "
        f"passives {report['passives']:,} ({share['passives']:.0f}%)   "
        f"detractors {report['detractors']:,} ({share['detractors']:.0f}%)",
    ]
    if report["small_sample"]:
        lines.append("  Fewer than 30 answers: read the score with its wide interval.")
    if report["groups"]:
        against = "previous period" if report["by"] in PERIODS else "the rest"
        rows = [
            {
                report["by"]: group["key"],
                "answers": f"{group['n']:,}",
                "NPS": _points(group["nps"]),
                "±": _points(group["margin_of_error"], False),
                "interval": f"{_points(group['ci_low'])} to {_points(group['ci_high'])}",
                f"vs {against}": _points(group["change"]),
                "p": "–" if group["p_value"] is None else f"{group['p_value']:.3f}",
                "": ("significant" if group["significant"] else "")
                + (" (small sample)" if group["small_sample"] else ""),
            }
            for group in report["groups"]
        ]
        lines += ["", table(rows, list(rows[0]))]
    return "\n".join(lines)
