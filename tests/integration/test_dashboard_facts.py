"""The dashboard's monthly facts count exactly what counting the items gives, and are rebuilt
whenever the catalogue changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from advocacy import open_catalogue
from advocacy.cli.analysis import run_analysis
from advocacy.services import dashboard as board
from advocacy.services.facts import facts_are_current, refresh_facts
from advocacy.store.engine import build_engine
from tests import factories

FILTERS = [
    board.DashboardFilter(),
    board.DashboardFilter(country="ES"),
    board.DashboardFilter(segment="consumer"),
    board.DashboardFilter(channel="email"),
    board.DashboardFilter(platform="trustpilot"),
    board.DashboardFilter(since=dt.date(2025, 3, 1), until=dt.date(2025, 3, 31)),
    board.DashboardFilter(since=dt.date(2025, 4, 1)),
    board.DashboardFilter(until=dt.date(2025, 2, 28), country="RU"),
]


@pytest.fixture
def engine(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    catalogue = open_catalogue(database_url)
    for kind, rows in (
        ("customers", factories.customers(4)),
        ("orders", factories.orders()),
        ("nps", factories.nps_answers()),
        ("reviews", factories.reviews()),
        ("tickets", factories.tickets()),
        ("social", factories.social_posts()),
    ):
        catalogue.import_file(kind, factories.write_csv(tmp_path / f"{kind}.csv", rows))
    catalogue.close()
    engine = build_engine(database_url)
    run_analysis(engine, mode="fast")
    yield engine
    engine.dispose()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.as_dict()))
def test_the_facts_count_what_the_items_count(engine, filters: board.DashboardFilter) -> None:  # type: ignore[no-untyped-def]
    refresh_facts(engine)

    assert board.nps_section(engine, filters, facts=True) == board.nps_section(engine, filters)
    assert board.volume_section(engine, filters, facts=True) == board.volume_section(
        engine, filters
    )
    assert board._themes(engine, filters, facts=True) == board._themes(engine, filters)


def test_an_import_makes_the_facts_stale_and_the_dashboard_rebuilds_them(  # type: ignore[no-untyped-def]
    engine, database_url: str, tmp_path: Path
) -> None:
    refresh_facts(engine)
    assert facts_are_current(engine)
    before = board.dashboard(engine, board.DashboardFilter())["nps"]["answers"]
    catalogue = open_catalogue(database_url)
    catalogue.import_file(
        "nps",
        factories.write_csv(
            tmp_path / "more.csv",
            [{"response_id": "N9", "score": 10, "responded_at": "2025-05-01"}],
        ),
    )
    catalogue.close()

    assert not facts_are_current(engine)
    after = board.dashboard(engine, board.DashboardFilter())

    assert after["counted_from"] == "monthly facts"
    assert after["nps"]["answers"] == before + 1
    assert facts_are_current(engine)


def test_reimporting_the_same_file_leaves_the_facts_current(  # type: ignore[no-untyped-def]
    engine, database_url: str, tmp_path: Path
) -> None:
    refresh_facts(engine)
    catalogue = open_catalogue(database_url)

    catalogue.import_file("nps", factories.write_csv(tmp_path / "nps.csv", factories.nps_answers()))
    catalogue.close()

    assert facts_are_current(engine)


def test_a_date_range_inside_a_month_is_counted_from_the_items(engine) -> None:  # type: ignore[no-untyped-def]
    filters = board.DashboardFilter(since=dt.date(2025, 3, 11), until=dt.date(2025, 3, 31))

    document = board.dashboard(engine, filters)

    assert document["counted_from"] == "items"
    assert document["nps"]["answers"] == 2  # answers of 11 and 12 March


@pytest.mark.parametrize("filters", FILTERS[:4], ids=lambda f: str(f.as_dict()))
def test_analysing_items_after_the_facts_were_built_keeps_them_current_and_exact(  # type: ignore[no-untyped-def]
    database_url: str, tmp_path: Path, filters: board.DashboardFilter
) -> None:
    catalogue = open_catalogue(database_url)
    for kind, rows in (
        ("customers", factories.customers(4)),
        ("nps", factories.nps_answers()),
        ("reviews", factories.reviews()),
    ):
        catalogue.import_file(kind, factories.write_csv(tmp_path / f"{kind}.csv", rows))
    catalogue.close()
    engine = build_engine(database_url)
    refresh_facts(engine)
    pending = board.volume_section(engine, filters, facts=True)

    run_analysis(engine, mode="fast")

    assert facts_are_current(engine)
    assert board.volume_section(engine, filters, facts=True) == board.volume_section(
        engine, filters
    )
    assert board.volume_section(engine, filters, facts=True) != pending
    assert board._themes(engine, filters, facts=True) == board._themes(engine, filters)
    engine.dispose()


def test_analysing_items_again_with_the_same_result_writes_nothing_to_the_facts(  # type: ignore[no-untyped-def]
    engine,
) -> None:
    from sqlalchemy import event

    from advocacy.services.analysis import analyse_feedback
    from advocacy.text.pipeline import Analyzer

    writes: list[str] = []

    def seen(conn, cursor, statement: str, *args) -> None:  # type: ignore[no-untyped-def]
        lowered = statement.lower()
        if lowered.startswith(("update", "insert")) and "monthly" in lowered:
            writes.append(statement)

    before = board.volume_section(engine, board.DashboardFilter(), facts=True)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        summary = analyse_feedback(engine, Analyzer("fast"), reanalyze=True)
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    assert summary.analysed > 0
    assert writes == []
    assert board.volume_section(engine, board.DashboardFilter(), facts=True) == before
