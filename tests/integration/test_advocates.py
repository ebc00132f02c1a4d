"""Brand advocates are found in crafted customer histories, each with the score the
documentation defines (recomputed here by hand) and the evidence; detractors are never flagged;
advocates who went quiet, or whose latest answer was passive, lapse. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update

from advocacy import open_catalogue
from advocacy.errors import InvalidInput
from advocacy.services import advocates
from advocacy.store.engine import build_engine
from advocacy.store.tables import FeedbackItem
from tests import factories
from tests.e2e.test_cli import run

NOW = dt.datetime(2026, 11, 23, 12, 0)


def _ago(days: float) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat()


def _answer(response: str, customer: str, score: int, days: float) -> dict[str, Any]:
    return {"response_id": response, "customer_id": customer, "score": score, "comment": "",
            "responded_at": _ago(days)}  # fmt: skip


def _review(review: str, customer: str | None, rating: float, days: float) -> dict[str, Any]:
    return {"review_id": review, "platform": "Trustpilot", "rating": rating, "title": "",
            "text": "<script>alert(1)</script> Great", "author": "A", "posted_at": _ago(days),
            "url": None, "customer_id": customer, "language": "en", "product": None}  # fmt: skip


def _post(post: str, customer: str, likes: int, days: float) -> dict[str, Any]:
    return {"post_id": post, "network": "X", "author": "@fan", "text": "Love it",
            "posted_at": _ago(days), "url": "https://x.com/fan/1", "customer_id": customer,
            "likes": likes, "shares": 0, "language": "en"}  # fmt: skip


def _import(url: str, folder: Path, kind: str, rows: list[dict[str, Any]]) -> None:
    catalogue = open_catalogue(url)
    try:
        catalogue.import_file(kind, factories.write_csv(folder / f"{kind}.csv", rows))
    finally:
        catalogue.close()


@pytest.fixture
def engine(database_url: str, tmp_path: Path) -> Engine:
    people = factories.customers(4) + [
        {**factories.customers(1)[0], "customer_id": cid, "name": name, "email": f"{cid}@x.es"}
        for cid, name in (("C5", "Passive Pablo"), ("C6", "Social Sofía"))
    ]
    _import(database_url, tmp_path, "customers", people)
    _import(database_url, tmp_path, "nps", [
        _answer("N1", "C1", 10, 10), _answer("N2", "C1", 9, 40),  # two recent promoters
        _answer("N3", "C2", 10, 30), _answer("N4", "C2", 3, 100),  # a detractor this year
        _answer("N5", "C3", 9, 300),  # a promoter long ago
        _answer("N6", "C4", 9, 20),  # one recent promoter
        _answer("N7", "C5", 10, 60), _answer("N8", "C5", 8, 10),  # promoter, then passive
        _answer("N9", "C6", 10, 1),
    ])  # fmt: skip
    _import(database_url, tmp_path, "reviews", [
        _review("R1", None, 5, 2),  # nobody's: counts for no one
        _review("R2", "C2", 5, 5),
    ])  # fmt: skip
    _import(database_url, tmp_path, "social", [_post("P1", "C6", 99, 1)])
    engine = build_engine(database_url)
    with engine.begin() as connection:  # what text analysis writes on the post
        connection.execute(
            update(FeedbackItem).where(FeedbackItem.kind == "social").values(sentiment="positive")
        )
    return engine


def _w(days: float) -> float:
    return float(0.5 ** (days / 180))


def test_advocates_are_scored_as_documented_and_detractors_are_never_flagged(
    engine: Engine,
) -> None:
    found = {a["customer_id"]: a for a in advocates.find_advocates(engine, now=NOW, tiers={})}

    assert set(found) == {"C1", "C3", "C4", "C5", "C6"}  # C2 answered 3 this year
    c1 = found["C1"]
    assert c1["score"] == round(40 * min(1, (_w(10) + _w(40)) / 2) + 15, 1)  # 51.4
    assert c1["status"] == "active"
    assert [p["score"] for p in c1["evidence"]["promoter_answers"]] == [9, 10]
    c4 = found["C4"]
    assert c4["score"] == round(40 * _w(20) / 2 + 15, 1)  # 33.5
    assert c4["status"] == "candidate"
    c6 = found["C6"]  # a promoter yesterday and a post liked 99 times: reach 1 + log10(100) = 3
    assert c6["score"] == round(40 * _w(1) / 2 + 15 + 15 * min(1, _w(1) * 3 / 3), 1)
    assert c6["evidence"]["social_posts"][0]["likes"] == 99
    engine.dispose()


def test_an_advocate_who_went_quiet_or_answered_passive_lapses_with_the_reason(
    engine: Engine,
) -> None:
    found = {a["customer_id"]: a for a in advocates.find_advocates(engine, now=NOW, tiers={})}
    lapsed = {a["customer_id"] for a in advocates.find_advocates(engine, now=NOW, tiers={},
                                                                 status="lapsed")}  # fmt: skip

    assert found["C3"]["status"] == "lapsed"
    assert found["C3"]["reasons"][-1] == f"nothing positive since {_ago(300)[:10]}"
    assert found["C5"]["status"] == "lapsed"
    assert found["C5"]["reasons"][-1] == "latest answer passive (8)"
    assert lapsed == {"C3", "C5"}
    engine.dispose()


def test_a_top_tier_customer_scores_ten_more_and_a_bad_status_is_refused(engine: Engine) -> None:
    plain = advocates.find_advocates(engine, now=NOW, tiers={})
    ids = {a["customer_id"]: a["score"] for a in plain}
    from sqlalchemy import select

    from advocacy.store.tables import Customer

    with engine.connect() as connection:
        c4 = connection.execute(
            select(Customer.id).where(Customer.external_id == "C4")
        ).scalar_one()
    found = advocates.find_advocates(engine, now=NOW, tiers={c4: "top"})
    valued = {a["customer_id"]: a for a in found}

    assert valued["C4"]["score"] == round(ids["C4"] + 10, 1)
    assert valued["C4"]["evidence"]["tier"] == "top"
    with pytest.raises(InvalidInput, match="status: one of active, candidate, lapsed"):
        advocates.find_advocates(engine, now=NOW, status="<script>")
    engine.dispose()


def test_the_advocates_from_the_command_line(
    engine: Engine, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", database_url, "advocates", "list", "--json")

    assert code == 0, err
    listed = json.loads(out)
    assert listed
    for advocate in listed:
        assert {"customer_id", "score", "status", "evidence", "reasons"} <= set(advocate)
        assert advocate["customer_id"] != "C2"
    scores = [advocate["score"] for advocate in listed]
    assert scores == sorted(scores, reverse=True)
    code, _, err = run(capsys, "--db", database_url, "advocates", "list", "--status", "fans")
    assert code != 0
    assert "fans" in err
    engine.dispose()


def test_the_advocates_through_the_api_for_those_who_may_see_customers(
    engine: Engine, database_url: str
) -> None:
    from fastapi.testclient import TestClient

    from advocacy.access import Role
    from advocacy.config import load_settings
    from advocacy.services import accounts
    from advocacy.web.app import create_app

    tokens = {
        role: accounts.create_token(engine, role, name=role.value, now=NOW)[0]
        for role in (Role.ANALYST, Role.VIEWER)
    }
    app = create_app(load_settings(database_url=database_url), engine=engine,
                     clock=lambda: NOW, worker=False)  # fmt: skip
    analyst = {"Authorization": f"Bearer {tokens[Role.ANALYST]}"}
    viewer = {"Authorization": f"Bearer {tokens[Role.VIEWER]}"}
    with TestClient(app) as client:
        seen = client.get("/api/v1/advocates?status=active", headers=analyst)
        refused = client.get("/api/v1/advocates", headers=viewer)
        bad = client.get("/api/v1/advocates?status=x", headers=analyst)

    assert seen.status_code == 200
    assert {a["status"] for a in seen.json()["advocates"]} <= {"active"}
    assert refused.status_code == 403
    assert bad.status_code == 400
    engine.dispose()
