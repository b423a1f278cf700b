# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: latency, 5xx answers, 429 bursts, dropped connections, stalls, scheduled order mutations, and the
real-world modes (docs/simulator.md, "Real-world modes"): listings that move while they are read, a server-chosen page
size, absurd totals, malformed bodies and wrong types, trickled answers, answers cut after a change was applied.

Every random decision for a request is drawn from a generator seeded with (seed, arrival sequence number),
so the same configuration and the same arrival order give the same faults, whatever the timing.
"""

from __future__ import annotations

import dataclasses
import random
import threading
from collections.abc import Collection

# What a request is answered with, by precedence: the first that applies wins.
ACTION_BURST_429 = "burst_429"
ACTION_DROP = "drop"
ACTION_ERROR = "error_5xx"
ACTION_STALL = "stall"

# INVENTED (test infrastructure): the ways a malformed answer is malformed.
MALFORMED_KINDS = ("not_json", "html", "id_as_string", "list_for_object", "number_for_list")


@dataclasses.dataclass
class FaultConfig:
    """Fault settings; rates are probabilities per request, ``*_next`` fields count the next N requests in scope."""

    seed: int = 0
    # Latency applies to every API request, whatever the scope below.
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    spike_rate: float = 0.0
    spike_ms: float = 0.0
    # The faults below apply only to requests in scope (methods/routes; None means all).
    burst_429: int = 0
    drop_rate: float = 0.0
    drops_next: int = 0
    error_rate: float = 0.0
    errors_next: int = 0
    error_statuses: list = dataclasses.field(default_factory=lambda: [500, 502, 503])
    stall_rate: float = 0.0
    stalls_next: int = 0
    stall_seconds: float = 0.0
    drop_after_write_rate: float = 0.0
    drops_after_write_next: int = 0
    # Real-world modes. The listing ones apply to GET /order/certificate whatever the scope.
    default_sort: str = "id"
    ignore_sort: bool = False
    page_limit: int = 0
    claimed_total: int = 0
    churn_pages: int = 0
    churn_placed: int = 0
    churn_issued: int = 0
    churn_canceled: int = 0
    # These apply to requests in scope.
    malformed_rate: float = 0.0
    malformed_next: int = 0
    malformed_kinds: list = dataclasses.field(default_factory=lambda: list(MALFORMED_KINDS))
    trickle_rate: float = 0.0
    trickle_next: int = 0
    trickle_byte_ms: float = 100.0
    cut_after_write_rate: float = 0.0
    cuts_after_write_next: int = 0
    methods: list | None = None
    routes: list | None = None

    @classmethod
    def from_dict(cls, settings: dict, known_routes: Collection[str]) -> FaultConfig:
        """Build a validated configuration; raise ValueError naming the first bad setting."""
        if not isinstance(settings, dict):
            raise ValueError("fault settings must be a JSON object")
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(settings) - names)
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(unknown)}")
        config = cls(**settings)
        config._validate(known_routes)
        return config

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def _validate(self, known_routes: Collection[str]) -> None:
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ValueError("seed must be an integer")
        for name in ("latency_ms", "jitter_ms", "spike_ms", "stall_seconds", "trickle_byte_ms"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise ValueError(f"{name} must be a number >= 0")
        for name in ("spike_rate", "drop_rate", "error_rate", "stall_rate", "drop_after_write_rate", "malformed_rate", "trickle_rate", "cut_after_write_rate"):
            value = getattr(self, name)
            if not _is_number(value) or not 0 <= value <= 1:
                raise ValueError(f"{name} must be a number between 0 and 1")
        for name in (
            "burst_429",
            "drops_next",
            "errors_next",
            "stalls_next",
            "drops_after_write_next",
            "page_limit",
            "claimed_total",
            "churn_pages",
            "churn_placed",
            "churn_issued",
            "churn_canceled",
            "malformed_next",
            "trickle_next",
            "cuts_after_write_next",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0")
        if (
            not isinstance(self.error_statuses, list)
            or not self.error_statuses
            or not all(isinstance(status, int) and 500 <= status <= 599 for status in self.error_statuses)
        ):
            raise ValueError("error_statuses must be a non-empty list of 5xx statuses")
        if not isinstance(self.default_sort, str) or not self.default_sort.strip():
            raise ValueError("default_sort must be a sort expression such as id or -date_created")
        if not isinstance(self.ignore_sort, bool):
            raise ValueError("ignore_sort must be true or false")
        if not isinstance(self.malformed_kinds, list) or not self.malformed_kinds or not all(kind in MALFORMED_KINDS for kind in self.malformed_kinds):
            raise ValueError(f"malformed_kinds must be a non-empty list of {', '.join(MALFORMED_KINDS)}")
        if self.methods is not None:
            if not isinstance(self.methods, list) or not all(isinstance(method, str) for method in self.methods):
                raise ValueError("methods must be a list of HTTP methods or null")
            self.methods = [method.upper() for method in self.methods]
        if self.routes is not None:
            if not isinstance(self.routes, list) or not all(isinstance(route, str) for route in self.routes):
                raise ValueError("routes must be a list of route templates or null")
            unknown = [route for route in self.routes if route not in known_routes]
            if unknown:
                raise ValueError(f"unknown route templates {unknown}; known: {sorted(known_routes)}")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclasses.dataclass(frozen=True)
class FaultPlan:
    """The faults decided for one request on arrival."""

    latency_seconds: float
    spiked: bool
    action: str | None
    error_status: int
    stall_seconds: float
    drop_after_write_drawn: bool
    in_scope: bool
    malformed_kind: str | None = None
    trickle_seconds: float = 0.0
    cut_after_write_drawn: bool = False


class FaultInjector:
    """Decides the faults of each API request; holds the run-time configuration and its ``*_next`` counters."""

    def __init__(self, config: FaultConfig) -> None:
        self._lock = threading.Lock()
        self._config = config

    @property
    def config(self) -> FaultConfig:
        with self._lock:
            return dataclasses.replace(self._config)

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self._config = config

    def plan(self, sequence: int, method: str, route_template: str | None) -> FaultPlan:
        """The faults for the request that arrived with this sequence number."""
        with self._lock:
            config = self._config
            draws = random.Random(f"{config.seed}/{sequence}")
            # Always draw the same values in the same order, so one setting never shifts another's dice.
            spike_draw, jitter_draw, drop_draw, error_draw, status_draw, stall_draw, after_write_draw = (draws.random() for _draw in range(7))
            spiked = spike_draw < config.spike_rate
            latency_ms = config.latency_ms + jitter_draw * config.jitter_ms + (config.spike_ms if spiked else 0.0)
            in_scope = (config.methods is None or method in config.methods) and (config.routes is None or route_template in config.routes)
            action = None
            if in_scope:
                action = self._choose_action(config, drop_draw, error_draw, stall_draw)
            error_status = config.error_statuses[int(status_draw * len(config.error_statuses))]
            # Drawn after the older settings' values, so that turning these on shifts none of theirs.
            malformed_draw, kind_draw, trickle_draw, cut_draw = (draws.random() for _draw in range(4))
            malformed_kind = trickle_seconds = None
            # Only reads answer with a body worth malforming; a change's answer is cut instead (cut_after_write).
            if in_scope and method == "GET" and (self._count_down(config, "malformed_next") or malformed_draw < config.malformed_rate):
                malformed_kind = config.malformed_kinds[int(kind_draw * len(config.malformed_kinds))]
            if in_scope and (self._count_down(config, "trickle_next") or trickle_draw < config.trickle_rate):
                trickle_seconds = config.trickle_byte_ms / 1000.0
            return FaultPlan(
                latency_seconds=latency_ms / 1000.0,
                spiked=spiked,
                action=action,
                error_status=error_status,
                stall_seconds=config.stall_seconds,
                drop_after_write_drawn=in_scope and after_write_draw < config.drop_after_write_rate,
                in_scope=in_scope,
                malformed_kind=malformed_kind,
                trickle_seconds=trickle_seconds or 0.0,
                cut_after_write_drawn=in_scope and cut_draw < config.cut_after_write_rate,
            )

    @staticmethod
    def _count_down(config: FaultConfig, name: str) -> bool:
        if getattr(config, name):
            setattr(config, name, getattr(config, name) - 1)
            return True
        return False

    def cut_after_write(self, plan: FaultPlan) -> bool:
        """Whether to cut the answer to a write that was just applied in the middle (a TLS error over HTTPS)."""
        return self._after_write(plan, "cuts_after_write_next", plan.cut_after_write_drawn)

    def _after_write(self, plan: FaultPlan, counter: str, drawn: bool) -> bool:
        if not plan.in_scope:
            return False
        with self._lock:
            if self._count_down(self._config, counter):
                return True
        return drawn

    def take_churn(self) -> tuple[int, int, int] | None:
        """(placed, issued, canceled) for the listing page being served, while ``churn_pages`` lasts."""
        with self._lock:
            if not self._count_down(self._config, "churn_pages"):
                return None
            return self._config.churn_placed, self._config.churn_issued, self._config.churn_canceled

    @staticmethod
    def _choose_action(config: FaultConfig, drop_draw: float, error_draw: float, stall_draw: float) -> str | None:
        if config.burst_429:
            config.burst_429 -= 1
            return ACTION_BURST_429
        if config.drops_next:
            config.drops_next -= 1
            return ACTION_DROP
        if drop_draw < config.drop_rate:
            return ACTION_DROP
        if config.errors_next:
            config.errors_next -= 1
            return ACTION_ERROR
        if error_draw < config.error_rate:
            return ACTION_ERROR
        if config.stalls_next:
            config.stalls_next -= 1
            return ACTION_STALL
        if stall_draw < config.stall_rate:
            return ACTION_STALL
        return None

    def drop_after_write(self, plan: FaultPlan) -> bool:
        """Whether to close the connection instead of answering a write that was just applied."""
        return self._after_write(plan, "drops_after_write_next", plan.drop_after_write_drawn)


TRIGGER_NEXT_PUT = "next_put"
TRIGGER_NEXT_REQUEST = "next_request"
TRIGGER_AFTER_REQUESTS = "after_requests"


@dataclasses.dataclass
class ScheduledMutation:
    """A change to an order that happens between two API requests, as if someone else made it."""

    id: int
    order_id: int
    fields: dict
    trigger: str
    after_requests: int | None
    requests_seen: int = 0
    fired: bool = False

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


class MutationSchedule:
    """Scheduled mutations. ``next_put`` fires when the next PUT for the order arrives, before it is handled;
    ``after_requests`` fires once N requests for the order have been handled, so request N+1 sees the change; with
    N = 0 (``next_request``) it fires when the next request of any method for the order arrives, before it is handled:
    a change made after a client planned the order from a listing and before its first request for the order.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mutations: list[ScheduledMutation] = []
        self._next_id = 1

    def add(self, order_id: int, fields: dict, after_requests: int | None = None) -> ScheduledMutation:
        if after_requests is not None and (not isinstance(after_requests, int) or isinstance(after_requests, bool) or after_requests < 0):
            raise ValueError("after_requests must be an integer >= 0")
        if after_requests is None:
            trigger = TRIGGER_NEXT_PUT
        else:
            trigger = TRIGGER_NEXT_REQUEST if after_requests == 0 else TRIGGER_AFTER_REQUESTS
        with self._lock:
            mutation = ScheduledMutation(
                id=self._next_id,
                order_id=order_id,
                fields=dict(fields),
                trigger=trigger,
                after_requests=after_requests,
            )
            self._next_id += 1
            self._mutations.append(mutation)
            return mutation

    def due_before(self, order_id: int, method: str) -> list[ScheduledMutation]:
        triggers = (TRIGGER_NEXT_PUT, TRIGGER_NEXT_REQUEST) if method == "PUT" else (TRIGGER_NEXT_REQUEST,)
        with self._lock:
            due = [m for m in self._mutations if not m.fired and m.order_id == order_id and m.trigger in triggers]
            for mutation in due:
                mutation.fired = True
            return due

    def due_after(self, order_id: int) -> list[ScheduledMutation]:
        with self._lock:
            due = []
            for mutation in self._mutations:
                if mutation.fired or mutation.order_id != order_id or mutation.trigger != TRIGGER_AFTER_REQUESTS:
                    continue
                mutation.requests_seen += 1
                if mutation.requests_seen >= mutation.after_requests:
                    mutation.fired = True
                    due.append(mutation)
            return due

    def snapshot(self) -> list[dict]:
        with self._lock:
            return [mutation.to_dict() for mutation in self._mutations]

    def clear(self) -> None:
        with self._lock:
            self._mutations.clear()
            self._next_id = 1
