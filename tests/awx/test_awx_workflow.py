# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reviewed clean-up workflow of awx/workflow_order_cleanup_reviewed.yml, run node by node as the controller
runs it, against the simulator: the report job, then (once a person approved) the apply job with the report job's
artifacts as extra vars. Each job runs in a private data directory of its own, as in separate execution
environments: the plan reaches the apply job only through the artifacts.

What the controller does between the nodes is from AWX's WorkflowJobNode.get_job_kwargs: the node's extra_data are
answers to the job template's survey; the artifacts of every ancestor job (carried through the approval node)
are added to the extra vars and win over them."""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import os
import sys

import pytest

from awx_job import job_artifacts, run_workflow_node
from awx_repo import AWX_DIR, load_yaml
from certcentral_sim.generator import DEMO_ORDERS_KEY
from test_awx_runner import abandoned_order_ids


@pytest.fixture(scope="session")
def review_plan(installed_collections):
    """The installed collection's plan functions, to sign a plan as an older run would have."""
    if installed_collections not in sys.path:
        sys.path.insert(0, installed_collections)
    return importlib.import_module("ansible_collections.certops.digicert.plugins.module_utils._certcentral.review_plan")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return load_yaml("awx", "workflow_order_cleanup_reviewed.yml")["workflow_job_template"]


def node(workflow: dict, identifier: str) -> dict:
    return next(item for item in workflow["workflow_nodes"] if item["identifier"] == identifier)


@pytest.fixture
def run_node(tmp_path, simulator, installed_collections, job_template, credential_type, workflow):
    """Run a job node of the workflow with the ``artifacts`` of the jobs before it."""

    def run(identifier: str, artifacts: dict | None = None, ident: str | None = None):
        workflow_node = node(workflow, identifier)
        assert workflow_node["unified_job_template"] == {"name": job_template["name"], "type": "job_template"}
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("DIGICERT_")}
        inherited["XDG_CACHE_HOME"] = str(tmp_path / "cache")
        return run_workflow_node(
            str(tmp_path / (ident or identifier)),
            job_template=job_template,
            node_extra_data=workflow_node["extra_data"],
            artifacts=artifacts or {},
            credential_type=credential_type,
            credential_inputs={"api_key": DEMO_ORDERS_KEY, "api_url": simulator.base_url},
            project_dir=os.path.join(AWX_DIR, "project"),
            collections_dir=installed_collections,
            inherited_env=inherited,
            ident=ident or identifier,
        )

    return run


def report_of(result) -> dict:
    with open(job_artifacts(result)["order_cleanup"]["report_files"]["json"], encoding="utf-8") as handle:
        return json.load(handle)


def outcome_of(report: dict) -> dict:
    return {row["order_id"]: row["outcome"] for row in report["orders"]}


def test_the_workflow_is_report_then_approval_then_apply(workflow, job_template, review_plan):
    nodes = workflow["workflow_nodes"]
    assert [item["identifier"] for item in nodes] == ["report", "approve", "apply"]
    assert node(workflow, "report")["related"]["success_nodes"] == [{"identifier": "approve"}]
    assert node(workflow, "approve")["related"]["success_nodes"] == [{"identifier": "apply"}]
    assert node(workflow, "approve")["unified_job_template"]["type"] == "workflow_approval"
    assert "related" not in node(workflow, "apply")
    assert node(workflow, "report")["extra_data"]["order_cleanup_apply"] == "false"
    assert node(workflow, "apply")["extra_data"]["order_cleanup_apply"] == "true"
    # The controller accepts a node's extra_data only for the survey's questions (the template prompts for nothing
    # else), and the approval waits no longer than the role accepts the plan.
    survey_variables = {element["variable"] for element in job_template["survey_spec"]["spec"]}
    assert not job_template["ask_variables_on_launch"]
    for identifier in ("report", "apply"):
        assert set(node(workflow, identifier)["extra_data"]) <= survey_variables
    assert node(workflow, "approve")["unified_job_template"]["timeout"] <= review_plan.DEFAULT_MAX_AGE_HOURS * 3600


def test_the_reviewed_plan_is_applied_exactly_and_only_once(simulator, run_node, review_plan):
    abandoned = abandoned_order_ids(simulator)
    assert len(abandoned) >= 3, "the demo account has abandoned orders"

    # The report job: a plan of exactly the abandoned orders, in the artifacts, and an HTML report.
    report_job = run_node("report")
    assert (report_job.status, report_job.rc) == ("successful", 0), report_job.stdout
    assert simulator.audit_log() == []
    artifacts = job_artifacts(report_job)
    plan = artifacts["order_cleanup_plan_content"]
    assert [order["id"] for order in plan["orders"]] == abandoned
    assert {order["change"] for order in plan["orders"]} == {"would_cancel"}
    assert plan["api_url"] == simulator.base_url
    files = artifacts["order_cleanup"]["report_files"]
    assert artifacts["order_cleanup"]["plan_file"] == files["plan"]
    with open(files["plan"], encoding="utf-8") as handle:
        assert json.load(handle) == plan
    with open(files["html"], encoding="utf-8") as handle:
        assert handle.read().startswith("<!DOCTYPE html>")
    assert f"Plan to review: {files['plan']}" in report_job.stdout

    # Between review and apply: one planned order is issued, and an order becomes abandoned.
    issued = abandoned[0]
    simulator.set_order(issued, status="issued")
    newly_abandoned = next(order["id"] for order in simulator.orders("pending") if order["id"] not in abandoned)
    simulator.set_order(
        newly_abandoned, date_created=(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=60)).isoformat(timespec="seconds")
    )
    assert newly_abandoned in abandoned_order_ids(simulator)
    # The two changes above are in the audit log too; from here on, it must show the apply job's and no others.
    mark = max(entry["sequence"] for entry in simulator.audit_log())

    def changes_since_the_review():
        return [entry for entry in simulator.audit_log() if entry["sequence"] > mark]

    # A tampered plan (the new order slipped in) and an expired one are refused before any request that changes.
    tampered = copy.deepcopy(artifacts)
    slipped_in = copy.deepcopy(tampered["order_cleanup_plan_content"]["orders"][-1])
    slipped_in.update(id=newly_abandoned)
    slipped_in["entry"]["id"] = newly_abandoned
    tampered["order_cleanup_plan_content"]["orders"].append(slipped_in)
    refused = run_node("apply", tampered, ident="tampered")
    assert (refused.status, refused.rc) == ("failed", 2)
    assert "was altered after it was written, or written with another API key" in refused.stdout
    assert changes_since_the_review() == []

    expired = copy.deepcopy(artifacts)
    expired["order_cleanup_plan_content"] = review_plan.make_plan(
        "order_cleanup",
        simulator.base_url,
        datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=73),
        plan["selection"],
        [dict(id=order["id"], change=order["change"], entry=order["entry"]) for order in plan["orders"]],
        DEMO_ORDERS_KEY,
    )
    refused = run_node("apply", expired, ident="expired")
    assert (refused.status, refused.rc) == ("failed", 2)
    assert "more than order_cleanup_plan_max_age_hours=72 allows" in refused.stdout
    assert changes_since_the_review() == []

    # Approved: the apply job cancels exactly the reviewed orders still pending.
    apply_job = run_node("apply", artifacts)
    assert (apply_job.status, apply_job.rc) == ("successful", 0), apply_job.stdout
    audit = changes_since_the_review()
    assert sorted(entry["order_id"] for entry in audit) == abandoned[1:]
    assert {entry["action"] for entry in audit} == {"cancel"}
    assert simulator.order_status(issued) == "issued"
    assert simulator.order_status(newly_abandoned) == "pending"
    applied = report_of(apply_job)
    assert applied["plan"]["applied"] is True and applied["plan"]["fingerprint"] == plan["fingerprint"]["value"]
    assert outcome_of(applied) == {issued: "changed_since_review", **{order_id: "canceled" for order_id in abandoned[1:]}}
    assert applied["summary"]["results"]["changed"] == len(abandoned) - 1

    # The same plan again changes nothing.
    again = run_node("apply", artifacts, ident="again")
    assert (again.status, again.rc) == ("successful", 0), again.stdout
    assert len(changes_since_the_review()) == len(abandoned) - 1
    repeated = report_of(again)
    assert outcome_of(repeated) == {issued: "changed_since_review", **{order_id: "already_canceled" for order_id in abandoned[1:]}}
    assert repeated["summary"]["results"]["changed"] == 0
    changed_tasks = [event for event in again.events() if event["event"] == "runner_on_ok" and event["event_data"]["res"].get("changed")]
    assert changed_tasks == []
