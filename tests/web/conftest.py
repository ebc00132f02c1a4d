"""A running web app on a real database (SQLite, then PostgreSQL), one user per role, a clock
the tests move, and clients that log in through the log-in form as a browser does."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from advocacy import open_catalogue
from advocacy.access import Role
from advocacy.config import load_settings
from advocacy.services import accounts
from advocacy.store.engine import build_engine
from advocacy.web.app import create_app
from tests import factories

PASSWORD = "a long enough password"
START = dt.datetime(2026, 11, 23, 9, 0, 0)


@dataclass
class Clock:
    now: dt.datetime = field(default=START)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Site:
    app: FastAPI
    url: str
    clock: Clock

    def client(self, **kwargs: object) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False, **kwargs)  # type: ignore[arg-type]

    def login(self, role: Role | str, **kwargs: object) -> TestClient:
        """A client logged in as the test user of ``role``."""
        client = self.client(**kwargs)
        response = log_in(client, f"{Role(role).value}@example.com", PASSWORD)
        assert response.status_code == 303, response.text
        return client

    def token(self, role: Role | str) -> str:
        engine = self.app.state.engine
        secret, _ = accounts.create_token(engine, role, now=self.clock.now, name="test")
        return secret


def log_in(client: TestClient, email: str, password: str, next_path: str = "/") -> object:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(
        "/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": token.group(1),
            "next": next_path,
        },
        follow_redirects=False,
    )


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The session's CSRF token, as a page's forms carry it."""
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def _catalogue(url: str, folder: Path) -> None:
    catalogue = open_catalogue(url)
    try:
        catalogue.import_file(
            "customers", factories.write_csv(folder / "c.csv", factories.customers())
        )
        catalogue.import_file("orders", factories.write_csv(folder / "o.csv", factories.orders()))
        catalogue.import_file("nps", factories.write_csv(folder / "n.csv", factories.nps_answers()))
        catalogue.import_file("reviews", factories.write_csv(folder / "r.csv", factories.reviews()))
        catalogue.import_file("tickets", factories.write_csv(folder / "t.csv", factories.tickets()))
        catalogue.import_file(
            "social", factories.write_csv(folder / "s.csv", factories.social_posts())
        )
    finally:
        catalogue.close()


@pytest.fixture
def site_factory(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Site]]:
    engines = []

    def make(*, data: bool = True, **settings: str) -> Site:
        if data:
            _catalogue(database_url, tmp_path)
        engine = build_engine(database_url)
        engines.append(engine)
        clock = Clock()
        for role in Role:
            accounts.create_user(
                engine, f"{role.value}@example.com", PASSWORD, role, now=clock.now, name=role.value
            )
        app = create_app(
            load_settings(database_url=database_url, dashboard_cache_seconds="0", **settings),
            engine=engine,
            clock=clock,
        )
        return Site(app, database_url, clock)

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def site(site_factory: Callable[..., Site]) -> Site:
    return site_factory()
