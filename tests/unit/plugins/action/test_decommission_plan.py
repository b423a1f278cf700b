# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.playbook.play_context import PlayContext

from ansible_collections.certops.digicert.plugins.action.decommission_plan import ActionModule
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import cancel_verdict


def run_action(options, hostvars=None):
    task = MagicMock()
    task.action = "certops.digicert.decommission_plan"
    task.args = options
    task.async_val = 0
    task.check_mode = False
    action = ActionModule(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    action._load_name = "certops.digicert.decommission_plan"
    return action.run(task_vars={"hostvars": hostvars or {}})


def listed(order_id, common_name, status="pending", dns_names=()):
    order = dict(id=order_id, status=status, common_name=common_name, dns_names=list(dns_names), product_name_id="ssl_basic")
    order["cancel_verdict"] = cancel_verdict(order)
    return order


def test_the_names_are_the_play_hosts_by_their_names_and_the_given_ones():
    result = run_action(
        dict(play_hosts=["localhost", "web01.example.com", "old-db"], hosts="web09.example.com"),
        hostvars={"old-db": {"decommission_names": ["db1.example.com"]}, "web01.example.com": {}},
    )
    assert result["names"] == ["web01.example.com", "db1.example.com", "web09.example.com"]
    assert "plan" not in result
    assert result["changed"] is False


def test_with_orders_the_plan_comes_back():
    result = run_action(
        dict(
            hosts=["web01.example.com"],
            revoke_issued=True,
            max_revocations=0,
            orders=[listed(1, "web01.example.com"), listed(2, "web01.example.com", "issued"), listed(3, "other.example.com")],
        )
    )
    the_plan = result["plan"]
    assert [entry["decision"] for entry in the_plan["orders"]] == ["cancel", "revoke"]
    assert the_plan["over_limit"] is True
    assert the_plan["limit_problems"] == ["1 orders would be revoked, more than decommission_max_revocations=0 allows."]


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(hosts=["*.example.com"]), r"'\*.example.com' \(from decommission_hosts\) is not the name of a host"),
        (dict(play_hosts=["bad host"]), r"'bad host' \(from host bad host\)"),
        (dict(hosts={"web01": 1}), "decommission_hosts must be a list of host names"),
        (dict(), "no host to retire"),
        (dict(play_hosts=["localhost"]), "no host to retire"),
        (dict(hosts=["a.example.com"], max_cancellations=-1), "decommission_max_cancellations must be 0 or more"),
    ],
)
def test_bad_names_and_limits_fail_before_any_request(options, message):
    with pytest.raises(AnsibleActionFail, match=message) as failure:
        run_action(options)
    assert str(failure.value).startswith("Nothing was read or changed")
