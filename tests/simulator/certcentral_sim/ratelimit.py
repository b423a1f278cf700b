# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rolling-window rate limits per API key (docs/certcentral-api.md §9)."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable, Iterable

# Documented: 100 requests per 5 seconds and 1000 requests per 3 minutes, both rolling, per key.
DEFAULT_RATE_LIMITS: tuple[tuple[int, float], ...] = ((100, 5.0), (1000, 180.0))


def parse_window(text: str) -> tuple[int, float]:
    """Parse ``REQUESTS/SECONDS`` (for example ``100/5``) into a window."""
    requests_text, separator, seconds_text = text.partition("/")
    if not separator:
        raise ValueError(f"rate limit {text!r} is not REQUESTS/SECONDS")
    return validate_windows([(requests_text, seconds_text)])[0]


def validate_windows(windows: Iterable) -> list[tuple[int, float]]:
    """Check a list of (requests, seconds) pairs; raise ValueError on anything else."""
    checked = []
    for window in windows:
        try:
            requests_text, seconds_text = window
            requests = int(requests_text)
            seconds = float(seconds_text)
        except (TypeError, ValueError):
            raise ValueError(f"rate limit window {window!r} is not a (requests, seconds) pair") from None
        if requests < 1 or seconds <= 0:
            raise ValueError(f"rate limit window {window!r} needs at least 1 request and more than 0 seconds")
        checked.append((requests, seconds))
    return checked


class RateLimiter:
    """Counts accepted requests per key in every window; a request is refused when any window is full.

    INVENTED: refused requests (429) are not counted, so a client that backs off recovers as soon as the
    oldest accepted request leaves the window. DigiCert does not say how it counts them (docs/certcentral-api.md §9).
    """

    def __init__(self, windows: Iterable = DEFAULT_RATE_LIMITS, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: list[tuple[int, float]] = validate_windows(windows)
        self._accepted: dict[tuple[str, int], collections.deque] = {}

    @property
    def windows(self) -> list[tuple[int, float]]:
        with self._lock:
            return list(self._windows)

    def configure(self, windows: Iterable) -> None:
        """Replace the windows (an empty list switches rate limiting off) and forget past requests."""
        checked = validate_windows(windows)
        with self._lock:
            self._windows = checked
            self._accepted.clear()

    def reset(self) -> None:
        with self._lock:
            self._accepted.clear()

    def allow(self, key: str) -> bool:
        """Record a request for ``key`` and say whether it is within every window."""
        now = self._clock()
        with self._lock:
            histories = []
            for index, (limit, seconds) in enumerate(self._windows):
                history = self._accepted.setdefault((key, index), collections.deque())
                while history and history[0] <= now - seconds:
                    history.popleft()
                if len(history) >= limit:
                    return False
                histories.append(history)
            for history in histories:
                history.append(now)
            return True
