"""Log-in, sessions and CSRF: cookies a browser keeps safely, sessions that end when they
should, forms that cannot be sent from another site, and password guessing slowed down."""

from __future__ import annotations

import re

import pytest

from advocacy.access import Role
from tests.web.conftest import PASSWORD, Site, csrf_of, log_in


def test_logging_in_sets_an_httponly_samesite_session_cookie_and_opens_the_dashboard(
    site: Site,
) -> None:
    client = site.client()

    response = log_in(client, "viewer@example.com", PASSWORD)

    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "advocacy_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback
    assert client.get("/").status_code == 200


def test_the_session_cookie_is_secure_over_https(site: Site) -> None:
    client = site.client(base_url="https://testserver")

    response = log_in(client, "viewer@example.com", PASSWORD)

    assert "Secure" in response.headers["set-cookie"]  # type: ignore[attr-defined]


def test_only_the_hash_of_a_session_token_is_stored(site: Site) -> None:
    client = site.login(Role.VIEWER)
    token = client.cookies.get("advocacy_session")
    from sqlalchemy import text

    with site.app.state.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM web_sessions")).scalars().all()

    assert token
    assert token not in stored
    assert len(stored) == 1


def test_a_wrong_password_is_refused_without_saying_whether_the_email_exists(site: Site) -> None:
    client = site.client()

    wrong_password = log_in(client, "viewer@example.com", "not the password")
    unknown_email = log_in(client, "nobody@example.com", "not the password")

    assert wrong_password.status_code == unknown_email.status_code == 401  # type: ignore[attr-defined]
    assert "Wrong e-mail or password" in wrong_password.text  # type: ignore[attr-defined]
    assert "Wrong e-mail or password" in unknown_email.text  # type: ignore[attr-defined]
    assert client.get("/", follow_redirects=False).status_code == 303


def test_after_five_failures_log_in_is_refused_for_fifteen_minutes_even_with_the_password(
    site: Site,
) -> None:
    client = site.client()
    for _ in range(5):
        assert log_in(client, "analyst@example.com", "guess").status_code == 401  # type: ignore[attr-defined]

    blocked = log_in(client, "analyst@example.com", PASSWORD)

    assert blocked.status_code == 429  # type: ignore[attr-defined]
    assert int(blocked.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    site.clock.advance(minutes=15, seconds=1)
    assert log_in(client, "analyst@example.com", PASSWORD).status_code == 303  # type: ignore[attr-defined]


def test_a_successful_log_in_clears_earlier_failures(site: Site) -> None:
    client = site.client()
    for _ in range(4):
        log_in(client, "lead@example.com", "guess")
    assert log_in(client, "lead@example.com", PASSWORD).status_code == 303  # type: ignore[attr-defined]

    other = site.client()
    for _ in range(4):
        log_in(other, "lead@example.com", "guess")

    assert log_in(other, "lead@example.com", PASSWORD).status_code == 303  # type: ignore[attr-defined]


def test_the_log_in_form_without_its_csrf_token_is_refused(site: Site) -> None:
    client = site.client()
    client.get("/login")

    response = client.post(
        "/login", data={"email": "viewer@example.com", "password": PASSWORD}, follow_redirects=False
    )

    assert response.status_code == 403
    assert "advocacy_session" not in response.headers.get("set-cookie", "")


def test_log_in_never_redirects_to_another_site(site: Site) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"):
        client = site.client()
        response = log_in(client, "viewer@example.com", PASSWORD, next_path=target)
        assert response.headers["location"] == "/", target  # type: ignore[attr-defined]


def test_log_in_returns_to_the_page_that_was_asked_for(site: Site) -> None:
    client = site.client()
    first = client.get("/feedback?kind=nps", follow_redirects=False)
    assert first.headers["location"] == "/login?next=%2Ffeedback%3Fkind%3Dnps"

    response = log_in(client, "advocate@example.com", PASSWORD, next_path="/feedback?kind=nps")

    assert response.headers["location"] == "/feedback?kind=nps"  # type: ignore[attr-defined]


def test_a_form_without_the_sessions_csrf_token_changes_nothing(site: Site) -> None:
    client = site.login(Role.ADMIN)
    new_user = {"email": "new@example.com", "password": PASSWORD, "role": "viewer"}

    missing = client.post("/admin/users", data=new_user)
    wrong = client.post("/admin/users", data={**new_user, "csrf_token": "forged"})

    assert missing.status_code == wrong.status_code == 403
    assert "new@example.com" not in client.get("/admin/users").text


def test_a_form_posted_from_another_origin_is_refused_even_with_the_token(site: Site) -> None:
    client = site.login(Role.ADMIN)
    token = csrf_of(client, "/admin/users")

    response = client.post(
        "/admin/users",
        data={
            "email": "new@example.com",
            "password": PASSWORD,
            "role": "viewer",
            "csrf_token": token,
        },
        headers={"Origin": "https://evil.example"},
    )

    assert response.status_code == 403


def test_a_form_with_the_sessions_csrf_token_is_accepted(site: Site) -> None:
    client = site.login(Role.ADMIN)
    token = csrf_of(client, "/admin/users")

    response = client.post(
        "/admin/users",
        data={
            "email": "new@example.com",
            "password": PASSWORD,
            "role": "viewer",
            "csrf_token": token,
        },
        headers={"Origin": "http://testserver"},
    )

    assert response.status_code == 200
    assert "new@example.com" in response.text


def test_the_api_with_a_session_needs_the_csrf_header_to_change_anything(site: Site) -> None:
    client = site.login(Role.ADMIN)
    body = {"email": "api@example.com", "password": PASSWORD, "role": "analyst"}

    refused = client.post("/api/v1/users", json=body)
    accepted = client.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf_of(client)})

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert accepted.json()["role"] == "analyst"


def test_a_bearer_token_needs_no_csrf_token(site: Site) -> None:
    client = site.client()
    headers = {"Authorization": f"Bearer {site.token(Role.ADMIN)}"}

    response = client.post(
        "/api/v1/users",
        json={"email": "bot@example.com", "password": PASSWORD, "role": "viewer"},
        headers=headers,
    )

    assert response.status_code == 201


def test_a_session_ends_after_the_idle_time(site: Site) -> None:
    client = site.login(Role.VIEWER)
    site.clock.advance(minutes=119)
    assert client.get("/", follow_redirects=False).status_code == 200

    site.clock.advance(minutes=119)  # active a minute before: the idle time starts again
    assert client.get("/", follow_redirects=False).status_code == 200
    site.clock.advance(minutes=120)

    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_session_ends_at_its_lifetime_however_active(site: Site) -> None:
    client = site.login(Role.VIEWER)
    for _ in range(11):
        site.clock.advance(hours=1)
        assert client.get("/", follow_redirects=False).status_code == 200

    site.clock.advance(hours=1)

    assert client.get("/", follow_redirects=False).status_code == 303


def test_logging_out_ends_the_session_even_for_a_copied_cookie(site: Site) -> None:
    client = site.login(Role.VIEWER)
    cookie = client.cookies.get("advocacy_session")
    token = csrf_of(client)

    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)

    assert response.status_code == 303
    thief = site.client(cookies={"advocacy_session": cookie or ""})
    assert thief.get("/", follow_redirects=False).status_code == 303


def test_deactivating_a_user_or_changing_their_role_ends_their_sessions(site: Site) -> None:
    analyst = site.login(Role.ANALYST)
    admin = {"Authorization": f"Bearer {site.token(Role.ADMIN)}"}
    users = site.client().get("/api/v1/users", headers=admin).json()["users"]
    analyst_id = next(u["id"] for u in users if u["email"] == "analyst@example.com")

    site.client().patch(f"/api/v1/users/{analyst_id}", json={"active": False}, headers=admin)

    assert analyst.get("/", follow_redirects=False).status_code == 303
    assert log_in(site.client(), "analyst@example.com", PASSWORD).status_code == 401  # type: ignore[attr-defined]


def test_an_admin_cannot_demote_or_deactivate_themselves(site: Site) -> None:
    client = site.login(Role.ADMIN)
    me = client.get("/api/v1/me").json()

    response = client.post(
        f"/admin/users/{me['id']}", data={"role": "viewer", "csrf_token": csrf_of(client)}
    )

    assert response.status_code == 400
    assert client.get("/api/v1/me").json()["role"] == "admin"


def test_a_weak_password_or_a_taken_email_is_refused_with_the_reason(site: Site) -> None:
    client = site.login(Role.ADMIN)
    token = csrf_of(client, "/admin/users")

    weak = client.post(
        "/admin/users",
        data={"email": "w@example.com", "password": "short", "role": "viewer", "csrf_token": token},
    )
    taken = client.post(
        "/admin/users",
        data={
            "email": "Viewer@Example.com",
            "password": PASSWORD,
            "role": "viewer",
            "csrf_token": token,
        },
    )

    assert weak.status_code == 400
    assert "at least 10 characters" in weak.text
    assert taken.status_code == 400
    assert "already a user viewer@example.com" in taken.text


def test_a_new_api_token_is_shown_once_on_the_tokens_page(site: Site) -> None:
    client = site.login(Role.ADMIN)

    created = client.post(
        "/admin/tokens", data={"role": "analyst", "name": "BI", "csrf_token": csrf_of(client)}
    )
    token = re.search(r'data-testid="new-token">([^<]+)<', created.text)

    assert token is not None
    bearer = {"Authorization": f"Bearer {token.group(1)}"}
    assert site.client().get("/api/v1/me", headers=bearer).json()["role"] == "analyst"
    assert token.group(1) not in client.get("/admin/tokens").text


def test_a_user_changes_their_own_password_and_other_sessions_end(site: Site) -> None:
    laptop = site.login(Role.ADVOCATE)
    phone = site.login(Role.ADVOCATE)
    token = csrf_of(laptop, "/account")
    new = "a brand new long password"

    changed = laptop.post(
        "/account/password",
        data={"current": PASSWORD, "new": new, "repeated": new, "csrf_token": token},
    )

    assert changed.status_code == 200
    assert "Your password was changed." in changed.text
    assert laptop.get("/", follow_redirects=False).status_code == 200  # a new session here
    assert phone.get("/", follow_redirects=False).status_code == 303  # ended elsewhere
    assert log_in(site.client(), "advocate@example.com", new).status_code == 303  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("current", "new", "repeated", "message"),
    [
        ("not my password", "a brand new long password", "a brand new long password", "not right"),
        (PASSWORD, "a brand new long password", "another long password", "differ"),
        (PASSWORD, "short", "short", "at least 10 characters"),
    ],
)
def test_a_wrong_current_password_or_a_bad_new_one_changes_nothing(
    site: Site, current: str, new: str, repeated: str, message: str
) -> None:
    client = site.login(Role.VIEWER)

    refused = client.post(
        "/account/password",
        data={
            "current": current,
            "new": new,
            "repeated": repeated,
            "csrf_token": csrf_of(client, "/account"),
        },
    )

    assert refused.status_code == 400
    assert message in refused.text
    assert log_in(site.client(), "viewer@example.com", PASSWORD).status_code == 303  # type: ignore[attr-defined]
