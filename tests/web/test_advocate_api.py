"""The advocate programme through the JSON API: read by whoever may see customers, worked by
whoever works feedback, set up by leads; bad input is refused with 400 and nothing changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from advocacy import open_catalogue
from advocacy.access import Role
from tests import factories
from tests.web.conftest import Site


def import_promoters(site: Site, tmp_path: Any) -> None:
    """Two recent promoter answers each for C1 and C3: two active advocates."""
    now = site.clock.now
    rows = [
        {
            "response_id": f"P{n}",
            "customer_id": customer,
            "score": 10,
            "comment": "",
            "responded_at": (now - dt.timedelta(days=days)).isoformat(),
        }
        for n, (customer, days) in enumerate((("C1", 1), ("C1", 5), ("C3", 2), ("C3", 6)))
    ]
    catalogue = open_catalogue(site.url)
    try:
        catalogue.import_file("nps", factories.write_csv(tmp_path / "promoters.csv", rows))
    finally:
        catalogue.close()


@pytest.fixture
def api(site: Site, tmp_path: Any) -> tuple[Site, TestClient, dict[Role, dict[str, str]]]:
    import_promoters(site, tmp_path)
    headers = {role: {"Authorization": f"Bearer {site.token(role)}"} for role in Role}
    client = site.client()
    owners = {"owners": ["olga@kelvo.example"], "budget_amount": 100, "thank_you": True}
    assert (
        client.patch(
            "/api/v1/advocate-settings", json=owners, headers=headers[Role.LEAD]
        ).status_code
        == 200
    )
    ran = client.post("/api/v1/advocates/run", headers=headers[Role.LEAD])
    assert ran.status_code == 200, ran.text
    return site, client, headers


def test_the_advocates_are_listed_with_their_owners_and_one_shown_whole(
    api: tuple[Site, TestClient, dict[Role, dict[str, str]]],
) -> None:
    _site, client, headers = api

    listed = client.get(
        "/api/v1/advocates?owner=olga@kelvo.example&status=active", headers=headers[Role.ANALYST]
    )
    shown = client.get("/api/v1/advocates/C1", headers=headers[Role.ANALYST])

    assert listed.status_code == 200
    assert {a["customer_id"] for a in listed.json()["advocates"]} == {"C1", "C3"}
    assert listed.json()["counts"]["active"] == 2
    assert shown.json()["owner"] == "olga@kelvo.example"
    assert {t["kind"] for t in shown.json()["tasks"]} == {"welcome", "reward"}
    assert client.get("/api/v1/advocates/C4", headers=headers[Role.ANALYST]).status_code == 404
    assert client.get("/api/v1/advocates/C1", headers=headers[Role.VIEWER]).status_code == 403


def test_tasks_are_done_by_those_who_work_feedback_and_not_by_others(
    api: tuple[Site, TestClient, dict[Role, dict[str, str]]],
) -> None:
    _site, client, headers = api
    tasks = client.get("/api/v1/advocate-tasks?customer=C1", headers=headers[Role.ANALYST]).json()
    welcome = next(t for t in tasks["tasks"] if t["kind"] == "welcome")
    path = f"/api/v1/advocate-tasks/{welcome['id']}"

    refused = client.post(f"{path}/done", json={}, headers=headers[Role.ANALYST])
    done = client.post(
        f"{path}/done", json={"note": "<b>Called</b>"}, headers=headers[Role.ADVOCATE]
    )
    again = client.post(f"{path}/done", json={}, headers=headers[Role.ADVOCATE])

    assert tasks["counts"]["open"] == 4
    assert refused.status_code == 403
    assert (done.status_code, done.json()["note"]) == (200, "<b>Called</b>")
    assert again.status_code == 400
    assert "done already" in again.json()["error"]["detail"]
    assert (
        client.post(
            "/api/v1/advocate-tasks/999999/done", json={}, headers=headers[Role.ADVOCATE]
        ).status_code
        == 404
    )


def test_a_task_is_set_by_hand_and_given_to_someone_else(
    api: tuple[Site, TestClient, dict[Role, dict[str, str]]],
) -> None:
    site, client, headers = api
    due = (site.clock.now + dt.timedelta(days=2)).replace(tzinfo=dt.UTC).isoformat()

    made = client.post(
        "/api/v1/advocate-tasks",
        headers=headers[Role.ADVOCATE],
        json={"customer_id": "C3", "title": "Send the mug", "kind": "other", "due_at": due},
    )
    moved = client.post(
        f"/api/v1/advocate-tasks/{made.json()['id']}/assign",
        json={"owner": "pedro@kelvo.example"},
        headers=headers[Role.ADVOCATE],
    )
    bad = client.post(
        "/api/v1/advocate-tasks",
        headers=headers[Role.ADVOCATE],
        json={"customer_id": "C3", "title": "", "due_at": due},
    )

    assert made.status_code == 201, made.text
    assert made.json()["due_at"] == (site.clock.now + dt.timedelta(days=2)).isoformat()
    assert moved.json()["owner"] == "pedro@kelvo.example"
    assert bad.status_code == 400


def test_notes_and_rewards_are_written_within_the_budget(
    api: tuple[Site, TestClient, dict[Role, dict[str, str]]],
) -> None:
    _site, client, headers = api
    worker = headers[Role.ADVOCATE]

    noted = client.post(
        "/api/v1/advocates/C1/log",
        json={"kind": "call", "text": "<script>x</script>"},
        headers=worker,
    )
    given = client.post(
        "/api/v1/advocates/C1/rewards", json={"kind": "Gift card", "amount": 80}, headers=worker
    )
    over = client.post(
        "/api/v1/advocates/C1/rewards", json={"kind": "Dinner", "amount": 30}, headers=worker
    )
    rewards = client.get("/api/v1/advocate-rewards", headers=headers[Role.ANALYST]).json()

    assert noted.status_code == 201
    assert given.json()["budget"]["left"] == 20.0
    assert over.status_code == 400
    assert "over budget" in over.json()["error"]["detail"]
    assert [r["kind"] for r in rewards["rewards"]] == ["Gift card"]
    assert (
        client.post(
            "/api/v1/advocates/C1/log", json={"kind": "gossip", "text": "x"}, headers=worker
        ).status_code
        == 400
    )


def test_settings_are_changed_by_leads_only_and_bad_ones_refused_whole(
    api: tuple[Site, TestClient, dict[Role, dict[str, str]]],
) -> None:
    _site, client, headers = api
    lead = headers[Role.LEAD]
    platforms = [{"name": "Google", "url": "https://g.example/r"}]

    both = client.patch(
        "/api/v1/advocate-settings",
        headers=lead,
        json={"review_invitations": True, "review_platforms": platforms},
    )
    unknown = client.patch("/api/v1/advocate-settings", json={"colour": "red"}, headers=lead)
    bad = client.patch("/api/v1/advocate-settings", json={"task_days": 0}, headers=lead)
    half_good = client.patch(
        "/api/v1/advocate-settings", json={"max_reminders": 5, "task_days": 0}, headers=lead
    )
    refused = client.patch(
        "/api/v1/advocate-settings", json={"task_days": 5}, headers=headers[Role.ADVOCATE]
    )

    assert both.status_code == 200
    assert both.json()["review_invitations"] is True
    assert unknown.status_code == 400
    assert bad.status_code == 400
    assert half_good.status_code == 400
    assert "task_days" in half_good.json()["error"]["detail"]
    assert refused.status_code == 403
    saved = client.get("/api/v1/advocate-settings", headers=lead).json()
    assert saved["task_days"] == 3
    assert saved["max_reminders"] == 3  # nothing of a refused change is saved
    assert client.post("/api/v1/advocates/run", headers=headers[Role.ADVOCATE]).status_code == 403


def test_messages_are_listed_and_cancelled_and_the_review_audit_read(
    api: tuple[Site, TestClient, dict[Role, dict[str, str]]],
) -> None:
    _site, client, headers = api

    listed = client.get(
        "/api/v1/customer-messages?kind=thank_you&status=queued", headers=headers[Role.ANALYST]
    ).json()["messages"]
    cancelled = client.post(
        f"/api/v1/customer-messages/{listed[0]['id']}/cancel", headers=headers[Role.ADVOCATE]
    )
    audit = client.get(
        "/api/v1/review-invitations/audit?since=2026-01-01T00:00:00Z", headers=headers[Role.ANALYST]
    )

    assert {m["customer_id"] for m in listed} == {"C1", "C3"}
    assert cancelled.json() == {"id": listed[0]["id"], "status": "cancelled"}
    assert audit.status_code == 200
    assert audit.json()["gated"] is False
    assert (
        client.get("/api/v1/customer-messages?kind=spam", headers=headers[Role.ANALYST]).status_code
        == 400
    )
