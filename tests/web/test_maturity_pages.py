"""The advocacy maturity in the app: everyone who sees the dashboard reads the level, its
evidence and next steps (API and page); only leads and admins change the mapping of teams to
departments, with the CSRF token; hostile team names are shown as text."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from advocacy.access import Role
from advocacy.services import maturity
from tests.integration.test_maturity import HOSTILE_TEAM, NOW, build
from tests.web.conftest import Site, csrf_of

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def site(site_factory: Callable[..., Site]) -> Site:
    """The level-3 organisation of the integration tests, with one user per role besides."""
    made = site_factory(data=False)
    made.clock.now = NOW
    build(made.app.state.engine, 3)
    return made


def _mapping(site: Site) -> dict[str, str]:
    return maturity.departments(site.app.state.engine)


def test_a_viewer_reads_the_level_evidence_and_next_steps_from_the_api(site: Site) -> None:
    client = site.login(Role.VIEWER)

    response = client.get("/api/v1/maturity")

    assert response.status_code == 200
    found = response.json()
    assert found["level"] == 3
    assert {e["key"] for e in found["evidence"]} >= {"team_size", "departments", "referrals"}
    assert found["next_steps"][0]["key"] == "people_share"
    assert client.get("/api/v1/maturity?days=0").status_code == 400
    assert client.get("/api/v1/maturity?days=abc").status_code == 400


def test_the_api_refuses_anonymous_callers(site: Site) -> None:
    response = site.client().get("/api/v1/maturity")

    assert response.status_code == 401


def test_the_page_shows_the_ladder_with_the_current_level_the_evidence_and_next_steps(
    site: Site,
) -> None:
    page = site.login(Role.VIEWER).get("/maturity")

    assert page.status_code == 200
    assert re.search(r'data-level="3" aria-current="step" data-current="yes"', page.text)
    assert page.text.count('data-current="yes"') == 1
    assert 'data-key="leads" data-met="yes"' in page.text
    assert 'data-key="referrals" data-met="no"' in page.text
    assert "Level 3 of 4: Dedicated team across the company" in page.text
    assert "Cases resolved within their SLA, nearly always: now 80%, target 90%." in page.text


def test_hostile_team_names_are_shown_as_text(site: Site) -> None:
    page = site.login(Role.VIEWER).get("/maturity")

    assert "<script>alert(1)</script>" not in page.text
    assert "Retention &lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_viewer_sees_no_department_form_and_may_not_change_the_mapping(site: Site) -> None:
    for role in (Role.VIEWER, Role.ADVOCATE, Role.ANALYST):
        client = site.login(role)
        page = client.get("/maturity")
        assert 'data-testid="department-form"' not in page.text

        response = client.post(
            "/maturity/departments",
            data={"team": "Support", "department": "Hijacked", "csrf_token": csrf_of(client)},
            follow_redirects=False,
        )

        assert response.status_code == 403
    assert _mapping(site)["Support"] == "Customer service"


def test_a_lead_puts_a_team_in_a_department_from_the_page(site: Site) -> None:
    client = site.login(Role.LEAD)
    assert 'data-testid="department-form"' in client.get("/maturity").text

    response = client.post(
        "/maturity/departments",
        data={"team": "Billing", "department": HOSTILE, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/maturity?done=departments#departments"
    assert _mapping(site)["Billing"] == HOSTILE
    page = client.get("/maturity?done=departments")
    assert "Departments saved." in page.text
    assert HOSTILE not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_a_lead_takes_a_team_out_of_its_department(site: Site) -> None:
    client = site.login(Role.ADMIN)

    response = client.post(
        "/maturity/departments",
        data={"team": HOSTILE_TEAM, "remove": "yes", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )

    assert response.status_code == 303
    assert _mapping(site) == {"Support": "Customer service"}


def test_a_change_without_the_csrf_token_is_refused(site: Site) -> None:
    client = site.login(Role.LEAD)

    response = client.post(
        "/maturity/departments", data={"team": "Billing", "department": "Finance"}
    )

    assert response.status_code == 403
    assert "Billing" not in _mapping(site)


@pytest.mark.parametrize(
    ("team", "department"),
    [("Billing", "d" * 101), ("", "Finance"), ("   ", "Finance"), ("t" * 101, "Finance")],
)
def test_a_refused_change_shows_the_reason_and_keeps_what_was_typed(
    site: Site, team: str, department: str
) -> None:
    client = site.login(Role.LEAD)

    response = client.post(
        "/maturity/departments",
        data={"team": team, "department": department, "csrf_token": csrf_of(client)},
    )

    assert response.status_code == 400
    assert "1 to 100 characters" in response.text
    assert 'role="alert"' in response.text
    if department.strip():
        assert f'value="{department}"' in response.text
    assert _mapping(site) == {"Support": "Customer service", HOSTILE_TEAM: "Sales"}


def test_the_api_replaces_the_mapping_for_leads_only(site: Site) -> None:
    lead = {"Authorization": f"Bearer {site.token(Role.LEAD)}"}
    viewer = {"Authorization": f"Bearer {site.token(Role.VIEWER)}"}
    client = site.client()
    body = {"departments": {"Support": "Service", HOSTILE_TEAM: "Sales"}}

    assert client.put("/api/v1/maturity/departments", json=body, headers=viewer).status_code == 403
    response = client.put("/api/v1/maturity/departments", json=body, headers=lead)

    assert response.status_code == 200
    assert response.json() == {"departments": {HOSTILE_TEAM: "Sales", "Support": "Service"}}
    for bad in ({"departments": ["Support"]}, {"departments": {"Support": ""}},
                {"departments": {f"t{n}": "d" for n in range(201)}}, {}):  # fmt: skip
        refused = client.put("/api/v1/maturity/departments", json=bad, headers=lead)
        assert refused.status_code == 400, bad
    assert _mapping(site) == {HOSTILE_TEAM: "Sales", "Support": "Service"}


def test_the_page_speaks_the_readers_language(site: Site) -> None:
    page = site.login(Role.VIEWER).get("/maturity?lang=es")

    assert page.status_code == 200
    assert "Madurez de la defensa del cliente" in page.text
    assert "Equipo dedicado en toda la empresa" in page.text
