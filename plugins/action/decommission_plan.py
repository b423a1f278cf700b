# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of certops.digicert.decommission_plan: the names being retired and the plan of a decommissioning.

Runs in the controller's process. The names come from the play's hosts (their inventory names, or their host
variable decommission_names) and the names given; the plan from module_utils/_certcentral/decommission.py.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.decommission import plan, retired_names

# The host variable that gives a host's names when they are not (only) its inventory name.
HOST_NAMES_VARIABLE = "decommission_names"

ARGUMENT_SPEC = dict(
    play_hosts=dict(type="list", elements="str", default=[]),
    hosts=dict(type="raw"),
    orders=dict(type="list", elements="dict"),
    revoke_issued=dict(type="bool", default=False),
    max_cancellations=dict(type="int", default=50),
    max_revocations=dict(type="int", default=50),
)


def _names_of_hosts(play_hosts, hostvars):
    names = {}
    for host in play_hosts:
        variables = hostvars.get(host) if hostvars is not None else None
        if variables is not None and HOST_NAMES_VARIABLE in variables:
            names[host] = variables[HOST_NAMES_VARIABLE]
    return names


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        hosts = params["hosts"]
        if hosts is not None and not isinstance(hosts, (str, list)):
            raise AnsibleActionFail(
                f"Nothing was read or changed. decommission_hosts must be a list of host names, or text with commas, got {type(hosts).__name__}."
            )
        for name in ("max_cancellations", "max_revocations"):
            if params[name] < 0:
                raise AnsibleActionFail(f"Nothing was read or changed. decommission_{name} must be 0 or more, got {params[name]}.")
        hostvars = (task_vars or {}).get("hostvars")
        names, problems = retired_names(params["play_hosts"], _names_of_hosts(params["play_hosts"], hostvars), hosts)
        if problems:
            raise AnsibleActionFail(f"Nothing was read or changed. {' '.join(problems)}")
        if not names:
            raise AnsibleActionFail(
                "Nothing was read or changed: no host to retire. Run the role over the hosts being retired (an "
                "inventory group or a limit), or give decommission_hosts, for example "
                '-e \'{"decommission_hosts": ["web01.example.com"]}\'.'
            )
        result.update(changed=False, names=names)
        if params["orders"] is not None:
            result["plan"] = plan(params["orders"], names, params["revoke_issued"], params["max_cancellations"], params["max_revocations"])
        return result
