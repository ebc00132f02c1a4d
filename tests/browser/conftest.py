"""A real server on loopback with the demo company, and a real headless Chromium (Debian's
``chromium``, driven by Playwright; never ``playwright install``)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine

from advocacy.access import Role
from advocacy.cli import main
from advocacy.config import Settings, load_settings
from advocacy.services import accounts
from advocacy.store.engine import build_engine
from advocacy.web.app import create_app

CHROMIUM = os.environ.get("ADVOCACY_TEST_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "browser test password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """The running server's address, and the database and settings it serves."""

    url: str
    engine: Engine
    settings: Settings


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The demo company served on 127.0.0.1, with one user of each role."""
    folder: Path = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    try:
        main(
            [
                "--db",
                url,
                "demo",
                "--customers",
                "80",
                "--seed",
                "3",
                "--today",
                "2026-11-23",
                "--json",
            ]
        )
    except SystemExit as exit_:
        assert not exit_.code
    engine = build_engine(url)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for role in Role:
        accounts.create_user(engine, f"{role.value}@browser.example", PASSWORD, role, now=now)
    settings = load_settings(database_url=url)
    app = create_app(settings, engine=engine)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", engine, settings)
    running.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="session")
def server(served: Served) -> str:
    """The address of the served demo company."""
    return served.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


Page = Any


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Page]:
    """A page in an English browser, collecting script errors in ``page.problems``."""
    context = browser.new_context(base_url=server, locale="en-US")
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: problems.append(str(error)))
    opened.on("dialog", lambda dialog: problems.append(f"a script ran: {dialog.message}"))
    opened.problems = problems
    yield opened
    context.close()
