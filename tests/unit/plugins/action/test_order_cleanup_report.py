# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.certops.digicert.plugins.action.order_cleanup_report import ActionModule
from ansible_collections.certops.digicert.tests.unit.plugins.action.utils import run_as_task

GENERATED_AT = "2026-03-04T05:06:07Z"
BASENAME = "order-cleanup-20260304T050607Z-apply"
EXTENSIONS = ("csv", "html", "json", "md")
REPORT_NAMES = sorted([BASENAME + "." + extension for extension in EXTENSIONS] + ["order-cleanup-latest." + extension for extension in EXTENSIONS])


def role_options(report_dir, **overrides):
    """The options as the role passes them: an applied run of two orders, one canceled, one excluded."""
    options = dict(
        mode="apply",
        report_dir=str(report_dir),
        found_orders=[
            dict(
                id=1, status="pending", common_name='a, "b"', product_name_id="ssl_basic", container_id=7, date_created="2026-01-02T03:04:05+00:00", age_days=40
            ),
            dict(
                id=2, status="pending", common_name="kept", product_name_id="ssl_basic", container_id=7, date_created="2026-01-02T03:04:05+00:00", age_days=40
            ),
        ],
        batches=[
            dict(
                number=1,
                order_ids=[1],
                failed=False,
                message=None,
                summary=dict(canceled=1),
                changes=1,
                orders=[
                    dict(id=1, status_before="pending", status="canceled", outcome="canceled", message="Order 1 was canceled.", refund_hint="Ask for a refund.")
                ],
            )
        ],
        selection=dict(statuses=["pending"], older_than_days=30, product_name_ids=[], container_ids=[], exclude_order_ids=[2]),
        note="CHG-1",
        max_cancellations=50,
        batch_size=100,
        api_url="https://certcentral.test/services/v2",
        generated_at=GENERATED_AT,
    )
    options.update(overrides)
    return options


def run_action(options, check_mode=False):
    return run_as_task(ActionModule, "order_cleanup_report", options, check_mode=check_mode)


@pytest.mark.parametrize("check_mode", [False, True])
def test_the_report_files_and_latest_links_are_written_and_nothing_is_changed(tmp_path, check_mode):
    result = run_action(role_options(tmp_path), check_mode=check_mode)

    assert result["changed"] is False
    assert not result.get("failed")
    assert sorted(os.listdir(tmp_path)) == REPORT_NAMES
    assert result["report_files"] == dict((extension, str(tmp_path / (f"{BASENAME}.{extension}"))) for extension in EXTENSIONS)
    for extension, path in result["report_files"].items():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        link = tmp_path / (f"order-cleanup-latest.{extension}")
        assert os.readlink(link) == os.path.basename(path)

    document = json.loads((tmp_path / "order-cleanup-latest.json").read_text())
    assert document["mode"] == "apply"
    assert document["orders"] == result["rows"]
    assert document["summary"] == result["summary"]
    assert [(row["order_id"], row["outcome"], row["result"]) for row in result["rows"]] == [(1, "canceled", "changed"), (2, "excluded", "skipped")]
    assert result["summary"]["refund_requests"] == [1]
    assert (tmp_path / "order-cleanup-latest.csv").read_text().splitlines()[1].startswith('"1","a, ""b""","","ssl_basic",')
    assert "| Changed | 1 |" in (tmp_path / "order-cleanup-latest.md").read_text()


def test_a_later_run_replaces_the_links_and_keeps_the_earlier_files(tmp_path):
    run_action(role_options(tmp_path, mode="report", generated_at="2026-03-04T05:00:00Z"))
    # A regular file where a link belongs (a copy someone made) is replaced as well.
    (tmp_path / "order-cleanup-latest.md").unlink()
    (tmp_path / "order-cleanup-latest.md").write_text("stale copy")

    run_action(role_options(tmp_path))

    names = sorted(os.listdir(tmp_path))
    assert names == sorted(REPORT_NAMES + [f"order-cleanup-20260304T050000Z-report.{extension}" for extension in EXTENSIONS])
    for extension in EXTENSIONS:
        assert os.readlink(tmp_path / (f"order-cleanup-latest.{extension}")) == f"{BASENAME}.{extension}"


def test_the_report_time_defaults_to_now(tmp_path):
    options = role_options(tmp_path)
    del options["generated_at"]
    result = run_action(options)
    name = os.path.basename(result["report_files"]["md"])
    assert name.startswith("order-cleanup-2") and name.endswith("Z-apply.md")
    generated_at = json.loads((tmp_path / "order-cleanup-latest.json").read_text())["generated_at"]
    assert name == f"order-cleanup-{generated_at.replace('-', '').replace(':', '')}-apply.md"


def test_a_missing_report_directory_is_created(tmp_path):
    report_dir = tmp_path / "reports" / "cleanup"
    run_action(role_options(report_dir))
    assert sorted(os.listdir(report_dir)) == REPORT_NAMES


def test_the_selection_is_reported_in_its_own_order_with_defaults(tmp_path):
    run_action(role_options(tmp_path, selection=dict(exclude_order_ids=[2], older_than_days=30, statuses=["pending"])))
    selection = json.loads((tmp_path / "order-cleanup-latest.json").read_text())["selection"]
    assert list(selection.items()) == [
        ("statuses", ["pending"]),
        ("older_than_days", 30),
        ("product_name_ids", []),
        ("container_ids", []),
        ("exclude_order_ids", [2]),
    ]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (dict(mode="dry"), "value of mode must be one of: report, check, apply, got: dry"),
        (dict(found_orders=[dict(status="pending")]), r"found_orders\[0\] has no integer id, got None"),
        (dict(batches=[dict(order_ids=[1])]), "missing required arguments: number found in batches"),
        (dict(batches=[dict(number=1, order_ids=[1], orders=[dict(id=1, status="canceled")])]), r"the entry 0 of batch 1 \(order 1\) has no outcome"),
        (dict(selection=dict(statuses=["pending"])), "missing required arguments: older_than_days found in selection"),
        (dict(generated_at="2026-03-04 05:06:07"), "generated_at must be a UTC time written as YYYY-MM-DDTHH:MM:SSZ"),
        (dict(max_cancellations=-1), "max_cancellations must be 0 or more, got -1"),
        (dict(batch_size=0), "batch_size must be 1 or more, got 0"),
    ],
)
def test_bad_options_fail_clearly_and_write_nothing(tmp_path, overrides, message):
    with pytest.raises(AnsibleActionFail, match=message) as failure:
        run_action(role_options(tmp_path, **overrides))
    assert "SECRET-KEY" not in str(failure.value)
    assert os.listdir(tmp_path) == []


def test_the_role_data_is_required(tmp_path):
    options = role_options(tmp_path)
    del options["found_orders"]
    with pytest.raises(AnsibleActionFail, match="report=order_cleanup needs found_orders unless prepare_only=true"):
        run_action(options)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_prepare_only_creates_the_directory_and_writes_no_report(tmp_path, check_mode):
    report_dir = tmp_path / "reports" / "cleanup"
    result = run_action({"report_dir": str(report_dir), "prepare_only": True}, check_mode=check_mode)
    assert result["changed"] is False
    assert result["report_dir"] == str(report_dir)
    assert os.listdir(report_dir) == []
    assert "rows" not in result


@pytest.mark.parametrize("report_dir, kind", [(["reports"], "list"), ({"path": "reports"}, "dict"), (7, "int")])
def test_a_report_dir_that_is_not_text_is_refused_before_anything_is_created(tmp_path, monkeypatch, report_dir, kind):
    # Ansible's type path would make ['reports'] a directory of that name beside the playbook.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnsibleActionFail, match=f"report_dir must be the path of a directory, written as text, got {kind}"):
        run_action({"report_dir": report_dir, "prepare_only": True})
    assert os.listdir(tmp_path) == []


def test_prepare_only_refuses_a_directory_that_cannot_hold_the_report(tmp_path):
    not_a_directory = tmp_path / "reports"
    not_a_directory.write_text("a file")
    with pytest.raises(AnsibleActionFail, match=f"{not_a_directory} cannot hold the report: "):
        run_action({"report_dir": str(not_a_directory), "prepare_only": True})
    assert not_a_directory.read_text() == "a file"


def test_an_empty_report_directory_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AnsibleActionFail, match="report_dir is empty"):
        run_action(role_options(""))
    assert os.listdir(tmp_path) == []


def test_a_report_directory_that_cannot_be_written_fails_clearly(tmp_path):
    not_a_directory = tmp_path / "reports"
    not_a_directory.write_text("a file")
    with pytest.raises(AnsibleActionFail, match=f"The report could not be written to {not_a_directory}: "):
        run_action(role_options(not_a_directory))


def test_a_failed_write_leaves_no_temporary_file(tmp_path):
    # A directory where a report file belongs makes its rename fail after the temporary file was written.
    (tmp_path / (BASENAME + ".csv")).mkdir()
    with pytest.raises(AnsibleActionFail, match="could not be written"):
        run_action(role_options(tmp_path))
    assert sorted(os.listdir(tmp_path)) == [BASENAME + ".csv", BASENAME + ".json"]


def test_a_new_report_directory_is_for_its_owner_only(tmp_path):
    report_dir = tmp_path / "new" / "reports"
    run_action(role_options(report_dir))
    assert stat.S_IMODE(os.stat(report_dir).st_mode) == 0o700


@pytest.mark.parametrize("existing_mode", [0o700, 0o750, 0o755])
def test_an_existing_report_directory_keeps_its_mode(tmp_path, existing_mode):
    report_dir = tmp_path / "reports"
    report_dir.mkdir()
    os.chmod(report_dir, existing_mode)
    run_action(role_options(report_dir))
    run_action({"report_dir": str(report_dir), "prepare_only": True})
    assert stat.S_IMODE(os.stat(report_dir).st_mode) == existing_mode


def test_report_files_follow_a_stricter_umask(tmp_path):
    previous = os.umask(0o277)
    try:
        result = run_action(role_options(tmp_path))
    finally:
        os.umask(previous)
    assert {stat.S_IMODE(os.stat(path).st_mode) for path in result["report_files"].values()} == {0o400}


def test_the_decommission_report_is_written_with_its_own_names(tmp_path):
    plan_entry = dict(
        order=dict(id=5, status="expired", common_name="web01.example.com", dns_names=[]),
        decision="nothing_to_do",
        reason="Order 5 has expired.",
        covered_hosts=["web01.example.com"],
    )
    the_plan = dict(
        orders=[plan_entry], hosts=["web01.example.com"], hosts_without_orders=[], limit_problems=[], over_limit=False, cancellations=0, revocations=0
    )
    result = run_action(
        dict(
            report="decommission",
            report_dir=str(tmp_path),
            mode="report",
            plan=the_plan,
            max_cancellations=5,
            max_revocations=5,
            api_url="https://certcentral.test",
            generated_at=GENERATED_AT,
        )
    )
    assert sorted(os.listdir(tmp_path)) == sorted(
        [f"decommission-20260304T050607Z-report.{extension}" for extension in EXTENSIONS] + [f"decommission-latest.{extension}" for extension in EXTENSIONS]
    )
    document = json.loads((tmp_path / "decommission-latest.json").read_text())
    assert document["report"] == "certops.digicert.decommission"
    assert [row["outcome"] for row in document["orders"]] == ["nothing_to_do"]
    assert result["messages"][0] == "Report only, nothing was changed: 1 orders cover 1 hosts."


def test_the_order_report_is_written_with_its_own_names(tmp_path):
    result = run_action(
        dict(
            report="order_report",
            report_dir=str(tmp_path),
            api_url="https://certcentral.test",
            found_orders=[dict(id=1, status="pending", common_name="a.example.com", cancel_verdict=dict(cancelable=True, action="cancel", reason="r"))],
            filters=dict(statuses=["pending"]),
            generated_at=GENERATED_AT,
        )
    )
    assert sorted(os.listdir(tmp_path)) == sorted(
        [f"order-report-20260304T050607Z.{extension}" for extension in EXTENSIONS] + [f"order-report-latest.{extension}" for extension in EXTENSIONS]
    )
    assert result["summary"]["verdicts"] == {"cancel": 1}
    assert result["messages"][0] == "1 orders. By verdict: 1 cancel."


@pytest.mark.parametrize(
    "report, missing", [("decommission", "mode, plan, max_cancellations, max_revocations, api_url"), ("order_report", "found_orders, filters, api_url")]
)
def test_each_report_names_the_options_it_needs(tmp_path, report, missing):
    with pytest.raises(AnsibleActionFail, match=f"report={report} needs {missing} unless prepare_only=true"):
        run_action(dict(report=report, report_dir=str(tmp_path)))
    assert os.listdir(tmp_path) == []


def test_a_report_only_run_writes_a_signed_plan_of_the_orders_it_would_change_and_never_the_key(tmp_path):
    key = "SECRET-KEY-0123456789abcdef"
    options = role_options(
        tmp_path,
        mode="report",
        api_key=key,
        batches=[
            dict(
                number=1,
                order_ids=[1],
                failed=False,
                message=None,
                summary={},
                changes=0,
                orders=[dict(id=1, status_before="pending", status="pending", outcome="would_cancel", message="Would.")],
            )
        ],
    )
    result = run_action(options)
    basename = "order-cleanup-20260304T050607Z-report"
    plan_file = str(tmp_path / (basename + ".plan.json"))
    assert result["plan_file"] == result["report_files"]["plan"] == plan_file
    assert os.readlink(tmp_path / "order-cleanup-latest.plan.json") == basename + ".plan.json"
    with open(plan_file, encoding="utf-8") as handle:
        document = json.load(handle)
    assert document == result["plan"]
    assert [(order["id"], order["change"], order["entry"]["common_name"]) for order in document["orders"]] == [(1, "would_cancel", 'a, "b"')]
    assert document["selection"]["exclude_order_ids"] == [2]
    for name in os.listdir(tmp_path):
        assert key not in (tmp_path / name).read_text()
    assert key not in json.dumps(result)
    assert json.loads((tmp_path / (basename + ".json")).read_text())["plan"]["file"] == plan_file


@pytest.mark.parametrize("overrides", [dict(mode="report"), dict(mode="apply", api_key="SECRET-KEY-0123456789abcdef")])
def test_no_plan_without_a_key_or_outside_report_mode(tmp_path, overrides):
    result = run_action(role_options(tmp_path, **overrides))
    assert result["plan_file"] is None and result["plan"] is None
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".plan.json")]


def _decommission_options(tmp_path, **overrides):
    def plan_entry(order_id, status, decision):
        return dict(
            order=dict(id=order_id, status=status, common_name="web01.example.com", dns_names=[]),
            decision=decision,
            reason="Because.",
            covered_hosts=["web01.example.com"],
        )

    options = dict(
        report="decommission",
        report_dir=str(tmp_path),
        mode="report",
        max_cancellations=5,
        max_revocations=5,
        api_url="https://certcentral.test",
        generated_at=GENERATED_AT,
        revoke_issued=True,
        api_key="SECRET-KEY-0123456789abcdef",
        plan=dict(
            orders=[plan_entry(5, "pending", "cancel"), plan_entry(6, "issued", "revoke"), plan_entry(7, "expired", "nothing_to_do")],
            hosts=["web01.example.com"],
            hosts_without_orders=[],
            limit_problems=[],
            over_limit=False,
            cancellations=1,
            revocations=1,
        ),
        cancel_result=dict(orders=[dict(id=5, status_before="pending", status="pending", outcome="would_cancel", message="Would cancel.")]),
        revoke_result=dict(orders=[dict(id=6, status_before="issued", status="issued", outcome="would_revoke", message="Would revoke.")]),
    )
    options.update(overrides)
    return options


def test_a_report_only_decommissioning_writes_a_plan_of_its_cancellations_and_revocations(tmp_path):
    result = run_action(_decommission_options(tmp_path))
    plan_file = str(tmp_path / "decommission-20260304T050607Z-report.plan.json")
    assert result["plan_file"] == plan_file
    assert os.readlink(tmp_path / "decommission-latest.plan.json") == os.path.basename(plan_file)
    document = json.loads((tmp_path / "decommission-latest.plan.json").read_text())
    assert document["role"] == "decommission"
    assert [(order["id"], order["change"]) for order in document["orders"]] == [(5, "would_cancel"), (6, "would_revoke")]
    assert document["selection"] == dict(hosts=["web01.example.com"], revoke_issued=True, skip_approval=False)
    assert f"decommission_plan_file={plan_file}" in result["messages"][-1]
    for name in os.listdir(tmp_path):
        assert "SECRET-KEY" not in (tmp_path / name).read_text()


def test_an_applied_decommissioning_plan_reports_the_orders_that_changed_since_the_review(tmp_path):
    document = run_action(_decommission_options(tmp_path / "review"))["plan"]
    result = run_action(
        _decommission_options(
            tmp_path / "apply",
            mode="apply",
            api_key=None,
            reviewed_plan=document,
            reviewed_plan_file="p.json",
            cancel_result=dict(
                orders=[dict(id=5, status_before="pending", status="issued", outcome="not_cancelable", message="Order 5 changed since it was listed.")]
            ),
            revoke_result=dict(orders=[dict(id=6, status_before="issued", status="revoked", outcome="revoked", message="Revoked.")]),
        )
    )
    outcomes = {row["order_id"]: (row["outcome"], row["result"]) for row in result["rows"]}
    assert outcomes == {5: ("changed_since_review", "skipped"), 6: ("revoked", "changed"), 7: ("nothing_to_do", "skipped")}
    assert result["plan_file"] is None
    assert result["messages"][-1] == ("Reviewed plan applied: p.json; orders changed since the review, left alone: 1.")
    report = json.loads((tmp_path / "apply" / "decommission-latest.json").read_text())
    assert report["plan"]["applied"] is True and report["plan"]["orders"] == 2
