# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The decommissioning job template: its definition checked against the controller's rules and the role's
variables, and the job run the way AWX runs it (ansible-runner, a fleet inventory and the job's limit) against the
CertCentral simulator, whose demo account gets a few orders named after the fleet."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from awx_job import (
    inject_credential,
    job_artifacts,
    launch_extra_vars,
    run_job,
    run_workflow_node,
    survey_errors,
    survey_form_answers,
)
from awx_repo import AWX_DIR, load_yaml
from certcentral_sim.generator import DEMO_ORDERS_KEY

FLEET_INVENTORY = """\
[fleet]
web01.fleet.test
web02.fleet.test
app01.fleet.test

[local]
localhost ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"
"""

# The orders of the fleet, given to the first issued orders of the demo account: (key, status, names).
FLEET_ORDERS = [
    ("pending_web01", "pending", ["web01.fleet.test"]),
    ("issued_web01", "issued", ["web01.fleet.test"]),
    ("shared_web01_app01", "issued", ["web01.fleet.test", "app01.fleet.test"]),
    ("issued_web02", "issued", ["web02.fleet.test"]),
]


@pytest.fixture(scope="module")
def decommission_template_file() -> dict:
    return load_yaml("awx", "job_template_decommission.yml")


@pytest.fixture(scope="module")
def decommission_template(decommission_template_file) -> dict:
    return decommission_template_file["job_template"]


@pytest.fixture(scope="module")
def decommission_options() -> dict:
    return load_yaml("roles", "decommission", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]


@pytest.fixture
def fleet(simulator):
    """The IDs of the fleet's orders by key; the simulator's audit log starts after setting them up."""
    issued = sorted(order["id"] for order in simulator.orders("issued"))
    ids = {}
    for (key, status, names), order_id in zip(FLEET_ORDERS, issued):
        simulator.set_order(order_id, status=status, product_name_id="ssl_basic", certificate={"common_name": names[0], "dns_names": names})
        ids[key] = order_id
    ids["audit_start"] = max(entry["sequence"] for entry in simulator.audit_log())
    return ids


@pytest.fixture
def launch(tmp_path, simulator, installed_collections, decommission_template, credential_type):

    def launch_job(answers: dict, limit: str, ident: str = "job"):
        env, extra_vars = inject_credential(credential_type, {"api_key": DEMO_ORDERS_KEY, "api_url": simulator.base_url})
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("DIGICERT_")}
        inherited["XDG_CACHE_HOME"] = str(tmp_path / "cache")
        result = run_job(
            str(tmp_path / ident),
            project_dir=os.path.join(AWX_DIR, "project"),
            collections_dir=installed_collections,
            playbook=decommission_template["playbook"],
            extra_vars=launch_extra_vars(decommission_template, survey_form_answers(decommission_template, answers)),
            credential_env=env,
            credential_extra_vars=extra_vars,
            inherited_env=inherited,
            ident=ident,
            inventory=FLEET_INVENTORY,
            limit=limit,
        )
        for path in result.files_written_by_the_job():
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    assert DEMO_ORDERS_KEY.encode() not in handle.read(), f"the API key was written to {path}"
        return result

    return launch_job


def latest_report(result) -> dict:
    with open(os.path.join(result.private_data_dir, "project", "decommission-reports", "decommission-latest.json"), encoding="utf-8") as handle:
        return json.load(handle)


def changes(simulator, fleet) -> list[tuple]:
    return [(entry["action"], entry["order_id"]) for entry in simulator.audit_log(fleet["audit_start"])]


# ---------------------------------------------------------------- the definition


def test_the_survey_asks_for_the_role_variables_in_their_types(decommission_template, decommission_options):
    spec = decommission_template["survey_spec"]["spec"]
    assert [element["variable"] for element in spec] == [
        "decommission_note",
        "decommission_apply",
        "decommission_revoke_issued",
        "decommission_skip_approval",
        "decommission_max_cancellations",
        "decommission_max_revocations",
    ]
    for element in spec:
        option = decommission_options[element["variable"]]
        if element["type"] == "integer":
            assert option["type"] == "int" and element["default"] == option["default"]
        if element["type"] == "multiplechoice":
            assert option["type"] == "bool" and element["choices"] == ["false", "true"]
            assert element["default"] == str(option["default"]).lower()


def test_the_template_asks_for_the_limit_and_takes_the_inventory_hosts(decommission_template):
    assert decommission_template["ask_limit_on_launch"] is True
    assert decommission_template["extra_vars"] == {"decommission_target": "all"}
    with open(os.path.join(AWX_DIR, "project", decommission_template["playbook"]), encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    assert [play["ansible.builtin.import_playbook"] for play in plays] == ["certops.digicert.decommission"]


def test_the_note_is_required_and_the_defaults_are_valid_answers(decommission_template):
    spec = decommission_template["survey_spec"]["spec"]
    note = next(element for element in spec if element["variable"] == "decommission_note")
    assert survey_errors(note, {}) != []
    answers = survey_form_answers(decommission_template, {"decommission_note": "CHG-1"})
    assert all(survey_errors(element, answers) == [] for element in spec)


# ---------------------------------------------------------------- the job


def test_survey_defaults_report_the_orders_of_the_limit_and_change_nothing(simulator, fleet, launch):
    result = launch({"decommission_note": "CHG-1 web01 retired"}, limit="web01.fleet.test")

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    assert changes(simulator, fleet) == []
    report = latest_report(result)
    assert report["mode"] == "report"
    assert report["summary"]["hosts"] == ["web01.fleet.test"]
    assert {row["order_id"]: row["decision"] for row in report["orders"]} == {
        fleet["pending_web01"]: "cancel",
        fleet["issued_web01"]: "revoke_not_requested",
        fleet["shared_web01_app01"]: "shared",
    }


def test_an_applied_run_with_revocation_changes_exactly_the_orders_of_the_limit_and_a_rerun_nothing(simulator, fleet, launch):
    answers = {"decommission_note": "CHG-2 web tier retired", "decommission_apply": "true", "decommission_revoke_issued": "true"}

    result = launch(answers, limit="web01.fleet.test,web02.fleet.test")

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    assert sorted(changes(simulator, fleet)) == sorted(
        [("cancel", fleet["pending_web01"]), ("revoke_requested", fleet["issued_web01"]), ("revoke_requested", fleet["issued_web02"])]
    )
    assert simulator.order_status(fleet["shared_web01_app01"]) == "issued"
    assert latest_report(result)["summary"]["results"]["changed"] == 3

    rerun = launch(answers, limit="web01.fleet.test,web02.fleet.test", ident="rerun")

    assert (rerun.status, rerun.rc) == ("successful", 0), rerun.stdout
    assert len(changes(simulator, fleet)) == 3
    assert latest_report(rerun)["summary"]["results"]["changed"] == 0


def test_a_run_over_the_revocation_limit_changes_nothing_at_all(simulator, fleet, launch):
    result = launch(
        {"decommission_note": "CHG-3", "decommission_apply": "true", "decommission_revoke_issued": "true", "decommission_max_revocations": 1},
        limit="web01.fleet.test,web02.fleet.test",
    )

    assert (result.status, result.rc) == ("failed", 2)
    assert changes(simulator, fleet) == []
    assert "2 orders would be revoked, more than decommission_max_revocations=1 allows" in result.stdout


# ---------------------------------------------------------------- a reviewed plan


def test_a_reviewed_plan_from_the_artifacts_is_applied_exactly_and_only_once(
    simulator, fleet, launch, tmp_path, installed_collections, decommission_template, credential_type
):
    report_job = launch({"decommission_revoke_issued": "true", "decommission_note": "CHG-77 review"}, limit="web01.fleet.test")
    assert (report_job.status, report_job.rc) == ("successful", 0), report_job.stdout
    artifacts = job_artifacts(report_job)
    plan = artifacts["decommission_plan_content"]
    assert sorted((order["id"], order["change"]) for order in plan["orders"]) == sorted(
        [(fleet["pending_web01"], "would_cancel"), (fleet["issued_web01"], "would_request_revoke")]
    )
    assert plan["selection"]["hosts"] == ["web01.fleet.test"]
    assert artifacts["decommission"]["plan_file"] == artifacts["decommission"]["report_files"]["plan"]
    assert changes(simulator, fleet) == []

    # Between review and apply the pending order is issued.
    simulator.set_order(fleet["pending_web01"], status="issued")
    since = max(entry["sequence"] for entry in simulator.audit_log())

    def apply(ident):
        # As a workflow node after an approval: the template's survey answers, then the report job's artifacts.
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("DIGICERT_")}
        return run_workflow_node(
            str(tmp_path / ident),
            job_template=decommission_template,
            node_extra_data={"decommission_apply": "true", "decommission_note": "CHG-77 web01 retired"},
            artifacts=artifacts,
            credential_type=credential_type,
            credential_inputs={"api_key": DEMO_ORDERS_KEY, "api_url": simulator.base_url},
            project_dir=os.path.join(AWX_DIR, "project"),
            collections_dir=installed_collections,
            inherited_env=inherited,
            ident=ident,
            inventory=FLEET_INVENTORY,
            limit="web01.fleet.test",
        )

    applied = apply("apply")
    assert (applied.status, applied.rc) == ("successful", 0), applied.stdout
    # One change: the revoke request of the issued order; the order issued since the review is left alone.
    assert [entry["order_id"] for entry in simulator.audit_log(since)] == [fleet["issued_web01"]]
    assert simulator.order_status(fleet["pending_web01"]) == "issued"
    outcomes = {row["order_id"]: row["outcome"] for row in latest_report(applied)["orders"]}
    assert outcomes == {fleet["pending_web01"]: "changed_since_review", fleet["issued_web01"]: "revoke_requested"}

    again = apply("again")
    assert (again.status, again.rc) == ("successful", 0), again.stdout
    assert len(simulator.audit_log(since)) == 1
    outcomes = {row["order_id"]: row["outcome"] for row in latest_report(again)["orders"]}
    assert outcomes == {fleet["pending_web01"]: "changed_since_review", fleet["issued_web01"]: "revoke_already_requested"}
