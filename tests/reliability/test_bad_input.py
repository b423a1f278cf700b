# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module option with bad values: each fails with a clear sentence before any request that changes state.

One simulator per module serves all its cases (see bad_input.py); its counters must show no state-changing request
at all, and its request log shows, case by case, that nothing was sent for the case's order but the reads the case
allows, and that nothing went anywhere but the simulator. The full variant runs the cases through ansible-playbook,
the quick variant through the modules' main() in this process.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from bad_input import TABLES, Context, attach_request_log, outcomes_of, prepare, problems_with, proxy_trap, run_in_process, run_with_playbook
from certcentral_sim.generator import DEMO_ADMIN_KEY
from certcentral_sim.testing import running_simulator
from fault_suite import REFERENCE_DATE
from harness import Controller, ansible_command
from report import InputCase

PARAMETERS = [
    pytest.param(module, case, id=f"{module}-{case.name}", marks=[pytest.mark.xfail(reason=case.known_bug, strict=True)] if case.known_bug else [])
    for module, table in TABLES.items()
    for case in table.cases
]


@pytest.fixture(scope="module")
def table_runs(collections_path, tmp_path_factory, pytestconfig):
    """Run each module's table once, when its first case asks; keep the outcomes, counters, audit log and requests."""
    runs = {}
    with_playbook = pytestconfig.getoption("--full")

    def run(module):
        if module not in runs:
            table = TABLES[module]
            work_dir = tmp_path_factory.mktemp(f"bad-input-{module}")
            with running_simulator(seed=31, orders=600, pending=200, reference_date=REFERENCE_DATE, rate_limits=[]) as simulator:
                log = attach_request_log(simulator)
                prepared = prepare(table, simulator, Context(simulator.base_url, simulator.simulator.port, DEMO_ADMIN_KEY, str(work_dir)))
                proxy = proxy_trap(simulator.simulator.root_url)
                if with_playbook or table.action:
                    # An action's cases name no order of their own: markers tell their requests apart.
                    marker_root = simulator.simulator.root_url if table.action else ""
                    results = run_with_playbook(table, prepared, Controller(collections_path, str(work_dir)), proxy, marker_root)
                else:
                    results = run_in_process(table, prepared, collections_path, str(work_dir / "cache"), proxy)
                runs[module] = (outcomes_of(prepared, results, log), simulator.counters(), simulator.audit_log(), log.requests())
        return runs[module]

    return run


@pytest.mark.parametrize("module, case", PARAMETERS)
def test_bad_value_fails_clearly_before_any_change(module, case, table_runs, reliability_report):
    outcomes, _counters, _audit, _requests = table_runs(module)
    outcome = outcomes[case.name]
    problems = problems_with(outcome)
    reliability_report.add_input_case(
        InputCase(
            target=module,
            option=case.option,
            kind=case.kind,
            value=repr(case.value)[:60],
            message=(outcome.message or f"accepted; the run went ahead (changed={outcome.result.get('changed')})")
            if case.expect is not None
            else f"accepted by design: {case.accepted}",
            state_changing_requests=len(outcome.writes),
            passed=not problems,
            accepted=case.expect is None,
        )
    )
    assert not problems, f"{module} {case.option} ({case.kind}): " + "; ".join(problems)


@pytest.mark.parametrize("module", list(TABLES))
def test_the_counters_show_no_state_changing_request(module, table_runs):
    outcomes, counters, audit, requests = table_runs(module)
    # Known bugs let their value through: their own orders show what they changed; nothing else may have changed.
    allowed = {outcome.order_id for outcome in outcomes.values() if outcome.case.known_bug}
    changes = {route: count for route, count in counters["requests_by_route"].items() if not route.startswith("GET ")}
    known_bug_writes = sum(len(outcome.writes) for outcome in outcomes.values() if outcome.case.known_bug)
    assert sum(changes.values()) == known_bug_writes, f"state-changing requests: {changes}"
    assert [entry for entry in audit if entry["order_id"] not in allowed] == []
    # A request for any host but loopback would have come through the proxy trap, with a full URL as its path.
    assert [path for _method, path in requests if not path.startswith("/")] == []


@pytest.mark.parametrize("module", list(TABLES))
def test_every_option_has_bad_values(module, collections_path):
    """The table covers every option the installed module documents, so a new option cannot go untested."""
    documented = subprocess.run(
        [ansible_command("ansible-doc"), "--json", f"certops.digicert.{module}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={"ANSIBLE_COLLECTIONS_PATH": collections_path, "PATH": "/usr/bin:/bin"},
    )
    options = set(json.loads(documented.stdout)[f"certops.digicert.{module}"]["doc"]["options"])
    covered = {case.option for case in TABLES[module].cases}
    assert sorted(options - covered) == []
