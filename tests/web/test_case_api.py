"""Cases through the JSON API: read by whoever reads feedback, worked by whoever works it."""

from __future__ import annotations

import datetime as dt

from advocacy.access import Role
from advocacy.services import case_rules
from advocacy.services import cases as casework
from tests.web.conftest import Site


def _cases(site: Site) -> list[dict[str, object]]:
    casework.run_rules(site.app.state.engine, now=site.clock.now, since=dt.datetime(2000, 1, 1))
    client = site.client()
    headers = {"Authorization": f"Bearer {site.token(Role.ANALYST)}"}
    found = client.get("/api/v1/cases?status=active", headers=headers)
    assert found.status_code == 200
    return list(found.json()["cases"])


def test_an_advocate_works_a_case_through_the_api(site: Site) -> None:
    [first, *_] = _cases(site)
    client = site.client()
    advocate = {"Authorization": f"Bearer {site.token(Role.ADVOCATE)}"}

    changed = client.patch(
        f"/api/v1/cases/{first['id']}",
        json={
            "owner": "ana@example.com",
            "team": "Spain",
            "note": "Called her",
            "status": "resolved",
        },
        headers=advocate,
    )

    assert changed.status_code == 200
    case = changed.json()
    assert (case["owner"], case["status"]) == ("ana@example.com", "resolved")
    assert [e["kind"] for e in case["timeline"]][-3:] == ["assigned", "note", "status"]
    assert case["timeline"][-1]["actor"] == "test"  # the token's name


def test_who_cannot_work_cases_cannot_change_them_and_bad_changes_are_refused(site: Site) -> None:
    [first, *_] = _cases(site)
    client = site.client()
    analyst = {"Authorization": f"Bearer {site.token(Role.ANALYST)}"}
    advocate = {"Authorization": f"Bearer {site.token(Role.ADVOCATE)}"}
    viewer = {"Authorization": f"Bearer {site.token(Role.VIEWER)}"}
    path = f"/api/v1/cases/{first['id']}"

    assert client.patch(path, json={"status": "resolved"}, headers=analyst).status_code == 403
    assert client.get(path, headers=viewer).status_code == 403
    refused = client.patch(path, json={"status": "reopened"}, headers=advocate)
    assert refused.status_code == 400
    assert "status" in refused.json()["error"]["detail"]
    assert (
        client.patch("/api/v1/cases/999999", json={"note": "x"}, headers=advocate).status_code
        == 404
    )
    assert client.get(path, headers=analyst).json()["status"] == "open"


def _headers(site: Site, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.token(role)}"}


def test_a_lead_tunes_the_rules_and_who_gets_cases_and_others_may_only_read_them(
    site: Site,
) -> None:
    client = site.client()
    lead, advocate = _headers(site, Role.LEAD), _headers(site, Role.ADVOCATE)

    rules = client.get("/api/v1/case-rules", headers=advocate)
    change = {"enabled": False, "params": {"grace_days": 2}}
    changed = client.patch("/api/v1/case-rules/late_delivery", json=change, headers=lead)
    refused = client.patch("/api/v1/case-rules/late_delivery", json={"enabled": True},
                           headers=advocate)  # fmt: skip
    bad = client.patch("/api/v1/case-rules/late_delivery", json={"params": {"grace_days": "x"}},
                       headers=lead)  # fmt: skip
    unknown = client.patch("/api/v1/case-rules/nope", json={}, headers=lead)
    added = client.post("/api/v1/assignment-rules", headers=lead, json={
        "name": "Spanish", "team": "Iberia", "owners": ["ana@example.com"],
        "conditions": {"language": ["es"]},
    })  # fmt: skip
    hostile = client.post("/api/v1/assignment-rules", headers=lead, json={
        "name": "x", "owners": ["<img src=x onerror=alert(1)>"],
    })  # fmt: skip

    assert rules.status_code == 200
    assert {"late_delivery", "detractor", "nps_drop"} <= {r["name"] for r in rules.json()["rules"]}
    assert changed.status_code == 200
    assert (changed.json()["enabled"], changed.json()["params"]["grace_days"]) == (False, 2.0)
    assert refused.status_code == 403
    assert bad.status_code == 400
    assert "a number" in bad.json()["error"]["detail"]
    assert unknown.status_code == 404
    assert added.status_code == 201
    assert added.json()["next_owner"] == "ana@example.com"
    assert hostile.status_code == 400
    listed = client.get("/api/v1/assignment-rules", headers=advocate).json()["assignment_rules"]
    assert [rule["name"] for rule in listed] == ["Spanish"]
    assert client.delete(f"/api/v1/assignment-rules/{listed[0]['id']}",
                         headers=advocate).status_code == 403  # fmt: skip
    assert client.delete(f"/api/v1/assignment-rules/{listed[0]['id']}",
                         headers=lead).status_code == 204  # fmt: skip
    assert client.delete("/api/v1/assignment-rules/999", headers=lead).status_code == 404


def test_proactive_cases_and_their_value_at_risk_through_the_api(site: Site) -> None:
    # The factories' order O1 was promised for 4 March 2025 and came on the 9th; O2, promised
    # for the 6th, never came. Watched over ten years, both are late.
    engine = site.app.state.engine
    case_rules.set_rule(engine, "late_delivery", now=site.clock.now, actor="lead@example.com",
                        params={"window_days": 3650})  # fmt: skip
    casework.run_rules(engine, now=site.clock.now, since=dt.datetime(2000, 1, 1))
    client = site.client()
    analyst = _headers(site, Role.ANALYST)

    summary = client.get("/api/v1/cases/summary?status=all", headers=analyst)
    by_delay = client.get("/api/v1/cases/summary?sort=delay_days", headers=analyst)
    bad = client.get("/api/v1/cases/summary?sort=1;drop", headers=analyst)
    viewer = client.get("/api/v1/cases/summary", headers=_headers(site, Role.VIEWER))

    assert summary.status_code == 200
    assert by_delay.status_code == 200
    assert bad.status_code == 400
    assert viewer.status_code == 403
    assert "definitions" in summary.json()
    listed = summary.json()["cases"]
    assert {case["order"] for case in listed} == {"O1", "O2"}
    assert {total["currency"] for total in summary.json()["totals"]} == {"EUR", "RUB"}
    o1 = next(case for case in listed if case["order"] == "O1")
    assert o1["delay_days"] == 5.5  # 9 March, 11:00 UTC, counted from the promised 4 March


def test_an_advocate_opens_a_case_by_hand_about_an_item(site: Site) -> None:
    client = site.client()
    advocate = _headers(site, Role.ADVOCATE)
    from sqlalchemy import select

    from advocacy.store.tables import FeedbackItem

    with site.app.state.engine.connect() as connection:
        item = connection.execute(select(FeedbackItem.id).limit(1)).scalar_one()

    new = {"item_ids": [item], "title": "<b>Call</b> back", "priority": "high"}
    opened = client.post("/api/v1/cases", headers=advocate, json=new)
    again = client.post("/api/v1/cases", headers=advocate, json={"item_ids": [item]})
    nothing = client.post("/api/v1/cases", headers=advocate, json={})
    missing = client.post("/api/v1/cases", headers=advocate, json={"item_ids": [10**9]})
    huge = client.post("/api/v1/cases", headers=advocate, json={"title": "x" * 301,
                                                                "customer_id": "C1"})  # fmt: skip
    analyst = client.post("/api/v1/cases", headers=_headers(site, Role.ANALYST),
                          json={"customer_id": "C1"})  # fmt: skip

    assert opened.status_code == 201
    case = opened.json()
    assert (case["title"], case["priority"], case["type"]) == ("<b>Call</b> back", "high", "manual")
    assert case["source_item_ids"] == [item]
    assert again.status_code == 400
    assert "already" in again.json()["error"]["detail"]
    assert nothing.status_code == 400
    assert missing.status_code == 404
    assert huge.status_code == 400
    assert analyst.status_code == 403


def test_a_lead_sets_the_sla_of_a_type_and_an_advocate_may_only_read_it(site: Site) -> None:
    client = site.client()
    lead, advocate = _headers(site, Role.LEAD), _headers(site, Role.ADVOCATE)
    change = {"priority": "high", "hours": 8, "type": "proactive"}

    changed = client.put("/api/v1/sla", json=change, headers=lead)
    refused = client.put("/api/v1/sla", json=change, headers=advocate)
    bad = client.put("/api/v1/sla", json={"priority": "high", "hours": -1}, headers=lead)

    assert changed.status_code == 200
    assert changed.json()["by_type"] == {"proactive": {"high": 8.0}}
    assert refused.status_code == 403
    assert bad.status_code == 400
    assert client.get("/api/v1/sla", headers=advocate).json()["hours"]["high"] == 24
