"""Referrals on a real catalogue (SQLite, then PostgreSQL): advocates' codes are unique and
kept, a referred customer has one referrer, the imported ``referral_code`` attributes customers
(bad codes counted, never fatal), only orders placed since the attribution count, and the value
created is the revenue since then + the expected CLV, worked out here by hand. Link visits are
counted once per visitor an hour and capped per code and day."""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select

from advocacy import open_catalogue
from advocacy.errors import InvalidInput, NotFound
from advocacy.services import referrals
from advocacy.store.engine import build_engine
from advocacy.store.tables import Advocate, AdvocateEvent, Customer, Referral, ReferralClick
from tests import factories
from tests.e2e.test_cli import run

NOW = dt.datetime(2026, 11, 23, 12, 0)
ATTRIBUTED = NOW - dt.timedelta(days=30)
HOSTILE = '<script>alert("x")</script> Ana'


def _at(moment: dt.datetime) -> str:
    return moment.isoformat()


def _person(cid: str, name: str, acquired: str, **extra: Any) -> dict[str, Any]:
    return {"customer_id": cid, "name": name, "email": f"{cid.lower()}@example.es",
            "acquired_at": acquired, "churned_at": None, **extra}  # fmt: skip


PEOPLE = [
    _person("A1", HOSTILE, "2024-01-01"),
    _person("A2", "Bogdan", "2024-01-01"),
    _person("P", "Plain Paula", "2022-01-01", churned_at="2023-01-01"),
    _person("R1", "Rita", "2026-06-01"),
    _person("R2", "Raúl", "2026-06-01"),
    _person("R3", "Radu", "2026-09-01"),
]


def _order(oid: str, customer: str, at: dt.datetime, amount: str, currency: str,
           status: str = "delivered") -> dict[str, Any]:  # fmt: skip
    return {"order_id": oid, "customer_id": customer, "ordered_at": _at(at), "amount": amount,
            "currency": currency, "status": status}  # fmt: skip


ORDERS = [
    _order("O0", "P", dt.datetime(2022, 2, 1), "10", "EUR"),
    _order("O1", "R1", ATTRIBUTED - dt.timedelta(days=5), "40", "EUR"),  # before: not counted
    _order("O2", "R1", ATTRIBUTED + dt.timedelta(days=1), "100", "EUR"),
    _order("O3", "R1", ATTRIBUTED + dt.timedelta(days=10), "50.25", "EUR"),
    _order("O4", "R1", ATTRIBUTED + dt.timedelta(days=2), "999", "EUR", "cancelled"),
    _order("O5", "R1", ATTRIBUTED + dt.timedelta(days=3), "30", "usd"),
    _order("O6", "R1", NOW + dt.timedelta(days=5), "500", "EUR"),  # after now
    _order("O7", "R3", dt.datetime(2026, 9, 11), "80", "EUR"),
]


def _import(url: str, folder: Path, kind: str, rows: list[dict[str, Any]]) -> None:
    catalogue = open_catalogue(url)
    try:
        catalogue.import_file(kind, factories.write_csv(folder / f"{kind}.csv", rows))
    finally:
        catalogue.close()


def _make_advocates(engine: Engine, *refs: str) -> dict[str, int]:
    with engine.begin() as connection:
        ids = dict(connection.execute(select(Customer.external_id, Customer.id)).all())
        for ref in refs:
            connection.execute(insert(Advocate).values(
                customer_id=ids[ref], status="active", score=60.0, reasons=[], since=NOW,
                first_seen_at=NOW, evaluated_at=NOW, owner=None, referral_code=None))  # fmt: skip
    return ids


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Engine:
    _import(database_url, tmp_path, "customers", PEOPLE)
    _import(database_url, tmp_path, "orders", ORDERS)
    engine = build_engine(database_url)
    _make_advocates(engine, "A1", "A2")
    return engine


def _ids(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return dict(connection.execute(select(Customer.external_id, Customer.id)).all())


def _events(engine: Engine, kind: str) -> list[Any]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(AdvocateEvent).where(AdvocateEvent.kind == kind).order_by(AdvocateEvent.id)
            ).all()
        )


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


# --- codes ------------------------------------------------------------------------------------


def test_an_advocates_code_is_made_once_and_kept(engine: Engine) -> None:
    ids = _ids(engine)

    first = referrals.issue_code(engine, ids["A1"], now=NOW, actor="lead@example.com")
    again = referrals.issue_code(engine, ids["A1"], now=NOW + dt.timedelta(days=1), actor="x")

    assert again == first
    assert len(first) == 8
    assert set(first) <= set(string.ascii_uppercase + string.digits) - set("0O1IL")
    logged = _events(engine, "referral_code")
    assert [(e.customer_id, e.actor, e.detail) for e in logged] == [
        (ids["A1"], "lead@example.com", {"code": first})
    ]


def test_codes_of_many_advocates_are_all_different(engine: Engine, tmp_path: Path) -> None:
    many = [_person(f"M{i}", f"M {i}", "2025-01-01") for i in range(60)]
    _import(str(engine.url.render_as_string(hide_password=False)), tmp_path, "customers", many)
    ids = _make_advocates(engine, *(f"M{i}" for i in range(60)))

    codes = [referrals.issue_code(engine, ids[f"M{i}"], now=NOW) for i in range(60)]

    assert len(set(codes)) == 60


def test_a_clash_with_another_advocates_code_draws_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _ids(engine)
    # The random draws (the standard library's) are made to repeat the first code once.
    draws = iter("ABCDEFGHABCDEFGHZZZZZZZZ")
    monkeypatch.setattr(referrals.secrets, "choice", lambda _alphabet: next(draws))

    assert referrals.issue_code(engine, ids["A1"], now=NOW) == "ABCDEFGH"
    assert referrals.issue_code(engine, ids["A2"], now=NOW) == "ZZZZZZZZ"


def test_only_advocates_get_a_code(engine: Engine) -> None:
    ids = _ids(engine)

    with pytest.raises(InvalidInput, match="not an advocate"):
        referrals.issue_code(engine, ids["P"], now=NOW)
    with pytest.raises(InvalidInput, match="not an advocate"):
        referrals.advocate_id_of(engine, "P")
    with pytest.raises(NotFound):
        referrals.advocate_id_of(engine, "<b>nobody</b>")
    assert referrals.advocate_id_of(engine, " A2 ") == ids["A2"]


# --- attribution ------------------------------------------------------------------------------


def _coded(engine: Engine) -> tuple[dict[str, int], str, str]:
    ids = _ids(engine)
    one = referrals.issue_code(engine, ids["A1"], now=NOW - dt.timedelta(days=60))
    two = referrals.issue_code(engine, ids["A2"], now=NOW - dt.timedelta(days=60))
    return ids, one, two


def test_a_referral_is_attributed_once_and_logged_for_the_advocate(engine: Engine) -> None:
    ids, code, _ = _coded(engine)

    done = referrals.attribute(engine, "R1", f"  {code.lower()} ", actor="ana@x.es", now=NOW)
    again = referrals.attribute(engine, "R1", code, actor="someone", now=NOW)

    assert done == {"referred_customer": "R1", "referred_name": "Rita", "advocate": "A1",
                    "advocate_name": HOSTILE, "code": code, "source": "manual",
                    "attributed_at": NOW.isoformat(), "created": True}  # fmt: skip
    assert again == {**done, "created": False}
    assert _count(engine, Referral) == 1
    logged = _events(engine, "referral")
    assert [(e.customer_id, e.actor, e.detail) for e in logged] == [
        (ids["A1"], "ana@x.es", {"referred_customer": "R1", "code": code, "source": "manual"})
    ]


def test_another_advocates_code_for_a_referred_customer_is_refused_naming_the_referrer(
    engine: Engine,
) -> None:
    _, one, two = _coded(engine)
    referrals.attribute(engine, "R1", one, actor="a", now=ATTRIBUTED)

    with pytest.raises(InvalidInput, match=r"already referred by .*\(A1\).*2026-10-24"):
        referrals.attribute(engine, "R1", two, actor="b", now=NOW)
    assert _count(engine, Referral) == 1


def test_nobody_refers_themselves(engine: Engine) -> None:
    _, one, _ = _coded(engine)

    with pytest.raises(InvalidInput, match="cannot refer themselves"):
        referrals.attribute(engine, "A1", one, actor="a", now=NOW)
    assert _count(engine, Referral) == 0


@pytest.mark.parametrize(
    "code", ["NOPE2345", "<script>alert(1)</script>", "", "   ", "A" * 10_000, "ö'; DROP--"]
)
def test_an_unknown_or_malformed_code_is_refused_and_nothing_is_recorded(
    engine: Engine, code: str
) -> None:
    _coded(engine)

    with pytest.raises(InvalidInput, match="no advocate has the referral code") as refused:
        referrals.attribute(engine, "R1", code, actor="a", now=NOW)
    assert len(str(refused.value)) < 200
    assert _count(engine, Referral) == 0
    assert _events(engine, "referral") == []


def test_an_unknown_customer_is_refused(engine: Engine) -> None:
    _, one, _ = _coded(engine)

    with pytest.raises(NotFound, match="no customer"):
        referrals.attribute(engine, "R404", one, actor="a", now=NOW)
    with pytest.raises(InvalidInput, match="missing"):
        referrals.attribute(engine, "  ", one, actor="a", now=NOW)
    with pytest.raises(InvalidInput, match="source"):
        referrals.attribute(engine, "R1", one, actor="a", now=NOW, source="magic")


def test_the_imported_referral_code_attributes_customers_and_counts_bad_codes(
    engine: Engine, tmp_path: Path
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    _, one, two = _coded(engine)
    referrals.attribute(engine, "R1", one, actor="a", now=ATTRIBUTED)
    coded = {
        "R1": two,  # already referred by hand: left alone
        "R2": "",  # no code: nothing to do
        "R3": f" {two.lower()}",  # A2's code, any case
        "A2": two,  # their own code: refused
        "P": "<script>alert(1)</script>",  # matches nobody
        "A1": "Z" * 5_000,  # matches nobody
    }
    _import(url, tmp_path, "customers",
            [{**p, "referral_code": coded[p["customer_id"]]} for p in PEOPLE])  # fmt: skip

    first = referrals.attribute_from_imports(engine, now=NOW)
    second = referrals.attribute_from_imports(engine, now=NOW + dt.timedelta(hours=1))

    assert {k: first[k] for k in ("attributed", "unknown_codes", "refused")} == {
        "attributed": 1, "unknown_codes": 2, "refused": 1}  # fmt: skip
    assert sorted(p["customer_id"] for p in first["problems"]) == ["A1", "A2", "P"]
    assert all(len(p["reason"]) < 300 for p in first["problems"])
    assert second["attributed"] == 0
    with engine.connect() as connection:
        rows = connection.execute(
            select(Customer.external_id, Referral.source, Referral.attributed_at, Referral.code)
            .join(Customer, Customer.id == Referral.referred_customer_id)
            .order_by(Customer.external_id)
        ).all()  # fmt: skip
    # An imported code was given at sign-up: the referral dates from the acquisition.
    assert [tuple(row) for row in rows] == [
        ("R1", "manual", ATTRIBUTED, one),
        ("R3", "import", dt.datetime(2026, 9, 1), two),
    ]


# --- value ------------------------------------------------------------------------------------


def _referred(engine: Engine) -> tuple[str, str]:
    _, one, two = _coded(engine)
    referrals.attribute(engine, "R1", one, actor="a", now=ATTRIBUTED)
    referrals.attribute(engine, "R2", one, actor="a", now=ATTRIBUTED + dt.timedelta(days=1))
    referrals.attribute(engine, "R3", two, actor="a", now=NOW, source="import")
    return one, two


def test_only_orders_since_the_attribution_count(engine: Engine) -> None:
    _referred(engine)
    ids = _ids(engine)

    found = referrals.referrals_by_advocate(engine, now=NOW)

    # R1: O2 100 + O3 50.25 in EUR and O5 30 USD; O1 came before, O4 was cancelled, O6 is
    # after now.
    assert found[ids["A1"]] == [
        {"customer_id": "R1", "name": "Rita", "code": found[ids["A1"]][0]["code"],
         "source": "manual", "attributed_at": "2026-10-24", "orders": 3,
         "revenue": {"EUR": 150.25, "USD": 30.0}},
        {"customer_id": "R2", "name": "Raúl", "code": found[ids["A1"]][0]["code"],
         "source": "manual", "attributed_at": "2026-10-25", "orders": 0, "revenue": {}},
    ]  # fmt: skip
    assert [r["orders"] for r in found[ids["A2"]]] == [1]
    # R3 came with a code imported at sign-up, on 1 September.
    before = ATTRIBUTED - dt.timedelta(seconds=1)
    assert list(referrals.referrals_by_advocate(engine, now=before)) == [ids["A2"]]
    assert referrals.referrals_by_advocate(engine, now=dt.datetime(2026, 8, 31)) == {}


def test_the_report_adds_revenue_since_attribution_and_expected_clv(engine: Engine) -> None:
    one, two = _referred(engine)

    report = referrals.referral_report(engine, now=NOW)

    # Nobody was lost in the last 12 months, so the expected lifespan is the 20-year maximum.
    # R1: yearly revenue (40 + 100 + 50.25) EUR ÷ 1 year (a shorter tenure counts as one year)
    # → expected CLV 190.25 × 20 = 3,805; value created 150.25 + 3,805 = 3,955.25 EUR, 30 USD.
    # R3: 80 ÷ 1 × 20 = 1,600; value created 80 + 1,600 = 1,680 EUR.
    assert [row["customer_id"] for row in report] == ["A1", "A2"]
    first, second = report
    assert first["code"] == one
    assert first["name"] == HOSTILE
    assert first["referred_customers"] == 2
    assert first["orders"] == 3
    assert first["revenue"] == {"EUR": 150.25, "USD": 30.0}
    assert first["expected_clv"] == {"EUR": 3805.0}
    assert first["value_created"] == {"EUR": 3955.25, "USD": 30.0}
    assert [r["expected_clv"] for r in first["referred"]] == [{"EUR": 3805.0}, None]
    assert second["code"] == two
    assert (second["orders"], second["revenue"], second["value_created"]) == (
        1, {"EUR": 80.0}, {"EUR": 1680.0})  # fmt: skip
    assert referrals.referral_report(engine, now=NOW, advocate="A2") == [second]
    with pytest.raises(NotFound):
        referrals.referral_report(engine, now=NOW, advocate="nobody")


# --- visits -----------------------------------------------------------------------------------


def test_a_visitor_counts_once_an_hour_and_the_report_counts_recent_and_all_visits(
    engine: Engine,
) -> None:
    _, one, _ = _coded(engine)
    recent = referrals.RecentVisitors()

    def visit(at: dt.datetime, who: str) -> bool:
        return referrals.record_visit(engine, one.lower(), now=at, visitor=who,
                                      recent=recent).recorded  # fmt: skip

    assert visit(NOW - dt.timedelta(days=40), "10.0.0.1")
    assert visit(NOW, "10.0.0.1")
    assert not visit(NOW + dt.timedelta(minutes=59), "10.0.0.1")
    assert visit(NOW + dt.timedelta(minutes=1), "10.0.0.2")
    assert visit(NOW + dt.timedelta(hours=1), "10.0.0.1")

    row = referrals.referral_report(engine, now=NOW + dt.timedelta(hours=2))[0]
    assert (row["visits_30_days"], row["visits"]) == (3, 4)


def test_a_code_records_at_most_the_daily_cap_of_visits(engine: Engine) -> None:
    _, one, _ = _coded(engine)

    done = [
        referrals.record_visit(engine, one, now=NOW + dt.timedelta(seconds=i), daily_cap=3)
        for i in range(10)
    ]
    tomorrow = referrals.record_visit(engine, one, now=NOW + dt.timedelta(days=1), daily_cap=3)

    assert [v.recorded for v in done] == [True] * 3 + [False] * 7
    assert {v.reason for v in done[3:]} == {"daily cap"}
    assert tomorrow.recorded
    assert _count(engine, ReferralClick) == 4


def test_the_memory_of_visitors_forgets_the_oldest_beyond_its_size() -> None:
    recent = referrals.RecentVisitors(size=2)

    assert recent.first_in_window("C", "a", NOW)
    assert recent.first_in_window("C", "b", NOW)
    assert recent.first_in_window("C", "c", NOW)  # forgets "a"
    assert recent.first_in_window("C", "a", NOW)
    assert not recent.first_in_window("C", "c", NOW)


@pytest.mark.parametrize("code", ["NOPE2345", "", "<img src=x>", "B" * 100_000])
def test_an_unknown_code_records_no_visit(engine: Engine, code: str) -> None:
    _coded(engine)

    with pytest.raises(NotFound):
        referrals.record_visit(engine, code, now=NOW, visitor="1.2.3.4")
    assert _count(engine, ReferralClick) == 0


def test_the_landing_address_keeps_its_query_and_fragment() -> None:
    assert referrals.landing_address("https://shop.example.com/join?utm=x&a=1#top", "abcd2345") == (
        "https://shop.example.com/join?utm=x&a=1&ref=ABCD2345#top"
    )
    assert referrals.landing_address("https://s.example.com", "ABCD2345") == (
        "https://s.example.com/?ref=ABCD2345"
    )
    assert referrals.landing_address("https://s.example.com/?ref=OLD&q=a+b", "ABCD2345") == (
        "https://s.example.com/?q=a+b&ref=ABCD2345"
    )


# --- the command line -------------------------------------------------------------------------


def test_referrals_from_the_command_line(
    engine: Engine,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADVOCACY_BASE_URL", "https://advocacy.example.com/")

    status, out, err = run(capsys, "--db", database_url, "referrals", "code", "A1", "--json")
    assert status == 0, err
    issued = json.loads(out)
    code = issued["code"]
    assert issued == {"customer_id": "A1", "code": code,
                      "link": f"https://advocacy.example.com/r/{code}"}  # fmt: skip
    status, out, _ = run(capsys, "--db", database_url, "referrals", "code", "A1")
    assert out.split() == [code, f"https://advocacy.example.com/r/{code}"]

    status, out, err = run(capsys, "--db", database_url, "referrals", "attribute", "R1", code)
    assert (status, out.strip()) == (0, f"R1 attributed to A1 (code {code})."), err
    status, out, err = run(capsys, "--db", database_url, "referrals", "code", "P")
    assert status == 65
    assert "not an advocate" in err
    other = referrals.issue_code(engine, _ids(engine)["A2"], now=NOW)
    status, _, err = run(capsys, "--db", database_url, "referrals", "attribute", "R1", other)
    assert status == 65
    assert "already referred by" in err
    assert "Traceback" not in err

    status, out, err = run(capsys, "--db", database_url, "referrals", "import", "--json")
    assert status == 0, err
    assert json.loads(out)["attributed"] == 0

    status, out, err = run(capsys, "--db", database_url, "referrals", "list", "--json")
    assert status == 0, err
    listed = json.loads(out)
    assert [row["customer_id"] for row in listed][:1] == ["A1"]
    assert listed[0]["link"] == f"https://advocacy.example.com/r/{code}"
    assert listed[0]["referred_customers"] == 1
    status, out, err = run(capsys, "--db", database_url, "referrals", "list", "--advocate", "A2")
    assert status == 0, err
    assert other in out
    assert code not in out
    engine.dispose()
