# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every variable of the roles order_cleanup and decommission with bad values, in an applied run that would cancel
orders if it let the value through (the abandoned orders of the account; the orders of the hosts being retired): each
must fail with a clear sentence before any change.

The cases of a role run in one ansible-playbook run against a simulator of their own. Each case sends its own note,
so the simulator's audit log tells which case changed what; its counters show that no other state-changing request
arrived.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

import pytest
import yaml

from bad_input import CRASH_MARKERS, DROP, Case, proxy_trap
from certcentral_sim.generator import DEMO_ADMIN_KEY
from certcentral_sim.testing import running_simulator
from harness import REPO_ROOT, Controller
from report import InputCase

FAILURE_MESSAGE = (
    "{{ ([ansible_failed_result.msg | default('')] + (ansible_failed_result.results | default([]) | selectattr('msg', 'defined') "
    "| map(attribute='msg') | list)) | join(' ') }}"
)
BOOLEAN_TYPE = "is of type str and we were unable to convert to bool"

ORDER_CLEANUP_CASES = (
    Case("order_cleanup_older_than_days", "wrong type", "a month", "argument 'order_cleanup_older_than_days' is of type str"),
    Case("order_cleanup_older_than_days", "negative", -1, "order_cleanup_older_than_days must be 0 or more, got -1."),
    Case("order_cleanup_older_than_days", "huge", 10**12, "older_than_days must be at most 36500"),
    Case("order_cleanup_statuses", "unknown", ["pending", "abandoned"], "value of order_cleanup_statuses must be one or more of"),
    Case("order_cleanup_statuses", "not cancelable", ["issued"], "value of order_cleanup_statuses must be one or more of"),
    Case("order_cleanup_statuses", "unknown in text", "pending,bogus", "value of order_cleanup_statuses must be one or more of"),
    Case("order_cleanup_statuses", "empty", [], "order_cleanup_statuses must list at least one of"),
    Case("order_cleanup_statuses", "duplicated", ["pending", "pending"], None, accepted="each status is listed once"),
    Case(
        "order_cleanup_product_name_ids",
        "wrong type",
        {"ssl_basic": True},
        "argument 'order_cleanup_product_name_ids' is of type dict and we were unable to convert to list",
    ),
    Case("order_cleanup_product_name_ids", "unknown", ["ssl_made_up"], None, accepted="a product no order has selects no order, so there is nothing to cancel"),
    Case("order_cleanup_container_ids", "zero", [0], "order_cleanup_container_ids must hold container IDs of 1 or more, got 0."),
    Case("order_cleanup_container_ids", "negative", [-7], "order_cleanup_container_ids must hold container IDs of 1 or more, got -7."),
    Case("order_cleanup_container_ids", "wrong type", ["web"], "order_cleanup_container_ids"),
    Case("order_cleanup_exclude_order_ids", "zero", [0], "order_cleanup_exclude_order_ids must hold order IDs of 1 or more, got 0."),
    Case("order_cleanup_exclude_order_ids", "wrong type", ["all"], "order_cleanup_exclude_order_ids"),
    Case("order_cleanup_apply", "wrong type", "maybe", f"argument 'order_cleanup_apply' {BOOLEAN_TYPE}"),
    Case("order_cleanup_note", "empty", "", "order_cleanup_note is empty"),
    Case("order_cleanup_note", "blank", "   ", "order_cleanup_note is empty"),
    Case("order_cleanup_note", "overlong", "x" * 1001, "order_cleanup_note is 1001 characters long; at most 1000 are allowed."),
    Case("order_cleanup_max_cancellations", "negative", -1, "order_cleanup_max_cancellations must be 0 or more, got -1."),
    Case("order_cleanup_max_cancellations", "zero", 0, "more than order_cleanup_max_cancellations=0 allows", reads=True),
    Case("order_cleanup_max_cancellations", "wrong type", "lots", "argument 'order_cleanup_max_cancellations' is of type str"),
    Case("order_cleanup_batch_size", "zero", 0, "order_cleanup_batch_size must be 1 or more, got 0."),
    Case("order_cleanup_batch_size", "negative", -3, "order_cleanup_batch_size must be 1 or more, got -3."),
    Case("order_cleanup_batch_size", "wrong type", "big", "argument 'order_cleanup_batch_size' is of type str"),
    Case("order_cleanup_progress", "wrong type", "sometimes", f"argument 'order_cleanup_progress' {BOOLEAN_TYPE}"),
    Case("order_cleanup_progress", "off", False, None, accepted="a run without progress lines"),
    Case("order_cleanup_report_dir", "empty", "", "order_cleanup_report_dir is empty"),
    Case("order_cleanup_api_key", "empty", "", "No API key"),
    Case("order_cleanup_api_key", "unknown", "NOT0A0KEY0THE0SIMULATOR0KNOWS0000000000000000000000", "CertCentral rejected the API key", reads=True),
    Case("order_cleanup_api_url", "empty", "", "order_cleanup_api_url is empty"),
    Case("order_cleanup_api_url", "malformed", "certcentral dot digicert dot com", "it must start with https://"),
    Case(
        "order_cleanup_api_url", "plain http to a remote host", "http://certcentral.example.com/services/v2", "plain http:// is only allowed for loopback hosts"
    ),
    Case("order_cleanup_validate_certs", "wrong type", "sometimes", f"argument 'order_cleanup_validate_certs' {BOOLEAN_TYPE}"),
    Case("order_cleanup_ca_path", "unknown file", "/nonexistent/ca-bundle.pem", "is not a file"),
    Case("order_cleanup_note", "wrong type (list)", ["decommissioned"], "order_cleanup_note must be text"),
    Case("order_cleanup_report_dir", "not a directory", "/dev/null/reports", "order_cleanup_report_dir /dev/null/reports cannot be used"),
    Case("order_cleanup_report_dir", "wrong type", ["reports"], 'order_cleanup_report_dir must be the path of a directory, written as text, got ["reports"].'),
    Case("order_cleanup_aply", "unknown variable (a typo)", True, "The role does not know order_cleanup_aply"),
    Case("order_cleanup_timeout", "zero", 0, "order_cleanup_timeout must be at least 1 second, got 0."),
    Case("order_cleanup_timeout", "wrong type", "soon", "argument 'order_cleanup_timeout' is of type str"),
    Case("order_cleanup_retries", "negative", -1, "order_cleanup_retries must be 0 or more, got -1."),
    Case("order_cleanup_workers", "zero", 0, "order_cleanup_workers must be 1 or more, got 0."),
    Case("order_cleanup_rate_limit_state_dir", "not a directory", "/dev/null/rate-limits", None, accepted="pacing falls back to this process, with a warning"),
    Case("order_cleanup_plan", "unknown file", "/nonexistent/order-cleanup.plan.json", "The plan /nonexistent/order-cleanup.plan.json cannot be read"),
    Case("order_cleanup_plan_content", "not JSON", "cancel them all", "The plan in order_cleanup_plan_content is not a plan: it is not JSON"),
    Case("order_cleanup_plan_content", "not an object", "[1001033]", "The plan in order_cleanup_plan_content is not a plan: it is not a JSON object"),
    Case("order_cleanup_plan_content", "forged", {"format": "certops.digicert/plan", "version": 1, "orders": []}, "order_cleanup_plan_content"),
    Case("order_cleanup_plan_max_age_hours", "zero", 0, "order_cleanup_plan_max_age_hours must be 1 or more, got 0."),
    Case("order_cleanup_plan_max_age_hours", "wrong type", "three days", "argument 'order_cleanup_plan_max_age_hours' is of type str"),
)

# Retiring the hosts of the two pending orders the table renames; the run would cancel both.
RETIRED_HOSTS = ["badrole01.badinput.test", "badrole02.badinput.test"]

DECOMMISSION_CASES = (
    Case("decommission_hosts", "wildcard", ["*.badinput.test"], "'*.badinput.test' (from decommission_hosts) is not the name of a host"),
    Case(
        "decommission_hosts", "wrong type", {"badrole01.badinput.test": True}, "decommission_hosts must be a list of host names, or text with commas, got dict."
    ),
    Case("decommission_hosts", "empty", [], "no host to retire"),
    Case("decommission_apply", "wrong type", "yse", f"argument 'decommission_apply' {BOOLEAN_TYPE}"),
    Case("decommission_revoke_issued", "wrong type", "maybe", f"argument 'decommission_revoke_issued' {BOOLEAN_TYPE}"),
    Case("decommission_skip_approval", "wrong type", "maybe", f"argument 'decommission_skip_approval' {BOOLEAN_TYPE}"),
    Case("decommission_revocation_reason", "unknown", "lost_laptop", "value of decommission_revocation_reason must be one of"),
    Case("decommission_note", "empty", "", "decommission_note is empty"),
    Case("decommission_note", "overlong", "x" * 1001, "decommission_note is 1001 characters long; at most 1000 are allowed."),
    Case("decommission_max_cancellations", "negative", -1, "decommission_max_cancellations must be 0 or more, got -1."),
    Case("decommission_max_cancellations", "zero", 0, "more than decommission_max_cancellations=0 allows", reads=True),
    Case("decommission_max_cancellations", "wrong type", "lots", "argument 'decommission_max_cancellations' is of type str"),
    Case("decommission_max_revocations", "negative", -1, "decommission_max_revocations must be 0 or more, got -1."),
    Case("decommission_max_revocations", "wrong type", "lots", "argument 'decommission_max_revocations' is of type str"),
    Case("decommission_report_dir", "empty", "", "decommission_report_dir is empty"),
    Case("decommission_report_dir", "not a directory", "/dev/null/reports", "decommission_report_dir /dev/null/reports cannot be used"),
    Case("decommission_report_dir", "wrong type", ["reports"], 'decommission_report_dir must be the path of a directory, written as text, got ["reports"].'),
    Case("decommission_progress", "wrong type", "sometimes", f"argument 'decommission_progress' {BOOLEAN_TYPE}"),
    Case("decommission_progress", "off", False, None, accepted="a run without progress lines"),
    Case("decommission_plan_file", "unknown file", "/nonexistent/decommission.plan.json", "The plan /nonexistent/decommission.plan.json cannot be read"),
    Case("decommission_plan_content", "not JSON", "cancel them all", "The plan in decommission_plan_content is not a plan: it is not JSON"),
    Case("decommission_plan_max_age_hours", "zero", 0, "decommission_plan_max_age_hours must be 1 or more, got 0."),
    Case("decommission_api_key", "empty", "", "No API key"),
    Case("decommission_api_key", "unknown", "NOT0A0KEY0THE0SIMULATOR0KNOWS0000000000000000000000", "CertCentral rejected the API key", reads=True),
    Case("decommission_api_url", "empty", "", "decommission_api_url is empty"),
    Case("decommission_api_url", "malformed", "certcentral dot digicert dot com", "it must start with https://"),
    Case("decommission_validate_certs", "wrong type", "sometimes", f"argument 'decommission_validate_certs' {BOOLEAN_TYPE}"),
    Case("decommission_ca_path", "unknown file", "/nonexistent/ca-bundle.pem", "is not a file"),
    Case("decommission_timeout", "zero", 0, "decommission_timeout must be at least 1 second, got 0."),
    Case("decommission_retries", "negative", -1, "decommission_retries must be 0 or more, got -1."),
    Case("decommission_workers", "zero", 0, "decommission_workers must be 1 or more, got 0."),
    Case("decommission_rate_limit_state_dir", "not a directory", "/dev/null/rate-limits", None, accepted="pacing falls back to this process, with a warning"),
    Case("decommission_aply", "unknown variable (a typo)", True, "The role does not know decommission_aply"),
)


def _order_cleanup_base(simulator, work_dir: str) -> dict:
    return {
        "order_cleanup_api_url": simulator.base_url,
        "order_cleanup_api_key": DEMO_ADMIN_KEY,
        "order_cleanup_apply": True,
        "order_cleanup_max_cancellations": 1000,
        "order_cleanup_report_dir": os.path.join(work_dir, "reports"),
    }


def _decommission_base(simulator, work_dir: str) -> dict:
    """Two pending orders renamed to the hosts being retired, which an applied run would cancel."""
    pending = [order["id"] for order in simulator.orders("pending")][: len(RETIRED_HOSTS)]
    for order_id, host in zip(pending, RETIRED_HOSTS):
        simulator.set_order(order_id, product_name_id="ssl_basic", certificate={"common_name": host, "dns_names": [host]})
    # The renaming above is no request of the role's.
    simulator.reset_counters()
    return {
        "decommission_api_url": simulator.base_url,
        "decommission_api_key": DEMO_ADMIN_KEY,
        "decommission_apply": True,
        "decommission_hosts": RETIRED_HOSTS,
        "decommission_report_dir": os.path.join(work_dir, "reports"),
    }


@dataclasses.dataclass(frozen=True)
class RoleTable:
    """A role's cases, the variables that name a case's note and switch applying on, the account the cases run
    against, and the variables every case starts from, given the simulator and a work directory."""

    cases: tuple[Case, ...]
    note_variable: str
    apply_variable: str
    account: dict
    base: Callable[..., dict]


ROLE_TABLES = {
    "order_cleanup": RoleTable(
        ORDER_CLEANUP_CASES, "order_cleanup_note", "order_cleanup_apply", dict(seed=61, orders=500, pending=80, abandoned=30), _order_cleanup_base
    ),
    "decommission": RoleTable(DECOMMISSION_CASES, "decommission_note", "decommission_apply", dict(seed=62, orders=200, pending=40), _decommission_base),
}


def note_of(case: Case) -> str:
    return f"Bad input test of the role: {case.name}"


def role_case(index: int, case: Case, role: str, base: dict) -> dict:
    """The role with the case's value, its note naming the case; its failure is kept, and the play goes on."""
    table = ROLE_TABLES[role]
    role_vars = dict(base, **{table.note_variable: note_of(case)})
    if case.expect is None:
        # A value accepted by design runs as a report, which changes nothing either way.
        role_vars[table.apply_variable] = False
    if case.value is DROP:
        role_vars.pop(case.option, None)
    else:
        role_vars[case.option] = case.value
    name = f"case_{index:03d}"
    return {
        "name": f"Role with {case.name}",
        "block": [
            {"name": f"Run the role ({case.name})", "ansible.builtin.include_role": {"name": f"certops.digicert.{role}"}, "vars": role_vars},
            {"name": f"Note the role succeeded ({case.name})", "ansible.builtin.set_fact": {name: {"failed": False}}},
        ],
        # A looped task fails with "One or more items failed"; what it printed for each item is the sentence users read.
        "rescue": [{"name": f"Keep the role's failure ({case.name})", "ansible.builtin.set_fact": {name: {"failed": True, "msg": FAILURE_MESSAGE}}}],
    }


@pytest.fixture(scope="module")
def role_tables(collections_path, tmp_path_factory):
    """Run each role's cases once, when its first case asks: the kept results by case name, the audit log by note, and
    the simulator's counters."""
    runs = {}

    def run(role):
        if role in runs:
            return runs[role]
        table = ROLE_TABLES[role]
        work_dir = str(tmp_path_factory.mktemp(f"bad-role-input-{role}"))
        with running_simulator(**table.account, rate_limits=[]) as simulator:
            base = table.base(simulator, work_dir)
            tasks = [role_case(index, case, role, base) for index, case in enumerate(table.cases)]
            names = [f"case_{index:03d}" for index in range(len(table.cases))]
            cases = ", ".join(f"'{name}': {name}" for name in names)
            tasks.append({"name": "Keep every case", "register": "kept", "ansible.builtin.set_fact": {"role_cases": f"{{{{ {{{cases}}} }}}}"}})
            controller = Controller(collections_path, work_dir)
            playbook = controller.playbook(tasks, name=f"bad-role-input-{role}", keep_at_end=True)
            result = controller.run(playbook, timeout=3600, extra_env=proxy_trap(simulator.simulator.root_url))
            kept = result.result("kept")["ansible_facts"]["role_cases"]
            changes_by_note: dict[str, list[dict]] = {}
            for entry in simulator.audit_log():
                if entry["action"] == "set_fields":
                    continue
                changes_by_note.setdefault(entry.get("note"), []).append(entry)
            runs[role] = {case.name: kept[name] for case, name in zip(table.cases, names)}, changes_by_note, simulator.counters()
        return runs[role]

    return run


@pytest.mark.parametrize(
    "role, case",
    [
        pytest.param(role, case, id=f"{role}-{case.name}", marks=[pytest.mark.xfail(reason=case.known_bug, strict=True)] if case.known_bug else [])
        for role, table in ROLE_TABLES.items()
        for case in table.cases
    ],
)
def test_bad_role_variable_fails_clearly_before_any_change(role, case, role_tables, reliability_report):
    results, changes_by_note, _counters = role_tables(role)
    result = results[case.name]
    message = str(result.get("msg") or "")
    # The case's own note, or for a note case the note its value would make.
    changes = changes_by_note.get(note_of(case), []) + [
        entry for note, entries in changes_by_note.items() if case.option == ROLE_TABLES[role].note_variable and note == str(case.value) for entry in entries
    ]
    problems = []
    if changes:
        problems.append(f"{len(changes)} orders were changed, the first: {changes[0]}")
    if any(marker in message for marker in CRASH_MARKERS):
        problems.append(f"it crashed instead of saying what is wrong: {message[:300]!r}")
    if case.expect is None:
        if result.get("failed"):
            problems.append(f"accepted by design ({case.accepted}), yet the role failed: {message[:300]!r}")
    elif not result.get("failed"):
        problems.append("the role did not fail")
    elif case.expect not in message:
        problems.append(f"the failure does not say {case.expect!r}: {message[:400]!r}")
    reliability_report.add_input_case(
        InputCase(
            target=f"role {role}",
            option=case.option,
            kind=case.kind,
            value=repr(case.value)[:60],
            message=(message or "accepted; the run went ahead") if case.expect is not None else f"accepted by design: {case.accepted}",
            state_changing_requests=len(changes),
            passed=not problems,
            accepted=case.expect is None,
        )
    )
    assert not problems, f"{case.option} ({case.kind}): " + "; ".join(problems)


@pytest.mark.parametrize("role", list(ROLE_TABLES))
def test_every_role_variable_has_bad_values(role):
    with open(os.path.join(REPO_ROOT, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as specs:
        variables = set(yaml.safe_load(specs)["argument_specs"]["main"]["options"])
    assert sorted(variables - {case.option for case in ROLE_TABLES[role].cases}) == []


@pytest.mark.parametrize("role", list(ROLE_TABLES))
def test_no_other_state_changing_request_arrived(role, role_tables):
    _results, changes_by_note, counters = role_tables(role)
    cases = ROLE_TABLES[role].cases
    known_bug_notes = {note_of(case) for case in cases if case.known_bug} | {str(case.value) for case in cases if case.known_bug}
    unexplained = {note: entries for note, entries in changes_by_note.items() if note not in known_bug_notes}
    assert unexplained == {}
    writes = sum(count for route, count in counters["requests_by_route"].items() if not route.startswith("GET "))
    assert writes == sum(len(entries) for note, entries in changes_by_note.items() if note in known_bug_notes)
