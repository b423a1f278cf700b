# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime
import json

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.certops.digicert.plugins.action.reviewed_plan import ActionModule
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import review_plan
from ansible_collections.certops.digicert.tests.unit.plugins.action.utils import run_as_task

API_KEY = "SECRET-KEY-0123456789abcdef"
API_URL = "https://certcentral.test/services/v2"


def a_plan(hours_ago=1, **overrides):
    arguments = dict(
        role="order_cleanup",
        api_url=API_URL,
        created_at=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=hours_ago),
        selection=dict(statuses=["pending"], older_than_days=30, product_name_ids=[], container_ids=[], exclude_order_ids=[]),
        orders=[dict(id=7, change="would_cancel", entry=dict(id=7, status="pending"))],
        api_key=API_KEY,
    )
    arguments.update(overrides)
    return review_plan.make_plan(**arguments)


def run_action(**options):
    arguments = dict(role="order_cleanup", api_url=API_URL, api_key=API_KEY)
    arguments.update(options)
    return run_as_task(ActionModule, "reviewed_plan", arguments)


def test_a_plan_file_is_verified_and_its_entries_returned(tmp_path):
    path = tmp_path / "p.plan.json"
    path.write_text(review_plan.plan_text(a_plan()))
    result = run_action(path=str(path))
    assert result["changed"] is False
    assert result["orders"] == [dict(id=7, status="pending", reviewed_change=dict(outcome="would_cancel", request_id=None))]
    assert result["plan_file"] == str(path)


@pytest.mark.parametrize("content", [dict, json.dumps])
def test_the_plan_may_come_as_content_as_an_awx_artifact_carries_it(content):
    result = run_action(content=content(a_plan()))
    assert result["orders"] == [dict(id=7, status="pending", reviewed_change=dict(outcome="would_cancel", request_id=None))]
    assert result["plan_file"] == "(order_cleanup_plan_content)"


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(), "Give exactly one of order_cleanup_plan .a file. and order_cleanup_plan_content"),
        (dict(path="/nonexistent/p.json"), "The plan /nonexistent/p.json cannot be read: No such file"),
        (dict(content=a_plan(hours_ago=73)), "hours ago, more than order_cleanup_plan_max_age_hours=72 allows"),
        (dict(content=a_plan(), max_age_hours=0), "order_cleanup_plan_max_age_hours must be 1 or more"),
        (dict(content=a_plan(), api_key="OTHER"), "altered after it was written, or written with another API key"),
        (dict(content=a_plan(), api_key=""), "set order_cleanup_api_key"),
        (dict(content=a_plan(), api_url="https://elsewhere.test"), f"made for CertCentral at {API_URL}, not https://elsewhere"),
        (dict(content=a_plan(role="decommission")), "made by the role decommission, not order_cleanup"),
        (dict(content=42), "order_cleanup_plan_content must be the plan, as a dict or its JSON text, got int"),
    ],
)
def test_a_plan_that_may_not_be_applied_fails_before_any_request(options, message):
    with pytest.raises(AnsibleActionFail, match="Nothing was read or changed. .*" + message) as failure:
        run_action(**options)
    assert API_KEY not in str(failure.value)
