"""A public survey answer is counted into the dashboard's facts as it arrives, under the key
its row would get from a rebuild: computed in Python, not read back — on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from advocacy import open_catalogue
from advocacy.config import load_settings
from advocacy.services import answers, surveys
from advocacy.services.facts import new_item_key, refresh_facts
from advocacy.store.engine import build_engine
from advocacy.store.tables import FeedbackMonthly
from tests import factories

SETTINGS = load_settings(dashboard_cache_seconds="0")
KEYS = ["month", "kind", "platform", "channel", "segment", "country", "category", "sentiment"]


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Iterator[Engine]:
    catalogue = open_catalogue(database_url)
    for kind, rows in (("customers", factories.customers(4)), ("nps", factories.nps_answers())):
        catalogue.import_file(kind, factories.write_csv(tmp_path / f"{kind}.csv", rows))
    catalogue.close()
    built = build_engine(database_url)
    refresh_facts(built)
    surveys.create_survey(built, now=dt.datetime(2026, 1, 1), key="site", name="Website")
    yield built
    built.dispose()


def facts(engine: Engine) -> Counter[tuple[object, ...]]:
    """The facts as counts by key (rows counted down to nothing left out)."""
    table = FeedbackMonthly.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(table)).all()
    found: Counter[tuple[object, ...]] = Counter()
    for row in rows:
        found[(*(getattr(row, name) for name in KEYS), bool(row.pending))] += int(row.items)
    return +found


def answer(engine: Engine, when: dt.datetime, response_id: str, **values: object) -> bool:
    return answers.answer_public(
        engine, SETTINGS, "site", now=when, response_id=response_id, **values
    ).created


def test_answers_counted_as_they_arrive_leave_the_facts_a_rebuild_makes(engine: Engine) -> None:
    months = [dt.datetime(2026, 2, 28, 23, 59, 59), dt.datetime(2026, 3, 1, 0, 0, 0)]
    for score in range(11):
        for number, when in enumerate(months):
            channel = "widget" if score % 2 else "link"
            comment = "Fine" if number else None
            answer(engine, when, f"r{score:02d}-{number}" + "x" * 16, score=score, channel=channel)
            answer(engine, when, f"r{score:02d}-{number}" + "y" * 16, score=score, comment=comment)
    # Answering again with a response id changes the one item: its old key is counted out.
    answer(engine, months[0], "r03-0" + "x" * 16, score=10, comment="Changed my mind")
    answer(engine, months[1], "r09-1" + "y" * 16, score=0)

    counted = facts(engine)
    refresh_facts(engine)

    assert counted == facts(engine)


@pytest.mark.parametrize("score", range(11))
def test_the_key_of_a_new_answer_is_the_one_its_row_has_after_a_rebuild(
    engine: Engine, score: int
) -> None:
    when = dt.datetime(2026, 7, 15, 12, 30)
    before = facts(engine)

    assert answer(engine, when, "z" * 20, score=score, language="ru", channel="widget")

    key = new_item_key(
        occurred_at=when, kind="nps", platform="", channel="web", rating=float(score)
    )
    added = facts(engine) - before
    assert added == Counter({(*(key[name] for name in KEYS), True): 1})
    refresh_facts(engine)
    assert facts(engine) - before == added
