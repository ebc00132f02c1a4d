"""Referrals on the web: an advocate's public link counts the visit and leads only to the
configured landing address with the code added; the report page and its JSON twin for those
who may see customers; attributing and issuing codes for those who work feedback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from advocacy import open_catalogue
from advocacy.access import Role
from advocacy.services import referrals
from advocacy.store.tables import Advocate, Customer, Referral, ReferralClick
from tests import factories
from tests.web.conftest import Site, csrf_of

HOSTILE = "<script>alert('ana')</script>"


def _advocate(site: Site, tmp_path: Path) -> str:
    """A customer with a hostile name made an advocate, with their code."""
    catalogue = open_catalogue(site.url)
    try:
        row = {**factories.customers(1)[0], "customer_id": "ADV", "name": HOSTILE}
        catalogue.import_file("customers", factories.write_csv(tmp_path / "adv.csv", [row]))
    finally:
        catalogue.close()
    engine: Engine = site.app.state.engine
    now = site.clock.now
    with engine.begin() as connection:
        for ref in ("ADV", "C2"):
            customer_id = connection.scalar(select(Customer.id).where(Customer.external_id == ref))
            connection.execute(insert(Advocate).values(
                customer_id=customer_id, status="active", score=70.0, reasons=[], since=now,
                first_seen_at=now, evaluated_at=now))  # fmt: skip
        advocate_id = connection.scalar(select(Customer.id).where(Customer.external_id == "ADV"))
    return referrals.issue_code(engine, int(advocate_id), now=now)


def _count(site: Site, table: object) -> int:
    with site.app.state.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def _bearer(site: Site, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.token(role)}"}


# --- the public link --------------------------------------------------------------------------


def test_a_referral_link_leads_logged_out_visitors_to_the_landing_address_with_the_code(
    site_factory: Callable[..., Site], tmp_path: Path
) -> None:
    site = site_factory(referral_landing_url="https://shop.example.com/join?utm=adv&x=a+b#top")
    code = _advocate(site, tmp_path)

    followed = site.client().get(f"/r/{code.lower()}", follow_redirects=False)

    assert followed.status_code == 302
    assert followed.headers["location"] == (
        f"https://shop.example.com/join?utm=adv&x=a+b&ref={code}#top"
    )
    assert _count(site, ReferralClick) == 1


def test_without_a_landing_address_the_link_leads_to_the_base_url(
    site: Site, tmp_path: Path
) -> None:
    code = _advocate(site, tmp_path)

    followed = site.client().get(f"/r/{code}", follow_redirects=False)

    assert followed.headers["location"] == f"http://127.0.0.1:8000/?ref={code}"


def test_reloading_a_link_counts_one_visit_an_hour(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    client = site.client()

    for _ in range(5):
        assert client.get(f"/r/{code}", follow_redirects=False).status_code == 302
    site.clock.advance(minutes=61)
    client.get(f"/r/{code}", follow_redirects=False)

    assert _count(site, ReferralClick) == 2


@pytest.mark.parametrize(
    "path",
    ["/r/NOPE2345", "/r/%3Cscript%3E", "/r/https:%2F%2Fevil.example", "/r/" + "A" * 5000],
)
def test_an_unknown_code_is_a_404_page_that_records_nothing(
    site: Site, tmp_path: Path, path: str
) -> None:
    _advocate(site, tmp_path)

    answered = site.client().get(path, follow_redirects=False)

    assert answered.status_code == 404
    assert "location" not in answered.headers
    assert "<script>" not in answered.text
    assert _count(site, ReferralClick) == 0


def test_nothing_in_the_request_can_choose_where_a_link_leads(
    site_factory: Callable[..., Site], tmp_path: Path
) -> None:
    site = site_factory(referral_landing_url="https://shop.example.com/")
    code = _advocate(site, tmp_path)

    followed = site.client().get(
        f"/r/{code}?next=https://evil.example&url=//evil.example&ref=EVIL",
        headers={"Host": "evil.example", "Referer": "https://evil.example/"},
        follow_redirects=False,
    )

    assert followed.headers["location"] == f"https://shop.example.com/?ref={code}"


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://shop.example.com", "https://", "//evil.example"]
)
def test_a_landing_address_that_is_not_http_is_refused_at_start(address: str) -> None:
    from pydantic import ValidationError

    from advocacy.config import load_settings

    with pytest.raises(ValidationError, match="http"):
        load_settings(referral_landing_url=address)


# --- the JSON API -----------------------------------------------------------------------------


def test_the_api_attributes_a_referral_once_for_who_works_feedback(
    site: Site, tmp_path: Path
) -> None:
    code = _advocate(site, tmp_path)
    client = site.client()
    body = {"customer_id": "C1", "code": f" {code.lower()} "}

    assert client.post("/api/v1/referrals", json=body).status_code == 401
    refused = client.post("/api/v1/referrals", json=body, headers=_bearer(site, Role.ANALYST))
    assert refused.status_code == 403
    made = client.post("/api/v1/referrals", json=body, headers=_bearer(site, Role.ADVOCATE))
    again = client.post("/api/v1/referrals", json=body, headers=_bearer(site, Role.LEAD))

    assert made.status_code == 201
    assert made.json()["advocate"] == "ADV"
    assert made.json()["code"] == code
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert _count(site, Referral) == 1


def test_the_api_refuses_bad_attributions_with_clear_errors(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    client = site.client()
    headers = _bearer(site, Role.ADVOCATE)
    other = client.post(
        "/api/v1/advocates/C2/referral-code", headers=headers
    ).json()["code"]  # fmt: skip
    client.post("/api/v1/referrals", json={"customer_id": "C1", "code": code}, headers=headers)

    def attribute(customer: str, given: str) -> tuple[int, str]:
        answer = client.post(
            "/api/v1/referrals", json={"customer_id": customer, "code": given}, headers=headers
        )
        return answer.status_code, answer.json()["error"]["detail"]

    status, detail = attribute("C1", other)
    assert status == 400
    assert "already referred by" in detail
    assert "(ADV)" in detail
    assert attribute("ADV", code)[0] == 400  # themselves
    assert attribute("C3", "<b>NOPE</b>") == (
        400,
        "no advocate has the referral code '<b>NOPE</b>'",
    )
    assert attribute("NOBODY", code)[0] == 404
    assert attribute("C3", "x" * 101)[0] == 400  # too long to be read at all
    assert _count(site, Referral) == 1


def test_the_api_gives_an_advocate_their_code_and_link(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    client = site.client()

    refused = client.post(
        "/api/v1/advocates/ADV/referral-code", headers=_bearer(site, Role.ANALYST)
    )
    given = client.post("/api/v1/advocates/ADV/referral-code", headers=_bearer(site, Role.ADVOCATE))
    not_one = client.post("/api/v1/advocates/C1/referral-code", headers=_bearer(site, Role.LEAD))
    nobody = client.post("/api/v1/advocates/ZZ/referral-code", headers=_bearer(site, Role.LEAD))

    assert refused.status_code == 403
    assert given.json() == {
        "customer_id": "ADV", "code": code, "link": f"http://127.0.0.1:8000/r/{code}"}  # fmt: skip
    assert not_one.status_code == 400
    assert "not an advocate" in not_one.json()["error"]["detail"]
    assert nobody.status_code == 404


def test_the_api_lists_the_report_for_who_may_see_customers(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    client = site.client()
    client.get(f"/r/{code}")

    assert client.get("/api/v1/referrals", headers=_bearer(site, Role.VIEWER)).status_code == 403
    listed = client.get("/api/v1/referrals?advocate=ADV", headers=_bearer(site, Role.ANALYST))

    [row] = listed.json()["referrals"]
    assert row["customer_id"] == "ADV"
    assert row["name"] == HOSTILE
    assert row["link"] == f"http://127.0.0.1:8000/r/{code}"
    assert (row["visits_30_days"], row["visits"], row["referred_customers"]) == (1, 1, 0)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_report_with_hostile_names_as_text(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    referrals.attribute(site.app.state.engine, "C1", code, actor="t", now=site.clock.now)

    page = site.login(Role.ANALYST).get("/advocates/referrals")

    assert page.status_code == 200
    assert HOSTILE not in page.text
    assert "&lt;script&gt;alert(&#39;ana&#39;)&lt;/script&gt;" in page.text
    assert f"http://127.0.0.1:8000/r/{code}" in page.text
    assert "Ana López" in page.text
    assert 'data-testid="attribute-referral"' not in page.text  # analysts do not work feedback
    assert site.login(Role.VIEWER).get("/advocates/referrals").status_code == 403
    logged_out = site.client().get("/advocates/referrals", follow_redirects=False)
    assert logged_out.status_code == 303


def test_an_advocate_attributes_a_referral_with_the_pages_form(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, "/advocates/referrals")

    sent = client.post(
        "/advocates/referrals",
        data={"csrf_token": csrf, "referred": "C1", "code": code.lower()},
        follow_redirects=False,
    )
    page = client.get(sent.headers["location"])

    assert sent.status_code == 303
    assert "Referral attributed." in page.text
    assert _count(site, Referral) == 1


def test_a_refused_attribution_shows_why_and_keeps_what_was_typed(
    site: Site, tmp_path: Path
) -> None:
    _advocate(site, tmp_path)
    client = site.login(Role.ADVOCATE)
    csrf = csrf_of(client, "/advocates/referrals")

    refused = client.post(
        "/advocates/referrals",
        data={"csrf_token": csrf, "referred": "C1", "code": '"><img src=x>'},
    )

    assert refused.status_code == 400
    assert "no advocate has the referral code" in refused.text
    assert "<img src=x>" not in refused.text
    assert 'value="&#34;&gt;&lt;img src=x&gt;"' in refused.text
    assert _count(site, Referral) == 0


def test_a_form_without_its_token_changes_nothing(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    client = site.login(Role.LEAD)

    refused = client.post("/advocates/referrals", data={"referred": "C1", "code": code})

    assert refused.status_code == 403
    assert _count(site, Referral) == 0


def test_an_advocate_gets_their_code_from_the_page(site: Site, tmp_path: Path) -> None:
    _advocate(site, tmp_path)
    client = site.login(Role.LEAD)
    csrf = csrf_of(client, "/advocates/referrals")

    sent = client.post("/advocates/referrals/code", data={"csrf_token": csrf, "customer": "C2"})
    refused = client.post("/advocates/referrals/code", data={"csrf_token": csrf, "customer": "C3"})

    assert sent.status_code == 200  # the page again, after the redirect
    assert "Referral code ready." in sent.text
    assert sent.text.count("http://127.0.0.1:8000/r/") == 2
    assert refused.status_code == 400
    assert "not an advocate" in refused.text


def test_the_report_reads_the_clock_of_the_request(site: Site, tmp_path: Path) -> None:
    code = _advocate(site, tmp_path)
    client = site.client()
    client.get(f"/r/{code}")
    site.clock.advance(days=31)
    headers = _bearer(site, Role.ANALYST)

    [row] = client.get("/api/v1/referrals", headers=headers).json()["referrals"]

    assert (row["visits_30_days"], row["visits"]) == (0, 1)
