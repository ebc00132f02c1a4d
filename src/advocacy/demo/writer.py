"""Writing the demo company as canonical import files (CSV, UTF-8, header row)."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from advocacy.demo.company import Company, build_company
from advocacy.demo.reviews import Review, gather_reviews
from advocacy.demo.service import Ticket, open_tickets
from advocacy.demo.social import Post, gather_posts
from advocacy.demo.surveys import Answer, collect_answers

#: kind -> columns: the canonical ones first, then attributes the importer keeps as they are.
# fmt: off
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "name", "email", "phone", "locale", "country", "segment",
                  "acquired_at", "churned_at", "acquisition_cost", "currency", "plan", "city",
                  "acquisition_channel", "referred_by", "contact_name"),
    "orders": ("order_id", "customer_id", "ordered_at", "amount", "currency", "status",
               "promised_delivery_at", "delivered_at", "product", "sku", "quantity"),
    "nps": ("response_id", "customer_id", "score", "comment", "responded_at", "channel",
            "language", "touchpoint", "order_id"),
    "reviews": ("review_id", "platform", "rating", "rating_scale", "title", "text", "author",
                "posted_at", "url", "customer_id", "language", "product", "order_id", "place"),
    "tickets": ("ticket_id", "customer_id", "opened_at", "closed_at", "channel", "subject",
                "text", "status", "contacts", "order_id", "agent", "language"),
    "social": ("post_id", "network", "author", "text", "posted_at", "url", "customer_id",
               "likes", "shares", "language", "order_id"),
}
# fmt: on


def iso(moment: dt.datetime | None) -> str:
    """``2025-03-04T10:15:00Z``, or empty for no moment."""
    return "" if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _customer_rows(company: Company) -> Iterable[Sequence[object]]:
    for c in company.customers:
        person = c.person
        yield (
            c.customer_id,
            person.name,
            person.email,
            person.phone,
            person.locale.tag,
            c.market.country,
            c.segment,
            iso(c.acquired_at),
            iso(c.churned_at),
            f"{c.acquisition_cost:.2f}",
            c.market.currency,
            c.plan,
            c.city,
            c.channel,
            c.referred_by.customer_id if c.referred_by else "",
            f"{person.first_name} {person.surname}" if person.business else "",
        )


def _order_rows(company: Company) -> Iterable[Sequence[object]]:
    for o in company.orders:
        yield (
            o.order_id,
            o.customer.customer_id,
            iso(o.ordered_at),
            f"{o.amount:.2f}",
            o.customer.market.currency,
            o.status,
            iso(o.promised_at),
            iso(o.delivered_at),
            o.product.name,
            o.product.sku,
            o.quantity,
        )


def _nps_rows(answers: list[Answer]) -> Iterable[Sequence[object]]:
    for a in answers:
        yield (
            a.response_id,
            a.customer.customer_id,
            a.score,
            a.comment,
            iso(a.responded_at),
            a.channel,
            a.language,
            a.touchpoint,
            a.order.order_id if a.order else "",
        )


def _review_rows(reviews: list[Review]) -> Iterable[Sequence[object]]:
    for r in reviews:
        yield (
            r.review_id,
            r.platform,
            r.rating,
            5,
            r.title,
            r.text,
            r.author,
            iso(r.posted_at),
            r.url,
            r.customer.customer_id if r.customer else "",
            r.language,
            r.product,
            r.order.order_id if r.order else "",
            r.place,
        )


def _ticket_rows(tickets: list[Ticket]) -> Iterable[Sequence[object]]:
    for t in tickets:
        yield (
            t.ticket_id,
            t.customer.customer_id,
            iso(t.opened_at),
            iso(t.closed_at),
            t.channel,
            t.subject,
            t.text,
            t.status,
            t.contacts,
            t.order.order_id if t.order else "",
            t.agent,
            t.customer.language,
        )


def _post_rows(posts: list[Post]) -> Iterable[Sequence[object]]:
    for p in posts:
        yield (
            p.post_id,
            p.network,
            p.author,
            p.text,
            iso(p.posted_at),
            p.url,
            p.customer.customer_id if p.customer else "",
            p.likes,
            p.shares,
            p.language,
            p.order.order_id if p.order else "",
        )


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(columns)
        out.writerows(rows)


def write_demo_files(
    directory: Path,
    *,
    customers: int = 2000,
    seed: int = 7,
    today: dt.date | None = None,
) -> dict[str, Path]:
    """Write the demo company as canonical import files; returns {kind: path} for kinds
    "customers", "orders", "nps", "reviews", "tickets", "social" (CSV, UTF-8, header row).

    The history covers the two years up to (not including) ``today`` — by default the current
    UTC date — so nothing is dated in the future except delivery promises of parcels still on
    their way. The same ``seed``, ``customers`` and ``today`` always give byte-identical files.
    Every other kind scales with ``customers``: per customer, about 4.8 orders, 1.5 NPS
    answers, 0.7 reviews, 0.65 tickets and 0.3 social posts. Pure standard library; the default
    2,000 customers take well under a second.
    """
    if customers < 1:
        raise ValueError("customers must be at least 1")
    day = today if today is not None else dt.datetime.now(dt.UTC).date()
    end = dt.datetime.combine(day, dt.time(0, 0), dt.UTC)
    company = build_company(random.Random(f"{seed}:company"), customers, end)
    tickets = open_tickets(random.Random(f"{seed}:tickets"), company)
    answers = collect_answers(random.Random(f"{seed}:nps"), company, tickets)
    reviews = gather_reviews(random.Random(f"{seed}:reviews"), company, tickets)
    posts = gather_posts(random.Random(f"{seed}:social"), company, tickets)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rows: dict[str, Iterable[Sequence[object]]] = {
        "customers": _customer_rows(company),
        "orders": _order_rows(company),
        "nps": _nps_rows(answers),
        "reviews": _review_rows(reviews),
        "tickets": _ticket_rows(tickets),
        "social": _post_rows(posts),
    }
    paths: dict[str, Path] = {}
    for kind, kind_rows in rows.items():
        path = directory / f"{kind}.csv"
        _write_csv(path, COLUMNS[kind], kind_rows)
        paths[kind] = path
    return paths
