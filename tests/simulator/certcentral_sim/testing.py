# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the simulator inside a test process and drive its admin channel.

    with running_simulator(orders=200, rate_limits=[]) as sim:
        requests.get(sim.base_url + "/order/certificate", headers={"X-DC-DEVKEY": DEMO_ADMIN_KEY})
        sim.set_faults(drops_next=1)
        assert sim.order(order_id)["status"] == "canceled"

The helpers talk to the admin channel over HTTP (standard library only), like any other client would.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

from .generator import GENERATOR_OPTIONS, generate_account
from .ratelimit import DEFAULT_RATE_LIMITS
from .server import IDLE_TIMEOUT_SECONDS, Simulator
from .tls import pinned_client_context


# The directory that holds the certcentral_sim package, from where ``python -m certcentral_sim`` finds it.
_SIMULATOR_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@contextlib.contextmanager
def cli_simulator(*arguments: str, scheme: str = "http"):
    """Run the simulator's command line on a free port; yields (process, base URL read from its standard output).

    ``scheme`` is the one the first line must announce: ``https`` when the arguments give a certificate.
    """
    listening = re.compile(rf"^CertCentral simulator listening on ({re.escape(scheme)}://127\.0\.0\.1:\d+/services/v2)$")
    process = subprocess.Popen(
        [sys.executable, "-m", "certcentral_sim", "--port", "0", *arguments], cwd=_SIMULATOR_PARENT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        ready, _writable, _failed = select.select([process.stdout], [], [], 30)
        assert ready, "the simulator printed nothing within 30 s"
        line = process.stdout.readline().rstrip("\n")
        match = listening.match(line)
        assert match, f"unexpected first line {line!r}; stderr: {process.stderr.read() if process.poll() is not None else ''}"
        yield process, match.group(1)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


class SimulatorAdminError(RuntimeError):
    """The admin channel refused a request."""

    def __init__(self, http_status: int, body: str) -> None:
        super().__init__(f"admin channel answered {http_status}: {body}")
        self.http_status = http_status
        self.body = body


@contextlib.contextmanager
def running_simulator(
    *,
    account: dict | None = None,
    data_file: str | None = None,
    rate_limits=DEFAULT_RATE_LIMITS,
    faults: dict | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    verbose: bool = False,
    tls_cert: str | None = None,
    tls_key: str | None = None,
    idle_timeout: float = IDLE_TIMEOUT_SECONDS,
    **generator_options,
) -> Iterator[SimulatorHandle]:
    """Start a simulator on a free loopback port in a background thread; stop it on exit.

    The account is ``account`` (data-file content), else ``data_file``, else a generated one
    (``seed``, ``orders``, ``pending``, ``abandoned``, ``needs_approval``, ``reissue_pending``, ``reference_date``;
    all default to the demo account). ``rate_limits`` is a list of (requests, seconds), ``[]`` for none;
    ``faults`` holds fault settings as in ``PUT /_sim/faults``. With ``tls_cert`` and ``tls_key`` (PEM files) it
    serves HTTPS; ``certcentral_sim.tls.write_throwaway_pki`` makes such files for a test. A keep-alive connection
    idle for ``idle_timeout`` seconds is closed by the server.
    """
    unknown = sorted(set(generator_options) - set(GENERATOR_OPTIONS))
    if unknown:
        raise TypeError(f"unknown simulator options: {', '.join(unknown)}")
    if sum(source is not None for source in (account, data_file)) + bool(generator_options) > 1:
        raise TypeError("give one of account, data_file or generator options")
    copy_data = True
    if data_file is not None:
        with open(data_file, encoding="utf-8") as data:
            account = json.load(data)
        copy_data = False
    elif account is None:
        account = generate_account(**generator_options)
        copy_data = False
    simulator = Simulator(
        account,
        host=host,
        port=port,
        rate_limits=rate_limits,
        fault_settings=faults,
        copy_data=copy_data,
        verbose=verbose,
        tls_cert=tls_cert,
        tls_key=tls_key,
        idle_timeout=idle_timeout,
    )
    simulator.start()
    try:
        yield SimulatorHandle(simulator)
    finally:
        simulator.stop()


class SimulatorHandle:
    """URLs of a running simulator and helpers for its admin channel (see docs/simulator.md for the routes)."""

    def __init__(self, simulator: Simulator) -> None:
        self.simulator = simulator
        self.base_url = simulator.base_url
        self.admin_url = simulator.admin_url
        # Never route loopback traffic through a proxy from the environment. Over HTTPS, trust exactly the
        # certificate this server presents.
        handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
        if simulator.tls_cert is not None:
            handlers.append(urllib.request.HTTPSHandler(context=pinned_client_context(simulator.tls_cert)))
        self._opener = urllib.request.build_opener(*handlers)

    def admin(self, method: str, path: str, payload=None, params: dict | None = None):
        """Call ``/_sim{path}``; returns the decoded JSON answer (None for an empty one)."""
        url = self.admin_url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with self._opener.open(request, timeout=120) as answer:
                body = answer.read()
        except urllib.error.HTTPError as error:
            raise SimulatorAdminError(error.code, error.read().decode("utf-8", "replace")) from None
        return json.loads(body) if body else None

    def reset(self) -> dict:
        """Back to the loaded account, the start-up faults and rate limits, no mutations, zero counters."""
        return self.admin("POST", "/reset")

    def load(self, account: dict | None = None, **generator_options) -> dict:
        """Load a new account (data-file content, or generated from the options); ``reset`` returns to it."""
        if account is not None:
            return self.admin("POST", "/load", {"account": account})
        return self.admin("POST", "/load", {"generate": generator_options})

    def account_summary(self) -> dict:
        return self.admin("GET", "/account")

    def order(self, order_id: int) -> dict:
        """The order as the simulator stores it, with its full ``requests``."""
        return self.admin("GET", f"/orders/{order_id}")

    def order_status(self, order_id: int) -> str:
        return self.order(order_id)["status"]

    def orders(self, status: str | None = None) -> list[dict]:
        """Every order (id, status, common_name, product_name_id, container_id, date_created), optionally by status."""
        return self.admin("GET", "/orders", params={"status": status} if status else None)["orders"]

    def set_order(self, order_id: int, **fields) -> dict:
        """Change an order behind the API's back (status changes keep requests and certificate consistent)."""
        return self.admin("PATCH", f"/orders/{order_id}", fields)

    def request(self, request_id: int) -> dict:
        return self.admin("GET", f"/requests/{request_id}")

    def set_request(self, request_id: int, **fields) -> dict:
        return self.admin("PATCH", f"/requests/{request_id}", fields)

    def counters(self) -> dict:
        return self.admin("GET", "/counters")

    def reset_counters(self) -> dict:
        return self.admin("POST", "/counters/reset")

    def faults(self) -> dict:
        return self.admin("GET", "/faults")

    def set_faults(self, **settings) -> dict:
        """Replace the fault settings (unspecified ones go back to "no fault")."""
        return self.admin("PUT", "/faults", settings)

    def rate_limits(self) -> list[list]:
        return self.admin("GET", "/rate-limits")["windows"]

    def set_rate_limits(self, windows) -> list[list]:
        """Replace the rate-limit windows, a list of (requests, seconds); ``[]`` switches rate limiting off."""
        return self.admin("PUT", "/rate-limits", {"windows": [list(window) for window in windows]})["windows"]

    def schedule_mutation(self, order_id: int, fields: dict, after_requests: int | None = None) -> dict:
        """Change the order when the next PUT for it arrives (before it is handled), or, with ``after_requests``,
        once that many requests for it have been handled."""
        payload = {"order_id": order_id, "fields": fields}
        if after_requests is not None:
            payload["after_requests"] = after_requests
        return self.admin("POST", "/mutations", payload)

    def mutations(self) -> list[dict]:
        return self.admin("GET", "/mutations")["mutations"]

    def clear_mutations(self) -> None:
        self.admin("DELETE", "/mutations")

    def audit_log(self, since: int = 0) -> list[dict]:
        """State changes in order: sequence, time, order_id, action, from_status, to_status, role (+ request, note)."""
        return self.admin("GET", "/audit", params={"since": since})["entries"]
