"""The advocate programme in a real headless Chromium against the real server and the demo
company: a lead finds an advocate, reads their section of the customer page and writes a call in
their log; an advocate does a task from the tasks page; the list fits a phone's screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from advocacy.access import Role
from advocacy.services import advocate_programme as programme
from tests.browser.conftest import Served
from tests.browser.test_case_browser import _now, log_in

Page = Any


@pytest.fixture
def open_task(served: Served) -> dict[str, Any]:
    """An open task of the demo's programme: the demo leaves some; one is set if none is."""
    found = programme.list_tasks(served.engine, now=_now(), status="open")
    if found:
        return found[0]
    [advocate, *_] = programme.list_programme(served.engine, status="active")
    return programme.create_task(
        served.engine,
        advocate["customer_id"],
        "Call them",
        due=_now(),
        owner=None,
        actor="test",
        now=_now(),
    )


def test_a_lead_finds_an_advocate_and_writes_a_call_in_their_log(page: Page) -> None:
    log_in(page, Role.LEAD, "/advocates")
    assert page.get_by_role("link", name="Advocates", exact=True).first.get_attribute(
        "aria-current"
    )

    page.get_by_label("Status").select_option("active")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    rows = page.locator("table[data-testid=advocates] tbody tr[data-advocate]")
    assert rows.count() >= 1
    for index in range(rows.count()):
        expect(rows.nth(index)).to_contain_text("Active")
    with page.expect_navigation():
        rows.first.locator("th a").click()

    section = page.locator("#advocate")
    expect(section).to_be_visible()
    expect(section).to_contain_text("Direct contact for them")
    section.get_by_label("What happened").select_option("call")
    section.get_by_role("textbox", name="Note").fill("Called to thank her for the review")
    with page.expect_navigation():
        section.get_by_role("button", name="Write in the log").click()
    expect(page.locator("[data-testid=advocate-log] li").first).to_contain_text(
        "Called to thank her for the review"
    )
    assert page.problems == []


def test_an_advocate_does_a_task_from_the_tasks_page(page: Page, open_task: dict[str, Any]) -> None:
    log_in(page, Role.ADVOCATE, f"/advocates/tasks?customer={open_task['customer_id']}")

    row = page.locator(f"tr[data-task='{open_task['id']}']")
    expect(row).to_be_visible()
    row.get_by_label("Note").last.fill("Done from the browser")
    with page.expect_navigation():
        row.get_by_role("button", name="Done", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Task done.")
    expect(page.locator(f"tr[data-task='{open_task['id']}']")).to_have_count(0)
    assert page.problems == []


def test_the_advocates_list_fits_a_phones_screen(browser: Any, served: Served) -> None:
    context = browser.new_context(
        base_url=served.url, viewport={"width": 375, "height": 667}, is_mobile=True
    )
    page = context.new_page()
    log_in(page, Role.ANALYST, "/advocates")

    assert page.locator("table[data-testid=advocates]").is_visible()
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 376"
        " && !e.closest('.table-scroll')).map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate("document.body.scrollWidth") <= 375
    context.close()
