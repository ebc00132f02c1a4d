"""Replies, templates, re-surveys and the closing-the-loop metrics through the JSON API: read by
whoever reads feedback, written by whoever works it, the rules of the game set by the leads."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from advocacy.access import Role
from advocacy.services import cases as casework
from advocacy.services import surveys
from advocacy.store.tables import FeedbackItem
from tests.web.conftest import Site


def _bearer(site: Site, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.token(role)}"}


def _case(site: Site) -> dict[str, object]:
    """The case of C1 (Ana López, es-ES): a detractor answer and a Trustpilot review of 1."""
    engine = site.app.state.engine
    casework.run_rules(engine, now=site.clock.now, since=dt.datetime(2000, 1, 1))
    [case] = casework.list_cases(engine, now=site.clock.now, customer_ref="C1")
    return case


def test_an_advocate_replies_from_a_template_in_the_customers_language(site: Site) -> None:
    case = _case(site)
    client = site.client()
    path = f"/api/v1/cases/{case['id']}/replies"

    written = client.post(path, json={"template": "apology"}, headers=_bearer(site, Role.ADVOCATE))
    listed = client.get(path, headers=_bearer(site, Role.ANALYST))

    assert written.status_code == 201, written.text
    reply = written.json()
    assert (reply["language"], reply["channel"], reply["status"]) == ("es", "email", "queued")
    assert reply["to_address"] == "ana@example.es"
    assert reply["body"].startswith("Hola, Ana López:")
    assert "test\nEquipo de atención al cliente" in reply["body"]  # signed by the token's name
    assert listed.json() == {"replies": [reply]}
    timeline = client.get(f"/api/v1/cases/{case['id']}", headers=_bearer(site, Role.ANALYST))
    assert timeline.json()["timeline"][-1]["kind"] == "reply"


def test_a_public_reply_waits_to_be_posted_until_someone_says_it_was(site: Site) -> None:
    case = _case(site)
    client = site.client()
    advocate = _bearer(site, Role.ADVOCATE)
    items = FeedbackItem.__table__.c
    with site.app.state.engine.connect() as connection:
        review = connection.scalar(
            select(items.id).where(items.kind == "review", items.id.in_(case["source_item_ids"]))
        )
    hostile = "<script>alert('x')</script> =1+1 Lo sentimos."

    written = client.post(
        f"/api/v1/cases/{case['id']}/replies",
        json={"body": hostile, "channel": "platform", "item_id": review},
        headers=advocate,
    )
    assert written.status_code == 201, written.text
    reply = written.json()
    to_post = client.get("/api/v1/replies?status=to_post", headers=_bearer(site, Role.ANALYST))
    posted = client.post(f"/api/v1/replies/{reply['id']}/posted", headers=advocate)
    twice = client.post(f"/api/v1/replies/{reply['id']}/posted", headers=advocate)

    assert (reply["channel"], reply["status"], reply["platform"]) == (
        "platform",
        "to_post",
        "trustpilot",
    )
    assert reply["body"] == hostile  # stored as written; JSON carries it as text
    assert [r["id"] for r in to_post.json()["replies"]] == [reply["id"]]
    assert posted.status_code == 200
    assert posted.json()["status"] == "posted"
    assert twice.status_code == 400
    assert "not waiting to be posted" in twice.json()["error"]["detail"]
    left = client.get("/api/v1/replies?status=to_post", headers=_bearer(site, Role.ANALYST))
    assert left.json() == {"replies": []}


def test_who_may_not_reply_cannot_and_bad_replies_are_refused_with_the_reason(site: Site) -> None:
    case = _case(site)
    client = site.client()
    path = f"/api/v1/cases/{case['id']}/replies"
    advocate = _bearer(site, Role.ADVOCATE)

    assert client.get(path, headers=_bearer(site, Role.VIEWER)).status_code == 403
    assert (
        client.post(path, json={"body": "Hi"}, headers=_bearer(site, Role.ANALYST)).status_code
        == 403
    )
    assert client.post(path, json={"body": "Hi"}).status_code == 401
    for bad in (
        {"body": "Hi", "template": "apology"},
        {},
        {"body": "x" * 10_001},
        {"body": "x" * 30_000},
        {"body": "Hi", "channel": "sms"},
        {"body": ["not", "text"]},
    ):
        refused = client.post(path, json=bad, headers=advocate)
        assert refused.status_code == 400, (bad, refused.text)
    assert (
        client.post("/api/v1/cases/999999/replies", json={"body": "Hi"}, headers=advocate)
    ).status_code == 404
    assert client.get("/api/v1/cases/999999/replies", headers=advocate).status_code == 404
    assert client.get("/api/v1/replies?status=lost", headers=advocate).status_code == 400
    assert client.post("/api/v1/replies/999999/posted", headers=advocate).status_code == 404
    assert client.get(path, headers=advocate).json() == {"replies": []}


def test_leads_reword_templates_and_others_only_read_them(site: Site) -> None:
    client = site.client()
    path = "/api/v1/reply-templates/apology/ro"
    wording = {"subject": "Ne cerem scuze", "body": "Bună ziua, {customer_name}! <b>Scuze.</b>"}

    listed = client.get("/api/v1/reply-templates", headers=_bearer(site, Role.ANALYST))
    refused = client.put(path, json=wording, headers=_bearer(site, Role.ADVOCATE))
    saved = client.put(path, json=wording, headers=_bearer(site, Role.LEAD))
    unknown = client.put(
        path, json={"subject": "x", "body": "{customer_email}"}, headers=_bearer(site, Role.LEAD)
    )

    assert listed.status_code == 200
    assert len(listed.json()["templates"]) == 28
    assert refused.status_code == 403
    assert saved.status_code == 200
    assert saved.json()["custom"] is True
    assert saved.json()["placeholders"] == ["customer_name"]
    assert unknown.status_code == 400
    assert "{customer_email}" in unknown.json()["error"]["detail"]
    again = client.get("/api/v1/reply-templates", headers=_bearer(site, Role.ANALYST)).json()
    [romanian] = [t for t in again["templates"] if (t["key"], t["language"]) == ("apology", "ro")]
    assert romanian["body"] == wording["body"]


def test_leads_turn_the_re_survey_on_and_the_metrics_count_the_cases(site: Site) -> None:
    case = _case(site)
    engine = site.app.state.engine
    surveys.create_survey(engine, now=site.clock.now, key="after-case", name="After your case")
    client = site.client()
    lead, analyst = _bearer(site, Role.LEAD), _bearer(site, Role.ANALYST)
    turned_on = {"enabled": True, "survey": "after-case", "delay_days": 3}

    before = client.get("/api/v1/resurvey-setting", headers=analyst)
    refused = client.put("/api/v1/resurvey-setting", json=turned_on, headers=analyst)
    missing = client.put(
        "/api/v1/resurvey-setting", json={**turned_on, "survey": "nope"}, headers=lead
    )
    saved = client.put("/api/v1/resurvey-setting", json=turned_on, headers=lead)
    advocate = _bearer(site, Role.ADVOCATE)
    path = f"/api/v1/cases/{case['id']}/resurvey"
    too_early = client.post(path, json={"survey": "after-case"}, headers=advocate)
    casework.change_status(engine, int(str(case["id"])), "resolved", now=site.clock.now, actor="a")
    asked = client.post(path, json={"survey": "after-case"}, headers=advocate)
    metrics = client.get("/api/v1/case-metrics?since=2000-01-01", headers=analyst)

    assert before.json()["enabled"] is False
    assert refused.status_code == 403
    assert missing.status_code == 404
    assert saved.json()["enabled"] is True
    assert saved.json()["updated_by"] == "test"
    assert too_early.status_code == 400
    assert asked.status_code == 201, asked.text
    assert asked.json()["invitation_id"] > 0
    assert metrics.status_code == 200
    overall = metrics.json()["overall"]
    assert overall["resolved"] == 1
    assert overall["resurvey"]["sent"] == 1
    assert "unassigned" in metrics.json()["teams"]
    assert client.get("/api/v1/case-metrics?since=2026-13-45", headers=analyst).status_code == 400
    assert client.get("/api/v1/case-metrics?since=soon", headers=analyst).status_code == 400
    assert client.get("/api/v1/case-metrics", headers=_bearer(site, Role.VIEWER)).status_code == 403
