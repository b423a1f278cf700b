# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reliability suite: faults, bad input, secrets and trust, against the simulator, through ansible-playbook.

    python -m pytest tests/reliability -n 2          # quick variant (CI), on 2 cores with pytest-xdist
    python -m pytest tests/reliability --full --write-report docs/reliability.md

The collection is installed once per session (per xdist worker) from this checkout into a temporary collections path,
as users install it. What each test measured travels with its test report, so the tables come out whole whether the
tests ran in this process or in xdist workers; they are printed at the end, and written into the file --write-report
names.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys

import pytest

RELIABILITY_DIR = os.path.dirname(os.path.abspath(__file__))
if RELIABILITY_DIR not in sys.path:
    sys.path.insert(0, RELIABILITY_DIR)

from fault_suite import FULL, QUICK, Row  # noqa: E402
from harness import install_collection  # noqa: E402
from report import InputCase, ReliabilityReport, SecretScan  # noqa: E402

# The name of the user property that carries one measurement (a table line) from a test to the session's report.
MEASUREMENT = "certops.digicert reliability measurement"
MEASUREMENT_TYPES = {"row": Row, "secret_scan": SecretScan, "input_case": InputCase}


def pytest_addoption(parser):
    group = parser.getgroup("reliability", "certops.digicert reliability suite")
    group.addoption(
        "--full", action="store_true", default=False, help=f"full variant: fault runs of {FULL.orders} orders (default: quick, {QUICK.orders} orders)"
    )
    group.addoption(
        "--write-report", metavar="FILE", default=None, help="write the session's tables into FILE (docs/reliability.md), between its result markers"
    )


def pytest_configure(config):
    config.pluginmanager.register(ReportCollector(config), "certops-reliability-report")


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """With pytest-xdist's default distribution (``-n 2``), share the tests out as parallel.py explains."""
    if config.getoption("dist") != "load":
        return None
    from parallel import ReliabilityScheduling  # pylint: disable=import-outside-toplevel  # needs xdist, which is optional

    return ReliabilityScheduling(config, log)


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


class ReportCollector:
    """Builds the session's tables from the measurements attached to the test reports, in the order the tests were
    collected (not the order in which parallel workers happened to finish them)."""

    def __init__(self, config) -> None:
        self.config = config
        variant = "full" if config.getoption("--full") else "quick"
        self.report = ReliabilityReport(variant, shlex.join(["python", "-m", "pytest", *_without_write_report(config.invocation_params.args)]))
        self.positions: dict[str, int] = {}
        self.measurements: list[tuple[str, int, dict]] = []

    def pytest_collection_finish(self, session) -> None:
        self.positions = {item.nodeid: position for position, item in enumerate(session.items)}

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, ids) -> None:
        # Every worker collects the same tests, in the same order.
        self.positions = {nodeid: position for position, nodeid in enumerate(ids)}

    def pytest_runtest_logreport(self, report) -> None:
        # The teardown report carries every property the test recorded, once; with xdist it arrives from the worker.
        if report.when != "teardown":
            return
        for name, value in report.user_properties:
            if name == MEASUREMENT:
                self.measurements.append((report.nodeid, len(self.measurements), json.loads(value)))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if hasattr(self.config, "workerinput"):
            return  # an xdist worker: its measurements went to the controller with the test reports
        last = len(self.positions)
        for _nodeid, _arrival, measurement in sorted(self.measurements, key=lambda entry: (self.positions.get(entry[0], last), entry[1])):
            getattr(self.report, f"add_{measurement['kind']}")(MEASUREMENT_TYPES[measurement["kind"]](**measurement["data"]))
        if self.report.empty:
            return
        for line in self.report.terminal_lines():
            terminalreporter.write_line(line)
        target = self.config.getoption("--write-report")
        if target:
            self.report.write_into(target)
            terminalreporter.write_line(f"\nresults written to {target}")


class MeasurementRecorder:
    """Hands what a test measured to the session's report, attached to the test's report as a user property."""

    def __init__(self, user_properties: list) -> None:
        self._user_properties = user_properties

    def add_row(self, row: Row) -> None:
        self._record("row", row)

    def add_secret_scan(self, scan: SecretScan) -> None:
        self._record("secret_scan", scan)

    def add_input_case(self, case: InputCase) -> None:
        self._record("input_case", case)

    def _record(self, kind: str, measurement) -> None:
        self._user_properties.append((MEASUREMENT, json.dumps({"kind": kind, "data": dataclasses.asdict(measurement)})))


@pytest.fixture
def reliability_report(request) -> MeasurementRecorder:
    return MeasurementRecorder(request.node.user_properties)


@pytest.fixture(scope="session")
def scale(pytestconfig):
    return FULL if pytestconfig.getoption("--full") else QUICK


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory) -> str:
    """This checkout, installed with ansible-galaxy into a temporary collections path."""
    return install_collection(str(tmp_path_factory.mktemp("collections")))
