"""Survey benchmark: 10,000 anonymous answers through the public endpoint, with concurrency,
from a second process on loopback, then a count of what the catalogue holds.

One command::

    .venv/bin/python bench/survey_load.py [--answers 10000] [--concurrency 32] [--markdown]
    bash scripts/with-postgres.sh .venv/bin/python bench/survey_load.py  # SQLite and PostgreSQL

For each database the script

1. makes a fresh catalogue (a SQLite file in a temporary folder, or the throwaway PostgreSQL
   server of ``ADVOCACY_TEST_POSTGRES_URL``, emptied; or ``--db-url``, which must hold no
   feedback yet) and a public survey ``load``;
2. starts ``advocacy serve`` (one worker process, as the embedded default runs, with the
   background work external so that no thread of it competes) on a free loopback port and
   waits for ``/healthz``;
3. from a second process, sends ``--answers`` ``POST /p/load/answers`` JSON bodies — a unique
   32-hex ``response_id``, a score of 0–10, a comment on two in three, a language of
   en/es/ru/ro — over ``--concurrency`` keep-alive HTTP/1.1 connections (a small asyncio client
   on raw streams: the machine's cores are shared with the server, and a full HTTP library
   would measure itself). Each latency is from the request's first byte written to its
   response's last byte read. Nothing is retried but a request whose connection broke, sent
   again with the same ``response_id`` and counted;
4. checks the catalogue: exactly ``--answers`` NPS items ``advocacy-load-…``, each response id
   once, each with the score sent (none lost, none duplicated), and the dashboard's facts
   (``feedback_monthly``, kind nps) summing to the same number;
5. sends ``--duplicates`` of the same answers again (same response ids and scores: 200, not
   201) and checks that nothing was added, to the items or to the facts.

It reports answers/s, p50/p95/p99/max latency (ms), statuses, retries, lost and duplicated.
Target of the surveys issue: ≥ 1,000 answers/s and p99 ≤ 100 ms on the embedded default
(SQLite).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SURVEY = "load"
LANGUAGES = ["en", "es", "ru", "ro"]
COMMENTS = [
    "Fast delivery, thank you.",
    "El pedido llegó tarde y la caja estaba rota.",
    "Всё хорошо, но доставка медленная.",
    "Produsul este bun, dar livrarea a durat prea mult.",
]


# --- the load process ---------------------------------------------------------------------------


def _request(host: str, port: int, path: str, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body, ensure_ascii=False).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + payload


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _send_all(base: str, bodies: list[dict[str, Any]], concurrency: int) -> dict[str, Any]:
    host_port = base.removeprefix("http://")
    host, _, port_text = host_port.partition(":")
    port = int(port_text)
    path = f"/p/{SURVEY}/answers"
    requests = [_request(host, port, path, body) for body in bodies]
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    retries = 0
    failed = 0
    turn = iter(range(len(requests)))

    async def connection() -> None:
        nonlocal retries, failed
        reader, writer = await asyncio.open_connection(host, port)
        for index in turn:
            for _attempt in range(5):
                try:
                    started = time.perf_counter()
                    writer.write(requests[index])
                    status, _ = await _read_response(reader)
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses[status] += 1
                    break
                except (ConnectionError, asyncio.IncompleteReadError):
                    # The same response_id again: the server counts it once either way.
                    retries += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
            else:
                failed += 1
        writer.close()

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(connection() for _ in range(concurrency)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    ordered = np.sort(np.asarray(latencies))

    def pick(q: float) -> float:
        return float(np.quantile(ordered, q)) if len(ordered) else float("nan")

    return {
        "sent": len(requests),
        "seconds": elapsed,
        "per_second": len(ordered) / elapsed,
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "retries": retries,
        "failed": failed,
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "max": float(ordered[-1]) if len(ordered) else float("nan"),
        "client_cpu_ms": 1000 * cpu / max(1, len(ordered)),
    }


def client(base: str, plan: Path, concurrency: int) -> dict[str, Any]:
    """Run in the load process: send every body of ``plan`` (a JSON list)."""
    bodies = json.loads(plan.read_text(encoding="utf-8"))
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        runner = asyncio.run
    return runner(_send_all(base, bodies, concurrency))


# --- the driver ---------------------------------------------------------------------------------


def plan_answers(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` answers with unique response ids (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    ids = {rng.bytes(16).hex() for _ in range(count + 16)}
    chosen = sorted(ids)[:count]
    order = rng.permutation(count)
    scores = rng.choice(11, count, p=[0.04] * 7 + [0.14, 0.16, 0.2, 0.22])
    bodies = []
    for position, index in enumerate(order):
        body: dict[str, Any] = {
            "response_id": chosen[int(index)],
            "score": int(scores[position]),
            "language": LANGUAGES[position % len(LANGUAGES)],
        }
        if position % 3:
            body["comment"] = COMMENTS[position % len(COMMENTS)] + f" #{position}"
        bodies.append(body)
    return bodies


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "ADVOCACY_WORKER": "external",
        # No dashboard warm-up: the catalogue starts empty and nobody opens the dashboard.
        "ADVOCACY_DASHBOARD_CACHE_SECONDS": "0",
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "advocacy", "--db", url, "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    import httpx

    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"the server did not start:\n{log.read_text(errors='replace')}")


def _load(
    base: str, bodies: list[dict[str, Any]], folder: Path, concurrency: int, server: int
) -> Any:
    """Send ``bodies`` from a second process; adds the server's CPU time per answer (the cost
    of an answer whatever else the machine runs)."""
    import psutil

    plan = folder / f"plan-{len(bodies)}.json"
    plan.write_text(json.dumps(bodies, ensure_ascii=False), encoding="utf-8")
    command = [
        sys.executable, __file__, "--client", base, "--plan", str(plan),
        "--concurrency", str(concurrency),
    ]  # fmt: skip
    serving = psutil.Process(server)
    before = serving.cpu_times()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    after = serving.cpu_times()
    result = json.loads(done.stdout)
    used = (after.user - before.user) + (after.system - before.system)
    result["server_cpu_ms"] = 1000 * used / max(1, len(bodies))
    return result


def check(url: str, bodies: list[dict[str, Any]]) -> dict[str, int]:
    """What the catalogue holds of the answers sent: lost, duplicated, wrong scores, and the
    facts' NPS count."""
    from sqlalchemy import func, select

    from advocacy.store.engine import build_engine
    from advocacy.store.tables import FeedbackItem, FeedbackMonthly

    f, m = FeedbackItem.__table__.c, FeedbackMonthly.__table__.c
    prefix = f"advocacy-{SURVEY}-"
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(f.external_id, f.rating).where(
                    f.kind == "nps", f.external_id.like(prefix + "%")
                )
            ).all()
            facts = connection.scalar(
                select(func.coalesce(func.sum(m["items"]), 0)).where(m.kind == "nps")
            )
    finally:
        engine.dispose()
    sent = {body["response_id"]: body["score"] for body in bodies}
    stored = Counter(str(row.external_id).removeprefix(prefix) for row in rows)
    scores = {str(row.external_id).removeprefix(prefix): int(row.rating) for row in rows}
    return {
        "items": len(rows),
        "lost": sum(1 for key in sent if key not in stored),
        "duplicated": sum(count - 1 for count in stored.values() if count > 1),
        "unexpected": sum(1 for key in stored if key not in sent),
        "wrong_score": sum(1 for key, score in sent.items() if scores.get(key, score) != score),
        "facts_nps": int(facts or 0),
    }


def _prepare(url: str, *, throwaway: bool) -> None:
    """Migrate the catalogue and add the survey; a throwaway PostgreSQL server is emptied
    first, any other catalogue must hold no feedback yet (its count is checked after)."""
    from sqlalchemy import func, select, text

    from advocacy.services.surveys import create_survey
    from advocacy.store.engine import build_engine
    from advocacy.store.schema import upgrade
    from advocacy.store.tables import Base, FeedbackItem

    engine = build_engine(url)
    upgrade(engine)
    if throwaway and engine.dialect.name == "postgresql":
        names = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    with engine.connect() as connection:
        held = connection.scalar(select(func.count()).select_from(FeedbackItem.__table__))
    if held:
        engine.dispose()
        raise SystemExit(f"{url}: the benchmark needs an empty catalogue ({held:,} items held)")
    create_survey(
        engine,
        now=datetime.now(UTC).replace(tzinfo=None),
        key=SURVEY,
        name="Load",
    )
    engine.dispose()


def run_database(
    name: str, url: str, folder: Path, args: argparse.Namespace, *, throwaway: bool
) -> dict[str, Any]:
    _prepare(url, throwaway=throwaway)
    bodies = plan_answers(args.answers, args.seed)
    server, base = _serve(url, folder / f"serve-{name}.log")
    try:
        result = _load(base, bodies, folder, args.concurrency, server.pid)
        after = check(url, bodies)
        again = bodies[: args.duplicates]
        repeat = _load(base, again, folder, args.concurrency, server.pid)
        after_repeat = check(url, bodies)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ok = (
        after["items"] == args.answers
        and after["lost"] == after["duplicated"] == after["wrong_score"] == 0
        and after["facts_nps"] == args.answers
        and after_repeat == after
        and result["statuses"] == {"201": args.answers}
        and repeat["statuses"] == {"200": len(again)}
    )
    row = {
        "database": name,
        **result,
        **after,
        "repeat": repeat,
        "after_repeat": after_repeat,
        "ok": ok,
    }
    print(
        f"{name}: {result['per_second']:.0f} answers/s, p99 {result['p99']:.1f} ms, server CPU "
        f"{result['server_cpu_ms']:.2f} ms/answer, "
        f"lost {after['lost']}, duplicated {after['duplicated']}, ok {ok}",
        file=sys.stderr,
    )
    return row


def _machine() -> str:
    try:
        listed = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = next(
            line.split(":", 1)[1].strip()
            for line in listed.splitlines()
            if line.startswith("Model name")
        )
    except (OSError, subprocess.CalledProcessError, StopIteration):
        model = platform.processor() or platform.machine()
    return f"{model}, {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--duplicates", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--db-url",
        help="one empty catalogue to run against instead (a sqlite:/// or postgresql:// URL)",
    )
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        print(json.dumps(client(args.client, Path(args.plan), args.concurrency)))
        return
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="advocacy-survey-bench-") as name:
        folder = Path(name)
        if args.db_url:
            targets = [(args.db_url.split(":", 1)[0].split("+")[0], args.db_url, False)]
        else:
            targets = []
            for database in args.databases.split(","):
                if database == "sqlite":
                    targets.append((database, f"sqlite:///{folder / 'bench.sqlite'}", True))
                    continue
                url = os.environ.get("ADVOCACY_TEST_POSTGRES_URL", "")
                if not url:
                    print(
                        "postgresql: skipped (run under scripts/with-postgres.sh)", file=sys.stderr
                    )
                    continue
                targets.append((database, url, True))
        for database, url, throwaway in targets:
            results.append(run_database(database, url, folder, args, throwaway=throwaway))
    if not args.markdown:
        print(json.dumps(results, indent=2))
    else:
        command = "python bench/survey_load.py " + shlex.join(sys.argv[1:])
        print(f"### Public survey answers under load ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n")
        print(
            f"Machine: {_machine()}; Python {platform.python_version()}. Command: `{command}`. "
            f"{args.answers:,} answers over {args.concurrency} keep-alive connections from a "
            "second process, one server process; then "
            f"{args.duplicates} of them sent again.\n"
        )
        print(
            "| database | answers | answers/s | p50 ms | p95 ms | p99 ms | max ms | server CPU "
            "ms/answer | client CPU ms/answer | statuses | "
            "retries | lost | duplicated | wrong score | facts (nps) | again: statuses | "
            "again: items after |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---:|")
        for row in results:
            statuses = ", ".join(f"{k}: {v:,}" for k, v in row["statuses"].items())
            again = ", ".join(f"{k}: {v:,}" for k, v in row["repeat"]["statuses"].items())
            print(
                f"| {row['database']} | {row['items']:,} | {row['per_second']:,.0f} | "
                f"{row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {row['max']:.1f} | "
                f"{row['server_cpu_ms']:.2f} | {row['client_cpu_ms']:.2f} | "
                f"{statuses} | {row['retries']} | {row['lost']} | {row['duplicated']} | "
                f"{row['wrong_score']} | {row['facts_nps']:,} | {again} | "
                f"{row['after_repeat']['items']:,} |"
            )
    if not all(row["ok"] for row in results):
        raise SystemExit("some answers were lost, duplicated or miscounted")


if __name__ == "__main__":
    main()
