"""Web benchmark: the dashboard and the inbox's first page under concurrent load, on a
catalogue of 1,000,000 NPS answers and 1,000,000 reviews, in SQLite and in PostgreSQL.

One command::

    .venv/bin/python bench/web_load.py [--answers 1000000] [--reviews 1000000] [--markdown]

For each database the script

1. builds the catalogue (deterministic, ``numpy.random.default_rng(seed)``): customers with
   country and segment, their orders, the NPS answers and the reviews, already analysed
   (sentiment, one or two themes) as the product leaves them; on PostgreSQL a throwaway server
   is expected in ``ADVOCACY_TEST_POSTGRES_URL`` (``scripts/with-postgres.sh`` starts one);
2. starts ``advocacy serve`` (one worker process, as the embedded default runs) on a free
   loopback port, and creates an API token for a viewer and one for an analyst;
3. from a second process, sends requests with ``--concurrency`` clients for ``--seconds`` per
   scenario (after one warm-up request) and records every latency; the server's dashboard
   cache (``ADVOCACY_DASHBOARD_CACHE_SECONDS``) is on as shipped (30 s) in the "as shipped"
   scenarios and off (0: every request computes everything) in the "cold" one.

Scenarios: ``GET /api/v1/dashboard`` (every number of the dashboard), ``GET /`` (the
dashboard page), ``GET /api/v1/dashboard?country=…&channel=…`` cycling through 35 filter
sets with the cache off (counted from the monthly facts), ``GET /api/v1/feedback?limit=50``
and ``GET /feedback`` (the inbox's first page), ``GET
/api/v1/feedback?kind=review&sentiment=negative&limit=50`` (a filtered first page). It
reports requests, errors, throughput, p50, p95 and p99 latency (ms) for each. Target of
issue 6: p95 ≤ 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = [
    ("dashboard API (as shipped)", "/api/v1/dashboard", "viewer", True),
    ("dashboard page (as shipped)", "/", "viewer", True),
    ("dashboard API (no cache)", "/api/v1/dashboard", "viewer", False),
    ("dashboard API, 35 filter sets (no cache)", "/api/v1/dashboard?{filters}", "viewer", False),
    ("inbox API, first page", "/api/v1/feedback?limit=50", "analyst", True),
    ("inbox page, first page", "/feedback", "analyst", True),
    (
        "inbox API, negative reviews",
        "/api/v1/feedback?kind=review&sentiment=negative&limit=50",
        "analyst",
        True,
    ),
]
THEMES = ["delivery", "price", "product_quality", "customer_service", "website_app", "returns"]
PLATFORMS = ["amazon", "google", "trustpilot", "tripadvisor"]
CHANNELS = ["email", "web", "link", "sms", "in-app"]
COUNTRIES = ["ES", "MX", "RU", "RO", "MD", "GB", "US"]
SEGMENTS = ["consumer", "small business", "enterprise"]
SENTIMENTS = ["negative", "neutral", "positive"]


def build(url: str, *, answers: int, reviews: int, customers: int, seed: int) -> float:
    """Fill an empty, migrated catalogue at ``url``; returns the seconds it took."""
    from sqlalchemy import insert

    from advocacy.store.engine import build_engine
    from advocacy.store.schema import upgrade
    from advocacy.store.tables import Customer, FeedbackItem, Order

    started = time.perf_counter()
    engine = build_engine(url)
    upgrade(engine)
    rng = np.random.default_rng(seed)
    end = datetime(2026, 11, 1)
    span = 730 * 86400

    def stamps(n: int) -> list[datetime]:
        seconds = rng.integers(0, span, n)
        return [end - timedelta(seconds=int(s)) for s in seconds]

    acquired = stamps(customers)
    customer_rows = [
        {
            "id": i + 1,
            "external_id": f"C{i + 1:07d}",
            "name": f"Customer {i + 1}",
            "country": COUNTRIES[i % len(COUNTRIES)],
            "segment": SEGMENTS[i % len(SEGMENTS)],
            "acquired_at": acquired[i],
            "churned_at": acquired[i] + timedelta(days=200) if i % 9 == 0 else None,
            "attributes": {},
        }
        for i in range(customers)
    ]
    buyers = rng.integers(1, customers + 1, customers * 2)
    ordered = stamps(customers * 2)
    amounts = rng.gamma(2.0, 40.0, customers * 2)
    order_rows = [
        {
            "id": i + 1,
            "external_id": f"O{i + 1:08d}",
            "customer_id": int(buyers[i]),
            "ordered_at": ordered[i],
            "amount": round(float(amounts[i]), 2),
            "currency": "EUR",
            "status": "delivered",
            "promised_delivery_at": ordered[i] + timedelta(days=3),
            "delivered_at": ordered[i] + timedelta(days=int(rng.integers(1, 6))),
            "attributes": {},
        }
        for i in range(customers * 2)
    ]
    scores = rng.choice(11, answers, p=[0.04] * 7 + [0.14, 0.16, 0.2, 0.22])
    answer_times = stamps(answers)
    answer_customers = rng.integers(1, customers + 1, answers)
    analysed = end + timedelta(days=1)

    def analysis(i: int, tone: str) -> dict[str, Any]:
        chosen = [THEMES[i % len(THEMES)]] + ([THEMES[(i // 7) % len(THEMES)]] if i % 3 else [])
        return {
            "sentiment": tone,
            "sentiment_score": 0.5,
            "themes": [
                {"theme": t, "sentiment": tone, "score": 0.5} for t in dict.fromkeys(chosen)
            ],
            "urgent": tone == "negative" and i % 17 == 0,
            "urgency_reasons": [],
            "detected_language": "en",
            "analyzed_at": analysed,
        }

    feedback: list[dict[str, Any]] = []
    for i in range(answers):
        score = int(scores[i])
        tone = "negative" if score <= 6 else "neutral" if score <= 8 else "positive"
        feedback.append(
            {
                "kind": "nps",
                "platform": "",
                "external_id": f"N{i + 1:08d}",
                "customer_ref": f"C{int(answer_customers[i]):07d}",
                "customer_id": int(answer_customers[i]),
                "rating": float(score),
                "rating_scale": 10.0,
                "rating_normalized": score / 10,
                "text": f"Answer {i}: the order was {'late' if score < 7 else 'fine'}.",
                "occurred_at": answer_times[i],
                "channel": CHANNELS[i % len(CHANNELS)],
                "attributes": {},
                **analysis(i, tone),
            }
        )
    stars = rng.choice(5, reviews, p=[0.12, 0.08, 0.1, 0.25, 0.45]) + 1
    review_times = stamps(reviews)
    for i in range(reviews):
        rating = int(stars[i])
        tone = "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"
        feedback.append(
            {
                "kind": "review",
                "platform": PLATFORMS[i % len(PLATFORMS)],
                "external_id": f"R{i + 1:08d}",
                "author": f"reviewer {i}",
                "rating": float(rating),
                "rating_scale": 5.0,
                "rating_normalized": rating / 5,
                "title": "Review",
                "text": f"Review {i}: {'slow delivery' if rating < 3 else 'great product'}.",
                "occurred_at": review_times[i],
                "url": f"https://reviews.example/{i}",
                "attributes": {},
                **analysis(i, tone),
            }
        )
    chunk = 20_000
    with engine.begin() as connection:
        for table, rows in ((Customer, customer_rows), (Order, order_rows)):
            for start in range(0, len(rows), chunk):
                connection.execute(insert(table), rows[start : start + chunk])
        for start in range(0, len(feedback), chunk):
            connection.execute(insert(FeedbackItem), feedback[start : start + chunk])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            from sqlalchemy import text

            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            from sqlalchemy import text

            connection.execute(text("ANALYZE"))
    from advocacy.services.facts import mark_changed, refresh_facts

    with engine.begin() as connection:
        mark_changed(connection)
    facts = refresh_facts(engine)  # as `advocacy import` leaves them
    print(f"  monthly facts built in {facts:.1f} s", file=sys.stderr)
    engine.dispose()
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _token(url: str, role: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "advocacy", "--db", url, "tokens", "create", "--role", role],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _serve(url: str, cache_seconds: float) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "ADVOCACY_DASHBOARD_CACHE_SECONDS": str(cache_seconds)}
    server = subprocess.Popen(
        [sys.executable, "-m", "advocacy", "--db", url, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import httpx

    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/healthz", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    return server, base


def load(base: str, path: str, token: str, *, concurrency: int, seconds: float) -> dict[str, Any]:
    """Run in the load process: ``concurrency`` clients for ``seconds``; latencies in ms."""
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    cookies: dict[str, str] = {}
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    filter_sets = [f"country={c}&channel={ch}" for c in COUNTRIES for ch in CHANNELS]
    turn = iter(range(10**9))

    def target() -> str:
        return path.replace("{filters}", filter_sets[next(turn) % len(filter_sets)])

    with httpx.Client(base_url=base, headers=headers, timeout=120) as warm:
        warm.get(target(), cookies=cookies)
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
            while time.perf_counter() < deadline:
                with lock:
                    url = target()
                started = time.perf_counter()
                response = http.get(url)
                took = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(took)
                    if response.status_code != 200:
                        errors += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    return {
        "requests": len(ordered),
        "errors": errors,
        "per_second": len(ordered) / elapsed,
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "mean": statistics.fmean(ordered) if ordered else float("nan"),
    }


def run_database(name: str, url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    built = build(
        url, answers=args.answers, reviews=args.reviews, customers=args.customers, seed=args.seed
    )
    print(f"{name}: built in {built:.0f} s", file=sys.stderr)
    tokens = {role: _token(url, role) for role in ("viewer", "analyst")}
    results = []
    for cached in (True, False):
        server, base = _serve(url, 30.0 if cached else 0.0)
        try:
            for label, path, role, shipped in SCENARIOS:
                if shipped != cached:
                    continue
                command = [
                    sys.executable, __file__, "--load", base, "--path", path,
                    "--token", tokens[role], "--concurrency", str(args.concurrency),
                    "--seconds", str(args.seconds),
                ]  # fmt: skip
                done = subprocess.run(command, capture_output=True, text=True, check=True)
                result = json.loads(done.stdout)
                results.append({"database": name, "scenario": label, "path": path, **result})
                print(f"{name} {label}: p95 {result['p95']:.1f} ms", file=sys.stderr)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return results


def _postgres_empty(url: str) -> None:
    from sqlalchemy import text

    from advocacy.store.engine import build_engine
    from advocacy.store.schema import upgrade
    from advocacy.store.tables import Base

    engine = build_engine(url)
    upgrade(engine)
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--load", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        result = load(
            args.load, args.path, args.token, concurrency=args.concurrency, seconds=args.seconds
        )
        print(json.dumps(result))
        return
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="advocacy-web-bench-") as folder:
        for name in args.databases.split(","):
            if name == "sqlite":
                url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
            else:
                url = os.environ.get("ADVOCACY_TEST_POSTGRES_URL", "")
                if not url:
                    print(
                        "postgresql: skipped (run under scripts/with-postgres.sh)", file=sys.stderr
                    )
                    continue
                _postgres_empty(url)
            results += run_database(name, url, args)
    if not args.markdown:
        print(json.dumps(results, indent=2))
        return
    command = "python bench/web_load.py " + shlex.join(sys.argv[1:])
    print(f"### Web: dashboard and inbox under load ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)\n")
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}. Command: `{command}`. "
        f"{args.answers:,} NPS answers, {args.reviews:,} reviews, {args.customers:,} customers; "
        f"{args.concurrency} concurrent clients in a second process, {args.seconds:.0f} s a "
        "scenario, one server process.\n"
    )
    print("| database | scenario | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in results:
        print(
            f"| {row['database']} | {row['scenario']} | {row['requests']:,} | {row['errors']} | "
            f"{row['per_second']:.1f} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} |"
        )


if __name__ == "__main__":
    main()
