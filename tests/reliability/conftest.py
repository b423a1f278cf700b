# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reliability suite: faults, bad input, secrets and trust, against the simulator, through ansible-playbook.

    python -m pytest tests/reliability                 # quick variant (CI)
    python -m pytest tests/reliability --full --write-report docs/reliability.md

The collection is installed once per session from this checkout into a temporary collections path, as users
install it. The tables of the session are printed at the end, and written into the file --write-report names.
"""

from __future__ import annotations

import os
import sys

import pytest

RELIABILITY_DIR = os.path.dirname(os.path.abspath(__file__))
SIMULATOR_DIR = os.path.join(os.path.dirname(RELIABILITY_DIR), "simulator")
for directory in (SIMULATOR_DIR, RELIABILITY_DIR):
    if directory not in sys.path:
        sys.path.insert(0, directory)

from fault_suite import FULL, QUICK  # noqa: E402
from harness import install_collection  # noqa: E402
from report import ReliabilityReport  # noqa: E402

REPORT_KEY = pytest.StashKey[ReliabilityReport]()


def pytest_addoption(parser):
    group = parser.getgroup("reliability", "certops.digicert reliability suite")
    group.addoption("--full", action="store_true", default=False,
                    help=f"full variant: fault runs of {FULL.orders} orders (default: quick, {QUICK.orders} orders)")
    group.addoption("--write-report", metavar="FILE", default=None,
                    help="write the session's tables into FILE (docs/reliability.md), between its result markers")


def pytest_configure(config):
    variant = "full" if config.getoption("--full") else "quick"
    config.stash[REPORT_KEY] = ReliabilityReport(variant, " ".join(["python -m pytest", *_without_write_report(config.invocation_params.args)]))


def _without_write_report(arguments) -> list[str]:
    """The command line as given, less --write-report and its file (which says where the tables go, not what ran)."""
    kept, skip_next = [], False
    for argument in map(str, arguments):
        if skip_next:
            skip_next = False
        elif argument == "--write-report":
            skip_next = True
        elif not argument.startswith("--write-report="):
            kept.append(argument)
    return kept


def pytest_terminal_summary(terminalreporter, config):
    report = config.stash[REPORT_KEY]
    if report.empty:
        return
    for line in report.terminal_lines():
        terminalreporter.write_line(line)
    target = config.getoption("--write-report")
    if target:
        report.write_into(target)
        terminalreporter.write_line(f"\nresults written to {target}")


@pytest.fixture(scope="session")
def reliability_report(pytestconfig) -> ReliabilityReport:
    return pytestconfig.stash[REPORT_KEY]


@pytest.fixture(scope="session")
def scale(pytestconfig):
    return FULL if pytestconfig.getoption("--full") else QUICK


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory) -> str:
    """This checkout, installed with ansible-galaxy into a temporary collections path."""
    return install_collection(str(tmp_path_factory.mktemp("collections")))
