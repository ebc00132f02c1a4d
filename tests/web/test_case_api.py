"""Cases through the JSON API: read by whoever reads feedback, worked by whoever works it."""

from __future__ import annotations

import datetime as dt

from advocacy.access import Role
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
