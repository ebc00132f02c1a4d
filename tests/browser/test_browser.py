"""The web app in a real headless Chromium: log in as each role, open each page, use the
filters, switch language, and see only what the role may see; no script ever runs from data."""

from __future__ import annotations

from typing import Any

import pytest

from advocacy.access import Permission, Role, allows
from tests.browser.conftest import PASSWORD

Page = Any
NAV = {
    "Feedback": Permission.FEEDBACK_VIEW,
    "Customers": Permission.CUSTOMERS_VIEW,
    "Users": Permission.USERS_MANAGE,
    "API tokens": Permission.TOKENS_MANAGE,
}
PAGES = {
    "/": Permission.DASHBOARD_VIEW,
    "/feedback": Permission.FEEDBACK_VIEW,
    "/customers": Permission.CUSTOMERS_VIEW,
    "/admin/users": Permission.USERS_MANAGE,
    "/admin/tokens": Permission.TOKENS_MANAGE,
}


def log_in(page: Page, role: Role) -> None:
    page.goto("/")
    assert "/login" in page.url
    page.fill("#email", f"{role.value}@browser.example")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url("**/")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_and_opens_only_what_it_may(page: Page, role: Role) -> None:
    log_in(page, role)

    nav = page.locator("header nav").inner_text()
    for label, permission in NAV.items():
        assert (label in nav) == allows(role, permission), (role, label)
    for path, permission in PAGES.items():
        response = page.goto(path)
        assert response is not None
        expected = 200 if allows(role, permission) else 403
        assert response.status == expected, (role, path)
        if expected == 403:
            assert "Your role does not give access to this page." in page.content()
    refused = "the server responded with a status of 403"  # the refusals just checked
    assert [problem for problem in page.problems if refused not in problem] == []


def test_the_dashboard_draws_its_charts_and_filters_them(page: Page) -> None:
    log_in(page, Role.VIEWER)

    assert page.locator("svg.chart").count() >= 6
    nps = page.get_by_test_id("nps").inner_text()
    page.select_option("select[name=country]", "ES")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**country=ES**")

    spain = page.request.get("/api/v1/dashboard?country=ES").json()["nps"]["nps"]
    shown = page.get_by_test_id("nps").inner_text().replace("−", "-")
    assert shown == f"{spain:+.1f}".replace("+0.0", "0.0")
    assert nps.replace("−", "-") != shown  # Spain's NPS is not the whole company's
    with page.expect_download() as download:
        page.click("#trend a.download")
    assert download.value.suggested_filename == "advocacy-nps_trend.csv"
    assert page.problems == []


def test_the_inbox_filters_by_sentiment_and_theme(page: Page) -> None:
    log_in(page, Role.ADVOCATE)
    page.goto("/feedback")

    page.select_option("select[name=sentiment]", "negative")
    page.select_option("select[name=theme]", "delivery")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**sentiment=negative**")

    items = page.locator("li.item")
    assert items.count() > 0
    for index in range(items.count()):
        badges = items.nth(index).locator(".tags").inner_text()
        assert "Negative" in badges
        assert "Delivery" in badges
    page.locator("li.item a.kind").first.click()
    page.wait_for_url("**/feedback/*")
    assert page.locator("h2", has_text="Analysis").count() == 1
    assert page.problems == []


def test_the_customer_page_shows_orders_and_feedback(page: Page) -> None:
    log_in(page, Role.ADVOCATE)
    page.goto("/customers")

    page.locator("table[data-testid=customers] a").first.click()
    page.wait_for_url("**/customers/*")

    assert page.locator("#orders table tbody tr").count() > 0
    assert page.locator("#value").inner_text()
    assert page.problems == []


def test_switching_language_translates_the_app_and_is_remembered(page: Page) -> None:
    log_in(page, Role.ANALYST)

    def choose(code: str) -> None:
        with page.expect_navigation():  # the menu submits itself (app.js)
            page.select_option("#language-choice", code)

    choose("es")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Cerrar sesión" in page.locator("header.top").inner_text()
    page.goto("/feedback")
    assert page.locator("html").get_attribute("lang") == "es"
    choose("ru")
    assert "Выйти" in page.locator("header.top").inner_text()
    choose("ro")
    assert "Deconectare" in page.locator("header.top").inner_text()
    choose("en")
    assert "Log out" in page.locator("header.top").inner_text()
    assert page.problems == []


def test_the_log_in_page_speaks_the_browsers_language(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, locale="ru-RU")
    page = context.new_page()

    page.goto("/login")

    assert page.locator("html").get_attribute("lang") == "ru"
    context.close()


def test_a_wrong_password_keeps_the_visitor_out(page: Page) -> None:
    page.goto("/login")
    page.fill("#email", "admin@browser.example")
    page.fill("#password", "wrong password here")
    page.click("form[action='/login'] button[type=submit]")

    assert page.locator("[role=alert]").inner_text() == "Wrong e-mail or password."
    assert "/login" in page.url
    assert page.context.cookies() == [] or all(
        cookie["name"] != "advocacy_session" for cookie in page.context.cookies()
    )


def test_logging_out_returns_to_the_log_in_page_and_locks_the_app(page: Page) -> None:
    log_in(page, Role.LEAD)

    page.click("form[action='/logout'] button")
    page.wait_for_url("**/login")
    page.goto("/feedback")

    assert "/login" in page.url
    session = [c for c in page.context.cookies() if c["name"] == "advocacy_session"]
    assert session == []
