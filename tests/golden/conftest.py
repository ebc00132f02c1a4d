"""The published CDNOW data, read straight out of the lifetimes 0.11.3 wheel (never installed).

``make test`` downloads the wheel once into ``.cache/test-data`` (the ``test-data`` target); the
tests that need it skip, saying so, when it is not there.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

TEST_DATA = Path(__file__).resolve().parents[2] / ".cache" / "test-data"
DATASETS = "lifetimes/datasets/"


@pytest.fixture(scope="session")
def lifetimes_wheel() -> Iterator[zipfile.ZipFile]:
    wheels = sorted(TEST_DATA.glob("[Ll]ifetimes-0.11.3-*.whl"))
    if not wheels:
        pytest.skip(
            f"the CDNOW data is missing: run `make test-data` to download it to {TEST_DATA}"
        )
    with zipfile.ZipFile(wheels[0]) as wheel:
        yield wheel


@pytest.fixture(scope="session")
def cdnow_summary(lifetimes_wheel: zipfile.ZipFile) -> pd.DataFrame:
    """The 2,357 customers' frequency, recency and T in weeks, as published (ID index)."""
    with lifetimes_wheel.open(DATASETS + "cdnow_customers_summary.csv") as data:
        return pd.read_csv(data, index_col="ID")


@pytest.fixture(scope="session")
def cdnow_spend(lifetimes_wheel: zipfile.ZipFile) -> pd.DataFrame:
    """The same customers with ``x``, ``t_x``, ``T`` and their mean repeat spend ``zbar``."""
    with lifetimes_wheel.open(DATASETS + "cdnow_customers_summary_with_transactions.csv") as data:
        return pd.read_csv(data, index_col="ID")


@pytest.fixture(scope="session")
def cdnow_transactions(lifetimes_wheel: zipfile.ZipFile) -> pd.DataFrame:
    """The CDNOW 1/10 sample's transactions: customer id, date, CDs bought, dollar amount."""
    with lifetimes_wheel.open(DATASETS + "CDNOW_sample.txt") as data:
        frame = pd.read_csv(
            data,
            sep=r"\s+",
            header=None,
            names=["master_id", "customer", "date", "units", "amount"],
            dtype={"date": str},
        )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame
