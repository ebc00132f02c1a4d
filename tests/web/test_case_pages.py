"""The case pages: the queue most urgent first with its filters, a case worked from its page
(assign, note, status) with every step on its timeline, refusals that keep what was typed,
and the roles: viewers see no cases, analysts read them, advocates work them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from advocacy.access import Role
from advocacy.services import cases as casework
from advocacy.store.tables import Customer
from tests.web.conftest import Site, csrf_of

HOSTILE = "<script>alert('x')</script>"


def _rules(site: Site) -> list[dict[str, object]]:
    """Cases opened by the rules on the test catalogue, most urgent first."""
    engine = site.app.state.engine
    casework.run_rules(engine, now=site.clock.now, since=dt.datetime(2000, 1, 1))
    found = casework.list_cases(engine, now=site.clock.now, status="active")
    assert found, "the test catalogue opens cases"
    return found


def _customer_key(site: Site, ref: str) -> int:
    c = Customer.__table__.c
    with site.app.state.engine.connect() as connection:
        return int(connection.scalar(select(c.id).where(c.external_id == ref)))


def _manual(site: Site, title: str = "Parcel lost", **values: object) -> int:
    return casework.open_case(
        site.app.state.engine,
        now=site.clock.now,
        title=title,
        customer_id=_customer_key(site, "C1"),
        **values,  # type: ignore[arg-type]
    )


def _shown_ids(text: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-case="(\d+)"', text)]


def test_the_queue_lists_active_cases_most_urgent_first_with_customer_and_due_time(
    site: Site,
) -> None:
    expected = _rules(site)
    client = site.login(Role.ADVOCATE)

    page = client.get("/cases")

    assert page.status_code == 200
    assert _shown_ids(page.text) == [case["id"] for case in expected]
    assert '<a href="/customers/C1">Ana López</a>' in page.text
    assert "<caption>" in page.text
    assert 'scope="col"' in page.text
    assert "due in" in page.text
    assert 'href="/cases"' in page.text
    assert 'aria-current="page"' in page.text


def test_a_case_past_its_due_time_reads_overdue_by_hours_on_the_requests_clock(
    site: Site,
) -> None:
    case_id = _manual(site, priority="urgent")  # due in 4 hours
    site.clock.advance(hours=7)
    client = site.login(Role.ADVOCATE)

    page = client.get("/cases?overdue=yes")

    assert _shown_ids(page.text) == [case_id]
    assert "overdue by 3 h" in page.text
    row = page.text.split(f'data-case="{case_id}"')[1].split("</tr>")[0]
    assert "late" in page.text.split(f'data-case="{case_id}"')[0].rsplit("<tr", 1)[1]
    assert "Urgent" in row


def test_the_queue_counts_cases_by_status(site: Site) -> None:
    first = _manual(site, title="One")
    _manual(site, title="Two")
    casework.change_status(
        site.app.state.engine, first, "resolved", now=site.clock.now, actor="test"
    )
    client = site.login(Role.ANALYST)

    counts = client.get("/cases").text.split('data-testid="case-counts"')[1].split("</ul>")[0]

    assert re.search(r"<strong>1</strong> active", counts)
    assert re.search(r"<strong>1</strong> Resolved", counts)
    assert re.search(r"<strong>1</strong> Open", counts)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", ["Urgent one", "Mine", "Team Spain"]),
        ("?status=all", ["Urgent one", "Mine", "Team Spain", "Done"]),
        ("?status=resolved", ["Done"]),
        ("?priority=urgent", ["Urgent one"]),
        ("?owner=mine", ["Mine"]),
        ("?owner=none", ["Urgent one"]),
        ("?team=Spain", ["Team Spain"]),
        ("?type=manual&customer=C1", ["Urgent one", "Mine", "Team Spain"]),
        ("?customer=C2", []),
    ],
)
def test_queue_filters_select_the_cases_asked_for(
    site: Site, query: str, titles: list[str]
) -> None:
    engine, now = site.app.state.engine, site.clock.now
    _manual(site, title="Urgent one", priority="urgent")
    _manual(site, title="Mine", owner="advocate@example.com")
    _manual(site, title="Team Spain", team="Spain", owner="ana@example.com")
    done = _manual(site, title="Done", owner="ana@example.com")
    casework.change_status(engine, done, "resolved", now=now, actor="test")
    client = site.login(Role.ADVOCATE)

    page = client.get("/cases" + query)

    assert page.status_code == 200
    shown = re.findall(r'<a href="/cases/\d+">([^<]+)</a>', page.text)
    assert shown == titles


def test_a_bad_queue_filter_gets_a_clear_error(site: Site) -> None:
    client = site.login(Role.ADVOCATE)

    refused = client.get("/cases?status=sleeping")

    assert refused.status_code == 400
    assert "status: one of" in refused.text


def test_the_case_page_shows_the_customer_the_feedback_and_the_timeline(site: Site) -> None:
    [case, *_] = [c for c in _rules(site) if c["customer_id"] == "C1"]
    client = site.login(Role.ANALYST)

    page = client.get(f"/cases/{case['id']}")

    assert page.status_code == 200
    assert '<a href="/customers/C1">Ana López</a>' in page.text
    for item_id in case["source_item_ids"]:  # type: ignore[attr-defined]
        assert f'href="/feedback/{item_id}"' in page.text
    assert "El pedido llegó tarde." in page.text
    assert "Opened: Detractor, priority High" in page.text
    assert "Work the case" not in page.text  # an analyst reads only


def test_an_advocate_assigns_a_case_to_themselves_notes_it_and_resolves_it(site: Site) -> None:
    case_id = _manual(site)
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, f"/cases/{case_id}")

    assigned = client.post(
        f"/cases/{case_id}/assign",
        data={"csrf_token": csrf, "me": "yes", "team": "Spain"},
        follow_redirects=False,
    )
    noted = client.post(
        f"/cases/{case_id}/notes", data={"csrf_token": csrf, "text": "Called her: " + HOSTILE}
    )
    client.post(f"/cases/{case_id}/status", data={"csrf_token": csrf, "status": "in_progress"})
    resolved = client.post(
        f"/cases/{case_id}/status",
        data={"csrf_token": csrf, "status": "resolved", "note": "Refund sent"},
    )

    assert assigned.status_code == 303
    assert assigned.headers["location"] == f"/cases/{case_id}?done=assigned"
    assert noted.status_code == 200
    assert "Note added." in noted.text
    assert resolved.status_code == 200
    assert "Status changed." in resolved.text
    case = casework.get_case(site.app.state.engine, case_id, now=site.clock.now)
    assert (case["owner"], case["team"], case["status"]) == (
        "advocate@example.com",
        "Spain",
        "resolved",
    )
    timeline = resolved.text.split('data-testid="timeline"')[1]
    assert "Assigned to advocate@example.com, team Spain" in timeline
    assert "Status: Open → In progress" in timeline
    assert "Status: In progress → Resolved" in timeline
    assert "Refund sent" in timeline
    assert HOSTILE not in resolved.text
    assert "Called her: &lt;script&gt;" in resolved.text
    assert [e["actor"] for e in case["timeline"]][-4:] == ["advocate"] * 4


def test_only_the_allowed_next_statuses_are_offered(site: Site) -> None:
    case_id = _manual(site)
    engine = site.app.state.engine
    casework.change_status(engine, case_id, "resolved", now=site.clock.now, actor="test")
    client = site.login(Role.ADVOCATE)

    page = client.get(f"/cases/{case_id}")

    form = page.text.split('data-testid="status-form"')[1].split("</form>")[0]
    assert re.findall(r'<option value="([a-z_]+)"', form) == ["in_progress", "closed"]


def test_a_refused_move_says_why_and_keeps_the_note_typed(site: Site) -> None:
    case_id = _manual(site)
    engine = site.app.state.engine
    casework.change_status(engine, case_id, "closed", now=site.clock.now, actor="test")
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, f"/cases/{case_id}")

    refused = client.post(
        f"/cases/{case_id}/status",
        data={"csrf_token": csrf, "status": "waiting", "note": "Still waiting <b>for</b> her"},
    )

    assert refused.status_code == 400
    assert "A case that is Closed cannot become Waiting." in refused.text
    assert "Still waiting &lt;b&gt;for&lt;/b&gt; her</textarea>" in refused.text
    assert casework.get_case(engine, case_id, now=site.clock.now)["status"] == "closed"


def test_a_bad_owner_e_mail_is_refused_with_what_was_typed_kept(site: Site) -> None:
    case_id = _manual(site)
    client = site.login(Role.LEAD)
    csrf = csrf_of(client, f"/cases/{case_id}")

    refused = client.post(
        f"/cases/{case_id}/assign",
        data={"csrf_token": csrf, "owner": "not an address", "team": "Romania"},
    )
    empty = client.post(f"/cases/{case_id}/notes", data={"csrf_token": csrf, "text": "   "})

    assert refused.status_code == 400
    assert "The owner is an e-mail address" in refused.text
    assert 'value="not an address"' in refused.text
    assert 'value="Romania"' in refused.text
    assert empty.status_code == 400
    assert "Write the note first" in empty.text
    case = casework.get_case(site.app.state.engine, case_id, now=site.clock.now)
    assert case["owner"] is None
    assert [e["kind"] for e in case["timeline"]] == ["opened"]


def test_a_hostile_case_title_is_shown_as_text(site: Site) -> None:
    case_id = _manual(site, title=HOSTILE)
    client = site.login(Role.ADVOCATE)

    queue, page = client.get("/cases"), client.get(f"/cases/{case_id}")

    for text in (queue.text, page.text):
        assert HOSTILE not in text
        assert "&lt;script&gt;" in text


@pytest.mark.parametrize("role", [Role.ANALYST, Role.VIEWER])
def test_who_does_not_work_feedback_cannot_change_a_case(site: Site, role: Role) -> None:
    case_id = _manual(site)
    client = site.login(role)
    csrf = csrf_of(client, "/")

    changes = [
        client.post(f"/cases/{case_id}/assign", data={"csrf_token": csrf, "me": "yes"}),
        client.post(f"/cases/{case_id}/notes", data={"csrf_token": csrf, "text": "hi"}),
        client.post(f"/cases/{case_id}/status", data={"csrf_token": csrf, "status": "resolved"}),
    ]

    assert [response.status_code for response in changes] == [403, 403, 403]
    case = casework.get_case(site.app.state.engine, case_id, now=site.clock.now)
    assert [e["kind"] for e in case["timeline"]] == ["opened"]


def test_viewers_see_no_cases_and_no_link_to_them(site: Site) -> None:
    case_id = _manual(site)
    client = site.login(Role.VIEWER)

    assert client.get("/cases").status_code == 403
    assert client.get(f"/cases/{case_id}").status_code == 403
    assert 'href="/cases"' not in client.get("/").text


def test_a_change_without_the_forms_token_is_refused(site: Site) -> None:
    case_id = _manual(site)
    client = site.login(Role.ADVOCATE)

    forged = client.post(f"/cases/{case_id}/notes", data={"text": "forged"})
    wrong = client.post(f"/cases/{case_id}/notes", data={"text": "forged", "csrf_token": "x"})

    assert forged.status_code == 403
    assert wrong.status_code == 403
    case = casework.get_case(site.app.state.engine, case_id, now=site.clock.now)
    assert [e["kind"] for e in case["timeline"]] == ["opened"]


def test_an_unknown_case_is_a_helpful_404(site: Site) -> None:
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, "/cases")

    assert client.get("/cases/999999").status_code == 404
    missing = client.post("/cases/999999/notes", data={"csrf_token": csrf, "text": "hello"})
    assert missing.status_code == 404
    assert "no case 999999" in missing.text


def test_a_proactive_case_spells_out_its_value_at_risk(site: Site) -> None:
    engine = site.app.state.engine
    case_id = _manual(site, title="Late delivery of O1", type="proactive", priority="high")
    details = {
        "order_id": "O1",
        "order_value": 120.5,
        "promised_at": "2026-11-10T00:00:00",
        "delay_days": 6,
        "clv": 9000,
        "tier": "gold",
        "expected_clv_lost": 1350,
        "explanation": "15 % of the CLV is lost after a late delivery",
        "carrier": "Rapid <Post>",
    }
    with engine.begin() as connection:
        connection.execute(
            casework.CASES.update()
            .where(casework.CASES.c.id == case_id)
            .values(value_at_risk=1350, currency="EUR", details=details)
        )
    client = site.login(Role.ADVOCATE)

    page = client.get(f"/cases/{case_id}")
    queue = client.get("/cases?type=proactive")

    value = page.text.split('data-testid="case-value"')[1].split("</section>")[0]
    assert "€1,350.00" in value
    for label in ("Order value", "Promised delivery", "Delay (days)", "Expected CLV lost"):
        assert label in value
    assert "€9,000.00" in value
    assert "gold" in value
    assert "Carrier" in value
    assert "Rapid &lt;Post&gt;" in value
    assert "€1,350.00" in queue.text
    assert 'class="badge proactive"' in queue.text


def test_an_advocate_replies_from_a_template_in_the_customers_language(site: Site) -> None:
    case_id = _manual(site)
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, f"/cases/{case_id}")

    written = client.post(
        f"/cases/{case_id}/replies",
        data={"csrf_token": csrf, "template": "apology", "language": ""},
    )

    assert written.status_code == 200
    assert "Reply saved." in written.text
    replies = written.text.split('data-testid="replies"')[1].split("</table>")[0]
    assert "Ana" in replies  # the customer's name filled in
    assert "Queued" in replies
    assert "Spanish" in replies  # es-ES customer: the Spanish wording
    timeline = written.text.split('data-testid="timeline"')[1]
    assert "Reply written (E-mail, Spanish, Apology)" in timeline


def test_a_reply_written_from_the_page_is_signed_with_the_configured_company(
    site_factory: Callable[..., Site],
) -> None:
    site = site_factory(mail_from="Tienda <Sol> <care@tienda.example>")
    case_id = _manual(site)
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, f"/cases/{case_id}")

    written = client.post(
        f"/cases/{case_id}/replies", data={"csrf_token": csrf, "template": "thanks"}
    )

    replies = written.text.split('data-testid="replies"')[1].split("</table>")[0]
    assert "advocate" in replies  # the agent signs
    assert "Tienda" in replies
    assert "<Sol>" not in replies


def test_a_reply_needs_a_template_or_a_text_and_keeps_what_was_typed(site: Site) -> None:
    case_id = _manual(site)
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, f"/cases/{case_id}")

    both = client.post(
        f"/cases/{case_id}/replies",
        data={"csrf_token": csrf, "template": "thanks", "text": "Dear Ana, " + HOSTILE},
    )
    own = client.post(
        f"/cases/{case_id}/replies", data={"csrf_token": csrf, "text": "Dear Ana, " + HOSTILE}
    )

    assert both.status_code == 400
    assert "one of the two" in both.text
    assert "Dear Ana, &lt;script&gt;" in both.text
    assert own.status_code == 200
    assert HOSTILE not in own.text
    assert "Dear Ana, &lt;script&gt;" in own.text.split('data-testid="replies"')[1]


def test_a_lead_switches_a_rule_off_and_tunes_another(site: Site) -> None:
    from advocacy.services import case_rules

    client = site.login(Role.LEAD)
    csrf = csrf_of(client, "/cases/rules")

    off = client.post("/cases/rules/detractor", data={"csrf_token": csrf, "enabled": "no"})
    tuned = client.post(
        "/cases/rules/late_delivery",
        data={
            "csrf_token": csrf,
            "params": "yes",
            "param.grace_days": "1.5",
            "param.window_days": "45",
            "param.min_order_value": "0",
            "param.high_delay_days": "7",
        },
    )

    assert off.status_code == 200
    assert "Rule saved." in tuned.text
    rules = {rule["name"]: rule for rule in case_rules.rules_overview(site.app.state.engine)}
    assert rules["detractor"]["enabled"] is False
    assert rules["late_delivery"]["params"]["grace_days"] == 1.5
    assert rules["late_delivery"]["params"]["window_days"] == 45
    row = tuned.text.split('data-rule="detractor"')[1].split("</tr>")[0]
    assert "Off" in row
    assert "Switch on" in row
    assert 'value="45"' in tuned.text


def test_a_bad_rule_setting_says_why_and_keeps_what_was_typed(site: Site) -> None:
    from advocacy.services import case_rules

    client = site.login(Role.ADMIN)
    csrf = csrf_of(client, "/cases/rules")

    refused = client.post(
        "/cases/rules/detractor",
        data={"csrf_token": csrf, "params": "yes", "param.max_score": "11"},
    )
    words = client.post(
        "/cases/rules/detractor",
        data={"csrf_token": csrf, "params": "yes", "param.max_score": "<b>six</b>"},
    )

    assert refused.status_code == 400
    assert "detractor.max_score: from 0 to 10, not 11" in refused.text
    assert 'name="param.max_score" step="1" value="11"' in refused.text
    assert words.status_code == 400
    assert "<b>six</b>" not in words.text
    rules = {rule["name"]: rule for rule in case_rules.rules_overview(site.app.state.engine)}
    assert rules["detractor"]["params"]["max_score"] == 6


def test_a_lead_sets_the_sla_of_a_type_and_a_bad_value_is_refused_and_kept(site: Site) -> None:
    from advocacy.services import cases as casework

    client = site.login(Role.LEAD)
    csrf = csrf_of(client, "/cases/rules")

    saved = client.post("/cases/sla", data={"csrf_token": csrf, "priority": "high",
                                             "type": "proactive", "hours": "8"})  # fmt: skip
    bad = client.post("/cases/sla", data={"csrf_token": csrf, "priority": "low", "type": "",
                                           "hours": "<b>soon</b>"})  # fmt: skip
    zero = client.post("/cases/sla", data={"csrf_token": csrf, "priority": "low", "type": "",
                                            "hours": "0"})  # fmt: skip
    reset = client.post("/cases/sla", data={"csrf_token": csrf, "priority": "normal", "type": "",
                                             "hours": "", "reset": "yes"})  # fmt: skip
    advocate = site.login(Role.ADVOCATE)
    refused = advocate.post("/cases/sla", data={"csrf_token": csrf_of(advocate, "/cases"),
                                                "priority": "low", "hours": "1"})  # fmt: skip

    assert saved.status_code == 200
    assert "SLA saved." in saved.text
    table = saved.text.split('data-testid="sla-table"')[1].split("</table>")[0]
    assert "8 h" in table
    policy = casework.sla_policy(site.app.state.engine)
    assert policy.period("high", "proactive").total_seconds() == 8 * 3600
    assert bad.status_code == 400
    assert "<b>soon</b>" not in bad.text
    assert "&lt;b&gt;soon&lt;/b&gt;" in bad.text  # kept, escaped
    assert zero.status_code == 400
    assert "hours: more than 0" in zero.text
    assert reset.status_code == 200
    assert policy.hours["low"] == 168
    assert refused.status_code == 403


def test_a_lead_adds_and_removes_an_assignment_rule(site: Site) -> None:
    from advocacy.services import case_rules

    engine = site.app.state.engine
    client = site.login(Role.LEAD)
    csrf = csrf_of(client, "/cases/rules")

    added = client.post(
        "/cases/assignments",
        data={
            "csrf_token": csrf,
            "name": "Spanish detractors",
            "type": "detractor, negative_review",
            "language": "es",
            "team": "Spain",
            "owners": "ana@example.com\nluis@example.com\n",
        },
    )
    bad = client.post(
        "/cases/assignments",
        data={"csrf_token": csrf, "name": "Broken", "owners": "not-an-address", "team": ""},
    )

    assert added.status_code == 200
    assert "Assignment rule added." in added.text
    [rule] = case_rules.list_assignment_rules(engine)
    assert rule["conditions"] == {"type": ["detractor", "negative_review"], "language": ["es"]}
    assert rule["owners"] == ["ana@example.com", "luis@example.com"]
    assert bad.status_code == 400
    assert "owners are e-mail addresses" in bad.text
    assert 'value="Broken"' in bad.text
    removed = client.post(f"/cases/assignments/{rule['id']}/remove", data={"csrf_token": csrf})
    assert removed.status_code == 200
    assert case_rules.list_assignment_rules(engine) == []


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.ANALYST])
def test_only_leads_and_admins_change_the_rules(site: Site, role: Role) -> None:
    from advocacy.services import case_rules

    client = site.login(role)
    csrf = csrf_of(client, "/cases")

    page = client.get("/cases/rules")
    switched = client.post("/cases/rules/detractor", data={"csrf_token": csrf, "enabled": "no"})
    added = client.post(
        "/cases/assignments", data={"csrf_token": csrf, "name": "x", "team": "Spain"}
    )

    assert page.status_code == 403
    assert switched.status_code == 403
    assert added.status_code == 403
    assert 'href="/cases/rules"' not in client.get("/cases").text
    rules = {rule["name"]: rule for rule in case_rules.rules_overview(site.app.state.engine)}
    assert rules["detractor"]["enabled"] is True
    assert case_rules.list_assignment_rules(site.app.state.engine) == []


def _at_risk(site: Site, title: str, value: float, delay: float, currency: str = "EUR") -> int:
    case_id = _manual(site, title=title, type="proactive", priority="high")
    details = {
        "order": f"O-{title}",
        "order_value": 100.0,
        "delay_days": delay,
        "delivered": True,
        "clv": value * 5,
        "tier": "top",
        "expected_clv_lost": value - 100,
    }
    with site.app.state.engine.begin() as connection:
        connection.execute(
            casework.CASES.update()
            .where(casework.CASES.c.id == case_id)
            .values(value_at_risk=value, currency=currency, details=details)
        )
    return case_id


def test_the_summary_lists_cases_by_value_at_risk_with_totals_per_currency(site: Site) -> None:
    small = _at_risk(site, "small", 300, delay=9)
    large = _at_risk(site, "large", 5000, delay=2)
    middle = _at_risk(site, "middle", 1200, delay=4)
    pounds = _at_risk(site, "pounds", 700, delay=1, currency="GBP")
    client = site.login(Role.ANALYST)

    page = client.get("/cases/summary")
    by_delay = client.get("/cases/summary?sort=delay_days")

    assert page.status_code == 200
    assert _shown_ids(page.text) == [large, middle, pounds, small]
    assert _shown_ids(by_delay.text) == [small, middle, large, pounds]
    totals = page.text.split('data-testid="totals"')[1].split("</section>")[0]
    assert "€6,500.00" in totals
    assert "£700.00" in totals
    assert 'aria-sort="descending"' in page.text
    assert "O-large" in page.text


def test_a_bad_summary_sort_is_a_clear_error_and_viewers_see_no_summary(site: Site) -> None:
    analyst, viewer = site.login(Role.ANALYST), site.login(Role.VIEWER)

    refused = analyst.get("/cases/summary?sort=name")

    assert refused.status_code == 400
    assert "sort: one of" in refused.text
    assert viewer.get("/cases/summary").status_code == 403


def _item_of(site: Site, external_id: str) -> int:
    from advocacy.store.tables import FeedbackItem

    f = FeedbackItem.__table__.c
    with site.app.state.engine.connect() as connection:
        return int(connection.scalar(select(f.id).where(f.external_id == external_id)))


def test_an_advocate_opens_a_case_from_a_feedback_item_and_lands_on_it(site: Site) -> None:
    item_id = _item_of(site, "N1")
    client = site.login(Role.ADVOCATE)
    page = client.get(f"/feedback/{item_id}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]

    opened = client.post(
        "/cases/open",
        data={"csrf_token": csrf, "item_id": str(item_id), "priority": "high"},
        follow_redirects=False,
    )
    again = client.post(
        "/cases/open", data={"csrf_token": csrf, "item_id": str(item_id)}, follow_redirects=False
    )

    assert 'data-testid="open-case"' in page.text
    assert opened.status_code == 303
    case_id = int(opened.headers["location"].split("/cases/")[1].split("?")[0])
    assert again.headers["location"] == f"/cases/{case_id}?done=exists"
    case = casework.get_case(site.app.state.engine, case_id, now=site.clock.now)
    assert (case["customer_id"], case["priority"], case["type"]) == ("C1", "high", "manual")
    assert case["source_item_ids"] == [item_id]
    shown = client.get(opened.headers["location"])
    assert "Case opened." in shown.text
    assert "El pedido llegó tarde." in shown.text


def test_a_case_is_opened_about_a_customer_from_their_page(site: Site) -> None:
    client = site.login(Role.LEAD)
    page = client.get("/customers/C2")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]

    opened = client.post(
        "/cases/open",
        data={"csrf_token": csrf, "customer": "C2", "title": "Call back " + HOSTILE},
    )

    assert opened.status_code == 200
    assert "Call back &lt;script&gt;" in opened.text
    [case] = casework.list_cases(site.app.state.engine, now=site.clock.now, customer_ref="C2")
    assert case["title"] == "Call back " + HOSTILE


def test_analysts_see_no_open_a_case_form_and_cannot_open_one(site: Site) -> None:
    client = site.login(Role.ANALYST)
    csrf = csrf_of(client, "/cases")

    page = client.get("/customers/C1")
    refused = client.post("/cases/open", data={"csrf_token": csrf, "customer": "C1"})

    assert 'data-testid="open-case"' not in page.text
    assert refused.status_code == 403
    assert casework.list_cases(site.app.state.engine, now=site.clock.now) == []


# --- closing the loop: the metrics and the replies to post ----------------------------------


def test_the_metrics_page_counts_cases_overall_per_team_and_per_rule(site: Site) -> None:
    engine = site.app.state.engine
    done = _manual(site, title="Done", team="Spain " + HOSTILE)
    _manual(site, title="Open", priority="urgent")  # due in 4 hours
    casework.change_status(engine, done, "resolved", now=site.clock.now, actor="test")
    site.clock.advance(hours=7)
    client = site.login(Role.ANALYST)

    page = client.get("/cases/metrics?period=30")

    assert page.status_code == 200
    table = page.text.split('data-testid="metrics"')[1].split("</table>")[0]
    overall = table.split('data-group="overall"')[1].split("</tr>")[0]
    cells = re.findall(r'<td class="num[^"]*">([^<]*)', overall)
    assert cells[:4] == ["2", "1", "1", "1"]  # opened, resolved, open, overdue now
    assert "50.0%" in overall  # one met of one resolved + one past due
    assert "1 of 2" in overall
    assert "Spain &lt;script&gt;" in table
    assert HOSTILE not in page.text
    assert "No team" in table
    assert "Opened by hand" in table
    assert "Per team" in table
    assert "Per rule" in table
    assert "95 % Wilson score interval" in page.text
    assert 'value="30" selected' in page.text


def test_the_metrics_are_written_in_the_readers_language(site: Site) -> None:
    engine = site.app.state.engine
    done = _manual(site, title="Done")
    _manual(site, title="Open", priority="urgent")
    casework.change_status(engine, done, "resolved", now=site.clock.now, actor="test")
    site.clock.advance(hours=7)
    client = site.login(Role.ANALYST)

    page = client.get("/cases/metrics?period=all", headers={"Accept-Language": "es"})

    overall = page.text.split('data-group="overall"')[1].split("</tr>")[0]
    assert "50,0%" in overall
    assert "Todos los casos" in overall
    assert "1 de 2" in overall
    assert "Cerrar el ciclo" in page.text


def test_a_bad_period_is_a_clear_error_and_viewers_see_no_metrics(site: Site) -> None:
    client = site.login(Role.ANALYST)

    bad = client.get("/cases/metrics?period=forever")
    viewer = site.login(Role.VIEWER).get("/cases/metrics")

    assert bad.status_code == 400
    assert "period" in bad.text
    assert viewer.status_code == 403


def test_the_queue_links_to_the_metrics_and_the_replies_to_post(site: Site) -> None:
    page = site.login(Role.ANALYST).get("/cases")

    assert 'href="/cases/metrics"' in page.text
    assert 'href="/cases/replies"' in page.text


def _public_reply(site: Site, body: str) -> dict[str, object]:
    """A reply to C1's Trustpilot review, waiting to be posted."""
    from advocacy.services import case_replies
    from advocacy.store.tables import FeedbackItem

    case = next(case for case in _rules(site) if case["customer_id"] == "C1")
    items = FeedbackItem.__table__.c
    with site.app.state.engine.connect() as connection:
        review = connection.scalar(
            select(items.id).where(items.kind == "review", items.id.in_(case["source_item_ids"]))
        )
    return case_replies.write_reply(
        site.app.state.engine,
        int(str(case["id"])),
        actor="test",
        now=site.clock.now,
        body=body,
        channel="platform",
        item_id=review,
    )


def test_an_advocate_sees_a_public_reply_to_post_and_marks_it_posted(site: Site) -> None:
    reply = _public_reply(site, "Lo sentimos, " + HOSTILE)
    client = site.login(Role.ADVOCATE)

    listed = client.get("/cases/replies")
    posted = client.post(
        f"/cases/replies/{reply['id']}/posted",
        data={"csrf_token": csrf_of(client, "/cases/replies")},
    )
    twice = client.post(
        f"/cases/replies/{reply['id']}/posted",
        data={"csrf_token": csrf_of(client, "/cases/replies")},
    )

    assert listed.status_code == 200
    entry = listed.text.split(f'data-reply="{reply["id"]}"')[1].split("</li>")[0]
    assert "trustpilot" in entry
    assert "Lo sentimos, &lt;script&gt;" in entry
    assert f'href="/cases/{reply["case_id"]}"' in entry
    assert "Mark as posted" in entry
    assert HOSTILE not in listed.text
    assert 'href="/cases/replies.csv"' in listed.text
    assert posted.status_code == 200
    assert "Marked as posted." in posted.text
    assert f'data-reply="{reply["id"]}"' not in posted.text
    assert "No replies are waiting to be posted." in posted.text
    assert twice.status_code == 400
    assert "not waiting to be posted" in twice.text
    case = client.get(f"/cases/{reply['case_id']}").text
    assert "Reply posted on the platform" in case.split('data-testid="timeline"')[1]


def test_the_replies_to_post_download_as_csv_safe_for_spreadsheets(site: Site) -> None:
    reply = _public_reply(site, "=1+1 Lo sentimos.")

    advocate = site.login(Role.ADVOCATE).get("/cases/replies.csv")
    analyst = site.login(Role.ANALYST).get("/cases/replies.csv")

    assert advocate.status_code == 200
    assert advocate.headers["content-type"].startswith("text/csv")
    assert "attachment" in advocate.headers["content-disposition"]
    lines = advocate.text.splitlines()
    assert lines[0].startswith("platform,review_id,author")
    assert "'=1+1 Lo sentimos." in lines[1]
    assert f",{reply['case_id']},{reply['id']}," in lines[1]
    assert analyst.status_code == 200  # analysts export data


def test_who_may_not_post_replies_cannot_and_without_the_forms_token_nobody_can(
    site: Site,
) -> None:
    reply = _public_reply(site, "Lo sentimos.")
    analyst = site.login(Role.ANALYST)
    advocate = site.login(Role.ADVOCATE)

    read = analyst.get("/cases/replies")
    refused = analyst.post(
        f"/cases/replies/{reply['id']}/posted", data={"csrf_token": csrf_of(analyst, "/cases")}
    )
    forged = advocate.post(f"/cases/replies/{reply['id']}/posted", data={"csrf_token": "x"})
    viewer = site.login(Role.VIEWER)

    assert read.status_code == 200
    assert "Mark as posted" not in read.text
    assert refused.status_code == 403
    assert forged.status_code == 403
    assert viewer.get("/cases/replies").status_code == 403
    assert viewer.get("/cases/replies.csv").status_code == 403
    assert "Lo sentimos." in advocate.get("/cases/replies").text  # still waiting


# --- re-surveys -------------------------------------------------------------------------------


def _survey(site: Site, name: str = "After your case") -> str:
    from advocacy.services import surveys

    surveys.create_survey(site.app.state.engine, now=site.clock.now, key="after-case", name=name)
    return "after-case"


def test_a_lead_turns_the_automatic_re_survey_on_from_the_rules_page(site: Site) -> None:
    from advocacy.services import resurveys

    _survey(site, name="After " + HOSTILE)
    client = site.login(Role.LEAD)
    page = client.get("/cases/rules")
    csrf = csrf_of(client, "/cases/rules")

    saved = client.post(
        "/cases/resurvey-setting",
        data={"csrf_token": csrf, "enabled": "yes", "survey": "after-case", "delay_days": "3"},
    )

    assert "Automatic re-survey" in page.text
    assert "After &lt;script&gt;" in page.text
    assert HOSTILE not in page.text
    assert saved.status_code == 200
    assert "Re-survey setting saved." in saved.text
    setting = resurveys.resurvey_setting(site.app.state.engine)
    assert (setting["enabled"], setting["survey"], setting["delay_days"]) == (
        True,
        "after-case",
        3,
    )
    shown = saved.text.split('data-testid="resurvey-setting"')[1].split("</section>")[0]
    assert '<span class="rule-state" data-testid="resurvey-state">On</span>' in shown
    assert 'value="after-case" selected' in shown
    assert 'value="3"' in shown
    off = client.post("/cases/resurvey-setting", data={"csrf_token": csrf, "survey": "after-case"})
    assert resurveys.resurvey_setting(site.app.state.engine)["enabled"] is False
    assert 'data-testid="resurvey-state">Off' in off.text


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"enabled": "yes", "survey": "after-case", "delay_days": "soon"}, "from 0 to 365"),
        ({"enabled": "yes", "survey": "after-case", "delay_days": "400"}, "from 0 to 365"),
        ({"enabled": "yes", "survey": "", "delay_days": "3"}, "Choose the survey"),
        ({"enabled": "yes", "survey": "nope", "delay_days": "3"}, "There is no survey nope"),
    ],
)
def test_a_bad_re_survey_setting_says_why_and_keeps_what_was_typed(
    site: Site, form: dict[str, str], reason: str
) -> None:
    from advocacy.services import resurveys

    _survey(site)
    client = site.login(Role.LEAD)

    refused = client.post(
        "/cases/resurvey-setting", data={"csrf_token": csrf_of(client, "/cases/rules"), **form}
    )

    assert refused.status_code == 400
    assert reason in refused.text
    shown = refused.text.split('data-testid="resurvey-setting"')[1].split("</section>")[0]
    assert f'value="{form["delay_days"]}"' in shown
    assert "checked" in shown
    assert resurveys.resurvey_setting(site.app.state.engine)["enabled"] is False


@pytest.mark.parametrize("role", [Role.ADVOCATE, Role.ANALYST])
def test_only_leads_and_admins_change_the_re_survey_setting(site: Site, role: Role) -> None:
    _survey(site)
    client = site.login(role)

    refused = client.post(
        "/cases/resurvey-setting",
        data={
            "csrf_token": csrf_of(client, "/cases"),
            "enabled": "yes",
            "survey": "after-case",
            "delay_days": "3",
        },
    )
    forged = site.login(Role.LEAD).post(
        "/cases/resurvey-setting",
        data={"csrf_token": "x", "enabled": "yes", "survey": "after-case", "delay_days": "3"},
    )

    assert refused.status_code == 403
    assert forged.status_code == 403


def test_an_advocate_re_surveys_the_customer_of_a_resolved_case_once(site: Site) -> None:
    from advocacy.store.tables import SurveyInvitation

    _survey(site, name="After " + HOSTILE)
    case_id = _manual(site)
    client = site.login(Role.ADVOCATE)
    still_open = client.get(f"/cases/{case_id}")
    casework.change_status(
        site.app.state.engine, case_id, "resolved", now=site.clock.now, actor="test"
    )
    resolved = client.get(f"/cases/{case_id}")

    asked = client.post(
        f"/cases/{case_id}/resurvey",
        data={"csrf_token": csrf_of(client, f"/cases/{case_id}"), "survey": "after-case"},
    )
    again = client.post(
        f"/cases/{case_id}/resurvey",
        data={"csrf_token": csrf_of(client, f"/cases/{case_id}"), "survey": "after-case"},
    )

    assert 'data-testid="resurvey-form"' not in still_open.text
    assert 'data-testid="resurvey-form"' in resolved.text
    assert "After &lt;script&gt;" in resolved.text
    assert HOSTILE not in resolved.text
    assert asked.status_code == 200
    assert "The customer is asked again." in asked.text
    section = asked.text.split('data-testid="resurvey"')[1].split("</section>")[0]
    assert "after-case" in section
    assert "Queued to be e-mailed" in section
    assert "Not answered yet" in section
    assert 'data-testid="resurvey-form"' not in asked.text
    assert again.status_code == 400
    assert "re-surveyed already" in again.text
    invitations = SurveyInvitation.__table__
    with site.app.state.engine.begin() as connection:
        connection.execute(
            invitations.update().values(score=9, answered_at=site.clock.now, status="sent")
        )
    answered = client.get(f"/cases/{case_id}").text
    assert "9/10" in answered.split('data-testid="resurvey-answer"')[1].split("</dd>")[0]


def test_a_re_survey_needs_a_survey_that_exists_and_a_worker_to_ask(site: Site) -> None:
    _survey(site)
    case_id = _manual(site)
    engine = site.app.state.engine
    casework.change_status(engine, case_id, "resolved", now=site.clock.now, actor="test")
    advocate, analyst = site.login(Role.ADVOCATE), site.login(Role.ANALYST)

    unknown = advocate.post(
        f"/cases/{case_id}/resurvey",
        data={"csrf_token": csrf_of(advocate, f"/cases/{case_id}"), "survey": "nope"},
    )
    refused = analyst.post(
        f"/cases/{case_id}/resurvey",
        data={"csrf_token": csrf_of(analyst, f"/cases/{case_id}"), "survey": "after-case"},
    )
    forged = advocate.post(
        f"/cases/{case_id}/resurvey", data={"csrf_token": "x", "survey": "after-case"}
    )
    missing = advocate.post(
        "/cases/999999/resurvey",
        data={"csrf_token": csrf_of(advocate, f"/cases/{case_id}"), "survey": "after-case"},
    )

    assert unknown.status_code == 400
    assert "There is no survey nope" in unknown.text
    assert 'data-testid="resurvey-form"' in unknown.text
    assert refused.status_code == 403
    assert 'data-testid="resurvey-form"' not in analyst.get(f"/cases/{case_id}").text
    assert forged.status_code == 403
    assert missing.status_code == 404
    assert casework.get_case(engine, case_id, now=site.clock.now)["timeline"][-1]["kind"] == (
        "status"
    )
