"""rfm_summary on a hand-made transaction log, with every number worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from advocacy.clv import rfm_summary
from advocacy.errors import InvalidInput


@pytest.fixture
def log() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": ["ann", "ann", "ann", "ann", "bob", "cat", "cat", "dan"],
            "when": [
                "2024-01-01 09:00",  # ann's first purchase
                "2024-01-01 17:30",  # same day: merged with the first, values summed
                "2024-01-05",
                "2024-01-11",
                "2024-01-03",  # bob buys once
                "2024-01-02",
                "2024-02-15",  # after the end of observation: left out
                "2024-02-01",  # dan's only purchase is after the end: dan is left out
            ],
            "amount": [10.0, 5.0, 20.0, 40.0, 7.0, 3.0, 99.0, 1.0],
        }
    )


def test_repeat_purchases_recency_age_and_mean_repeat_spend_by_hand(log: pd.DataFrame) -> None:
    summary = rfm_summary(log, "customer", "when", "amount", observation_end="2024-01-31")

    # ann: purchase days 01-01, 01-05, 01-11 → 2 repeats; recency 10 days; T = 30 days;
    #      repeat spend (20 + 40) / 2 = 30 (the first day's 10 + 5 is not a repeat purchase).
    # bob: one purchase on 01-03 → 0 repeats, recency 0, T = 28, monetary 0.
    # cat: 01-02 counts, 02-15 is after the end → like bob, T = 29.
    assert summary.to_dict("index") == {
        "ann": {"frequency": 2.0, "recency": 10.0, "T": 30.0, "monetary_value": 30.0},
        "bob": {"frequency": 0.0, "recency": 0.0, "T": 28.0, "monetary_value": 0.0},
        "cat": {"frequency": 0.0, "recency": 0.0, "T": 29.0, "monetary_value": 0.0},
    }
    assert summary.index.name == "customer"


def test_without_an_end_the_last_transaction_ends_observation(log: pd.DataFrame) -> None:
    summary = rfm_summary(log, "customer", "when")

    # The last transaction is cat's on 02-15: ann's T is 45 days, dan's 14.
    assert summary.loc["ann", "T"] == 45.0
    assert summary.loc["cat"].tolist() == [1.0, 44.0, 44.0]
    assert summary.loc["dan"].tolist() == [0.0, 0.0, 14.0]
    assert "monetary_value" not in summary.columns


def test_weekly_periods_merge_purchases_of_the_same_monday_to_sunday_week(
    log: pd.DataFrame,
) -> None:
    summary = rfm_summary(log, "customer", "when", observation_end="2024-01-31", freq="W")

    # 2024-01-01 is a Monday: ann's 01-01 and 01-05 fall in one week, 01-11 in the next.
    # The end (Wed 01-31) is in the week of Monday 01-29: T = 4 weeks.
    assert summary.loc["ann"].tolist() == [1.0, 1.0, 4.0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"freq": "M"}, "freq"),
        ({"customer_id": "nobody"}, "no column"),
        ({"observation_end": "2023-01-01"}, "no transactions"),
    ],
)
def test_unusable_arguments_are_refused(
    log: pd.DataFrame, change: dict[str, str], message: str
) -> None:
    arguments = {"customer_id": "customer", "datetime": "when", "monetary": "amount"} | change
    with pytest.raises(InvalidInput, match=message):
        rfm_summary(log, **arguments)  # type: ignore[arg-type]


def test_an_empty_log_missing_dates_and_missing_amounts_are_refused(log: pd.DataFrame) -> None:
    with pytest.raises(InvalidInput, match="no transactions"):
        rfm_summary(log.iloc[:0], "customer", "when")
    with pytest.raises(InvalidInput, match="missing"):
        rfm_summary(log.assign(when=[None, *log["when"][1:]]), "customer", "when")
    with pytest.raises(InvalidInput, match="numbers"):
        rfm_summary(
            log.assign(amount=[float("nan"), *log["amount"][1:]]), "customer", "when", "amount"
        )
    with pytest.raises(InvalidInput, match="dates"):
        rfm_summary(log.assign(when="soon"), "customer", "when")
