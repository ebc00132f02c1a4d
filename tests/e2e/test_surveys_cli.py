"""``advocacy surveys …`` and ``advocacy worker`` as scripts use them, against ``advocacy serve``
and a real SMTP server on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests import factories
from tests.e2e.test_cli import run
from tests.mail_server import SmtpServer, free_port, score_links


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def advocacy(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Result]:
    """``advocacy ARGS`` in-process, with ``env`` set for the call."""

    def call(*args: str, env: dict[str, str] | None = None) -> Result:
        with monkeypatch.context() as scoped:
            for name, value in (env or {}).items():
                scoped.setenv(name, value)
            return Result(*run(capsys, *args))

    return call


@pytest.fixture
def ok(advocacy: Callable[..., Result]) -> Callable[..., str]:
    def call(*args: str, env: dict[str, str] | None = None) -> str:
        result = advocacy(*args, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    return call


@pytest.fixture
def customers(sqlite_url: str, tmp_path: Path, ok: Callable[..., str]) -> str:
    ok("--db", sqlite_url, "import", "customers",
       str(factories.write_csv(tmp_path / "c.csv", factories.customers(4))))  # fmt: skip
    return sqlite_url


@pytest.fixture
def served(customers: str) -> Iterator[str]:
    """``advocacy serve`` on a free loopback port, its links built on that address."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ADVOCACY_BASE_URL": base, "ADVOCACY_WORKER": "external"}
    server = subprocess.Popen(
        [sys.executable, "-m", "advocacy", "--db", customers, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_invite_prints_the_answer_page_and_eleven_score_links_that_serve_answers(
    customers: str, served: str, ok: Callable[..., str]
) -> None:
    env = {"ADVOCACY_BASE_URL": served}
    invited = json.loads(ok("--db", customers, "surveys", "invite", "C2", "--json", env=env))

    assert isinstance(invited["invitation_id"], int)
    assert invited["url"].startswith(f"{served}/s/")
    assert invited["score_urls"] == [f"{invited['url']}/{n}" for n in range(11)]
    assert invited["language"] == "ru"

    clicked = httpx.get(invited["score_urls"][7], follow_redirects=True, timeout=10)
    assert clicked.status_code == 200
    assert "Какова главная причина вашей оценки?" in clicked.text
    again = httpx.get(invited["score_urls"][7], timeout=10)
    assert again.status_code == 303

    listed = json.loads(ok("--db", customers, "surveys", "invitations", "--json"))
    assert listed[0]["invitation_id"] == invited["invitation_id"]
    assert listed[0]["score"] == 7
    answers = json.loads(ok("--db", customers, "feedback", "list", "--kind", "nps", "--json"))
    rows = answers["items"] if isinstance(answers, dict) else answers
    assert [(row["customer_id"], row["rating"]) for row in rows] == [("C2", 7.0)]


def test_the_worker_sends_the_queued_e_mail_once_and_its_score_link_answers(
    customers: str, served: str, ok: Callable[..., str]
) -> None:
    with SmtpServer() as smtp:
        env = {
            "ADVOCACY_BASE_URL": served,
            "ADVOCACY_SMTP_HOST": "127.0.0.1",
            "ADVOCACY_SMTP_PORT": str(smtp.port),
            "ADVOCACY_SMTP_SECURITY": "none",
        }
        ok("--db", customers, "surveys", "invite", "C3", "--channel", "email", "--json", env=env)
        first = json.loads(
            ok("--db", customers, "worker", "--once", "--no-analysis", "--json", env=env)
        )
        second = json.loads(
            ok("--db", customers, "worker", "--once", "--no-analysis", "--json", env=env)
        )

        assert first["delivery"]["sent"] == 1
        assert second["delivery"]["sent"] == 0
        [message] = smtp.inbox.messages
        assert message["To"].addresses[0].addr_spec == "ioana@example.ro"
        assert httpx.get(score_links(message)[10], timeout=10).status_code == 303
    shown = json.loads(ok("--db", customers, "surveys", "show", "nps", "--json"))
    assert shown["stats"]["delivered"] == 1
    assert shown["stats"]["answered"] == 1
    assert shown["stats"]["response_rate"] == 1.0


def test_a_post_delivery_survey_and_a_segment_send_from_the_command_line(
    customers: str, tmp_path: Path, ok: Callable[..., str]
) -> None:
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps({"es": {"question": "¿Nos recomendaría?"}}), encoding="utf-8")
    created = json.loads(ok(
        "--db", customers, "surveys", "create", "post-delivery", "--name", "After delivery",
        "--trigger", "delivery", "--delay-days", "3", "--reminder-days", "2", "--texts",
        str(texts), "--json",
    ))  # fmt: skip
    assert created["trigger"] == "delivery"
    assert created["texts"] == {"es": {"question": "¿Nos recomendaría?"}}
    assert created["public_url"].endswith("/p/post-delivery")
    assert 'data-survey="post-delivery"' in created["widget_snippet"]

    counted = json.loads(ok("--db", customers, "surveys", "send", "post-delivery",
                             "--segment", "consumer", "--dry-run", "--json"))  # fmt: skip
    sent = json.loads(ok("--db", customers, "surveys", "send", "post-delivery",
                          "--segment", "consumer", "--json"))  # fmt: skip
    assert counted == {**sent, "dry_run": True}
    assert sent["queued"] == 2
    listed = json.loads(ok("--db", customers, "surveys", "list", "--json"))
    assert [s["key"] for s in listed] == ["post-delivery"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("surveys", "invite", "nobody"), "no customer 'nobody'"),
        (("surveys", "invite", "C1", "--survey", "nothing"), "no survey 'nothing'"),
        (("surveys", "invite", "C1", "--order", "O9"), "no order 'O9'"),
        (("surveys", "invite", "C1", "--language", "xx"), "not 'xx'"),
        (("surveys", "create", "Bad Key"), "key:"),
        (("surveys", "create", "ok", "--delay-days", "9999"), "delay_days"),
        (("surveys", "create", "ok", "--texts", "/no/such/file.json"), "cannot read"),
        (("surveys", "send", "nps"), "no survey 'nps'"),
        (("surveys", "contact", "C1"), "--unsubscribe"),
    ],
)
def test_bad_survey_commands_say_what_is_wrong(
    customers: str, args: tuple[str, ...], message: str, advocacy: Callable[..., Result]
) -> None:
    result = advocacy("--db", customers, *args)

    assert result.returncode in (2, 65, 66), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unsubscribed_customer_cannot_be_invited(
    customers: str, ok: Callable[..., str], advocacy: Callable[..., Result]
) -> None:
    ok("--db", customers, "surveys", "contact", "C4", "--unsubscribe")

    refused = advocacy("--db", customers, "surveys", "invite", "C4", "--json")

    assert refused.returncode == 65
    assert "may not be asked: unsubscribed" in refused.stderr
