"""Closing the loop in a real headless Chromium against the real server and the demo company:
an advocate takes an overdue case from the queue and works it to resolved, a lead turns a rule
off, the value at risk reads largest first, and the queue fits a phone's screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from advocacy.access import Role
from advocacy.services import case_rules
from advocacy.services import cases as casework
from tests.browser.conftest import PASSWORD, Served

Page = Any


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def log_in(page: Page, role: Role, then: str = "/") -> None:
    page.goto(then)
    assert "/login" in page.url
    page.fill("#email", f"{role.value}@browser.example")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")


@pytest.fixture
def overdue_case(served: Served) -> int:
    """An open case past its due time: the demo has some; one is opened if it has none."""
    found = casework.list_cases(served.engine, now=_now(), status="open", overdue=True)
    if found:
        return int(found[0]["id"])
    case_id = casework.open_case(
        served.engine, now=_now() - dt.timedelta(days=5), title="Parcel never came"
    )
    casework.escalate_overdue(served.engine, now=_now())
    return case_id


def test_an_advocate_takes_an_overdue_case_and_works_it_to_resolved(
    page: Page, overdue_case: int
) -> None:
    log_in(page, Role.ADVOCATE, "/cases")
    assert page.get_by_role("link", name="Cases", exact=True).get_attribute("aria-current")

    page.get_by_label("Status").select_option("open")
    page.get_by_label("Overdue only").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert "overdue=yes" in page.url
    rows = page.locator("table.cases tbody tr.case-row")
    assert rows.count() >= 1
    for index in range(rows.count()):
        expect(rows.nth(index)).to_contain_text("overdue by")
    with page.expect_navigation():
        page.locator(f"tr[data-case='{overdue_case}'] th a").click()
    assert page.url.endswith(f"/cases/{overdue_case}")

    timeline = page.get_by_test_id("timeline")
    with page.expect_navigation():
        page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_role("status")).to_have_text("Assignment saved.")
    expect(page.get_by_test_id("case-owner")).to_have_text("advocate@browser.example")
    expect(timeline).to_contain_text("Assigned to advocate@browser.example")

    page.get_by_label("What was done, or said").fill("Called: the parcel is on its way <b>now</b>")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the note").click()
    expect(timeline).to_contain_text("Called: the parcel is on its way <b>now</b>")

    for status, name in (("in_progress", "In progress"), ("resolved", "Resolved")):
        page.get_by_label("New status").select_option(status)
        with page.expect_navigation():
            page.get_by_role("button", name="Change the status").click()
        expect(page.get_by_test_id("case-status")).to_have_text(name)
        expect(timeline).to_contain_text(f"→ {name}")

    entries = timeline.locator("li").all_inner_texts()
    assert "Resolved" in entries[0]  # newest first
    assert any("In progress" in entry for entry in entries[1:])
    assert any("Called: the parcel" in entry for entry in entries)
    assert all("advocate@browser.example" in entry for entry in entries[:4])
    assert page.problems == []


def test_a_lead_turns_a_rule_off_and_it_stays_off(page: Page, served: Served) -> None:
    log_in(page, Role.LEAD, "/cases/rules")
    row = page.locator("tr[data-rule='repeated_contacts']")
    expect(row.get_by_test_id("rule-state")).to_have_text("On")

    with page.expect_navigation():
        row.get_by_role("button", name="Switch off: Repeated contacts").click()
    page.reload()

    expect(
        page.locator("tr[data-rule='repeated_contacts']").get_by_test_id("rule-state")
    ).to_have_text("Off")
    rules = {rule["name"]: rule for rule in case_rules.rules_overview(served.engine)}
    assert rules["repeated_contacts"]["enabled"] is False
    assert rules["repeated_contacts"]["updated_by"] == "lead@browser.example"
    case_rules.set_rule(served.engine, "repeated_contacts", now=_now(), actor="test", enabled=True)
    assert page.problems == []


def _valued_cases(served: Served) -> None:
    """At least three active cases with a value at risk (the demo's late deliveries, or new)."""
    found = case_rules.value_summary(served.engine, now=_now())["cases"]
    for value in (250.0, 4200.0, 900.0)[: max(0, 3 - len(found))]:
        case_id = casework.open_case(
            served.engine, now=_now(), title=f"Late order worth {value}", type="proactive"
        )
        with served.engine.begin() as connection:
            connection.execute(
                casework.CASES.update()
                .where(casework.CASES.c.id == case_id)
                .values(value_at_risk=value, currency="EUR", details={"delay_days": 3})
            )


def test_the_summary_lists_the_value_at_risk_largest_first(page: Page, served: Served) -> None:
    _valued_cases(served)
    log_in(page, Role.ANALYST, "/cases/summary")

    values = [
        float(value)
        for value in page.locator("[data-testid=value-cases] tbody tr").evaluate_all(
            "rows => rows.map(row => row.dataset.value)"
        )
    ]
    assert len(values) >= 3
    assert values == sorted(values, reverse=True)
    expect(page.get_by_test_id("totals")).not_to_be_empty()
    with page.expect_navigation():
        page.get_by_role("link", name="Delay (days)").click()
    assert "sort=delay_days" in page.url
    assert page.problems == []


def test_the_queue_fits_a_phones_screen(browser: Any, served: Served) -> None:
    context = browser.new_context(
        base_url=served.url, viewport={"width": 375, "height": 667}, is_mobile=True
    )
    page = context.new_page()
    log_in(page, Role.ADVOCATE, "/cases")

    assert page.locator("table.cases").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate("document.body.scrollWidth") <= 375
    with page.expect_navigation():
        page.locator("table.cases tbody tr.case-row th a").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_lead_turns_the_automatic_re_survey_on_from_the_rules_page(
    page: Page, served: Served
) -> None:
    from advocacy.services import resurveys, surveys

    active = [survey for survey in surveys.list_surveys(served.engine) if survey.active]
    if not active:
        active = [
            surveys.create_survey(
                served.engine, now=_now(), key="after-case", name="After your case"
            )
        ]
    demo = resurveys.resurvey_setting(served.engine)  # the demo's, put back at the end
    resurveys.set_resurvey(
        served.engine, survey_key=None, delay_days=None, enabled=False, actor="test", now=_now()
    )
    log_in(page, Role.LEAD, "/cases/rules")
    section = page.get_by_test_id("resurvey-setting")
    expect(section.get_by_test_id("resurvey-state")).to_have_text("Off")

    section.get_by_label("Re-survey resolved cases automatically").check()
    section.get_by_role("combobox").select_option(active[0].key)
    section.get_by_label("Days after the case is resolved").fill("3")
    with page.expect_navigation():
        section.get_by_role("button", name="Save the re-survey setting").click()
    page.reload()

    section = page.get_by_test_id("resurvey-setting")
    expect(section.get_by_test_id("resurvey-state")).to_have_text("On")
    expect(section.get_by_label("Days after the case is resolved")).to_have_value("3")
    setting = resurveys.resurvey_setting(served.engine)
    assert (setting["enabled"], setting["survey"], setting["delay_days"]) == (
        True,
        active[0].key,
        3,
    )
    assert setting["updated_by"] == "lead@browser.example"
    resurveys.set_resurvey(
        served.engine,
        survey_key=demo["survey"],
        delay_days=demo["delay_days"],
        enabled=demo["enabled"],
        actor="test",
        now=_now(),
    )
    assert page.problems == []


def test_an_advocate_marks_a_public_reply_posted(page: Page, served: Served) -> None:
    from sqlalchemy import select

    from advocacy.services import case_replies
    from advocacy.store.tables import FeedbackItem

    items = FeedbackItem.__table__.c
    with served.engine.connect() as connection:
        review = connection.scalar(
            select(items.id)
            .where(
                items.kind == "review",
                items.id.not_in(select(casework.CASE_ITEMS.c.feedback_item_id)),
            )
            .limit(1)
        )
    assert review is not None, "the demo has reviews in no case"
    case_id = casework.open_case(
        served.engine, now=_now(), title="A review to answer", item_ids=[int(review)]
    )
    reply = case_replies.write_reply(
        served.engine,
        case_id,
        actor="test",
        now=_now(),
        body="Thank you <b>for</b> telling us.",
        channel="platform",
        item_id=int(review),
    )
    log_in(page, Role.ADVOCATE, "/cases")
    with page.expect_navigation():
        page.get_by_role("link", name="Replies to post").click()

    entry = page.locator(f"li[data-reply='{reply['id']}']")
    expect(entry.get_by_test_id("reply-text")).to_have_value("Thank you <b>for</b> telling us.")
    expect(entry.get_by_role("link", name=f"Case #{case_id}")).to_be_visible()
    with page.expect_navigation():
        entry.get_by_role("button", name="Mark as posted").click()

    expect(page.get_by_role("status")).to_have_text("Marked as posted.")
    expect(page.locator(f"li[data-reply='{reply['id']}']")).to_have_count(0)
    assert case_replies.get_reply(served.engine, reply["id"])["status"] == "posted"
    assert page.problems == []
