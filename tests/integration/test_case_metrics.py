"""The closing-the-loop metrics on cases with known times, checked against numbers worked out by
hand below (and the Wilson interval against its published example) — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from advocacy import open_catalogue
from advocacy.config import load_settings
from advocacy.services import answers, invitations, resurveys, surveys
from advocacy.services import cases as casework
from advocacy.services.case_metrics import CaseFacts, case_metrics, summarise
from advocacy.store.engine import build_engine
from advocacy.store.tables import Case
from tests import factories

T0 = dt.datetime(2026, 11, 1, 9, 0)


def _at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


@pytest.fixture
def engine(database_url: str) -> Engine:
    return build_engine(database_url)


def _crafted(engine: Engine) -> None:
    """Five cases opened at T0 and one a month before:

    ====  ======  ================  ========  ==============  ============  ========================
    case  team    rule              priority  first response  resolved      at T0 + 48 h
    ====  ======  ================  ========  ==============  ============  ========================
    1     Spain   detractor answer  high      + 1 h (note)    + 10 h        on time (due + 24 h)
    2     Spain   detractor answer  high      + 3 h (note)    + 30 h        late
    3     Spain   detractor answer  high      + 5 h (note)    —             open, past due
    4     Export  (by hand)         normal    + 2 h (status)  + 2 h         on time (due + 72 h)
    5     —       (by hand)         low       —               —             open, due at + 168 h
    6     Spain   (by hand)         normal    T0 − 30 d + 1 h resolved then  (before ``since``)
    ====  ======  ================  ========  ==============  ============  ========================
    """

    def case(team: str | None, rule: str | None, priority: str, at: dt.datetime = T0) -> int:
        return casework.open_case(engine, now=at, title="Crafted", team=team, rule=rule,
                                  priority=priority)  # fmt: skip

    first = case("Spain", "detractor answer", "high")
    second = case("Spain", "detractor answer", "high")
    third = case("Spain", "detractor answer", "high")
    fourth = case("Export", None, "normal")
    case(None, None, "low")
    old = case("Spain", None, "normal", T0 - dt.timedelta(days=30))
    for case_id, note_at in ((first, 1), (second, 3), (third, 5)):
        casework.add_note(engine, case_id, "Called", now=_at(note_at), actor="a")
    casework.change_status(engine, first, "resolved", now=_at(10), actor="a")
    casework.change_status(engine, second, "resolved", now=_at(30), actor="a")
    casework.change_status(engine, fourth, "resolved", now=_at(2), actor="a")
    casework.change_status(engine, old, "resolved", now=T0 - dt.timedelta(days=30, hours=-1),
                           actor="a")  # fmt: skip


def test_times_counts_and_sla_overall_per_team_and_per_rule_match_the_hand_computed_ones(
    engine: Engine,
) -> None:
    _crafted(engine)

    found = case_metrics(engine, now=_at(48), since=T0 - dt.timedelta(days=1))

    overall = found["overall"]
    assert (overall["opened"], overall["resolved"], overall["open"], overall["overdue"]) == (
        5, 3, 2, 1,
    )  # fmt: skip
    # First responses 1, 2, 3, 5 h: median (2 + 3) / 2 = 2.5; p90 at rank 0.9 × 3 = 2.7,
    # 3 + 0.7 × (5 − 3) = 4.4.
    assert overall["first_response_hours"] == {"cases": 4, "median": 2.5, "p90": 4.4}
    # Resolutions 2, 10, 30 h: median 10; p90 at rank 1.8, 10 + 0.8 × 20 = 26.
    assert overall["resolution_hours"] == {"cases": 3, "median": 10.0, "p90": 26.0}
    # On time: cases 1 and 4; judged: the 3 resolved and case 3, open past due.
    # Wilson, 2 of 4 at 95 % (z = 1.959964, z² = 3.841459): centre (2 + 1.920729) / 7.841459
    # = 0.5, half-width 1.959964 / 7.841459 × √(1 + 0.960365) = 0.249949 × 1.400130 = 0.349961.
    sla = overall["sla"]
    assert (sla["met"], sla["judged"], sla["rate"]) == (2, 4, 0.5)
    assert sla["low"] == pytest.approx(0.150039, abs=1e-6)
    assert sla["high"] == pytest.approx(0.849961, abs=1e-6)

    assert set(found["teams"]) == {"Spain", "Export", "unassigned"}
    spain = found["teams"]["Spain"]
    assert (spain["opened"], spain["resolved"], spain["open"], spain["overdue"]) == (3, 2, 1, 1)
    # 1, 3, 5 h: median 3, p90 at rank 1.8 = 3 + 0.8 × 2 = 4.6; 10, 30 h: median 20,
    # p90 at rank 0.9 = 10 + 0.9 × 20 = 28.
    assert spain["first_response_hours"] == {"cases": 3, "median": 3.0, "p90": 4.6}
    assert spain["resolution_hours"] == {"cases": 2, "median": 20.0, "p90": 28.0}
    assert (spain["sla"]["met"], spain["sla"]["judged"]) == (1, 3)
    assert spain["sla"]["rate"] == pytest.approx(1 / 3, abs=1e-6)
    assert found["teams"]["Export"]["sla"]["rate"] == 1.0
    unassigned = found["teams"]["unassigned"]
    assert unassigned["first_response_hours"] == {"cases": 0, "median": None, "p90": None}
    assert unassigned["sla"] == {"met": 0, "judged": 0, "rate": None, "low": None, "high": None}
    assert found["rules"]["detractor answer"] == spain
    assert (found["rules"]["manual"]["opened"], found["rules"]["manual"]["resolved"]) == (2, 1)

    everything = case_metrics(engine, now=_at(48))
    assert everything["overall"]["opened"] == 6
    assert everything["teams"]["Spain"]["opened"] == 4
    engine.dispose()


def test_an_empty_catalogue_has_metrics_of_nothing(engine: Engine) -> None:
    found = case_metrics(engine, now=T0)

    assert found["overall"]["opened"] == 0
    assert found["overall"]["sla"]["rate"] is None
    assert found["overall"]["resurvey"]["before"] is None
    assert found["teams"] == {}
    assert found["rules"] == {}
    engine.dispose()


def test_the_sla_interval_is_wilsons_published_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17, 857–872, worked example: 81 of 263, Wilson score
    # interval 0.2553 to 0.3662.
    opened = T0
    met = CaseFacts(None, None, "resolved", opened, _at(24), None, _at(1))
    late = CaseFacts(None, None, "resolved", opened, _at(24), None, _at(25))

    sla = summarise([met] * 81 + [late] * 182, now=_at(100))["sla"]

    assert (sla["met"], sla["judged"]) == (81, 263)
    assert (round(sla["low"], 4), round(sla["high"], 4)) == (0.2553, 0.3662)


def test_re_surveys_show_how_far_detractors_moved(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    catalogue = open_catalogue(database_url)
    rows = [("A1", "C1", 2), ("A2", "C2", 5), ("A3", "C2", 3), ("A4", "C3", 6), ("A5", "C4", 0)]
    try:
        catalogue.import_file("customers", factories.write_csv(tmp_path / "c.csv",
                                                               factories.customers(4)))  # fmt: skip
        catalogue.import_file("nps", factories.write_csv(tmp_path / "n.csv", [
            {"response_id": rid, "customer_id": who, "score": score,
             "responded_at": (T0 - dt.timedelta(hours=1)).isoformat()}
            for rid, who, score in rows
        ]))  # fmt: skip
    finally:
        catalogue.close()
    settings = load_settings(database_url=database_url, base_url="http://testserver")
    surveys.create_survey(engine, now=T0, key="after-case", name="After your case")
    casework.run_rules(engine, now=T0)
    with engine.connect() as connection:
        ids = dict(
            connection.execute(select(Case.customer_id, Case.id).order_by(Case.customer_id)).all()
        )
    later = _at(30)
    after = {1: 8, 2: 10, 3: 4}  # C4 does not answer
    for customer_id, case_id in ids.items():
        casework.change_status(engine, case_id, "resolved", now=_at(20), actor="a")
        invitation_id = resurveys.resurvey(engine, settings, case_id, survey_key="after-case",
                                           now=later, actor="a")  # fmt: skip
        if customer_id in after:
            link = invitations.get_invitation(engine, settings, invitation_id).links.url
            answers.answer_link(engine, settings, link.rsplit("/", 1)[1], now=later,
                                score=after[customer_id])  # fmt: skip

    moved = case_metrics(engine, now=_at(40))["overall"]["resurvey"]

    # Before: C1 2; C2 (5 + 3) / 2 = 4; C3 6 — mean 4. After: 8, 10, 4 — mean 22 / 3.
    # Changes +6, +6, −2: mean 10 / 3. C1 became a passive, C2 a promoter, C3 stayed.
    assert moved == {
        "sent": 4, "answered": 3, "compared": 3, "before": 4.0, "after": 7.3333,
        "mean_change": 3.3333, "detractors": 3, "detractors_to_passive": 1,
        "detractors_to_promoter": 1,
    }  # fmt: skip
    # The re-survey answer of 4 is a new detractor answer, but not a "before" of its old case.
    casework.run_rules(engine, now=_at(41))
    assert case_metrics(engine, now=_at(41))["overall"]["resurvey"]["before"] == 4.0
    engine.dispose()
