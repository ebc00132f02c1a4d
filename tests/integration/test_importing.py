"""Importing the six canonical formats into the catalogue, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from advocacy import Catalogue
from tests import factories


@pytest.fixture
def people(catalogue: Catalogue, tmp_path: Path) -> Catalogue:
    catalogue.import_file(
        "customers", factories.write_csv(tmp_path / "c.csv", factories.customers())
    )
    return catalogue


@pytest.mark.parametrize("extension", ["csv", "jsonl", "xlsx", "parquet"])
def test_every_file_format_imports_the_same_customers(
    catalogue: Catalogue, tmp_path: Path, extension: str
) -> None:
    path = factories.write_rows(tmp_path / f"customers.{extension}", factories.customers())

    report = catalogue.import_file("customers", path)

    assert (report.imported, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 0)
    frame = catalogue.customers().set_index("customer_id")
    assert frame.loc["C2", "name"] == "Иван Петров"
    assert frame.loc["C1", "country"] == "ES"
    assert frame.loc["C1", "acquired_at"] == dt.datetime(2024, 1, 15)
    assert frame.loc["C3", "acquisition_cost"] == 1000


def test_reimporting_the_same_file_changes_nothing_and_says_so(
    people: Catalogue, tmp_path: Path
) -> None:
    path = factories.write_csv(tmp_path / "customers.csv", factories.customers())

    report = people.import_file("customers", path)

    assert report.status == "unchanged"
    assert (report.imported, report.updated, report.unchanged) == (0, 0, 3)
    assert len(people.customers()) == 3


def test_a_row_whose_id_was_imported_before_updates_that_record(
    people: Catalogue, tmp_path: Path
) -> None:
    rows = factories.customers()
    rows[0]["segment"] = "enterprise"
    report = people.import_file("customers", factories.write_csv(tmp_path / "again.csv", rows))

    assert (report.imported, report.updated, report.unchanged) == (0, 1, 2)
    assert people.customers().set_index("customer_id").loc["C1", "segment"] == "enterprise"


def test_columns_missing_from_a_file_leave_stored_values_alone(
    people: Catalogue, tmp_path: Path
) -> None:
    path = factories.write_csv(tmp_path / "segments.csv", [{"customer_id": "C2", "segment": "vip"}])

    people.import_file("customers", path)

    stored = people.customers().set_index("customer_id").loc["C2"]
    assert stored["segment"] == "vip"
    assert stored["name"] == "Иван Петров"


def test_unknown_columns_are_kept_as_attributes_and_merged_on_update(
    people: Catalogue, tmp_path: Path
) -> None:
    people.import_file(
        "customers",
        factories.write_csv(tmp_path / "a.csv", [{"customer_id": "C1", "plan": "gold"}]),
    )
    people.import_file(
        "customers",
        factories.write_csv(tmp_path / "b.csv", [{"customer_id": "C1", "region": "north"}]),
    )

    attributes = people.customers().set_index("customer_id").loc["C1", "attributes"]
    assert attributes == {"plan": "gold", "region": "north"}


def test_orders_keep_promised_and_actual_delivery_in_utc(people: Catalogue, tmp_path: Path) -> None:
    people.import_file("orders", factories.write_csv(tmp_path / "orders.csv", factories.orders()))

    orders = people.orders().set_index("order_id")
    assert orders.loc["O1", "delivered_at"] == dt.datetime(2025, 3, 9, 11, 0)
    assert orders.loc["O1", "promised_delivery_at"] == dt.datetime(2025, 3, 4)
    assert orders.loc["O2", "currency"] == "RUB"
    assert orders.loc["O1", "customer_id"] == "C1"


def test_reviews_keep_raw_and_normalised_ratings_with_ids_unique_per_platform(
    people: Catalogue, tmp_path: Path
) -> None:
    report = people.import_file(
        "reviews", factories.write_csv(tmp_path / "r.csv", factories.reviews())
    )

    assert report.imported == 2  # the same id R1 on two platforms is two reviews
    items = people.feedback(kind="reviews").set_index("platform")
    assert items.loc["trustpilot", "rating"] == 1
    assert items.loc["trustpilot", "rating_normalized"] == pytest.approx(0.2)
    assert items.loc["google", "rating_normalized"] == pytest.approx(0.9)
    assert items.loc["trustpilot", "customer_id"] == "C1"


def test_review_text_is_stored_exactly_as_written_even_with_markup(
    people: Catalogue, tmp_path: Path
) -> None:
    people.import_file("reviews", factories.write_csv(tmp_path / "r.csv", factories.reviews()))

    text = people.feedback(platform="trustpilot").iloc[0]["text"]
    assert text == "<script>alert('x')</script> Late and broken."


def test_nps_answers_are_scored_on_a_scale_of_ten(people: Catalogue, tmp_path: Path) -> None:
    people.import_file(
        "nps", factories.write_jsonl(tmp_path / "nps.jsonl", factories.nps_answers())
    )

    answers = people.feedback(kind="nps").set_index("item_id")
    assert answers.loc["N1", "rating"] == 3
    assert answers.loc["N1", "rating_scale"] == 10
    assert answers.loc["N2", "occurred_at"] == dt.datetime(2025, 3, 11, 5, 30)
    assert pd.isna(answers.loc["N3", "customer_id"])


def test_tickets_and_social_posts_join_the_same_catalogue(
    people: Catalogue, tmp_path: Path
) -> None:
    people.import_file("tickets", factories.write_csv(tmp_path / "t.csv", factories.tickets()))
    people.import_file("social", factories.write_csv(tmp_path / "s.csv", factories.social_posts()))

    counts = people.counts()
    assert counts["ticket"] == 1
    assert counts["social"] == 1
    post = people.feedback(kind="social").iloc[0]
    assert (post["platform"], post["likes"]) == ("x", 12)
    assert people.feedback(kind="tickets").iloc[0]["title"] == "¿Dónde está mi pedido?"


def test_feedback_imported_before_its_customer_is_linked_when_the_customer_arrives(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    catalogue.import_file("nps", factories.write_csv(tmp_path / "nps.csv", factories.nps_answers()))
    report = catalogue.import_file(
        "customers", factories.write_csv(tmp_path / "c.csv", factories.customers())
    )

    assert report.linked == 2
    profile = catalogue.customer("C1")
    assert [item["item_id"] for item in profile["feedback"]] == ["N1"]


def test_the_customer_view_gathers_profile_orders_and_feedback(
    people: Catalogue, tmp_path: Path
) -> None:
    people.import_file("orders", factories.write_csv(tmp_path / "o.csv", factories.orders()))
    people.import_file("nps", factories.write_csv(tmp_path / "n.csv", factories.nps_answers()))
    people.import_file("reviews", factories.write_csv(tmp_path / "r.csv", factories.reviews()))

    profile = people.customer("C1")

    assert profile["name"] == "Ana López"
    assert profile["summary"] == {
        "orders": 1,
        "revenue": 120.5,
        "late_deliveries": 1,
        "feedback_items": 2,
        "last_nps": 3,
    }


def test_feedback_filters_by_kind_platform_date_customer_rating_and_words(
    people: Catalogue, tmp_path: Path
) -> None:
    people.import_file("nps", factories.write_csv(tmp_path / "n.csv", factories.nps_answers()))
    people.import_file("reviews", factories.write_csv(tmp_path / "r.csv", factories.reviews()))

    assert set(people.feedback(max_rating=6, kind="nps")["item_id"]) == {"N1"}
    assert set(people.feedback(platform="google")["item_id"]) == {"R1"}
    assert len(people.feedback(since=dt.datetime(2025, 3, 15))) == 2
    assert set(people.feedback(customer_id="C1")["item_id"]) == {"N1", "R1"}
    assert set(people.feedback(search="TARDE")["item_id"]) == {"N1"}
    assert set(people.feedback(search="100%")["item_id"]) == set()
    assert len(people.feedback(limit=1)) == 1


def test_every_import_is_recorded_with_its_counts(people: Catalogue, tmp_path: Path) -> None:
    from advocacy.store.queries import import_history

    history = import_history(people.engine)

    assert history.iloc[0]["kind"] == "customers"
    assert history.iloc[0]["imported"] == 3
