# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the simulator's contract suite.

One simulator serves the whole session (the demo account at a fixed reference date, rate limits off);
``simulator`` resets it before each test, so every test starts from the same account, faults and counters.
"""

from __future__ import annotations

import pytest
import requests

from certcentral_sim.generator import DEMO_ADMIN_KEY, DEMO_ORDERS_KEY, DEMO_VIEW_ONLY_KEY, generate_account
from certcentral_sim.testing import running_simulator
from sim_contract import TEST_ACCOUNT


class ApiClient:
    """A CertCentral client for tests: one keep-alive session, one API key, no environment proxies."""

    def __init__(self, base_url: str, key: str | None) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False
        if key is not None:
            self.session.headers["X-DC-DEVKEY"] = key

    def get(self, path: str, params=None, **kwargs) -> requests.Response:
        return self.session.get(self.base_url + path, params=params, timeout=kwargs.pop("timeout", 30), **kwargs)

    def put(self, path: str, body=None, **kwargs) -> requests.Response:
        return self.session.put(self.base_url + path, json=body, timeout=kwargs.pop("timeout", 30), **kwargs)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.base_url + path, timeout=kwargs.pop("timeout", 30), **kwargs)

    def close(self) -> None:
        self.session.close()


@pytest.fixture(scope="session")
def shared_simulator():
    with running_simulator(rate_limits=[], **TEST_ACCOUNT) as handle:
        yield handle


@pytest.fixture
def simulator(shared_simulator):
    """The session's simulator, reset to the test account with no faults, no rate limits and zero counters."""
    shared_simulator.reset()
    return shared_simulator


@pytest.fixture(scope="session")
def demo_data():
    """The test account's data, generated again in-process: what the simulator serves before any change."""
    return generate_account(**TEST_ACCOUNT)


@pytest.fixture
def admin_key():
    return DEMO_ADMIN_KEY


@pytest.fixture
def orders_key():
    return DEMO_ORDERS_KEY


@pytest.fixture
def view_only_key():
    return DEMO_VIEW_ONLY_KEY


@pytest.fixture
def client(simulator):
    """``client(key)`` gives an ApiClient for the simulator; the default key is the demo admin key."""
    clients = []

    def make(key: str | None = DEMO_ADMIN_KEY) -> ApiClient:
        made = ApiClient(simulator.base_url, key)
        clients.append(made)
        return made

    yield make
    for made in clients:
        made.close()


@pytest.fixture
def api(client):
    """An ApiClient with the demo admin key."""
    return client()


@pytest.fixture
def order_in(simulator):
    """``order_in(status)`` gives the ID of the first order in that status."""

    def find(status: str) -> int:
        orders = simulator.orders(status)
        assert orders, f"the test account has no {status} order"
        return orders[0]["id"]

    return find
