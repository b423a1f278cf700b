# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fakes for the CertCentral client tests: a scripted requests transport, a client wired to it, and the account and
clock of doubles.py behind it."""

from __future__ import annotations

import json
import threading

import pytest
import requests
import requests.adapters
from requests.structures import CaseInsensitiveDict

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import CertCentralClient
from ansible_collections.certops.digicert.tests.unit.plugins.module_utils._certcentral.doubles import FakeAccount, FakeClock

API_KEY = "SECRET-KEY-0123456789abcdef"
API_URL = "https://certcentral.test/services/v2"


def make_response(request, status=200, body=None, text=None, headers=None):
    response = requests.Response()
    response.status_code = status
    if text is not None:
        response._content = text.encode("utf-8")
    elif body is not None:
        response._content = json.dumps(body).encode("utf-8")
    else:
        response._content = b""
    response.headers = CaseInsensitiveDict(headers or {})
    response.url = request.url
    response.request = request
    return response


class FakeTransport(requests.adapters.BaseAdapter):
    """Answers each request from a queue of scripted answers, or from a handler function.

    A queued answer is an exception instance (raised) or a dict of make_response() arguments.
    A handler gets the PreparedRequest and returns such a dict.
    """

    def __init__(self):
        super().__init__()
        self.queue = []
        self.handler = None
        self.sent = []
        self._lock = threading.Lock()

    def answer(self, status=200, body=None, **kwargs):
        self.queue.append(dict(status=status, body=body, **kwargs))

    def fail(self, exception):
        self.queue.append(exception)

    def send(self, request, **kwargs):
        with self._lock:
            self.sent.append(request)
            scripted = self.queue.pop(0) if self.queue else None
        if scripted is None:
            scripted = self.handler(request)
        if isinstance(scripted, BaseException):
            raise scripted
        return make_response(request, **scripted)

    def close(self):
        pass


class RecordingSleep:
    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


@pytest.fixture
def transport():
    return FakeTransport()


@pytest.fixture
def warnings_seen():
    return []


@pytest.fixture
def recorded_sleep():
    return RecordingSleep()


@pytest.fixture
def make_client(transport, warnings_seen, recorded_sleep):
    """A client on the fake transport, with recorded sleeps, a fixed jitter and collected warnings."""

    def factory(**overrides):
        session = requests.Session()
        session.mount("https://", transport)
        session.mount("http://", transport)
        options = dict(api_key=API_KEY, api_url=API_URL, session=session, sleep=recorded_sleep, jitter=lambda: 0.5, warn=warnings_seen.append)
        options.update(overrides)
        return CertCentralClient(**options)

    return factory


@pytest.fixture
def api_key():
    return API_KEY


@pytest.fixture
def account(transport):
    """A CertCentral account (doubles.FakeAccount) that answers every request the transport has no script for."""
    fake = FakeAccount()
    transport.handler = fake
    return fake


@pytest.fixture
def clock(account):
    """A clock (doubles.FakeClock) the account moves by its ``step`` on every request it answers."""
    fake = FakeClock()
    account.clock = fake
    return fake
