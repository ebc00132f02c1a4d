"""``advocacy users``, ``advocacy tokens``, ``advocacy serve`` and the demo's log-ins, as an
administrator and `make demo` use them."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from advocacy.store.engine import build_engine
from advocacy.web.app import create_app
from tests.e2e.test_cli import run

PASSWORD = "a long enough password"


def _advocacy(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advocacy", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_a_user_is_created_with_the_password_read_from_standard_input(sqlite_url: str) -> None:
    created = _advocacy(
        "--db", sqlite_url, "users", "create", "Lead@Example.com", "--role", "lead", "--json",
        stdin=PASSWORD + "\n",
    )  # fmt: skip

    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["email"] == "lead@example.com"
    listed = _advocacy("--db", sqlite_url, "users", "list", "--json")
    assert [user["role"] for user in json.loads(listed.stdout)] == ["lead"]
    assert PASSWORD not in listed.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("users", "create", "x@example.com", "--role", "admin"), "short\n", "at least 10"),
        (("users", "create", "not-an-email", "--role", "admin"), PASSWORD + "\n", "not an e-mail"),
        (("users", "create", "x@example.com", "--role", "boss"), PASSWORD + "\n", "boss"),
        (("users", "set", "nobody@example.com", "--role", "viewer"), "", "no user"),
        (("tokens", "revoke", "999"), "", "no API token with id 999"),
    ],
)
def test_bad_user_and_token_commands_say_what_is_wrong(
    sqlite_url: str, args: tuple[str, ...], stdin: str, message: str
) -> None:
    result = _advocacy("--db", sqlite_url, *args, stdin=stdin)

    assert result.returncode in (2, 65, 66)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_taken_email_is_refused(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    first = _advocacy("--db", sqlite_url, "users", "create", "a@example.com", "--role", "viewer",
                      stdin=PASSWORD + "\n")  # fmt: skip
    again = _advocacy("--db", sqlite_url, "users", "create", "A@example.com", "--role", "admin",
                      stdin=PASSWORD + "\n")  # fmt: skip

    assert first.returncode == 0
    assert again.returncode == 65
    assert "already a user a@example.com" in again.stderr


def test_a_printed_api_token_opens_the_api_with_its_role_until_revoked(sqlite_url: str) -> None:
    created = _advocacy("--db", sqlite_url, "tokens", "create", "--role", "analyst", "--name", "BI")
    token = created.stdout.strip()
    from fastapi.testclient import TestClient

    from advocacy.config import load_settings

    engine = build_engine(sqlite_url)
    client = TestClient(create_app(load_settings(database_url=sqlite_url), engine=engine))
    bearer = {"Authorization": f"Bearer {token}"}

    assert re.fullmatch(r"adv_[A-Za-z0-9_-]{43}", token)
    assert client.get("/api/v1/me", headers=bearer).json()["role"] == "analyst"
    listed = json.loads(_advocacy("--db", sqlite_url, "tokens", "list", "--json").stdout)
    assert listed[0]["name"] == "BI"
    assert token not in json.dumps(listed)
    _advocacy("--db", sqlite_url, "tokens", "revoke", str(listed[0]["id"]))
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
    engine.dispose()


def test_the_demo_creates_one_user_of_each_role_with_a_fresh_password(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, "demo", "--customers", "30", "--json")

    assert code == 0, err
    logins = json.loads(out)["logins"]
    assert [login["role"] for login in logins] == ["admin", "lead", "advocate", "analyst", "viewer"]
    assert len({login["password"] for login in logins}) == 5
    assert all(len(login["password"]) >= 12 for login in logins)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_make_demo_serves_the_demo_company_and_prints_how_to_log_in(tmp_path: Path) -> None:
    port = _free_port()
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    server = subprocess.Popen(
        [sys.executable, "-m", "advocacy", "--db", url, "demo", "--customers", "60", "--serve",
         "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        output = ""
        assert server.stdout is not None
        for line in server.stdout:
            output += line
            if "serving at" in line:
                break
        login = re.search(r"^\s+admin\s+(\S+@\S+)\s+(\S+)$", output, re.MULTILINE)
        assert login is not None, output
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, follow_redirects=False) as client:
            for _ in range(100):
                try:
                    form = client.get("/login")
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert csrf is not None
            answer = client.post(
                "/login",
                data={"email": login.group(1), "password": login.group(2),
                      "csrf_token": csrf.group(1), "next": "/"},
            )  # fmt: skip
            assert answer.status_code == 303
            dashboard = client.get("/")
        assert dashboard.status_code == 200
        assert "Net Promoter Score" in dashboard.text
        assert "advocacy feedback list" in output  # the tour came first
    finally:
        server.terminate()
        server.wait(timeout=30)
