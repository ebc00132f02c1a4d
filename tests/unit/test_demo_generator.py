"""The demo company generator writes valid, realistic, deterministic canonical import files."""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from collections import Counter
from pathlib import Path

import pytest

from advocacy.demo import COLUMNS, write_demo_files

TODAY = dt.date(2025, 6, 1)
END = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
KINDS = ("customers", "orders", "nps", "reviews", "tickets", "social")
REQUIRED = {
    "customers": ("customer_id",),
    "orders": ("order_id", "customer_id", "ordered_at", "amount"),
    "nps": ("response_id", "score", "responded_at"),
    "reviews": ("review_id", "platform", "rating", "posted_at"),
    "tickets": ("ticket_id", "opened_at"),
    "social": ("post_id", "network", "text", "posted_at"),
}
CANONICAL = {
    "customers": ("customer_id", "name", "email", "phone", "locale", "country", "segment",
                  "acquired_at", "churned_at", "acquisition_cost"),
    "orders": ("order_id", "customer_id", "ordered_at", "amount", "currency", "status",
               "promised_delivery_at", "delivered_at", "product"),
    "nps": ("response_id", "customer_id", "score", "comment", "responded_at", "channel",
            "language", "touchpoint"),
    "reviews": ("review_id", "platform", "rating", "rating_scale", "title", "text", "author",
                "posted_at", "url", "customer_id", "language", "product"),
    "tickets": ("ticket_id", "customer_id", "opened_at", "closed_at", "channel", "subject",
                "text", "status", "contacts"),
    "social": ("post_id", "network", "author", "text", "posted_at", "url", "customer_id",
               "likes", "shares", "language"),
}  # fmt: skip
DATE_COLUMNS = {
    "customers": ("acquired_at", "churned_at"),
    "orders": ("ordered_at", "promised_delivery_at", "delivered_at"),
    "nps": ("responded_at",),
    "reviews": ("posted_at",),
    "tickets": ("opened_at", "closed_at"),
    "social": ("posted_at",),
}

Rows = dict[str, list[dict[str, str]]]


def read(paths: dict[str, Path]) -> Rows:
    out: Rows = {}
    for kind, path in paths.items():
        with path.open(encoding="utf-8", newline="") as handle:
            out[kind] = list(csv.DictReader(handle))
    return out


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    directory = tmp_path_factory.mktemp("demo300")
    return read(write_demo_files(directory, customers=300, seed=11, today=TODAY))


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    directory = tmp_path_factory.mktemp("demo2000")
    return read(write_demo_files(directory, today=TODAY))


def is_late(order: dict[str, str]) -> bool:
    """Delivered after the promise, or still on its way once the promise has passed."""
    promised = when(order["promised_delivery_at"])
    if order["delivered_at"]:
        return when(order["delivered_at"]) > promised
    return order["status"] == "shipped" and promised < END


def late_orders(rows: Rows) -> set[str]:
    return {order["order_id"] for order in rows["orders"] if is_late(order)}


def test_the_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    first = write_demo_files(tmp_path / "a", customers=120, seed=3, today=TODAY)
    second = write_demo_files(tmp_path / "b", customers=120, seed=3, today=TODAY)
    other = write_demo_files(tmp_path / "c", customers=120, seed=4, today=TODAY)
    assert sorted(first) == sorted(KINDS)
    for kind in KINDS:
        assert first[kind].read_bytes() == second[kind].read_bytes()
    assert first["orders"].read_bytes() != other["orders"].read_bytes()


def test_each_file_starts_with_the_canonical_columns_and_fills_the_required_ones(
    small: Rows,
) -> None:
    for kind in KINDS:
        assert COLUMNS[kind][: len(CANONICAL[kind])] == CANONICAL[kind]
        assert small[kind], kind
        assert tuple(small[kind][0])[: len(CANONICAL[kind])] == CANONICAL[kind]
        for row in small[kind]:
            assert all(row[column].strip() for column in REQUIRED[kind]), (kind, row)


def test_dates_are_iso_8601_utc_within_the_two_years_before_today(small: Rows) -> None:
    start = END - dt.timedelta(days=731)
    for kind, columns in DATE_COLUMNS.items():
        for row in small[kind]:
            for column in columns:
                if row[column]:
                    moment = when(row[column])
                    assert row[column].endswith("Z")
                    assert moment.utcoffset() == dt.timedelta(0)
                    if column != "promised_delivery_at":
                        assert start <= moment < END, (kind, column, row[column])
    for order in small["orders"]:
        # A parcel still on its way may be promised for after today; nothing else is future.
        assert start <= when(order["ordered_at"]) < when(order["promised_delivery_at"])


def test_scores_ratings_and_counts_are_in_range(small: Rows) -> None:
    assert {int(a["score"]) for a in small["nps"]} <= set(range(11))
    assert all(a["score"].isdigit() for a in small["nps"])
    assert {r["rating"] for r in small["reviews"]} <= {"1", "2", "3", "4", "5"}
    assert {r["rating_scale"] for r in small["reviews"]} == {"5"}
    assert all(1 <= int(t["contacts"]) <= 6 for t in small["tickets"])
    assert all(int(p["likes"]) >= 0 and int(p["shares"]) >= 0 for p in small["social"])
    assert all(float(o["amount"]) >= 0 for o in small["orders"])
    assert all(float(c["acquisition_cost"]) >= 0 for c in small["customers"])


def test_choices_are_the_canonical_ones(small: Rows) -> None:
    statuses = {o["status"] for o in small["orders"]}
    assert statuses <= {"placed", "shipped", "delivered", "cancelled", "returned"}
    assert {"delivered", "returned", "cancelled"} <= statuses
    channels = {"email", "web", "link", "sms", "in-app", "phone", "other"}
    assert {a["channel"] for a in small["nps"]} <= channels
    platforms = {r["platform"] for r in small["reviews"]}
    assert platforms == {"trustpilot", "google", "amazon", "tripadvisor"}
    networks = {p["network"] for p in small["social"]}
    assert networks <= {"x", "facebook", "instagram", "reddit", "linkedin"}
    assert {"x", "facebook", "instagram", "reddit"} <= networks
    assert {t["status"] for t in small["tickets"]} <= {"open", "pending", "closed"}
    assert {c["currency"] for c in small["customers"]} <= {
        "EUR", "MXN", "RUB", "RON", "MDL", "GBP", "USD"
    }  # fmt: skip
    assert {c["country"] for c in small["customers"]} == {"ES", "MX", "RU", "RO", "MD", "GB", "US"}


def test_ids_are_unique_per_kind_and_per_platform(small: Rows) -> None:
    for kind, column in (("customers", "customer_id"), ("orders", "order_id"),
                         ("nps", "response_id"), ("tickets", "ticket_id")):  # fmt: skip
        ids = [row[column] for row in small[kind]]
        assert len(ids) == len(set(ids)), kind
    assert small["customers"][0]["customer_id"] == "C00001"
    assert small["orders"][0]["order_id"] == "O000001"
    assert small["nps"][0]["response_id"] == "N000001"
    reviews = Counter((r["platform"], r["review_id"]) for r in small["reviews"])
    posts = Counter((p["network"], p["post_id"]) for p in small["social"])
    assert max(reviews.values()) == 1
    assert max(posts.values()) == 1
    prefixes = {r["platform"]: r["review_id"].split("-")[0] for r in small["reviews"]}
    assert prefixes == {"trustpilot": "TP", "google": "G", "amazon": "AMZ", "tripadvisor": "TA"}


def test_every_referenced_customer_and_order_exists(small: Rows) -> None:
    customers = {c["customer_id"] for c in small["customers"]}
    orders = {o["order_id"]: o for o in small["orders"]}
    for kind in ("orders", "nps", "reviews", "tickets", "social"):
        for row in small[kind]:
            if row["customer_id"]:
                assert row["customer_id"] in customers, (kind, row)
            if kind != "orders" and row.get("order_id"):
                assert orders[row["order_id"]]["customer_id"] == row["customer_id"], (kind, row)
    for customer in small["customers"]:
        assert not customer["referred_by"] or customer["referred_by"] in customers


def test_orders_follow_each_customers_life(small: Rows) -> None:
    customers = {c["customer_id"]: c for c in small["customers"]}
    assert any(c["churned_at"] for c in customers.values())
    for order in small["orders"]:
        customer = customers[order["customer_id"]]
        ordered = when(order["ordered_at"])
        assert ordered > when(customer["acquired_at"])
        if customer["churned_at"]:
            assert ordered < when(customer["churned_at"])
        if order["delivered_at"]:
            assert when(order["delivered_at"]) > ordered
        if order["status"] in ("delivered", "returned"):
            assert order["delivered_at"]
        else:
            assert not order["delivered_at"]
    for customer in customers.values():
        if customer["churned_at"]:
            assert when(customer["churned_at"]) > when(customer["acquired_at"])


def test_customers_have_native_names_and_local_contact_details(small: Rows) -> None:
    locales = Counter(c["locale"] for c in small["customers"])
    assert {"es-ES", "es-MX", "ru-RU", "ro-RO", "ro-MD", "en-GB", "en-US"} <= set(locales)
    prefixes = {"ES": "+34 ", "MX": "+52 ", "RU": "+7 9", "RO": "+40 7", "MD": "+373 ",
                "GB": "+44 7", "US": "+1 ("}  # fmt: skip
    for customer in small["customers"]:
        assert customer["email"].isascii()
        assert customer["email"].count("@") == 1
        if customer["phone"]:
            assert customer["phone"].startswith(prefixes[customer["country"]]), customer
        if customer["locale"] == "ru-RU" and customer["segment"] == "consumer":
            assert all("А" <= ch <= "я" or ch in " Ёё" for ch in customer["name"]), customer
    segments = Counter(c["segment"] for c in small["customers"])
    assert segments["consumer"] > segments["small business"] > segments["enterprise"] > 0


def test_about_a_tenth_of_deliveries_are_late_clustered_by_country_and_month(
    default: Rows,
) -> None:
    shipped = [o for o in default["orders"] if o["status"] in ("delivered", "returned", "shipped")]
    late = late_orders(default)
    assert 0.08 <= len(late) / len(shipped) <= 0.15
    customers = {c["customer_id"]: c["country"] for c in default["customers"]}
    by_month = Counter(
        (customers[o["customer_id"]], o["ordered_at"][:7])
        for o in default["orders"]
        if o["order_id"] in late
    )
    typical = statistics.median(by_month.values())
    assert by_month.most_common(1)[0][1] >= 4 * typical


def test_comments_are_in_four_languages_and_over_90_percent_distinct(small: Rows) -> None:
    comments = [a for a in small["nps"] if a["comment"]]
    assert 0.5 < len(comments) / len(small["nps"]) < 0.95
    languages = Counter(a["language"] for a in comments)
    assert set(languages) == {"en", "es", "ru", "ro"}
    assert min(languages.values()) >= 0.1 * len(comments)
    assert len({a["comment"] for a in comments}) > 0.9 * len(comments)
    romanian = " ".join(a["comment"] for a in comments if a["language"] == "ro")
    assert all(letter in romanian for letter in "ăâîșț")


def test_late_deliveries_lower_the_score(default: Rows) -> None:
    late = late_orders(default)
    after_delivery = [a for a in default["nps"] if a["touchpoint"] == "delivery"]
    late_scores = [int(a["score"]) for a in after_delivery if a["order_id"] in late]
    on_time = [int(a["score"]) for a in after_delivery if a["order_id"] not in late]
    assert len(late_scores) >= 50
    assert statistics.mean(late_scores) < statistics.mean(on_time) - 1.5
    late_comments = [a["comment"] for a in after_delivery if a["order_id"] in late]
    assert sum(1 for c in late_comments if c) > 0.6 * len(late_comments)


def test_reviews_have_authors_links_and_a_few_awkward_rows(small: Rows) -> None:
    reviews = small["reviews"]
    assert all(r["author"] and r["url"].startswith("https://") for r in reviews)
    tied = sum(1 for r in reviews if r["customer_id"])
    assert 0.05 * len(reviews) < tied < 0.5 * len(reviews)
    texts = [r["text"] for r in reviews]
    assert any("<script>" in t for t in texts)
    assert any("<b>" in t for t in texts)
    assert max(len(t) for t in texts) > 2000
    assert all(r["product"] for r in reviews if r["platform"] == "amazon")


def test_the_default_demo_has_the_promised_sizes(default: Rows) -> None:
    sizes = {kind: len(rows) for kind, rows in default.items()}
    assert sizes["customers"] == 2000
    assert 8000 <= sizes["orders"] <= 15000
    assert 2500 <= sizes["nps"] <= 4000
    assert 1000 <= sizes["reviews"] <= 2000
    assert 800 <= sizes["tickets"] <= 1500
    assert 400 <= sizes["social"] <= 800


def test_sizes_scale_with_the_number_of_customers(tmp_path: Path, small: Rows) -> None:
    larger = read(write_demo_files(tmp_path, customers=900, seed=11, today=TODAY))
    for kind in KINDS:
        ratio = len(larger[kind]) / len(small[kind])
        assert 2.0 < ratio < 4.5, (kind, ratio)


def test_today_defaults_to_the_current_utc_date(tmp_path: Path) -> None:
    paths = write_demo_files(tmp_path, customers=60, seed=1)
    now = dt.datetime.now(dt.UTC)
    rows = read(paths)
    latest = max(when(o["ordered_at"]) for o in rows["orders"])
    assert now - dt.timedelta(days=90) < latest < now
