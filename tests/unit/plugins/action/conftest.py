# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures of the action plugins that list orders: the doubles of doubles.py behind action_support.build_client,
and the lines the actions print, on a clock of the test's."""

from __future__ import annotations

import itertools
from unittest.mock import MagicMock

import pytest

from ansible_collections.certops.digicert.plugins.action import decommission_plan, digicert_order_report, order_cleanup_selection
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import action_support
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.pacing import MemoryHistoryStore, Pacer, RateLimit
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.progress import Progress
from ansible_collections.certops.digicert.tests.unit.plugins.action.doubles import FakeClient, PacedClock

# The actions that print through a Display of their own.
PRINTING_ACTIONS = (digicert_order_report, decommission_plan, order_cleanup_selection)


@pytest.fixture
def client(monkeypatch):
    """``install(account, error=None, make_pacer=None, paced_listing=False)`` makes the actions' client a FakeClient
    over ``account``; returns what the action asked for (``params``, ``on_long_wait``, ``long_wait_seconds``) and
    the ``client``, once one was built."""
    made = {}

    def install(account, error=None, make_pacer=None, paced_listing=False):
        def build_client(params, warn=None, on_long_wait=None, long_wait_seconds=None):
            made["params"] = params
            made["on_long_wait"] = on_long_wait
            made["long_wait_seconds"] = long_wait_seconds
            pacer = make_pacer(on_long_wait, long_wait_seconds) if make_pacer is not None else None
            made["client"] = FakeClient(account, warn, error, pacer, paced_listing)
            return made["client"]

        monkeypatch.setattr(action_support, "build_client", build_client)
        return made

    return install


def print_into(monkeypatch, lines, clock):
    """Send what the actions print into ``lines``, with progress lines timed by ``clock``."""
    for action in PRINTING_ACTIONS:
        monkeypatch.setattr(action, "display", MagicMock(display=lines.append))
    monkeypatch.setattr(action_support, "Progress", lambda emit, interval: Progress(emit, clock=clock, interval=interval))


@pytest.fixture
def printed(monkeypatch):
    """The lines the actions print, with a clock on which every look is a second after the one before."""
    lines = []
    looks = itertools.count()
    print_into(monkeypatch, lines, lambda: float(next(looks)))
    return lines


@pytest.fixture
def paced(monkeypatch):
    """The lines the actions print, and ``make_pacer`` for the client fixture: a pacer of 10 requests per 30 seconds
    on one clock with the progress lines."""
    clock = PacedClock()
    lines = []
    print_into(monkeypatch, lines, clock)

    def make_pacer(on_long_wait, long_wait_seconds):
        return Pacer(
            [RateLimit(10, 30)], store=MemoryHistoryStore(), clock=clock, sleep=clock.sleep, on_long_wait=on_long_wait, long_wait_seconds=long_wait_seconds
        )

    return lines, make_pacer
