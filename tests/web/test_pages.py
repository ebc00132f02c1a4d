"""What people see: the dashboard's numbers, the inbox and its filters, the customer 360°,
review texts shown inert, errors as pages (never a traceback), and the app in four languages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import text as text_sql

from advocacy import open_catalogue
from advocacy.access import Role
from advocacy.cli.analysis import run_analysis
from advocacy.store.engine import build_engine
from tests import factories
from tests.web.conftest import Site

HOSTILE = [
    "<script>alert('pwned')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '"><iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "{{ 7*7 }} {% raw %}",
    '=HYPERLINK("http://evil.example","x")',
]


def _analyse(site: Site) -> None:
    engine = build_engine(site.url)
    run_analysis(engine, mode="fast")
    engine.dispose()


def test_the_dashboard_shows_the_nps_with_its_margin_of_error(site: Site) -> None:
    page = site.login(Role.VIEWER).get("/")

    # Answers 3, 10 and 8: one promoter, one passive, one detractor → NPS 0 (score interval).
    assert re.search(r'data-testid="nps">\s*0\.0<', page.text)
    assert "3 answers" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "<svg" in page.text
    assert "<script>" not in page.text


def test_the_dashboard_api_gives_the_same_numbers_as_the_page(site: Site) -> None:
    headers = {"Authorization": f"Bearer {site.token(Role.VIEWER)}"}
    data = site.client().get("/api/v1/dashboard", headers=headers).json()

    assert data["nps"]["answers"] == 3
    assert data["nps"]["nps"] == 0.0
    assert (data["nps"]["promoters"], data["nps"]["passives"], data["nps"]["detractors"]) == (
        1,
        1,
        1,
    )
    assert {(row["kind"], row["platform"]) for row in data["volume"]} == {
        ("nps", None),
        ("review", "trustpilot"),
        ("review", "google"),
        ("ticket", None),
        ("social", "x"),
    }


def test_dashboard_filters_narrow_every_number(site: Site) -> None:
    headers = {"Authorization": f"Bearer {site.token(Role.VIEWER)}"}
    client = site.client()

    spain = client.get("/api/v1/dashboard?country=ES", headers=headers).json()
    email = client.get("/api/v1/dashboard?channel=email", headers=headers).json()
    later = client.get("/api/v1/dashboard?from=2025-03-11", headers=headers).json()
    trustpilot = client.get("/api/v1/dashboard?platform=trustpilot", headers=headers).json()

    assert spain["nps"]["answers"] == 1
    assert spain["nps"]["detractors"] == 1
    assert email["nps"]["answers"] == 1
    assert later["nps"]["answers"] == 2
    assert trustpilot["nps"]["answers"] == 0
    assert trustpilot["nps"]["nps"] is None
    assert trustpilot["volume"] == [{"kind": "review", "platform": "trustpilot", "items": 1}]


@pytest.mark.parametrize(
    "query", ["from=2025-13-01", "from=2025-03-10&to=2025-03-01", "country=" + "x" * 300]
)
def test_a_bad_dashboard_filter_gets_a_clear_error(site: Site, query: str) -> None:
    client = site.login(Role.VIEWER)

    page = client.get(f"/?{query}")
    api = client.get(f"/api/v1/dashboard?{query}")

    assert page.status_code == 400
    assert "Traceback" not in page.text
    assert api.status_code in (400,)
    assert api.json()["error"]["detail"]


def test_every_chart_downloads_its_numbers_as_csv(site: Site) -> None:
    client = site.login(Role.VIEWER)

    for section in ("nps_trend", "volume", "sentiment", "themes", "churn", "clv", "tiers"):
        response = client.get(f"/dashboard/{section}.csv")
        assert response.status_code == 200, section
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows, section
        assert rows[0], section
    trend = list(csv.DictReader(io.StringIO(client.get("/dashboard/nps_trend.csv").text)))
    assert [row["month"] for row in trend] == ["2025-03"]
    assert trend[0]["answers"] == "3"
    assert client.get("/dashboard/nothing.csv").status_code == 404


def test_the_inbox_lists_every_item_newest_first_with_links(site: Site) -> None:
    page = site.login(Role.ADVOCATE).get("/feedback")

    assert page.status_code == 200
    items = re.findall(r'<li class="item">', page.text)
    assert len(items) == 7
    assert page.text.index("Love my new kettle") < page.text.index("Sigo esperando")
    assert 'href="https://www.trustpilot.com/reviews/1" rel="noopener noreferrer nofollow"' in (
        page.text
    )
    assert 'href="/customers/C1"' in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=nps", 3),
        ("kind=reviews", 2),
        ("platform=google", 1),
        ("max_rating=3", 2),  # NPS 3 and Trustpilot 1; nothing else is rated 3 or less
        ("language=ru", 1),
        ("customer=C1", 4),
        ("q=kettle", 1),
        ("from=2025-03-15&to=2025-03-16", 2),
        ("q=%25", 0),
    ],
)
def test_inbox_filters_select_the_items_asked_for(site: Site, query: str, expected: int) -> None:
    client = site.login(Role.ANALYST)

    page = client.get(f"/feedback?{query}")
    api = client.get(f"/api/v1/feedback?{query}")

    assert page.status_code == 200
    assert len(re.findall(r'<li class="item">', page.text)) == expected
    assert len(api.json()["items"]) == expected


def test_inbox_filters_by_sentiment_theme_and_urgency_once_analysed(site: Site) -> None:
    _analyse(site)
    client = site.login(Role.ADVOCATE)

    negative = client.get("/api/v1/feedback?sentiment=negative").json()["items"]
    delivery = client.get("/api/v1/feedback?theme=delivery").json()["items"]
    calm = client.get("/api/v1/feedback?urgent=no").json()["items"]

    assert negative
    assert all(item["sentiment"] == "negative" for item in negative)
    assert delivery
    assert all("delivery" in item["themes"] for item in delivery)
    assert all(not item["urgent"] for item in calm)
    assert client.get("/feedback?sentiment=negative&theme=delivery").status_code == 200
    assert client.get("/feedback?sentiment=angry").status_code == 400


def test_the_inbox_pages_by_cursor_without_gaps_or_repeats(site: Site) -> None:
    client = site.login(Role.ANALYST)
    seen: list[int] = []
    cursor = ""

    while True:
        page = client.get(f"/api/v1/feedback?limit=3&cursor={cursor}").json()
        seen += [item["id"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]

    assert len(seen) == len(set(seen)) == 7
    assert client.get("/api/v1/feedback?cursor=not-a-cursor").status_code == 400
    assert client.get("/feedback?cursor=%00%01").status_code == 400


def test_hostile_review_texts_are_shown_as_text_never_run(
    site_factory: object, tmp_path: Path, database_url: str
) -> None:
    site: Site = site_factory()  # type: ignore[operator]
    rows = [
        {
            "review_id": f"H{i}",
            "platform": "trustpilot",
            "rating": 1,
            "title": text,
            "text": text,
            "author": text,
            "posted_at": "2025-04-01",
            "url": f"https://example.com/{i}",
            "customer_id": "C1",
        }
        for i, text in enumerate(HOSTILE)
    ]
    catalogue = open_catalogue(database_url)
    catalogue.import_file("reviews", factories.write_csv(tmp_path / "hostile.csv", rows))
    # The importers refuse such links; an item that reached the database another way must
    # still never become a script link.
    with catalogue.engine.begin() as connection:
        connection.execute(
            text_sql("UPDATE feedback_items SET url = :url WHERE external_id IN ('H0', 'H1')"),
            {"url": "javascript:alert(document.cookie)"},
        )
        connection.execute(
            text_sql("UPDATE feedback_items SET url = :url WHERE external_id = 'H2'"),
            {"url": "data:text/html,<script>alert(1)</script>"},
        )
    catalogue.close()
    client = site.login(Role.ADMIN)
    item_ids = [
        item["id"] for item in client.get("/api/v1/feedback?platform=trustpilot").json()["items"]
    ]

    pages = [client.get("/feedback"), client.get("/customers/C1")]
    pages += [client.get(f"/feedback/{item}") for item in item_ids]

    for page in pages:
        assert page.status_code == 200
        body = page.text
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "<svg onload" not in body
        assert "<iframe" not in body
        assert 'href="javascript:' not in body
        assert 'href="data:' not in body
        assert 'onerror="alert' not in body
    shown = "".join(page.text for page in pages)
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in shown
    assert "{{ 7*7 }}" in shown  # shown as written, not evaluated


def test_the_export_is_csv_without_formulas_and_only_for_exporting_roles(
    site_factory: object, tmp_path: Path, database_url: str
) -> None:
    site: Site = site_factory()  # type: ignore[operator]
    catalogue = open_catalogue(database_url)
    catalogue.import_file(
        "reviews",
        factories.write_csv(
            tmp_path / "formula.csv",
            [
                {
                    "review_id": "F1",
                    "platform": "google",
                    "rating": 2,
                    "text": HOSTILE[-1],
                    "posted_at": "2025-04-02",
                    "author": "=cmd|' /C calc'!A0",
                }
            ],
        ),
    )
    catalogue.close()
    _analyse(site)

    export = site.login(Role.ANALYST).get("/feedback/export.csv?platform=google")

    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert export.status_code == 200
    assert len(rows) == 2
    formula = next(row for row in rows if row["item_id"] == "F1")
    assert formula["redacted_text"].startswith("'=HYPERLINK")
    assert site.login(Role.ADVOCATE).get("/feedback/export.csv").status_code == 403


def test_the_customer_page_shows_orders_with_late_deliveries_and_every_item(site: Site) -> None:
    page = site.login(Role.ADVOCATE).get("/customers/C1")

    assert page.status_code == 200
    assert "Ana López" in page.text
    assert "Espresso machine" in page.text
    assert "late by 6 d" in page.text  # promised 4 March, delivered 9 March 11:00 UTC
    assert page.text.count('<li class="item">') == 4
    api = site.login(Role.ADVOCATE).get("/api/v1/customers/C1").json()
    assert api["summary"]["late_deliveries"] == 1
    assert api["summary"]["last_nps"] == 3
    assert api["value"]["tier"] in ("top", "high", "standard")
    assert api["orders"][0]["delivery"] == "late"
    assert api["orders"][0]["days_late"] == 6


def test_an_order_past_its_promised_date_and_not_delivered_is_overdue(site: Site) -> None:
    api = site.login(Role.ADVOCATE).get("/api/v1/customers/C2").json()

    order = api["orders"][0]
    assert order["delivery"] == "overdue"
    assert order["days_late"] > 600


def test_the_customer_list_searches_by_id_name_or_email(site: Site) -> None:
    client = site.login(Role.ADVOCATE)

    assert client.get("/api/v1/customers?q=ioana").json()["customers"][0]["customer_id"] == "C3"
    assert client.get("/api/v1/customers?q=c2").json()["customers"][0]["name"] == "Иван Петров"
    assert client.get("/api/v1/customers?country=es").json()["customers"][0]["customer_id"] == "C1"
    assert "Ioana Popescu" in client.get("/customers?q=example.ro").text


def test_unknown_pages_and_records_get_a_helpful_page_or_a_json_error(site: Site) -> None:
    client = site.login(Role.ADMIN)

    missing_page = client.get("/no/such/page")
    missing_customer = client.get("/customers/NOPE")
    missing_api = client.get("/api/v1/customers/NOPE")
    wrong_type = client.get("/api/v1/feedback/abc")

    assert missing_page.status_code == 404
    assert "There is no page at this address" in missing_page.text
    assert missing_customer.status_code == 404
    assert "no customer with id &#39;NOPE&#39;" in missing_customer.text
    assert missing_api.json() == {
        "error": {"status": 404, "title": "Not found", "detail": "no customer with id 'NOPE'"}
    }
    assert wrong_type.status_code == 400
    assert "item_id" in wrong_type.json()["error"]["detail"]


def test_an_unexpected_failure_shows_a_page_not_a_traceback(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advocacy.services import dashboard

    def broken(*_args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(dashboard, "dashboard", broken)
    client = site.login(Role.VIEWER)

    page = client.get("/")
    api = client.get("/api/v1/dashboard")

    assert page.status_code == 500
    assert "Something went wrong" in page.text
    assert "secret internal detail" not in page.text
    assert "Traceback" not in page.text
    assert api.status_code == 500
    assert "secret" not in api.text


def test_the_browser_language_chooses_the_interface_language(site: Site) -> None:
    client = site.login(Role.VIEWER)

    spanish = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    russian = client.get("/", headers={"Accept-Language": "ru"})
    fallback = client.get("/", headers={"Accept-Language": "de-DE"})

    assert spanish.headers["content-language"] == "es"
    assert '<html lang="es">' in spanish.text
    assert "Cerrar sesión" in spanish.text
    assert russian.headers["content-language"] == "ru"
    assert "Выйти" in russian.text
    assert fallback.headers["content-language"] == "en"
    assert "Log out" in fallback.text


def test_a_users_language_choice_is_kept_across_sessions(site: Site) -> None:
    from tests.web.conftest import csrf_of

    client = site.login(Role.ANALYST)
    client.post(
        "/account/language",
        data={"locale": "ro", "csrf_token": csrf_of(client)},
        headers={"Referer": "http://testserver/feedback"},
        follow_redirects=False,
    )

    again = site.login(Role.ANALYST)
    page = again.get("/", headers={"Accept-Language": "en"})

    assert page.headers["content-language"] == "ro"
    assert "Deconectare" in page.text


def test_numbers_and_dates_follow_the_locale(site: Site) -> None:
    client = site.login(Role.ANALYST)

    english = client.get("/customers/C1?lang=en").text
    spanish = client.get("/customers/C1?lang=es").text

    assert "€120.50" in english
    assert "Mar 1, 2025" in english
    assert "120,50\xa0€" in spanish
    assert "1 mar 2025" in spanish


def test_choosing_a_language_returns_to_the_page_without_an_older_lang_link(site: Site) -> None:
    from tests.web.conftest import csrf_of

    client = site.login(Role.ANALYST)
    client.get("/customers/C1?lang=es&x=1")

    response = client.post(
        "/account/language",
        data={"locale": "ro", "csrf_token": csrf_of(client)},
        headers={"Referer": "http://testserver/customers/C1?lang=es&x=1"},
        follow_redirects=False,
    )

    assert response.headers["location"] == "/customers/C1?x=1"
    assert client.get("/customers/C1").headers["content-language"] == "ro"
