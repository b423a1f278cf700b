# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API key never appears in any output: every module and the roles, succeeding and failing, at -vvvv, in normal,
check and diff mode, with the key given as a variable, through module_defaults and through the environment.

Everything each run printed, and every file it wrote (kept results, the role's reports, Ansible's temporary
directories, the pacing state: names and contents), is searched for every key the run was given, and for any piece
of 24 characters of them. Only the vars file that hands the key to the run holds it, on purpose.
"""

from __future__ import annotations

import json
import os

import pytest

from certcentral_sim.generator import DEMO_ADMIN_KEY, DEMO_ORDERS_KEY, DEMO_VIEW_ONLY_KEY
from certcentral_sim.testing import running_simulator
from harness import Controller, module_task
from key_scan import find_secrets
from report import SecretScan

# A key the simulator does not know, as distinctive as the real ones: a wrong key must not be printed either.
UNKNOWN_KEY = "SECRET0UNKNOWN0KEY0THAT0IS0NOT0VALID0ANYWHERE0000099"
KEYS = {"admin": DEMO_ADMIN_KEY, "orders": DEMO_ORDERS_KEY, "view-only": DEMO_VIEW_ONLY_KEY, "unknown": UNKNOWN_KEY}
MODES = {"normal": {}, "check": {"check": True}, "diff": {"diff": True}, "check and diff": {"check": True, "diff": True}}


@pytest.fixture(scope="module")
def simulator():
    # The reference date is today, so that the role's age limit finds the generator's abandoned orders.
    with running_simulator(seed=41, orders=500, pending=80, abandoned=30, needs_approval=10, reissue_pending=10, rate_limits=[]) as handle:
        yield handle


@pytest.fixture
def controller(collections_path, tmp_path):
    return Controller(collections_path, str(tmp_path / "run"))


@pytest.fixture
def inputs(tmp_path):
    """The vars file that hands the keys to a run: the one file that holds them on purpose."""
    directory = tmp_path / "inputs"
    directory.mkdir()
    path = directory / "keys.json"
    path.write_text(
        json.dumps({"digicert_api_key": DEMO_ADMIN_KEY, "view_only_key": DEMO_VIEW_ONLY_KEY, "orders_key": DEMO_ORDERS_KEY, "unknown_key": UNKNOWN_KEY}),
        encoding="utf-8",
    )
    path.chmod(0o600)
    return str(path)


class Orders:
    """Hands out orders of a status, each once, so that every run acts on orders no earlier run changed."""

    def __init__(self, simulator) -> None:
        self._pools = {status: iter(order["id"] for order in simulator.orders(status)) for status in ("pending", "issued")}

    def next(self, status: str) -> int:
        return next(self._pools[status])


@pytest.fixture(scope="module")
def orders(simulator):
    return Orders(simulator)


def admin_call(simulator, path: str, body: dict) -> dict:
    """A task that changes the simulator's settings through its admin channel (no key involved)."""
    return {
        "name": f"Simulator {path}",
        "ansible.builtin.uri": {"url": simulator.admin_url + path, "method": "PUT", "body_format": "json", "body": body},
        "check_mode": False,
        "changed_when": False,
    }


def module_tasks(simulator, orders: Orders, key_from_vars: bool) -> list[dict]:
    """Every module succeeding, and failing on a bad order, on server errors that outlast the retries, on a
    View Only key, on a key without a permission and on an unknown key."""
    key = {"api_key": "{{ digicert_api_key }}"} if key_from_vars else {}
    pending, issued = orders.next("pending"), orders.next("issued")
    return [
        module_task("digicert_order_info", {"status": ["needs_approval"], "details": True, **key}, "info_listing"),
        module_task("digicert_order_info", {"order_id": 999999999, "fail_on_missing": True, **key}, "info_unknown_order"),
        module_task("digicert_order_info", {"order_id": pending, "api_key": "{{ unknown_key }}"}, "info_unknown_key"),
        module_task("digicert_order_cancel", {"order_ids": [pending], "note": "Secrets test", **key}, "cancel"),
        module_task("digicert_order_cancel", {"order_ids": [pending, 999999999], "note": "Secrets test", **key}, "cancel_unknown_order"),
        module_task(
            "digicert_order_cancel", {"order_id": orders.next("pending"), "note": "Secrets test", "api_key": "{{ view_only_key }}"}, "cancel_view_only"
        ),
        module_task("digicert_order_revoke", {"order_ids": [issued], "comments": "Secrets test", **key}, "revoke"),
        module_task(
            "digicert_order_revoke",
            {"order_id": orders.next("issued"), "comments": "Secrets test", "skip_approval": True, "api_key": "{{ orders_key }}"},
            "revoke_without_permission",
        ),
        module_task(
            "digicert_order_revoke", {"order_id": orders.next("issued"), "comments": "Secrets test", "api_key": "{{ view_only_key }}"}, "revoke_view_only"
        ),
        admin_call(simulator, "/faults", {"seed": 3, "error_rate": 1.0}),
        module_task("digicert_order_info", {"order_id": pending, "retries": 1, **key}, "info_server_errors"),
        module_task("digicert_order_cancel", {"order_id": orders.next("pending"), "note": "Secrets test", "retries": 1, **key}, "cancel_server_errors"),
        admin_call(simulator, "/faults", {}),
    ]


def scan(controller: Controller, runs: list, scenario: str, inputs: str, reliability_report) -> None:
    texts = {f"the output of run {number}": run.output for number, run in enumerate(runs, 1)}
    files, leaks = find_secrets(KEYS, texts, [controller.work_dir, os.path.dirname(inputs)], skip=(inputs,))
    reliability_report.add_secret_scan(SecretScan(scenario, len(runs), files, leaks))
    assert leaks == []


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("key_style", ["module_defaults", "task variable", "environment"])
def test_modules_never_show_the_key(mode, key_style, simulator, orders, controller, inputs, reliability_report, pytestconfig):
    if not pytestconfig.getoption("--full") and (key_style, mode) != ("module_defaults", "normal"):
        pytest.skip(
            "the quick variant gives the key to the modules through module_defaults, in normal mode; the role's scan "
            "and the fault suite give it through the environment"
        )
    defaults = {"api_url": simulator.base_url, "rate_limits": []}
    if key_style == "module_defaults":
        defaults["api_key"] = "{{ digicert_api_key }}"
    tasks = module_tasks(simulator, orders, key_from_vars=key_style == "task variable")
    playbook = controller.playbook(tasks, name="secrets", module_defaults={"group/certops.digicert.certcentral": defaults}, keep_at_end=True)
    run = controller.run(playbook, api_key=DEMO_ADMIN_KEY if key_style == "environment" else None, verbosity=4, extra_args=("-e", f"@{inputs}"), **MODES[mode])
    # The scenarios did what they are named after; otherwise the scan would prove little.
    assert run.result("info_listing").get("failed") is not True, run.result("info_listing")
    assert run.result("cancel").get("failed") is not True, run.result("cancel").get("msg")
    assert run.result("revoke").get("failed") is not True, run.result("revoke").get("msg")
    failing = [
        "info_unknown_order",
        "info_unknown_key",
        "cancel_unknown_order",
        "cancel_view_only",
        "revoke_view_only",
        "info_server_errors",
        "cancel_server_errors",
    ]
    if "check" not in mode:
        # Only a real revocation meets CertCentral's refusal; check mode cannot know the permission is missing.
        failing.append("revoke_without_permission")
    for name in failing:
        assert run.result(name).get("failed") is True, f"{name}: {run.result(name)}"
    scan(controller, [run], f"modules, key via {key_style}, -vvvv, {mode} mode", inputs, reliability_report)


def role_block(name: str, role_vars: dict, role: str = "order_cleanup") -> dict:
    """The role, run with ``role_vars``; its failure is kept like a module's, and the play goes on."""
    return {
        "name": f"Role: {name}",
        "block": [
            {"name": f"Run the role ({name})", "ansible.builtin.include_role": {"name": f"certops.digicert.{role}"}, "vars": role_vars},
            {"name": f"Note that the role succeeded ({name})", "ansible.builtin.set_fact": {name: {"failed": False}}},
        ],
        "rescue": [
            {"name": f"Keep the role's failure ({name})", "ansible.builtin.set_fact": {name: {"failed": True, "msg": "{{ ansible_failed_result.msg }}"}}},
        ],
    }


@pytest.mark.parametrize("mode", list(MODES))
def test_the_role_never_shows_the_key(mode, simulator, controller, inputs, reliability_report, tmp_path, pytestconfig):
    if not pytestconfig.getoption("--full") and mode != "normal":
        pytest.skip("the quick variant runs the role in normal mode")
    # Every mode starts from the same abandoned orders, which the applied run of an earlier mode canceled.
    simulator.reset()
    reports = str(tmp_path / "run" / "reports")
    common = {
        "order_cleanup_api_url": simulator.base_url,
        "order_cleanup_report_dir": reports,
        "order_cleanup_note": "Secrets test of the role",
        "order_cleanup_max_cancellations": 5,
    }
    blocks = [
        role_block("role_report", {**common, "order_cleanup_api_key": "{{ digicert_api_key }}"}),
        # The key from the environment, as an AWX credential injects it.
        role_block("role_from_environment", common),
        role_block(
            "role_view_only", {**common, "order_cleanup_api_key": "{{ view_only_key }}", "order_cleanup_apply": True, "order_cleanup_max_cancellations": 1000}
        ),
        role_block("role_unknown_key", {**common, "order_cleanup_api_key": "{{ unknown_key }}"}),
        role_block("role_bad_variable", {**common, "order_cleanup_api_key": "{{ digicert_api_key }}", "order_cleanup_older_than_days": -1}),
        role_block(
            "role_apply",
            {
                **common,
                "order_cleanup_api_key": "{{ digicert_api_key }}",
                "order_cleanup_apply": True,
                "order_cleanup_max_cancellations": 1000,
                "order_cleanup_batch_size": 7,
            },
        ),
    ]
    tasks = blocks + [
        {
            "name": "Keep what the role did",
            "register": "role_runs",
            "ansible.builtin.set_fact": {
                "role_outcomes": {
                    name: f"{{{{ {name} }}}}"
                    for name in ("role_report", "role_apply", "role_from_environment", "role_view_only", "role_unknown_key", "role_bad_variable")
                }
            },
        }
    ]
    run = controller.run(controller.playbook(tasks, name="role-secrets"), api_key=DEMO_ADMIN_KEY, verbosity=4, extra_args=("-e", f"@{inputs}"), **MODES[mode])
    outcomes = run.result("role_runs")["ansible_facts"]["role_outcomes"]
    for name in ("role_report", "role_apply", "role_from_environment"):
        assert outcomes[name]["failed"] is False, f"{name}: {outcomes[name]}"
    # In check mode an applied run is planned only, so the View Only key is not refused.
    for name in ("role_unknown_key", "role_bad_variable") + (() if "check" in mode else ("role_view_only",)):
        assert outcomes[name]["failed"] is True, f"{name}: {outcomes[name]}"
    assert os.listdir(reports), "the role wrote no report"
    scan(controller, [run], f"role, -vvvv, {mode} mode", inputs, reliability_report)


def keep_outcomes(names: tuple[str, ...]) -> dict:
    """The task that gathers what each role block kept into one result."""
    return {
        "name": "Keep what the role did",
        "register": "role_runs",
        "ansible.builtin.set_fact": {"role_outcomes": {name: f"{{{{ {name} }}}}" for name in names}},
    }


# The hosts being retired: the names of orders the decommission test renames, so that the role finds orders to plan.
RETIRED_HOSTS = ("secret01.decommission.test", "secret02.decommission.test", "secret03.decommission.test")


def retire_orders(simulator) -> dict[str, int]:
    """Two pending orders and an issued one renamed to the retired hosts; the order IDs by status. The last ones of
    their status, which the modules' scans (handing orders out from the first) do not reach."""
    chosen = {"pending": [order["id"] for order in simulator.orders("pending")][-2:], "issued": [order["id"] for order in simulator.orders("issued")][-1:]}
    for order_id, host in zip(chosen["pending"] + chosen["issued"], RETIRED_HOSTS):
        simulator.set_order(order_id, product_name_id="ssl_basic", certificate={"common_name": host, "dns_names": [host]})
    return chosen


@pytest.mark.parametrize("mode", list(MODES))
def test_the_decommission_role_never_shows_the_key(mode, simulator, controller, inputs, reliability_report, tmp_path, pytestconfig):
    if not pytestconfig.getoption("--full") and mode != "normal":
        pytest.skip("the quick variant runs the role in normal mode")
    simulator.reset()
    chosen = retire_orders(simulator)
    reports = str(tmp_path / "run" / "decommission-reports")
    common = {
        "decommission_api_url": simulator.base_url,
        "decommission_hosts": list(RETIRED_HOSTS),
        "decommission_report_dir": reports,
        "decommission_note": "Secrets test of the decommission role",
        "decommission_revoke_issued": True,
    }
    applied = {"decommission_apply": True}
    # Facts named decommission_* would be taken for misspelt variables of the role, which refuses them.
    names = ("retire_report", "retire_view_only", "retire_unknown_key", "retire_bad_variable", "retire_apply")
    blocks = [
        role_block(names[0], {**common, "decommission_api_key": "{{ digicert_api_key }}"}, "decommission"),
        role_block(names[1], {**common, **applied, "decommission_api_key": "{{ view_only_key }}"}, "decommission"),
        role_block(names[2], {**common, "decommission_api_key": "{{ unknown_key }}"}, "decommission"),
        role_block(names[3], {**common, "decommission_api_key": "{{ digicert_api_key }}", "decommission_max_cancellations": -1}, "decommission"),
        # Last, so that the runs before it find the orders still to be changed.
        role_block(names[4], {**common, **applied, "decommission_api_key": "{{ digicert_api_key }}"}, "decommission"),
    ]
    run = controller.run(
        controller.playbook(blocks + [keep_outcomes(names)], name="decommission-secrets"),
        api_key=DEMO_ADMIN_KEY,
        verbosity=4,
        extra_args=("-e", f"@{inputs}"),
        **MODES[mode],
    )
    outcomes = run.result("role_runs")["ansible_facts"]["role_outcomes"]
    for name in ("retire_report", "retire_apply"):
        assert outcomes[name]["failed"] is False, f"{name}: {outcomes[name]}"
    # In check mode an applied run is planned only, so the View Only key is not refused.
    refusals = {"retire_unknown_key": "rejected the API key", "retire_bad_variable": "decommission_max_cancellations must be 0 or more"}
    if "check" not in mode:
        # The View Only key fails each order; the report of that run gives CertCentral's reason.
        refusals["retire_view_only"] = "were not processed as asked"
        applied_reports = [
            (tmp_path / "run" / "decommission-reports" / name).read_text(encoding="utf-8") for name in os.listdir(reports) if name.endswith("-apply.md")
        ]
        assert any("View Only" in text for text in applied_reports), "no applied run's report gives the View Only refusal"
    for name, refusal in refusals.items():
        assert outcomes[name]["failed"] is True and refusal in outcomes[name]["msg"], f"{name}: {outcomes[name]}"
    # The role found the retired hosts' orders: the applied run canceled the pending ones (outside check mode).
    statuses = {order["id"]: order["status"] for order in simulator.orders()}
    expected = "pending" if "check" in mode else "canceled"
    assert [statuses[order_id] for order_id in chosen["pending"]] == [expected, expected]
    assert any(name.endswith(".plan.json") for name in os.listdir(reports)), "the report-only run wrote no plan"
    scan(controller, [run], f"role decommission, -vvvv, {mode} mode", inputs, reliability_report)


@pytest.mark.parametrize("mode", list(MODES))
def test_the_order_report_role_never_shows_the_key(mode, simulator, controller, inputs, reliability_report, tmp_path, pytestconfig):
    if not pytestconfig.getoption("--full") and mode != "normal":
        pytest.skip("the quick variant runs the role in normal mode")
    reports = str(tmp_path / "run" / "order-reports")
    common = {"order_report_api_url": simulator.base_url, "order_report_dir": reports, "order_report_details": True, "order_report_statuses": ["pending"]}
    names = ("order_report", "order_report_unknown_key")
    blocks = [
        role_block(names[0], {**common, "order_report_api_key": "{{ digicert_api_key }}"}, "order_report"),
        role_block(names[1], {**common, "order_report_api_key": "{{ unknown_key }}"}, "order_report"),
    ]
    run = controller.run(
        controller.playbook(blocks + [keep_outcomes(names)], name="order-report-secrets"),
        api_key=DEMO_ADMIN_KEY,
        verbosity=4,
        extra_args=("-e", f"@{inputs}"),
        **MODES[mode],
    )
    outcomes = run.result("role_runs")["ansible_facts"]["role_outcomes"]
    assert outcomes["order_report"]["failed"] is False, outcomes["order_report"]
    assert outcomes["order_report_unknown_key"]["failed"] is True, outcomes["order_report_unknown_key"]
    assert "rejected the API key" in outcomes["order_report_unknown_key"]["msg"], outcomes["order_report_unknown_key"]
    assert any(name.endswith(".md") for name in os.listdir(reports)), "the role wrote no report"
    scan(controller, [run], f"role order_report, -vvvv, {mode} mode", inputs, reliability_report)
