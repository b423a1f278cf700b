# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The clean-up job template run the way AWX runs it: ansible-runner on a private data directory laid out from
awx/project/, with the survey of awx/job_template_order_cleanup.yml and a credential of the type in
awx/credential_type.yml, against the CertCentral simulator. Each test checks the job's status, the simulator's
true state and audit log, and the report; and that the API key appears in nothing the job left behind."""

from __future__ import annotations

import datetime
import json
import os

import pytest

from awx_job import inject_credential, job_artifacts, launch_extra_vars, run_job, survey_form_answers
from awx_repo import AWX_DIR
from certcentral_sim.generator import DEMO_ORDERS_KEY, DEMO_VIEW_ONLY_KEY

ABANDONED_AFTER_DAYS = 30


def abandoned_order_ids(simulator, statuses=("pending", "waiting_pickup"), older_than_days=ABANDONED_AFTER_DAYS):
    """The orders the clean-up must find, from the simulator's true state rather than from the API."""
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=older_than_days)
    return sorted(order["id"] for status in statuses for order in simulator.orders(status) if datetime.datetime.fromisoformat(order["date_created"]) < cutoff)


@pytest.fixture
def launch(tmp_path, simulator, installed_collections, job_template, credential_type):
    """Launch the job template with survey answers; the credential holds the simulator's URL and the key of the
    demo account's automation user (or ``api_key``). ``inject`` chooses which injectors reach the job."""

    def launch_job(answers: dict, inject=("env", "extra_vars"), ident="job", from_schedule=False, api_key=DEMO_ORDERS_KEY):
        env, extra_vars = inject_credential(credential_type, {"api_key": api_key, "api_url": simulator.base_url})
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("DIGICERT_")}
        inherited["XDG_CACHE_HOME"] = str(tmp_path / "cache")
        result = run_job(
            str(tmp_path / ident),
            project_dir=os.path.join(AWX_DIR, "project"),
            collections_dir=installed_collections,
            playbook=job_template["playbook"],
            extra_vars=launch_extra_vars(job_template, answers if from_schedule else survey_form_answers(job_template, answers)),
            credential_env=env if "env" in inject else {},
            credential_extra_vars=extra_vars if "extra_vars" in inject else {},
            inherited_env=inherited,
            ident=ident,
        )
        leaked = [path for path in result.files_written_by_the_job() if api_key.encode() in _read_bytes(path)]
        assert not leaked, f"the API key was written to {leaked}"
        return result

    return launch_job


def _read_bytes(path: str) -> bytes:
    if os.path.islink(path) and not os.path.exists(path):
        return b""
    with open(path, "rb") as handle:
        return handle.read()


def latest_report(result) -> dict:
    with open(os.path.join(result.private_data_dir, "project", "order-cleanup-reports", "order-cleanup-latest.json"), encoding="utf-8") as handle:
        return json.load(handle)


def ids_with_result(report: dict, result: str) -> list[int]:
    return sorted(row["order_id"] for row in report["orders"] if row["result"] == result)


def test_survey_defaults_report_and_change_nothing(simulator, launch):
    expected = abandoned_order_ids(simulator)
    assert expected, "the demo account has abandoned orders"

    result = launch({})

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    assert simulator.audit_log() == []
    report = latest_report(result)
    assert report["mode"] == "report"
    assert report["selection"]["statuses"] == ["pending", "waiting_pickup"]
    assert report["selection"]["older_than_days"] == ABANDONED_AFTER_DAYS
    assert report["api_url"] == simulator.base_url
    assert ids_with_result(report, "would_change") == expected
    assert report["summary"]["results"]["changed"] == 0
    assert "Report only, nothing was changed" in result.stdout


def test_applied_run_cancels_exactly_the_abandoned_orders_and_a_rerun_changes_nothing(simulator, launch, job_template):
    expected = abandoned_order_ids(simulator)
    answers = {"order_cleanup_apply": "true", "order_cleanup_max_cancellations": len(expected), "order_cleanup_note": "CHG-4711 abandoned orders"}

    result = launch(answers)

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    audit = simulator.audit_log()
    assert sorted(entry["order_id"] for entry in audit) == expected
    assert {(entry["action"], entry["to_status"], entry["role"], entry["note"]) for entry in audit} == {
        ("cancel", "canceled", "orders", "CHG-4711 abandoned orders")
    }
    assert all(simulator.order_status(order_id) == "canceled" for order_id in expected)
    report = latest_report(result)
    assert report["mode"] == "apply"
    assert ids_with_result(report, "changed") == expected
    assert report["summary"]["results"]["failed"] == 0

    rerun = launch(answers, ident="rerun")

    assert (rerun.status, rerun.rc) == ("successful", 0), rerun.stdout
    assert len(simulator.audit_log()) == len(expected)
    assert latest_report(rerun)["summary"]["found"] == 0
    changed_tasks = [event for event in rerun.events() if event["event"] == "runner_on_ok" and event["event_data"]["res"].get("changed")]
    assert changed_tasks == []


def test_limit_below_the_due_orders_stops_before_any_change(simulator, launch):
    due = len(abandoned_order_ids(simulator))
    result = launch({"order_cleanup_apply": "true", "order_cleanup_max_cancellations": 10})

    assert (result.status, result.rc) == ("failed", 2)
    assert simulator.audit_log() == []
    assert f"Nothing was canceled: {due} of the" in result.stdout
    assert "order_cleanup_max_cancellations=10 allows" in result.stdout


def test_schedule_answers_of_the_monthly_clean_up_are_what_the_role_applies(simulator, launch, job_template_file):
    schedule = next(item for item in job_template_file["schedules"] if item["extra_data"]["order_cleanup_apply"] == "true")
    answers = dict(schedule["extra_data"], order_cleanup_max_cancellations=1000)
    expected = abandoned_order_ids(simulator, older_than_days=answers["order_cleanup_older_than_days"])

    result = launch(answers, from_schedule=True)

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    assert sorted(entry["order_id"] for entry in simulator.audit_log()) == expected
    assert latest_report(result)["note"] == schedule["extra_data"]["order_cleanup_note"]


@pytest.mark.parametrize("inject", [("extra_vars",), ("env",)], ids=["extra-vars-only", "env-only"])
def test_the_key_reaches_the_role_through_either_injector_alone(simulator, launch, inject):
    """Environment variables do not reach modules that run on other hosts, and extra vars are what the role
    reads first; either injector alone must be enough for the controller-side role."""
    result = launch({}, inject=inject)

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    assert ids_with_result(latest_report(result), "would_change") == abandoned_order_ids(simulator)


def test_the_counts_and_report_files_are_the_jobs_artifacts(simulator, launch):
    expected = abandoned_order_ids(simulator)
    result = launch({"order_cleanup_apply": "true", "order_cleanup_max_cancellations": len(expected), "order_cleanup_note": "CHG-4712 abandoned orders"})

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    artifacts = job_artifacts(result)["order_cleanup"]
    report = latest_report(result)
    assert artifacts["mode"] == "apply"
    # Numbers, not text, so that a workflow condition can compare them.
    assert (artifacts["found"], artifacts["changed"], artifacts["would_change"], artifacts["failed"]) == (len(expected), len(expected), 0, 0)
    assert artifacts["outcomes"] == {"canceled": len(expected)} == report["summary"]["outcomes"]
    assert artifacts["refund_requests"] == report["summary"]["refund_requests"]
    assert artifacts["apply_refusal"] is None
    with open(artifacts["report_files"]["json"], encoding="utf-8") as handle:
        assert json.load(handle) == report


def test_a_view_only_key_reports_cleanly_and_says_once_that_applying_needs_another_key(simulator, launch):
    expected = abandoned_order_ids(simulator)
    result = launch({}, api_key=DEMO_VIEW_ONLY_KEY)

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    assert simulator.audit_log() == []
    assert "fatal:" not in result.stdout and "FAILED" not in result.stdout, result.stdout
    assert result.stdout.count("an API key that may change orders") == 1, result.stdout
    report = latest_report(result)
    assert ids_with_result(report, "would_change") == expected
    assert report["summary"]["failed_batches"] == [] and all(not batch["failed"] for batch in report["batches"])
    with open(job_artifacts(result)["order_cleanup"]["report_files"]["md"], encoding="utf-8") as handle:
        assert "Batches that failed" not in handle.read()
    assert "View Only" in job_artifacts(result)["order_cleanup"]["apply_refusal"]


def test_a_view_only_key_still_fails_an_applied_run_before_any_change(simulator, launch):
    due = len(abandoned_order_ids(simulator))
    result = launch({"order_cleanup_apply": "true", "order_cleanup_max_cancellations": due}, api_key=DEMO_VIEW_ONLY_KEY)

    assert (result.status, result.rc) == ("failed", 2)
    assert simulator.audit_log() == []
    assert latest_report(result)["summary"]["results"]["failed"] == due


# ---------------------------------------------------------------- the order report


def test_the_order_report_returns_its_counts_and_report_files_as_artifacts(simulator, tmp_path, installed_collections, credential_type):
    # A report job template's project: a playbook that imports the collection's, as awx/project/ does for the others.
    project = tmp_path / "report-project"
    project.mkdir()
    (project / "order_report.yml").write_text(
        "---\n- name: Inventory of DigiCert CertCentral orders\n  ansible.builtin.import_playbook: certops.digicert.order_report\n"
    )
    env, extra_vars = inject_credential(credential_type, {"api_key": DEMO_VIEW_ONLY_KEY, "api_url": simulator.base_url})
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("DIGICERT_")}
    inherited["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    result = run_job(
        str(tmp_path / "report-job"),
        project_dir=str(project),
        collections_dir=installed_collections,
        playbook="order_report.yml",
        extra_vars={"order_report_statuses": "pending,waiting_pickup"},
        credential_env=env,
        credential_extra_vars=extra_vars,
        inherited_env=inherited,
        ident="report",
    )

    assert (result.status, result.rc) == ("successful", 0), result.stdout
    stats = job_artifacts(result)["order_report"]
    with open(stats["report_files"]["json"], encoding="utf-8") as handle:
        report = json.load(handle)
    listed = len(simulator.orders("pending")) + len(simulator.orders("waiting_pickup"))
    # Numbers, not text, so that a workflow condition can compare them; the same as the report's summary.
    assert stats["orders"] == report["summary"]["orders"] == listed > 0
    assert stats["statuses"] == report["summary"]["statuses"]
    assert stats["verdicts"] == report["summary"]["verdicts"]
    assert sum(stats["verdicts"].values()) == listed
    assert (stats["actionable"], stats["oldest_actionable"], stats["refund_hints"]) == (
        report["summary"]["actionable"],
        report["summary"]["oldest_actionable"],
        report["summary"]["refund_hints"],
    )
    assert set(stats["report_files"]) >= {"json", "csv", "md", "html"}
