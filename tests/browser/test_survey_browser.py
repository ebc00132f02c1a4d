"""The survey pages customers see, in a real headless Chromium against the real server: the
one-click link of the e-mail in each shipped language, the public page in the browser's
language, the widget on another website, the error pages, and a phone's screen."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from advocacy.services import invitations, surveys
from advocacy.store.tables import Customer, FeedbackItem, SurveyInvitation
from advocacy.surveys.texts import DEFAULTS, SHIPPED
from tests.browser.conftest import Served

Page = Any
ITEMS = FeedbackItem.__table__.c
REASONS = {
    "en": "Quick delivery",
    "es": "Entrega rápida",
    "ru": "Быстрая доставка",
    "ro": "Livrare rapidă, ambalaj îngrijit",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def survey_key(served: Served) -> str:
    """A survey of this module's own, so its answers are told apart from the demo's."""
    surveys.create_survey(served.engine, now=_now(), key="browser-survey", name="Browser survey")
    return "browser-survey"


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Page]:
    """A page in an English browser, collecting script errors in ``page.problems``."""
    context = browser.new_context(base_url=server, locale="en-US")
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("dialog", lambda dialog: problems.append(f"a script ran: {dialog.message}"))
    opened.problems = problems
    yield opened
    context.close()


def customer_speaking(served: Served, language: str) -> str:
    """A demo customer whose locale is in ``language``."""
    c = Customer.__table__.c
    with served.engine.connect() as connection:
        found = connection.scalars(
            select(c.external_id).where(c.locale.like(f"{language}%")).order_by(c.id)
        ).first()
    assert found is not None, f"the demo company has no customer speaking {language}"
    return str(found)


def invite(served: Served, survey_key: str, language: str) -> invitations.InvitationInfo:
    customer = customer_speaking(served, language)
    return invitations.invite(
        served.engine,
        served.settings,
        customer,
        now=_now(),
        survey_key=survey_key,
        language=language,
    )


def on_server(served: Served, link: str) -> str:
    """A link of an e-mail, on the address the test server listens at."""
    return served.url + urlparse(link).path


def answer_of(served: Served, invitation_id: int) -> dict[str, Any] | None:
    """The NPS item of an invitation, or ``None`` when it has none."""
    table = SurveyInvitation.__table__
    with served.engine.connect() as connection:
        item_id = connection.scalar(
            select(table.c.feedback_item_id).where(table.c.id == invitation_id)
        )
        if item_id is None:
            return None
        row = connection.execute(select(FeedbackItem.__table__).where(ITEMS.id == item_id)).one()
    return dict(row._mapping)


def items_of(served: Served, survey_key: str, **where: Any) -> list[dict[str, Any]]:
    conditions = [ITEMS.external_id.like(f"advocacy-{survey_key}-%")]
    conditions += [ITEMS[name] == value for name, value in where.items()]
    with served.engine.connect() as connection:
        rows = connection.execute(select(FeedbackItem.__table__).where(*conditions)).all()
    return [dict(row._mapping) for row in rows]


@pytest.mark.parametrize(("language", "score"), list(zip(SHIPPED, (9, 3, 7, 10), strict=True)))
def test_the_one_click_link_of_the_e_mail_is_answered_in_the_invitations_language(
    page: Page, served: Served, survey_key: str, language: str, score: int
) -> None:
    t = DEFAULTS[language]
    info = invite(served, survey_key, language)
    reason = REASONS[language]

    page.goto(on_server(served, info.links.score_urls[score]))

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("legend h1").inner_text() == t["question"]
    assert page.get_by_role("status").inner_text() == t["recorded"]
    assert page.locator(f"#score-{score}").is_checked()
    assert page.locator("input[name=score]:checked").count() == 1
    clicked = answer_of(served, info.id)  # one click is an answer already
    assert clicked is not None
    assert (clicked["rating"], clicked["text"]) == (score, None)
    page.get_by_label(t["reason"]).fill(reason)
    page.keyboard.press("Tab")  # from the reason to the button
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == t["thanks"]
    assert t["thanks_detail"] in page.locator("main").inner_text()

    item = answer_of(served, info.id)
    assert item is not None
    assert item["id"] == clicked["id"]  # the reason completes the same answer
    assert (item["kind"], item["rating"], item["language"]) == ("nps", score, language)
    assert item["text"] == reason
    assert item["channel"] == "link"
    assert page.problems == []


def test_the_public_page_speaks_the_browsers_language_and_takes_a_score_from_the_arrow_keys(
    browser: Any, served: Served, survey_key: str
) -> None:
    t = DEFAULTS["ro"]
    context = browser.new_context(base_url=served.url, locale="ro-RO")
    page = context.new_page()

    page.goto(f"/p/{survey_key}")
    assert page.locator("html").get_attribute("lang") == "ro"
    assert page.locator("legend h1").inner_text() == t["question"]
    response_id = page.locator("input[name=response_id]").input_value()
    page.keyboard.press("Tab")  # the first control of the page is the scale
    assert page.evaluate("document.activeElement.id") == "score-0"
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert page.locator("input[name=score]:checked").get_attribute("value") == "5"
    page.keyboard.press("Tab")
    page.keyboard.type("Prețuri bune")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.locator("h1").inner_text() == t["thanks"]
    context.close()

    [item] = items_of(served, survey_key, external_id=f"advocacy-{survey_key}-{response_id}")
    assert (item["rating"], item["language"], item["text"]) == (5, "ro", "Prețuri bune")
    assert item["customer_id"] is None
    assert item["channel"] == "link"


def shop_page(served: Served, survey: str, *attributes: str) -> bytes:
    """A shop's page in Spanish, embedding the widget of ``survey``."""
    options = "".join(f" {attribute}" for attribute in attributes)
    return (
        '<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Tienda</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '</head><body><h1>Tienda</h1><div id="opinion"></div><p>Envío gratuito</p>'
        f'<script src="{served.url}/widget.js" data-survey="{survey}"{options} async></script>'
        "</body></html>"
    ).encode()


@pytest.fixture(scope="module")
def shop(served: Served) -> Iterator[str]:
    """Another website (another origin on loopback) whose pages embed the widget: in the
    corner (``/``) and inside one of its elements (``/inline``)."""
    surveys.create_survey(served.engine, now=_now(), key="browser-widget", name="Shop widget")
    pages = {
        "/": shop_page(served, "browser-widget"),
        "/inline": shop_page(served, "browser-widget", 'data-target="#opinion"'),
    }

    class Shop(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            html = pages.get(self.path)
            if html is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    running = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{running.server_address[1]}"
    running.shutdown()
    running.server_close()


def test_the_widget_on_another_website_records_a_score_and_a_reason(
    page: Page, served: Served, shop: str
) -> None:
    t = DEFAULTS["es"]
    assert urlparse(shop).netloc != urlparse(served.url).netloc  # another origin: CORS applies

    page.goto(f"{shop}/")
    widget = page.get_by_role("dialog", name=t["question"])
    widget.get_by_role("button", name=f"{t['score_legend']}: 8").click()
    expect(widget.get_by_role("status")).to_have_text(t["recorded"])
    expect(widget.get_by_role("button", name=f"{t['score_legend']}: 8")).to_have_attribute(
        "aria-pressed", "true"
    )
    widget.get_by_label(t["reason"]).fill("Buena atención")
    widget.get_by_role("button", name=t["submit"]).click()
    expect(widget.get_by_role("status")).to_have_text(t["thanks"])

    [item] = items_of(served, "browser-widget")
    assert (item["rating"], item["text"], item["language"]) == (8, "Buena atención", "es")
    assert item["channel"] == "web"
    assert page.problems == []


def test_the_widget_drawn_inside_a_pages_element_keeps_its_close_button_in_its_card(
    page: Page, shop: str
) -> None:
    page.goto(f"{shop}/inline")
    card = page.locator("#opinion section.card")
    expect(card).to_be_visible()

    name = DEFAULTS["es"]["close"]  # the shop page is Spanish
    outer, close = card.bounding_box(), card.get_by_role("button", name=name).bounding_box()
    assert outer is not None
    assert close is not None
    assert outer["x"] <= close["x"] <= outer["x"] + outer["width"] - close["width"]
    assert outer["y"] <= close["y"] <= outer["y"] + outer["height"] - close["height"]
    card.get_by_role("button", name=name).click()
    expect(page.locator("[data-advocacy-widget]")).to_have_count(0)
    assert page.problems == []


def test_a_tampered_link_shows_that_it_is_not_valid_and_stores_nothing(
    page: Page, served: Served, survey_key: str
) -> None:
    info = invite(served, survey_key, "en")
    link = on_server(served, info.links.score_urls[10])
    signature = link.split("/")[-2].split(".")[1]
    forged = link.replace(signature, ("A" if signature[0] != "A" else "B") + signature[1:])

    response = page.goto(forged)

    assert response is not None
    assert response.status == 404
    assert page.locator("h1").inner_text() == DEFAULTS["en"]["invalid_link"]
    assert answer_of(served, info.id) is None


def test_a_score_of_eleven_asks_for_one_from_0_to_10_and_stores_nothing(
    page: Page, served: Served, survey_key: str
) -> None:
    info = invite(served, survey_key, "ru")

    ten = on_server(served, info.links.score_urls[10])
    response = page.goto(ten.rsplit("/", 1)[0] + "/11")  # the score, not an id with "/10" in it

    assert response is not None
    assert response.status == 400
    assert page.locator("html").get_attribute("lang") == "ru"
    # The answer page again, saying what a score is, to choose one right there.
    assert page.get_by_role("alert").inner_text() == DEFAULTS["ru"]["bad_score"]
    expect(page.locator('input[name="score"]')).to_have_count(11)
    assert answer_of(served, info.id) is None


def test_on_a_phone_the_eleven_scores_fit_the_screen_without_scrolling_sideways(
    browser: Any, served: Served, survey_key: str
) -> None:
    context = browser.new_context(
        base_url=served.url, viewport={"width": 375, "height": 667}, is_mobile=True
    )
    page = context.new_page()
    info = invite(served, survey_key, "ro")

    page.goto(on_server(served, info.links.url))

    labels = page.locator(".scores label")
    assert labels.count() == 11
    for index in range(11):
        box = labels.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375, index
        assert labels.nth(index).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_on_a_phone_the_widget_in_the_corner_stays_inside_the_screen_with_both_edges(
    browser: Any, shop: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True)
    page = context.new_page()

    page.goto(f"{shop}/")

    card = page.locator("section.card")
    expect(card).to_be_visible()
    box = card.bounding_box()
    assert box is not None
    assert box["x"] > 0  # its left border shows, not only its right
    assert box["x"] + box["width"] < 375
    for index in range(11):
        score = card.locator(".scores button").nth(index).bounding_box()
        assert score is not None
        assert box["x"] <= score["x"]
        assert score["x"] + score["width"] <= box["x"] + box["width"]
    context.close()
