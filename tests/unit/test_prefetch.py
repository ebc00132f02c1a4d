"""The import pipeline's read-ahead: same items, same order, same errors, and it stops."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from advocacy.services.prefetch import prefetched


def test_items_come_in_their_order() -> None:
    assert list(prefetched(lambda: iter(range(100)), depth=3)) == list(range(100))


def test_an_error_in_the_producer_is_raised_where_it_was_reached() -> None:
    def produce() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("broken row")

    seen: list[int] = []
    with pytest.raises(ValueError, match="broken row"):
        seen.extend(prefetched(produce))

    assert seen == [1, 2]


def test_stopping_early_stops_the_producer() -> None:
    produced: list[int] = []
    finished = threading.Event()

    def produce() -> Iterator[int]:
        try:
            for number in range(1_000_000):
                produced.append(number)
                yield number
        finally:
            finished.set()

    items = prefetched(produce, depth=2)
    assert [next(items) for _ in range(3)] == [0, 1, 2]
    items.close()

    assert finished.wait(timeout=5)
    assert len(produced) < 10
