"""Every route, for every role: allowed where the role holds the route's permission, refused
otherwise; nothing without a session or a token; access denied by default."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI

from advocacy.access import GRANTS, Permission, Role, allows
from advocacy.web.security import check_every_route_is_guarded, require
from tests.web.conftest import Site

# Every route a role may be refused, with the permission it needs ({item} is filled in).
ROUTES: list[tuple[str, str, Permission]] = [
    ("GET", "/", Permission.DASHBOARD_VIEW),
    ("GET", "/?country=ES&channel=email&from=2025-01-01&to=2025-12-31", Permission.DASHBOARD_VIEW),
    ("GET", "/dashboard/nps_trend.csv", Permission.DASHBOARD_VIEW),
    ("GET", "/dashboard/themes.csv", Permission.DASHBOARD_VIEW),
    ("GET", "/feedback", Permission.FEEDBACK_VIEW),
    ("GET", "/feedback/{item}", Permission.FEEDBACK_VIEW),
    ("GET", "/feedback/export.csv", Permission.DATA_EXPORT),
    ("GET", "/customers", Permission.CUSTOMERS_VIEW),
    ("GET", "/customers/C1", Permission.CUSTOMERS_VIEW),
    ("GET", "/dashboard/surveys.csv", Permission.DASHBOARD_VIEW),
    ("GET", "/surveys", Permission.FEEDBACK_VIEW),
    ("GET", "/admin/users", Permission.USERS_MANAGE),
    ("GET", "/admin/tokens", Permission.TOKENS_MANAGE),
    ("GET", "/api/v1/me", Permission.DASHBOARD_VIEW),
    ("GET", "/api/v1/dashboard", Permission.DASHBOARD_VIEW),
    ("GET", "/api/v1/feedback", Permission.FEEDBACK_VIEW),
    ("GET", "/api/v1/feedback/{item}", Permission.FEEDBACK_VIEW),
    ("GET", "/api/v1/customers", Permission.CUSTOMERS_VIEW),
    ("GET", "/api/v1/customers/C1", Permission.CUSTOMERS_VIEW),
    ("GET", "/api/v1/surveys", Permission.FEEDBACK_VIEW),
    ("GET", "/api/v1/cases", Permission.FEEDBACK_VIEW),
    ("GET", "/api/v1/users", Permission.USERS_MANAGE),
    ("GET", "/api/v1/tokens", Permission.TOKENS_MANAGE),
]


def _item_id(site: Site) -> int:
    client = site.client()
    found = client.get(
        "/api/v1/feedback", headers={"Authorization": f"Bearer {site.token(Role.ADMIN)}"}
    )
    return int(found.json()["items"][0]["id"])


def test_the_role_table_gives_viewers_dashboards_only_and_admins_everything() -> None:
    assert GRANTS[Role.VIEWER] == {Permission.DASHBOARD_VIEW}
    assert GRANTS[Role.ADMIN] == set(Permission)
    assert allows("analyst", Permission.DATA_EXPORT)
    assert not allows("advocate", Permission.DATA_EXPORT)
    assert not allows("lead", Permission.USERS_MANAGE)
    assert not allows("no such role", Permission.DASHBOARD_VIEW)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_the_pages_its_permissions_allow(site: Site, role: Role) -> None:
    item = _item_id(site)
    client = site.login(role)

    for method, path, permission in ROUTES:
        response = client.request(method, path.format(item=item), follow_redirects=False)
        expected = 200 if allows(role, permission) else 403
        assert response.status_code == expected, (role, path, response.text[:300])


@pytest.mark.parametrize("role", list(Role))
def test_each_roles_api_token_reaches_exactly_the_routes_of_its_role(
    site: Site, role: Role
) -> None:
    item = _item_id(site)
    client = site.client()
    headers = {"Authorization": f"Bearer {site.token(role)}"}

    for method, path, permission in ROUTES:
        response = client.request(method, path.format(item=item), headers=headers)
        expected = 200 if allows(role, permission) else 403
        assert response.status_code == expected, (role, path, response.text[:300])


def test_pages_send_a_visitor_without_a_session_to_the_log_in_page(site: Site) -> None:
    client = site.client()

    for _method, path, _permission in ROUTES:
        if path.startswith("/api/"):
            continue
        response = client.get(path.format(item=1), follow_redirects=False)
        if path.split("?")[0].endswith(".csv"):  # a download, not a page: no redirect
            assert response.status_code == 401, path
            continue
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=%2F")


def test_the_api_answers_401_with_a_json_error_without_credentials(site: Site) -> None:
    client = site.client()

    for _method, path, _permission in ROUTES:
        if not path.startswith("/api/"):
            continue
        response = client.get(path.format(item=1))
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["status"] == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer adv_not-a-real-token",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "adv_token-without-scheme",
        "Bearer " + "x" * 5000,
    ],
)
def test_a_wrong_or_malformed_authorization_header_is_refused(site: Site, header: str) -> None:
    response = site.client().get("/api/v1/me", headers={"Authorization": header})

    assert response.status_code == 401


def test_a_revoked_token_stops_working_at_once(site: Site) -> None:
    token = site.token(Role.ANALYST)
    client = site.client()
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()["role"]
        == "analyst"
    )
    admin = {"Authorization": f"Bearer {site.token(Role.ADMIN)}"}
    listed = client.get("/api/v1/tokens", headers=admin).json()["tokens"]
    token_id = next(t["id"] for t in listed if token.startswith(t["prefix"]))

    revoked = client.delete(f"/api/v1/tokens/{token_id}", headers=admin)

    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_an_expired_token_is_refused(site: Site) -> None:
    admin = {"Authorization": f"Bearer {site.token(Role.ADMIN)}"}
    client = site.client()
    created = client.post(
        "/api/v1/tokens", json={"role": "viewer", "expires_in_days": 1}, headers=admin
    )
    token = created.json()["token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200

    site.clock.advance(days=1, seconds=1)

    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_tokens_are_stored_hashed_and_listed_without_their_secret(site: Site) -> None:
    token = site.token(Role.VIEWER)
    admin = {"Authorization": f"Bearer {site.token(Role.ADMIN)}"}

    listed = site.client().get("/api/v1/tokens", headers=admin).text
    from sqlalchemy import text

    with site.app.state.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash, prefix FROM api_tokens")).all()

    assert token not in listed
    assert all(token != row[0] and len(row[0]) == 64 for row in stored)


def test_an_app_with_a_route_that_names_no_permission_refuses_to_start() -> None:
    app = FastAPI()
    router = APIRouter()

    @router.get("/open")
    def open_route() -> dict[str, str]:
        return {}

    app.include_router(router)

    with pytest.raises(RuntimeError, match="/open"):
        check_every_route_is_guarded(app.routes)


def test_every_route_of_the_app_is_guarded(site: Site) -> None:
    routes = check_every_route_is_guarded(site.app.routes)

    paths = {getattr(route, "path", "") for route in routes}
    assert {"/", "/feedback", "/api/v1/feedback", "/login"} <= paths


def test_a_guard_names_its_permission() -> None:
    guard = require(Permission.DATA_EXPORT)

    assert guard.__advocacy_permission__ is Permission.DATA_EXPORT  # type: ignore[attr-defined]


def test_the_openapi_schema_lists_every_api_route_and_the_bearer_scheme(site: Site) -> None:
    schema = site.client().get("/openapi.json").json()

    paths = set(schema["paths"])
    assert {
        "/api/v1/me",
        "/api/v1/dashboard",
        "/api/v1/feedback",
        "/api/v1/feedback/{item_id}",
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/users",
        "/api/v1/users/{user_id}",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}",
    } <= paths
    assert not any(path.startswith(("/admin", "/login")) for path in paths)  # pages stay out
    assert "Bearer" in schema["info"]["description"]
