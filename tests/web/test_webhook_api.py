"""Webhooks through the JSON API and the command line: for leads and admins only, a secret
shown once, bad addresses refused with the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest

from advocacy.access import Role
from advocacy.services import cases as casework
from advocacy.services import notifications as notify
from tests.e2e.test_cli import run
from tests.mail_server import free_port
from tests.web.conftest import Site
from tests.webhook_receiver import Receiver


def _as(site: Site, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.token(role)}"}


def test_a_lead_adds_lists_and_removes_a_webhook_and_sees_its_secret_only_once(
    site: Site,
) -> None:
    client, lead = site.client(), _as(site, Role.LEAD)

    created = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.kelvo.example/advocacy", "events": ["assigned", "escalated"],
              "description": "Slack bridge"},
        headers=lead,
    )  # fmt: skip
    listed = client.get("/api/v1/webhooks", headers=lead)

    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_")
    assert len(hook["secret"]) > 40
    assert (hook["url"], hook["events"], hook["active"]) == (
        "https://hooks.kelvo.example/advocacy",
        ["assigned", "escalated"],
        True,
    )
    assert hook["created_by"] == "test"  # the token's name
    assert listed.status_code == 200
    assert listed.json() == {"webhooks": [{k: v for k, v in hook.items() if k != "secret"}]}
    assert hook["secret"] not in listed.text

    removed = client.delete(f"/api/v1/webhooks/{hook['id']}", headers=lead)
    assert removed.status_code == 200
    assert removed.json() == {"id": hook["id"], "active": False, "cancelled": 0}
    assert client.get("/api/v1/webhooks", headers=lead).json() == {"webhooks": []}
    assert client.delete("/api/v1/webhooks/999", headers=lead).status_code == 404


def test_only_those_who_set_the_rules_of_casework_manage_webhooks(site: Site) -> None:
    client = site.client()
    body = {"url": "https://hooks.kelvo.example/x"}

    for role in (Role.ADVOCATE, Role.ANALYST, Role.VIEWER):
        headers = _as(site, role)
        assert client.get("/api/v1/webhooks", headers=headers).status_code == 403
        assert client.post("/api/v1/webhooks", json=body, headers=headers).status_code == 403
        assert client.delete("/api/v1/webhooks/1", headers=headers).status_code == 403
        assert client.get("/api/v1/webhooks/deliveries", headers=headers).status_code == 403
    assert client.get("/api/v1/webhooks").status_code == 401
    admin = _as(site, Role.ADMIN)
    assert client.post("/api/v1/webhooks", json=body, headers=admin).status_code == 201


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"url": "ftp://hooks.kelvo.example/x"}, "http"),
        ({"url": "https://"}, "host"),
        ({"url": "javascript:alert(1)"}, "http"),
        ({"url": "https://hooks.kelvo.example/" + "x" * 2000}, "url"),
        ({"url": "https://hooks.kelvo.example/x", "events": ["nope"]}, "unknown event kind"),
        ({"url": "https://hooks.kelvo.example/x", "description": "d" * 201}, "description"),
        ({"events": ["assigned"]}, "url"),
    ],
)
def test_bad_webhooks_are_refused_with_the_reason(
    site: Site, body: dict[str, Any], reason: str
) -> None:
    client, lead = site.client(), _as(site, Role.LEAD)

    refused = client.post("/api/v1/webhooks", json=body, headers=lead)

    assert refused.status_code == 400
    assert reason in refused.json()["error"]["detail"]
    assert client.get("/api/v1/webhooks", headers=lead).json() == {"webhooks": []}


def test_a_lead_reads_the_deliveries_with_their_status_and_errors(site: Site) -> None:
    engine, now = site.app.state.engine, site.clock.now
    client, lead = site.client(), _as(site, Role.LEAD)
    with Receiver(410) as receiver:
        hook = client.post("/api/v1/webhooks", json={"url": receiver.url}, headers=lead).json()
        case_id = casework.open_case(engine, now=now, title="Late parcel")
        settings = site.app.state.settings
        notify.queue_notifications(engine, settings, now=now)
        notify.deliver_notifications(engine, settings, None, now=now)

    found = client.get(f"/api/v1/webhooks/deliveries?webhook={hook['id']}", headers=lead)
    failed = client.get("/api/v1/webhooks/deliveries?status=failed", headers=lead)
    bad = client.get("/api/v1/webhooks/deliveries?status=lost", headers=lead)

    assert found.status_code == 200
    [delivery] = found.json()["deliveries"]
    assert (delivery["case_id"], delivery["event"], delivery["target"]) == (
        case_id,
        "opened",
        f"webhook:{hook['id']}",
    )
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == (
        "failed",
        1,
        410,
    )
    assert failed.json()["deliveries"] == [delivery]
    assert bad.status_code == 400


# --- The command line --------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--db", url, "webhooks", *args)


def test_the_command_line_adds_tests_lists_and_removes_webhooks(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    with Receiver() as receiver:
        code, out, err = _cli(capsys, database_url, "add", receiver.url, "--event", "assigned",
                              "--event", "escalated", "--description", "CRM", "--json")  # fmt: skip
        assert code == 0, err
        hook = json.loads(out)
        tested = _cli(capsys, database_url, "test", str(hook["id"]))

    listed = _cli(capsys, database_url, "list", "--json")
    table = _cli(capsys, database_url, "list")
    removed = _cli(capsys, database_url, "remove", str(hook["id"]))
    deliveries = _cli(capsys, database_url, "deliveries", "--json")

    assert hook["secret"].startswith("whsec_")
    assert hook["events"] == ["assigned", "escalated"]
    assert tested[0] == 0, tested[2]
    assert "answered 200" in tested[1]
    [ping] = receiver.requests
    assert ping.signed_by(hook["secret"])
    assert ping.document["event"] == "ping"
    assert listed[0] == 0
    assert json.loads(listed[1]) == [{k: v for k, v in hook.items() if k != "secret"}]
    assert hook["secret"] not in listed[1] + table[1]
    assert "assigned, escalated" in table[1]
    assert removed[0] == 0
    assert "removed" in removed[1]
    assert deliveries[0] == 0
    assert json.loads(deliveries[1]) == []


def test_the_command_line_says_why_a_webhook_is_refused_or_a_test_failed(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    bad_url = _cli(capsys, database_url, "add", "ftp://hooks.kelvo.example/x")
    bad_kind = _cli(capsys, database_url, "add", "https://hooks.kelvo.example/x", "--event", "x")
    _, out, _ = _cli(capsys, database_url, "add", f"http://127.0.0.1:{free_port()}/", "--json")
    down = json.loads(out)["id"]
    failed = _cli(capsys, database_url, "test", str(down), "--json")
    unknown = _cli(capsys, database_url, "remove", "999")

    assert bad_url[0] == 65
    assert "url: an http:// or https:// address" in bad_url[2]
    assert bad_kind[0] == 65
    assert "unknown event kind 'x'" in bad_kind[2]
    assert "assigned" in bad_kind[2]
    assert failed[0] == 1
    assert json.loads(failed[1])["status"] == "failed"
    assert "cannot reach 127.0.0.1" in failed[2]
    assert unknown[0] == 66
