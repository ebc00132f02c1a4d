"""``advocacy clv`` and ``advocacy segments``: customer lifetime value and value segments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from advocacy.cli.feedback import ISO_DATE
from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table

MODELS = ("simple", "bgnbd", "paretonbd")
F = TypeVar("F", bound=Callable[..., Any])


def _currency(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise click.BadParameter(f"{value!r} is not an ISO 4217 currency code such as EUR")
    return code


def _common(command: F) -> F:
    """``--as-of``, ``--currency`` and ``--limit``, shared by both commands."""
    command = click.option(
        "--as-of", type=ISO_DATE, help="Value the customers at this date (default now)."
    )(command)
    command = click.option(
        "--currency",
        metavar="XXX",
        callback=_currency,
        help="Only customers whose orders are in this ISO 4217 currency, e.g. EUR.",
    )(command)
    return click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=10,
        show_default=True,
        help="How many customers to list in each group.",
    )(command)


def _model_options(flag: str, lifespan_help: str) -> Callable[[F], F]:
    """``--lifespan-years`` (the simple CLV), ``--horizon-months`` and ``--discount-rate`` (the
    models), whose model is chosen by the command's ``flag``."""

    def decorate(command: F) -> F:
        command = click.option(
            "--discount-rate",
            type=click.FloatRange(min=0),
            help=f"Annual discount rate, 0.1 for 10 % (default 0.1); {flag} bgnbd and paretonbd "
            "only.",
        )(command)
        command = click.option(
            "--horizon-months",
            type=click.IntRange(min=1),
            help=f"Months of future value (default 12); {flag} bgnbd and paretonbd only.",
        )(command)
        return click.option("--lifespan-years", type=click.FloatRange(min=0), help=lifespan_help)(
            command
        )

    return decorate


def _check_model_options(
    flag: str,
    model: str,
    lifespan_years: float | None,
    horizon_months: int | None,
    discount_rate: float | None,
) -> None:
    """Refuse the options that do not apply to the chosen model."""
    if model == "simple" and (horizon_months is not None or discount_rate is not None):
        raise click.UsageError(
            f"--horizon-months and --discount-rate are for {flag} bgnbd or paretonbd"
        )
    if model != "simple" and lifespan_years is not None:
        raise click.UsageError(f"--lifespan-years is for {flag} simple")


@click.command("clv")
@click.option(
    "--model",
    type=click.Choice(MODELS),
    default="simple",
    show_default=True,
    help="simple: the articles' yearly revenue × expected lifespan − acquisition cost; "
    "bgnbd / paretonbd: expected purchases (BG/NBD, Pareto/NBD) × Gamma-Gamma spend over a "
    "horizon, discounted.",
)
@_model_options(
    "--model",
    "Expected lifespan in years (default 1 ÷ the annual churn rate, at most 20); --model simple "
    "only.",
)
@_common
@db_option
@json_option
@click.pass_context
def clv(
    ctx: click.Context,
    model: str,
    lifespan_years: float | None,
    horizon_months: int | None,
    discount_rate: float | None,
    as_of: dt.datetime | None,
    currency: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Customer lifetime value per currency, and the most valuable customers.

    simple: CLV = yearly revenue × expected lifespan − acquisition cost. bgnbd, paretonbd: the
    discounted value of the purchases the model expects over the horizon × the Gamma-Gamma
    expected spend. Per customer in their own currency; amounts in different currencies are
    never added.
    """
    _check_model_options("--model", model, lifespan_years, horizon_months, discount_rate)
    if model == "simple":
        from advocacy.services.value import clv_report  # polars loads only when asked

        report = clv_report(
            catalogue_from(ctx).engine,
            as_of=as_of,
            lifespan_years=lifespan_years,
            currency=currency,
            limit=limit,
        )
        report["model"] = model
        if as_json:
            echo_json(report)
            return
        click.echo(render_clv(report))
        return
    from advocacy.services import clv_models  # the models load only when asked

    model_report = clv_models.clv_model_report(
        catalogue_from(ctx).engine,
        model=model,
        as_of=as_of,
        horizon_months=clv_models.DEFAULT_HORIZON_MONTHS
        if horizon_months is None
        else horizon_months,
        discount_rate=clv_models.DEFAULT_DISCOUNT_RATE if discount_rate is None else discount_rate,
        currency=currency,
        limit=limit,
    )
    if as_json:
        echo_json(model_report)
        return
    click.echo(render_clv_model(model_report))


@click.command("segments")
@click.option(
    "--clv-model",
    type=click.Choice(MODELS),
    default="simple",
    show_default=True,
    help="The CLV the value tiers rank: simple (the articles' formula) or the discounted value "
    "over a horizon from bgnbd / paretonbd × Gamma-Gamma.",
)
@_model_options(
    "--clv-model",
    "Expected lifespan for the simple CLV of the value tiers (default from the churn rate); "
    "--clv-model simple only.",
)
@_common
@db_option
@json_option
@click.pass_context
def segments(
    ctx: click.Context,
    clv_model: str,
    lifespan_years: float | None,
    horizon_months: int | None,
    discount_rate: float | None,
    as_of: dt.datetime | None,
    currency: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """RFM segments (Champions, Loyal, At risk, …) and value tiers by CLV, per currency."""
    _check_model_options("--clv-model", clv_model, lifespan_years, horizon_months, discount_rate)
    from advocacy.services.value import segments_report  # polars loads only when asked

    report = segments_report(
        catalogue_from(ctx).engine,
        as_of=as_of,
        currency=currency,
        lifespan_years=lifespan_years,
        clv_model=clv_model,
        horizon_months=horizon_months,
        discount_rate=discount_rate,
        limit=limit,
    )
    if as_json:
        echo_json(report)
        return
    click.echo(render_segments(report))


MONEY_COLUMNS = frozenset(
    {"clv", "yearly_revenue", "revenue", "total_revenue", "mean_yearly_revenue", "expected_spend"}
    | {"total_clv", "mean_clv", "median_clv", "min_clv", "max_clv"}
)


def _readable(row: dict[str, Any]) -> dict[str, Any]:
    """Money with thousands separators and two decimals, shares in per cent."""
    shown = dict(row)
    for name in MONEY_COLUMNS:
        if isinstance(shown.get(name), int | float):
            shown[name] = f"{shown[name]:,.2f}"
    for name in ("share", "share_of_clv"):
        if name in shown:
            shown[name] = "" if shown[name] is None else f"{100 * shown[name]:.1f} %"
    return shown


def _lifespan_line(report: dict[str, Any]) -> str:
    line = f"Expected lifespan {report['lifespan_years']:.2f} years ({report['lifespan_source']}"
    churn = report["churn"]
    if churn is not None and churn["rate"] is not None:
        line += (
            f"; annual churn rate {100 * churn['rate']:.1f} %: {churn['lost']} lost ÷ "
            f"{churn['average_customers']:.1f} customers on average, {churn['definition']} "
            "definition"
        )
    return line + ")"


def _as_of(report: dict[str, Any]) -> str:
    value = report["as_of"]
    return str(value.date() if isinstance(value, dt.datetime) else value)


def render_clv(report: dict[str, Any]) -> str:
    """The CLV report as text for the terminal."""
    lines = [
        f"Customer lifetime value (model {report['model']}) at {_as_of(report)}",
        _lifespan_line(report),
        f"{report['customers']} customers with orders, "
        f"{report['customers_without_orders']} without orders (no CLV). "
        "Each currency apart; amounts in the currency named.",
        "",
    ]
    summaries = report["currencies"]
    if not summaries:
        return "\n".join([*lines, "No customer has orders."])
    rows = [_readable({**s, **s["tiers"]}) for s in summaries]
    columns = ["currency", "customers", "total_clv", "mean_clv", "median_clv"]
    columns += ["mean_yearly_revenue", "negative_clv", "top", "high", "standard"]
    lines.append(table(rows, columns))
    for summary in summaries:
        lines += ["", f"Most valuable customers in {summary['currency']}"]
        columns = ["customer_id", "clv", "yearly_revenue", "orders", "tenure_years", "churned"]
        columns += ["tier", "segment"]
        lines.append(table([_readable(row) for row in summary["top_customers"]], columns))
    return "\n".join(lines)


def render_segments(report: dict[str, Any]) -> str:
    """The segments report as text for the terminal."""
    lines = [
        f"Value segments at {_as_of(report)}",
        f"{report['customers']} customers with orders, "
        f"{report['customers_without_orders']} without orders.",
        "",
        "RFM segments (recency, frequency, monetary scores 1–5 within each currency)",
        table([_readable(s) for s in report["segments"]], ["segment", "customers", "share"]),
    ]
    model = report["clv_model"]
    if report["currencies"] and model["model"] == "simple":
        lines += ["", f"Value tiers by CLV. {_lifespan_line(report)}"]
    elif report["currencies"]:
        lines += [
            "",
            f"Value tiers by the CLV of {model['purchase_model']['name']} purchases × "
            f"Gamma-Gamma spend over {model['horizon_months']} months, discounted "
            f"{100 * model['annual_discount_rate']:g} % a year.",
        ]
        lines += [
            f"No CLV in {skip['currency']} ({skip['customers']} customers): {skip['reason']}."
            for skip in model["skipped_currencies"]
        ]
    for currency in report["currencies"]:
        lines += ["", f"Value tiers in {currency['currency']}"]
        columns = ["tier", "customers", "min_clv", "max_clv", "total_clv", "share_of_clv"]
        lines.append(table([_readable(tier) for tier in currency["tiers"]], columns))
    return "\n".join(lines)


def _parameters(model: dict[str, Any]) -> str:
    parts = []
    for name, value in model["params"].items():
        error = model["standard_errors"].get(name)
        parts.append(f"{name} = {value:.4g}" + ("" if error is None else f" (± {error:.3g})"))
    return (
        f"{model['name']}: " + ", ".join(parts) + f"; log-likelihood {model['log_likelihood']:.1f}"
    )


def render_clv_model(report: dict[str, Any]) -> str:
    """The model CLV report (BG/NBD or Pareto/NBD × Gamma-Gamma) as text for the terminal."""
    purchase = report["purchase_model"]
    lines = [
        f"Customer lifetime value (model {report['model']}) at {_as_of(report)}: the next "
        f"{report['horizon_months']} months, discounted at "
        f"{100 * report['annual_discount_rate']:.1f} % a year",
        f"{report['customers']} customers with orders. Each currency apart; amounts in the "
        "currency named. Point estimates (no intervals).",
        "",
        f"Purchases, {purchase['customers']} customers, time in days. {_parameters(purchase)}",
    ]
    for spend in report["spend_models"]:
        fitted = f"Spend in {spend['currency']}, {spend['customers']} repeat buyers."
        lines.append(f"{fitted} {_parameters(spend)}")
    for skipped in report["skipped_currencies"]:
        lines.append(
            f"{skipped['currency']} not valued ({skipped['customers']} customers, "
            f"{skipped['repeat_buyers']} repeat buyers): {skipped['reason']}"
        )
    summaries = report["currencies"]
    if not summaries:
        return "\n".join([*lines, "", "No currency could be valued."])
    lines += ["", table([_readable(s) for s in summaries], [
        "currency", "customers", "total_clv", "mean_clv", "mean_probability_alive",
        "expected_purchases",
    ])]  # fmt: skip
    columns = ["customer_id", "clv", "expected_purchases", "probability_alive"]
    columns += ["expected_spend", "frequency", "recency_days", "T_days"]
    for summary in summaries:
        lines += ["", f"Most valuable customers in {summary['currency']}"]
        lines.append(table([_readable(row) for row in summary["top_customers"]], columns))
    return "\n".join(lines)
