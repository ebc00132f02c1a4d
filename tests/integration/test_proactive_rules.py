"""Proactive rules open a case before the customer complains — late deliveries with the value
at risk computed as documented, repeated contacts, sentiment turning negative, a significant
NPS drop — on real imports, on SQLite and PostgreSQL; rules are settings and plugins; new cases
find their owner by the assignment rules."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import Engine, update

from advocacy import open_catalogue
from advocacy.errors import InvalidInput, NotFound
from advocacy.services import case_rules
from advocacy.services import cases as casework
from advocacy.services.value import customer_values
from advocacy.store.engine import build_engine
from advocacy.store.tables import FeedbackItem
from tests import factories
from tests.e2e.test_cli import run

NOW = dt.datetime(2026, 11, 23, 12, 0)


def _import(url: str, folder: Path, kind: str, rows: list[dict[str, Any]], name: str = "") -> None:
    catalogue = open_catalogue(url)
    try:
        path = folder / f"{kind}{name}-{len(rows)}.csv"
        catalogue.import_file(kind, factories.write_csv(path, rows))
    finally:
        catalogue.close()


def _order(order: str, customer: str, amount: str, ordered: str, promised: str | None,
           delivered: str | None, status: str = "delivered") -> dict[str, Any]:  # fmt: skip
    return {
        "order_id": order, "customer_id": customer, "ordered_at": ordered, "amount": amount,
        "currency": "EUR", "status": status, "promised_delivery_at": promised,
        "delivered_at": delivered, "product": "Espresso machine",
    }  # fmt: skip


ORDERS = [
    _order("P1", "C1", "1500", "2025-06-01", "2025-06-05", "2025-06-04"),  # on time, long ago
    _order("L1", "C1", "500", "2026-11-01", "2026-11-05", "2026-11-12"),  # 7 days late
    _order("N1", "C2", "200", "2026-11-10", "2026-11-18", None, "shipped"),  # still not there
    _order("T1", "C3", "80", "2026-11-10", "2026-11-15", "2026-11-14"),  # early
    _order("S1", "C3", "90", "2026-11-12", "2026-11-20", "2026-11-20T15:00:00"),  # on the day
    _order("X1", "C4", "300", "2026-11-01", "2026-11-10", None, "cancelled"),
    _order("O1", "C3", "60", "2026-08-20", "2026-09-01", "2026-09-10"),  # late, long ago
]


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Engine:
    _import(database_url, tmp_path, "customers", factories.customers(4))
    _import(database_url, tmp_path, "orders", ORDERS)
    return build_engine(database_url)


def _proactive(engine: Engine) -> dict[str, dict[str, Any]]:
    found = casework.list_cases(engine, now=NOW, type="proactive", status="active")
    return {casework.get_case(engine, c["id"], now=NOW)["details"].get("order", c["title"]):
            casework.get_case(engine, c["id"], now=NOW) for c in found}  # fmt: skip


def test_a_late_delivery_opens_a_proactive_case_with_the_value_at_risk_as_documented(
    engine: Engine,
) -> None:
    report = casework.run_rules(engine, now=NOW)

    assert report.proactive == 2
    found = _proactive(engine)
    assert set(found) == {"L1", "N1"}
    late = found["L1"]
    assert (late["type"], late["rule"], late["customer_id"]) == ("proactive", "late_delivery", "C1")
    assert late["details"]["delay_days"] == 7.0
    assert late["details"]["delivered"] is True
    assert late["details"]["order_value"] == 500.0
    assert late["priority"] == "high"  # a week late
    # The documented value at risk, by hand: C1 brought 1,500 + 500 EUR since 15 January 2024,
    # a yearly revenue of 2,000 ÷ tenure; a customer is expected to stay the company's
    # expected lifespan (1 ÷ annual churn, as advocacy clv and advocacy churn compute it).
    tenure = (NOW - dt.datetime(2024, 1, 15)).total_seconds() / 86_400 / 365.25
    lifespan = customer_values(engine, as_of=NOW).lifespan_years
    expected_lost = 2000 / tenure * lifespan
    assert late["details"]["yearly_revenue"] == pytest.approx(2000 / tenure, abs=0.01)
    assert late["details"]["expected_clv_lost"] == pytest.approx(expected_lost, abs=0.02)
    assert late["value_at_risk"] == pytest.approx(500 + expected_lost, abs=0.02)
    assert late["currency"] == "EUR"
    assert "order value 500.00" in late["details"]["explanation"]
    missing = found["N1"]
    assert missing["details"]["delivered"] is False
    assert missing["details"]["delay_days"] == 5.5  # promised the 18th, now the 23rd at noon
    assert missing["priority"] == "high"
    assert missing["title"].startswith("Not delivered: order N1 for Иван Петров")
    engine.dispose()


def test_re_importing_the_orders_and_running_the_rules_again_opens_nothing_new(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    casework.run_rules(engine, now=NOW)
    delivered_now = [
        {**row, "delivered_at": "2026-11-23T10:00:00"} if row["order_id"] == "N1" else row
        for row in ORDERS
    ]
    _import(database_url, tmp_path, "orders", delivered_now, name="again")

    again = casework.run_rules(engine, now=NOW)
    later = casework.run_rules(engine, now=NOW + dt.timedelta(days=1))

    assert (again.opened, again.proactive, later.opened) == (0, 0, 0)
    assert len(casework.list_cases(engine, now=NOW, type="proactive", status="active")) == 2
    engine.dispose()


def test_the_value_summary_puts_the_largest_value_at_risk_first_with_totals(
    engine: Engine,
) -> None:
    casework.run_rules(engine, now=NOW)

    summary = case_rules.value_summary(engine, now=NOW)
    by_delay = case_rules.value_summary(engine, now=NOW, sort="delay_days")

    assert [case["order"] for case in summary["cases"]] == ["L1", "N1"]
    assert [case["order"] for case in by_delay["cases"]] == ["L1", "N1"]
    [total] = summary["totals"]
    assert total["currency"] == "EUR"
    assert total["cases"] == 2
    assert total["value_at_risk"] == pytest.approx(
        sum(case["value_at_risk"] for case in summary["cases"]), abs=0.01
    )
    assert "value_at_risk" in summary["definitions"]
    with pytest.raises(InvalidInput, match="sort by one of"):
        case_rules.value_summary(engine, now=NOW, sort="name; drop table cases")
    engine.dispose()


def test_a_rule_turned_off_or_given_more_grace_opens_nothing(engine: Engine) -> None:
    case_rules.set_rule(engine, "late_delivery", now=NOW, actor="lead@example.com",
                        params={"grace_days": "5"})  # fmt: skip
    casework.run_rules(engine, now=NOW)
    assert set(_proactive(engine)) == {"L1"}  # 7 days late: past the promised day + 5 days of grace

    case_rules.set_rule(engine, "late_delivery", now=NOW, actor="lead@example.com", enabled=False)
    overview = {rule["name"]: rule for rule in case_rules.rules_overview(engine)}
    assert overview["late_delivery"]["enabled"] is False
    assert overview["late_delivery"]["params"]["grace_days"] == 5.0
    assert overview["late_delivery"]["updated_by"] == "lead@example.com"
    assert overview["detractor"]["enabled"] is True  # untouched rules run with their defaults
    engine.dispose()


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("late_delivery", {"grace": 1}, "has no parameter 'grace'"),
        ("late_delivery", {"grace_days": "two"}, "a number"),
        ("late_delivery", {"grace_days": "nan"}, "a number"),
        ("late_delivery", {"window_days": 1.5}, "a number"),
        ("late_delivery", {"grace_days": 10_000}, "from 0 to 60"),
        ("nps_drop", {"dimensions": "country,<script>"}, "some of"),
        ("repeated_contacts", {"min_contacts": "9" * 5000}, "a number"),
        ("repeated_contacts", {"min_contacts": 1}, "from 2 to 100"),
    ],
)
def test_bad_rule_settings_are_refused_with_a_clear_error_and_change_nothing(
    engine: Engine, name: str, params: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        case_rules.set_rule(engine, name, now=NOW, actor="lead@example.com", params=params)
    with pytest.raises(NotFound, match="no rule 'no_such_rule'"):
        case_rules.set_rule(engine, "no_such_rule", now=NOW, actor="lead@example.com")

    rule = next(r for r in case_rules.rules_overview(engine) if r["name"] == name)
    assert rule["params"] == rule["defaults"]
    engine.dispose()


def _ticket(ticket: str, customer: str, days_ago: float, text: str) -> dict[str, Any]:
    return {
        "ticket_id": ticket, "customer_id": customer,
        "opened_at": (NOW - dt.timedelta(days=days_ago)).isoformat(), "closed_at": None,
        "channel": "email", "subject": "Pedido", "text": text, "status": "open", "contacts": 1,
    }  # fmt: skip


def test_three_contacts_about_the_same_problem_open_one_proactive_case_and_a_fourth_joins_it(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    _import(database_url, tmp_path, "tickets", [
        _ticket("T1", "C3", 10, "Unde este comanda mea?"),
        _ticket("T2", "C3", 6, "Încă aștept comanda."),
        _ticket("T3", "C3", 2, "A treia oară când scriu."),
        _ticket("T4", "C4", 1, "Where is my parcel?"),
        _ticket("T0", "C3", 40, "Old question"),  # outside the 14 days
    ])  # fmt: skip

    casework.run_rules(engine, now=NOW)
    _import(database_url, tmp_path, "tickets", [_ticket("T5", "C3", 0.5, "Și acum?")], "more")
    report = casework.run_rules(engine, now=NOW)

    [case] = list(casework.list_cases(engine, now=NOW, rule="repeated_contacts"))
    assert (case["customer_id"], case["type"], case["priority"]) == ("C3", "proactive", "high")
    assert len(case["source_item_ids"]) == 4
    assert report.joined == 1
    assert case["language"] == "ro"
    assert case_rules.value_summary(engine, now=NOW)["total_cases"] == 3  # with the deliveries
    engine.dispose()


def _set_sentiment(engine: Engine, labels: dict[str, str]) -> None:
    """What text analysis writes on each item (its accuracy is measured elsewhere)."""
    f = FeedbackItem.__table__.c
    with engine.begin() as connection:
        for external_id, label in labels.items():
            connection.execute(
                update(FeedbackItem)
                .where(f.external_id == external_id)
                .values(sentiment=label, analyzed_at=NOW)
            )


def test_a_content_customer_whose_last_items_turn_negative_gets_a_proactive_case(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    _import(database_url, tmp_path, "tickets", [
        _ticket("H1", "C4", 200, "Thanks, all good"), _ticket("H2", "C4", 120, "Great help"),
        _ticket("H3", "C4", 9, "Still waiting"), _ticket("H4", "C4", 3, "This is poor"),
        _ticket("G1", "C1", 200, "Mal"), _ticket("G2", "C1", 120, "Mal otra vez"),
        _ticket("G3", "C1", 9, "Sigue mal"), _ticket("G4", "C1", 3, "Fatal"),
    ])  # fmt: skip
    _set_sentiment(engine, {"H1": "positive", "H2": "neutral", "H3": "negative",
                            "H4": "negative", "G1": "negative", "G2": "negative",
                            "G3": "negative", "G4": "negative"})  # fmt: skip

    casework.run_rules(engine, now=NOW)
    again = casework.run_rules(engine, now=NOW)

    [case] = casework.list_cases(engine, now=NOW, rule="sentiment_turning_negative")
    assert case["customer_id"] == "C4"  # C1 was never content: nothing turned
    assert len(case["source_item_ids"]) == 2
    details = casework.get_case(engine, case["id"], now=NOW)["details"]
    assert details["earlier_negative_share"] == 0.0
    assert again.opened == 0
    engine.dispose()


def test_the_worker_runs_the_rules_that_read_a_long_history_at_most_as_often_as_they_say(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    last_runs: dict[str, dt.datetime] = {}  # the worker's memory, round to round
    first = casework.run_rules(engine, now=NOW, last_runs=last_runs)
    _import(database_url, tmp_path, "tickets", [
        _ticket("H1", "C4", 200, "Thanks, all good"), _ticket("H2", "C4", 120, "Great help"),
        _ticket("H3", "C4", 9, "Still waiting"), _ticket("H4", "C4", 3, "This is poor"),
    ])  # fmt: skip
    _set_sentiment(engine, {"H1": "positive", "H2": "neutral", "H3": "negative",
                            "H4": "negative"})  # fmt: skip

    soon = casework.run_rules(engine, now=NOW + dt.timedelta(minutes=5), last_runs=last_runs)
    waited = casework.list_cases(engine, now=NOW, rule="sentiment_turning_negative")
    later = casework.run_rules(engine, now=NOW + dt.timedelta(minutes=16), last_runs=last_runs)

    assert "waiting" not in first.as_dict()
    assert soon.waiting == ["sentiment_turning_negative", "nps_drop"]
    assert waited == []
    assert later.waiting == ["nps_drop"]  # an hour between its runs
    [case] = casework.list_cases(engine, now=NOW, rule="sentiment_turning_negative")
    assert case["customer_id"] == "C4"
    engine.dispose()


def _answers(prefix: str, scores: Iterable[int], day: dt.datetime, country_customer: str
             ) -> list[dict[str, Any]]:  # fmt: skip
    return [
        {"response_id": f"{prefix}{i}", "customer_id": country_customer, "score": score,
         "comment": "", "responded_at": (day + dt.timedelta(hours=i)).isoformat(),
         "channel": "web"}
        for i, score in enumerate(scores)
    ]  # fmt: skip


def test_a_significant_nps_drop_in_a_segment_opens_one_proactive_case(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    # Spain (C1's country): NPS 75 (30 promoters, 10 passives of 40) in the 30 days before the
    # last 30, then −25 (10 promoters, 10 passives, 20 detractors of 40): a fall of 100 points.
    # Romania (C3): 40 → 30 with 20 answers a period, fewer than the 30 the rule needs.
    before, after = dt.datetime(2026, 9, 25), dt.datetime(2026, 10, 25)
    _import(database_url, tmp_path, "nps", [
        *_answers("B", [10] * 30 + [7] * 10, before, "C1"),
        *_answers("A", [10] * 10 + [7] * 10 + [3] * 20, after, "C1"),
        *_answers("RB", [10] * 10 + [7] * 6 + [2] * 4, before, "C3"),
        *_answers("RA", [10] * 10 + [7] * 4 + [2] * 6, after, "C3"),
    ])  # fmt: skip
    case_rules.set_rule(engine, "detractor", now=NOW, actor="lead@example.com", enabled=False)

    casework.run_rules(engine, now=NOW, since=dt.datetime(2026, 1, 1))
    casework.run_rules(engine, now=NOW + dt.timedelta(hours=3), since=dt.datetime(2026, 1, 1))

    drops = casework.list_cases(engine, now=NOW, rule="nps_drop")
    spain = [case for case in drops if "country ES" in case["title"]]
    assert len(spain) == 1
    assert not [case for case in drops if "country RO" in case["title"]]
    details = casework.get_case(engine, spain[0]["id"], now=NOW)["details"]
    assert (details["previous_nps"], details["nps"], details["change"]) == (75.0, -25.0, -100.0)
    assert (details["previous_answers"], details["answers"]) == (40, 40)
    assert details["p_value"] < 0.05
    assert details["detractor_customer_ids"]  # C1, whose future revenue is at risk
    assert spain[0]["customer_id"] is None
    assert spain[0]["priority"] == "high"
    engine.dispose()


class _Anniversary:
    """A plugin rule: a customer's anniversary of their first order deserves a call."""

    name = "anniversary_call"
    title = "Anniversary call"
    description = "A call on the customer's first order's anniversary."
    kind = "proactive"
    case_type = "proactive"
    defaults: ClassVar[dict[str, Any]] = {"days_before": 3}
    limits: ClassVar[dict[str, tuple[float, float]]] = {"days_before": (0.0, 30.0)}
    help: ClassVar[dict[str, str]] = {"days_before": "days ahead"}

    def find(self, context: case_rules.RuleContext) -> Iterable[case_rules.Finding]:
        yield case_rules.Finding(
            title="Anniversary: Ana López", priority="low", customer_id=1,
            key="anniversary_call:1:2026",
        )  # fmt: skip


class _Broken(_Anniversary):
    name = "broken_plugin"

    def find(self, context: case_rules.RuleContext) -> Iterable[case_rules.Finding]:
        raise RuntimeError("the plugin's database is down")


def test_a_plugin_rule_opens_its_cases_and_a_failing_plugin_stops_only_itself(
    engine: Engine,
) -> None:
    case_rules.register(_Anniversary())
    case_rules.register(_Broken())
    try:
        with pytest.raises(InvalidInput, match="exists already"):
            case_rules.register(_Anniversary())
        report = casework.run_rules(engine, now=NOW)
        again = casework.run_rules(engine, now=NOW)
        names = [rule["name"] for rule in case_rules.rules_overview(engine)]
    finally:
        case_rules.unregister("anniversary_call")
        case_rules.unregister("broken_plugin")

    assert report.errors == {"broken_plugin": "the plugin's database is down"}
    assert report.proactive == 3  # the two deliveries and the anniversary
    assert again.opened == 0
    assert {"anniversary_call", "broken_plugin"} <= set(names)
    [case] = casework.list_cases(engine, now=NOW, rule="anniversary_call")
    assert case["value_at_risk"] is not None  # valued like every proactive case
    engine.dispose()


def test_plugin_rules_are_found_through_the_entry_points_of_installed_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "anniversary_plugin.py"
    package.write_text(
        "from tests.integration.test_proactive_rules import _Anniversary\nRULE = _Anniversary()\n"
    )
    info = tmp_path / "anniversary_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: anniversary-plugin\nVersion: 1.0\n"
    )
    (info / "entry_points.txt").write_text(
        "[advocacy.case_rules]\nanniversary = anniversary_plugin:RULE\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        case_rules.reload_plugins()
        assert "anniversary_call" in case_rules.available_rules()
    finally:
        case_rules.unregister("anniversary_call")


def test_assignment_rules_give_new_cases_a_team_and_owners_in_turn(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    case_rules.add_assignment_rule(engine, name="Proactive to the account team", now=NOW,
                                   conditions={"type": ["proactive"]}, team="Accounts",
                                   owners=["acc@example.com"])  # fmt: skip
    case_rules.add_assignment_rule(engine, name="Spanish speakers", now=NOW,
                                   conditions={"language": "es, ES"}, team="Spain",
                                   owners=["ana@example.com", "luis@example.com"])  # fmt: skip
    answers = [
        {"response_id": f"R{i}", "customer_id": customer, "score": 2, "comment": "Mal",
         "responded_at": (NOW - dt.timedelta(hours=5 - i)).isoformat()}
        for i, customer in enumerate(["C1", "C2", "C1"])
    ]  # fmt: skip
    _import(database_url, tmp_path, "customers", [
        {**factories.customers(1)[0], "customer_id": "C9", "name": "Lola", "email": "l@x.es"},
    ], "more")  # fmt: skip
    answers.append({**answers[0], "response_id": "R9", "customer_id": "C9"})
    _import(database_url, tmp_path, "nps", answers)

    casework.run_rules(engine, now=NOW)

    found = {(c["customer_id"], c["type"]): c for c in casework.list_cases(engine, now=NOW)}
    assert found[("C1", "proactive")]["team"] == "Accounts"  # the first rule that matches
    assert found[("C1", "detractor")]["owner"] == "ana@example.com"
    assert found[("C9", "detractor")]["owner"] == "luis@example.com"  # in turn
    assert found[("C1", "detractor")]["team"] == "Spain"
    assert found[("C2", "detractor")]["owner"] is None  # Russian: no rule matches
    [rule] = [r for r in case_rules.list_assignment_rules(engine) if r["team"] == "Spain"]
    assert rule["next_owner"] == "ana@example.com"
    timeline = casework.get_case(engine, found[("C9", "detractor")]["id"], now=NOW)["timeline"]
    assert timeline[-1] | {"at": None} == {
        "at": None, "actor": "assignment", "kind": "assigned", "owner": "luis@example.com",
        "team": "Spain", "by_rule": "Spanish speakers",
    }  # fmt: skip
    engine.dispose()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"owners": ["not an address"]}, "e-mail addresses"),
        ({"owners": ["<script>@x"]}, "e-mail addresses"),
        ({"conditions": {"colour": ["red"]}}, "condition 'colour'"),
        ({"team": None, "owners": []}, "a team, owners, or both"),
        ({"name": " "}, "name: 1 to 100"),
    ],
)
def test_bad_assignment_rules_are_refused(
    engine: Engine, values: dict[str, Any], message: str
) -> None:
    rule: dict[str, Any] = {"name": "Rule", "team": "Spain", "owners": ["a@example.com"],
                            "conditions": {}, **values}  # fmt: skip
    with pytest.raises(InvalidInput, match=message):
        case_rules.add_assignment_rule(engine, now=NOW, **rule)
    assert case_rules.list_assignment_rules(engine) == []
    engine.dispose()


def test_proactive_cases_and_the_summary_from_the_command_line(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    casework.run_rules(engine, now=NOW)
    code, out, _ = run(capsys, "--db", database_url, "cases", "list", "--type", "proactive",
                       "--json")  # fmt: skip
    assert code == 0
    listed = json.loads(out)
    assert {case["type"] for case in listed} == {"proactive"}
    assert all(case["value_at_risk"] > 0 for case in listed)

    code, out, _ = run(capsys, "--db", database_url, "rules", "set", "late_delivery", "--off",
                       "--param", "grace_days=2", "--json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["enabled"] is False
    code, _, err = run(capsys, "--db", database_url, "rules", "set", "late_delivery",
                       "--param", "grace_days")  # fmt: skip
    assert code != 0
    assert "NAME=VALUE" in err
    code, out, _ = run(capsys, "--db", database_url, "cases", "summary", "--json")
    assert code == 0
    assert json.loads(out)["totals"][0]["cases"] == 2
    code, out, _ = run(capsys, "--db", database_url, "cases", "open", "--customer", "C3",
                       "--title", "<script>alert(1)</script> call back", "--json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["title"] == "<script>alert(1)</script> call back"  # stored as text
    code, _, err = run(capsys, "--db", database_url, "cases", "open", "--customer", "C404")
    assert code != 0
    assert "no customer 'C404'" in err
    engine.dispose()


def test_importing_a_late_order_from_the_command_line_opens_its_case_at_once(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    _import(database_url, tmp_path, "customers", factories.customers(2))
    late = _order("Z1", "C2", "350", str(today - dt.timedelta(days=12)),
                  str(today - dt.timedelta(days=5)), None, "shipped")  # fmt: skip
    path = factories.write_csv(tmp_path / "late.csv", [late])

    code, out, err = run(capsys, "--db", database_url, "import", "orders", str(path), "--json")
    again, out_again, _ = run(capsys, "--db", database_url, "import", "orders", str(path),
                              "--json")  # fmt: skip

    assert code == 0, err
    assert json.loads(out)["cases"]["proactive"] == 1
    assert again == 0
    assert json.loads(out_again)["cases"] is None  # nothing changed: nothing to look at
    engine = build_engine(database_url)
    [case] = casework.list_cases(engine, now=dt.datetime.now(), type="proactive")
    engine.dispose()
    assert case["customer_id"] == "C2"
    assert case["value_at_risk"] > 350  # the order and the customer's future revenue


def test_the_sla_is_set_by_priority_and_type_and_new_cases_are_due_by_it(engine: Engine) -> None:
    casework.set_sla(engine, priority="high", hours=8, type="proactive", now=NOW, actor="lead")
    casework.set_sla(engine, priority="normal", hours=48, now=NOW, actor="lead")

    casework.run_rules(engine, now=NOW)
    manual = casework.open_case_about(engine, now=NOW, actor="a@example.com", customer_ref="C3")

    late = _proactive(engine)["L1"]
    assert late["priority"] == "high"
    assert late["due_at"] == (NOW + dt.timedelta(hours=8)).isoformat()  # proactive: 8 h
    assert (
        casework.get_case(engine, manual, now=NOW)["due_at"]
        == (NOW + dt.timedelta(hours=48)).isoformat()
    )  # normal, every type: 48 h
    policy = casework.set_sla(engine, priority="high", hours=None, type="proactive", now=NOW,
                              actor="lead")  # fmt: skip
    assert policy.period("high", "proactive") == dt.timedelta(hours=24)  # back to all types'
    with pytest.raises(InvalidInput, match="hours"):
        casework.set_sla(engine, priority="low", hours=0, now=NOW, actor="lead")
    with pytest.raises(InvalidInput, match="type"):
        casework.set_sla(engine, priority="low", hours=5, type="<b>", now=NOW, actor="lead")
    assert casework.sla_policy(engine).hours["low"] == 168
    engine.dispose()


def test_the_sla_from_the_command_line(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", database_url, "rules", "sla", "--priority", "urgent",
                       "--hours", "2", "--type", "urgent_ticket", "--json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["by_type"] == {"urgent_ticket": {"urgent": 2.0}}
    code, out, _ = run(capsys, "--db", database_url, "rules", "sla")
    assert "urgent  2 h for urgent_ticket cases" in out
    code, _, err = run(capsys, "--db", database_url, "rules", "sla", "--hours", "3")
    assert code != 0
    assert "--priority" in err
    engine.dispose()
