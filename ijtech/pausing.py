"""A switch for signal handlers that a bulk writer turns off, then catches up on once."""

import threading
from contextlib import contextmanager


class Pause:
    """Nestable, and per thread: a corpus load pauses its own writes, not another request's.

    `with search.paused(): ...` turns the handlers off; they test `paused.active`.
    """

    def __init__(self):
        self._local = threading.local()

    @property
    def active(self) -> bool:
        return getattr(self._local, "depth", 0) > 0

    @contextmanager
    def __call__(self):
        self._local.depth = getattr(self._local, "depth", 0) + 1
        try:
            yield
        finally:
            self._local.depth -= 1
