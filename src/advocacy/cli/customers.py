"""``advocacy customers``: look customers up."""

from __future__ import annotations

from typing import Any

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table


@click.group()
def customers() -> None:
    """Look up customers: their profile, orders and feedback."""


@customers.command("show")
@click.argument("customer_id")
@db_option
@json_option
@click.pass_context
def show(ctx: click.Context, customer_id: str, as_json: bool) -> None:
    """Show one customer: profile, orders (with delivery status) and every feedback item."""
    profile = catalogue_from(ctx).customer(customer_id)
    if as_json:
        echo_json(profile)
        return
    click.echo(render_profile(profile))


def _delivery(order: dict[str, Any]) -> str:
    promised, delivered = order.get("promised_delivery_at"), order.get("delivered_at")
    if delivered is not None and promised is not None:
        late = (delivered - promised).days
        return f"{late} days late" if late > 0 else "on time"
    if delivered is not None:
        return "delivered"
    return order.get("status") or ""


def render_profile(profile: dict[str, Any]) -> str:
    """A customer's profile as text for the terminal."""
    summary = profile["summary"]
    lines = [
        f"{profile['name'] or '(no name)'}  [{profile['customer_id']}]",
        f"  e-mail {profile['email'] or '-'}   phone {profile['phone'] or '-'}",
        f"  locale {profile['locale'] or '-'}   country {profile['country'] or '-'}   "
        f"segment {profile['segment'] or '-'}",
        f"  customer since {_date(profile['acquired_at'])}"
        + (f", churned {_date(profile['churned_at'])}" if profile["churned_at"] else ""),
        f"  {summary['orders']} orders, revenue {summary['revenue']:,.2f}, "
        f"{summary['late_deliveries']} late deliveries, {summary['feedback_items']} feedback items"
        + (f", last NPS {summary['last_nps']}" if summary["last_nps"] is not None else ""),
        "",
        "Orders",
    ]
    orders = [{**order, "delivery": _delivery(order)} for order in profile["orders"]]
    lines.append(
        table(
            orders,
            ["order_id", "ordered_at", "amount", "currency", "status", "delivery", "product"],
        )
        if orders
        else "  (none)"
    )
    lines += ["", "Feedback"]
    lines.append(
        table(
            profile["feedback"],
            ["occurred_at", "kind", "platform", "rating", "title", "text"],
            widths={"text": 60},
        )
        if profile["feedback"]
        else "  (none)"
    )
    return "\n".join(lines)


def _date(value: Any) -> str:
    return value.date().isoformat() if value is not None else "-"
