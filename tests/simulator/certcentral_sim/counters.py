# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Traffic counters for API requests (the admin channel is never counted)."""

from __future__ import annotations

import collections
import threading


class Counters:
    """What the API side saw and answered, for tests and benchmarks to assert on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._api_requests = 0
            self._by_route: collections.Counter = collections.Counter()
            self._by_role: collections.Counter = collections.Counter()
            self._by_status: collections.Counter = collections.Counter()
            self._rate_limited = 0
            self._faults: collections.Counter = collections.Counter()

    def record_arrival(self, route_label: str, role: str) -> None:
        with self._lock:
            self._api_requests += 1
            self._by_route[route_label] += 1
            self._by_role[role] += 1

    def record_status(self, http_status: int) -> None:
        with self._lock:
            self._by_status[str(http_status)] += 1

    def record_rate_limited(self) -> None:
        with self._lock:
            self._rate_limited += 1

    def record_fault(self, kind: str) -> None:
        with self._lock:
            self._faults[kind] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "api_requests": self._api_requests,
                "requests_by_route": dict(sorted(self._by_route.items())),
                "requests_by_role": dict(sorted(self._by_role.items())),
                "responses_by_status": dict(sorted(self._by_status.items())),
                "rate_limited": self._rate_limited,
                "faults": dict(sorted(self._faults.items())),
            }
