# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The admin side channel under /_sim: no auth, no rate limits, no faults, not counted as API traffic.

Tests and demos use it to reset and load accounts, read the true state of orders, change orders behind the
API's back, read counters and the audit log, and configure faults and rate limits while the server runs.
"""

from __future__ import annotations

import json
import re

from . import errors, generator
from .ratelimit import validate_windows
from .state import DataError

_ADMIN_ROUTES = []


def _admin_route(method: str, pattern: str):
    compiled = re.compile("^" + pattern + "$")

    def register(function):
        _ADMIN_ROUTES.append((method, compiled, function))
        return function

    return register


def handle(simulator, method: str, path: str, params: dict[str, str], body: bytes) -> tuple[int, dict | None]:
    """Answer one admin request: (HTTP status, JSON payload or None)."""
    for route_method, pattern, function in _ADMIN_ROUTES:
        match = pattern.match(path)
        if match and route_method == method:
            try:
                return function(simulator, params, _json(body), *match.groups())
            except errors.ApiError as error:
                return error.http_status, error.body()
            except (ValueError, TypeError) as error:
                return 400, errors.error_body("sim_bad_request", str(error))
    return 404, errors.error_body("not_found|sim_route", f"No admin route {method} {path}; see docs/simulator.md.")


def _json(body: bytes):
    if not body.strip():
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise errors.ApiError(400, "sim_bad_request", "The admin request body is not valid JSON.") from None


def _object(document, what: str) -> dict:
    if not isinstance(document, dict):
        raise ValueError(f"{what} must be a JSON object")
    return document


def _not_found(what: str, identifier) -> errors.ApiError:
    return errors.ApiError(404, "not_found|sim_object", f"No {what} {identifier} in the simulated account.")


@_admin_route("GET", r"/health")
def _health(_simulator, _params, _body):
    return 200, {"ok": True}


@_admin_route("GET", r"/account")
def _account(simulator, _params, _body):
    return 200, simulator.account.summary()


@_admin_route("POST", r"/reset")
def _reset(simulator, _params, _body):
    simulator.reset()
    return 200, simulator.account.summary()


@_admin_route("POST", r"/load")
def _load(simulator, _params, body):
    document = _object(body, "the load request")
    if ("account" in document) == ("generate" in document):
        raise ValueError('give exactly one of "account" (a data file\'s content) or "generate" (generator options)')
    if "account" in document:
        data = document["account"]
    else:
        data = generator.generate_account(**_object(document["generate"], "generate"))
    try:
        simulator.load(data)
    except DataError as error:
        raise ValueError(str(error)) from None
    return 200, simulator.account.summary()


@_admin_route("GET", r"/orders")
def _orders(simulator, params, _body):
    return 200, {"orders": simulator.account.order_summaries(params.get("status") or None)}


@_admin_route("GET", r"/orders/(\d+)")
def _order(simulator, _params, _body, order_id):
    state = simulator.account.true_order(int(order_id))
    if state is None:
        raise _not_found("order", order_id)
    return 200, state


@_admin_route("PATCH", r"/orders/(\d+)")
def _set_order(simulator, _params, body, order_id):
    try:
        return 200, simulator.account.set_order_fields(int(order_id), _object(body, "the order fields"))
    except KeyError:
        raise _not_found("order", order_id) from None


@_admin_route("GET", r"/requests/(\d+)")
def _request(simulator, _params, _body, request_id):
    state = simulator.account.true_request(int(request_id))
    if state is None:
        raise _not_found("request", request_id)
    return 200, state


@_admin_route("PATCH", r"/requests/(\d+)")
def _set_request(simulator, _params, body, request_id):
    try:
        return 200, simulator.account.set_request_fields(int(request_id), _object(body, "the request fields"))
    except KeyError:
        raise _not_found("request", request_id) from None


@_admin_route("GET", r"/counters")
def _counters(simulator, _params, _body):
    return 200, simulator.counters.snapshot()


@_admin_route("POST", r"/counters/reset")
def _reset_counters(simulator, _params, _body):
    simulator.counters.reset()
    return 200, simulator.counters.snapshot()


@_admin_route("GET", r"/faults")
def _faults(simulator, _params, _body):
    return 200, simulator.faults.config.to_dict()


@_admin_route("PUT", r"/faults")
def _set_faults(simulator, _params, body):
    return 200, simulator.configure_faults(_object(body, "the fault settings"))


@_admin_route("GET", r"/rate-limits")
def _rate_limits(simulator, _params, _body):
    return 200, {"windows": [list(window) for window in simulator.rate_limiter.windows]}


@_admin_route("PUT", r"/rate-limits")
def _set_rate_limits(simulator, _params, body):
    windows = validate_windows(_object(body, "the rate limits").get("windows", []))
    simulator.rate_limiter.configure(windows)
    return 200, {"windows": [list(window) for window in windows]}


@_admin_route("GET", r"/mutations")
def _mutations(simulator, _params, _body):
    return 200, {"mutations": simulator.mutations.snapshot()}


@_admin_route("POST", r"/mutations")
def _schedule_mutation(simulator, _params, body):
    document = _object(body, "the mutation")
    order_id = document.get("order_id")
    if simulator.account.true_order(order_id if isinstance(order_id, int) else -1) is None:
        raise _not_found("order", order_id)
    fields = document.get("fields")
    simulator.account.check_order_fields(fields)
    mutation = simulator.mutations.add(order_id, fields, document.get("after_requests"))
    return 201, mutation.to_dict()


@_admin_route("DELETE", r"/mutations")
def _clear_mutations(simulator, _params, _body):
    simulator.mutations.clear()
    return 204, None


@_admin_route("GET", r"/audit")
def _audit(simulator, params, _body):
    since = params.get("since", "0")
    if not since.isdigit():
        raise ValueError("since must be a non-negative integer")
    return 200, {"entries": simulator.account.audit_log(int(since))}


@_admin_route("GET", r"/real-world")
def _real_world(simulator, _params, _body):
    settings = simulator.account.real_world.to_dict()
    in_flight = simulator.account.revocations_in_flight()
    return 200, {"settings": settings, "revocations_in_flight": {str(order_id): request_id for order_id, request_id in sorted(in_flight.items())}}


@_admin_route("PUT", r"/real-world")
def _set_real_world(simulator, _params, body):
    return 200, simulator.account.configure_real_world(_object(body, "the real-world settings"))


@_admin_route("POST", r"/real-world/complete-revocations")
def _complete_revocations(simulator, _params, _body):
    return 200, {"completed": simulator.account.complete_revocations_now()}
