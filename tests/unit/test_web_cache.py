"""The dashboard's cache: fresh values reused, stale ones served while one refresh runs."""

from __future__ import annotations

import threading
import time

import pytest

from advocacy.web.forms import TtlCache


def test_a_fresh_value_is_computed_once() -> None:
    cache, calls = TtlCache(), []

    for _ in range(3):
        cache.get("k", 60, lambda: calls.append(1) or len(calls))

    assert calls == [1]


def test_zero_seconds_computes_every_time() -> None:
    cache, calls = TtlCache(), []

    values = [cache.get("k", 0, lambda: calls.append(1) or len(calls)) for _ in range(3)]

    assert values == [1, 2, 3]


def test_a_stale_value_is_served_while_one_refresh_runs_in_the_background() -> None:
    cache = TtlCache()
    release = threading.Event()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        if len(calls) > 1:
            release.wait(5)
        return len(calls)

    assert cache.get("k", 0.01, slow) == 1
    time.sleep(0.02)
    served = [cache.get("k", 0.01, slow) for _ in range(5)]  # stale: the old value at once
    release.set()
    for _ in range(100):
        if cache.get("k", 60, slow) == 2:
            break
        time.sleep(0.01)

    assert served == [1, 1, 1, 1, 1]
    assert len(calls) == 2  # one refresh, not one per request
    assert cache.get("k", 60, slow) == 2


def test_concurrent_first_requests_share_one_computation() -> None:
    cache = TtlCache()
    calls: list[int] = []
    gate = threading.Event()

    def slow() -> str:
        calls.append(1)
        gate.wait(5)
        return "done"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", 60, slow))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    gate.set()
    for thread in threads:
        thread.join()

    assert results == ["done"] * 4
    assert len(calls) == 1


def test_a_failed_computation_is_not_cached() -> None:
    cache = TtlCache()

    def broken() -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cache.get("k", 60, broken)
    assert cache.get("k", 60, lambda: 7) == 7
