"""Run a producer (reading and checking an import file) ahead of its consumer, in a thread.

Reading and validating a batch happen in polars, and writing a batch to the staging file in the
ADBC driver: both release the GIL, so on two cores the next batch is read while the last one is
written. At most ``depth`` batches wait in between, which keeps memory flat.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def prefetched(produce: Callable[[], Iterator[T]], *, depth: int = 2) -> Iterator[T]:
    """The items of ``produce()``, computed in a background thread up to ``depth`` ahead.

    An exception in the producer is raised again in the consumer, at the point it was reached.
    Stopping early (``close()`` or garbage collection) stops the producer too.
    """
    items: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def run() -> None:
        try:
            for item in produce():
                while not stop.is_set():
                    try:
                        items.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as error:  # handed to the consumer, which raises it
            items.put(_Failure(error))
            return
        items.put(_DONE)

    worker = threading.Thread(target=run, name="advocacy-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while worker.is_alive():
            try:
                items.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
