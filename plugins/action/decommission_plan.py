# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of certops.digicert.decommission_plan: the names being retired and the plan of a decommissioning.

Runs in the controller's process. The names come from the play's hosts (their inventory names, or their host
variable decommission_names) and the names given; the plan from module_utils/_certcentral/decommission.py. The orders
are the ones given (a reviewed plan's) or, with list_orders, every order of the account, listed here with the
client and progress lines as digicert_order_report lists them (action_support.py), keeping only the orders that
cover a retired name.

The API key is a connection option like in the modules. It is never put into the result, and every text that leaves
this plugin (errors, warnings, the result itself) is scrubbed of it.
"""

from __future__ import annotations

import datetime

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.action_support import (
    MISSING_REQUESTS,
    list_with_progress,
    progress_argument_spec,
    progress_interval_problem,
    run_scrubbed,
    written_type,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.decommission import covers_any, plan, retired_names
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import connection_argument_spec
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_input import listed_orders
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.selection import OrderSelection

# In a worker process, ansible-core (2.14 and later) sends what Display prints to the main process's output.
display = Display()

# The host variable that gives a host's names when they are not (only) its inventory name.
HOST_NAMES_VARIABLE = "decommission_names"


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        play_hosts=dict(type="list", elements="str", default=[]),
        hosts=dict(type="raw"),
        orders=dict(type="list", elements="dict"),
        list_orders=dict(type="bool", default=False),
        revoke_issued=dict(type="bool", default=False),
        max_cancellations=dict(type="int", default=50),
        max_revocations=dict(type="int", default=50),
    )
    spec.update(progress_argument_spec())
    return spec


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def _names_of_hosts(play_hosts, hostvars):
    names = {}
    for host in play_hosts:
        # Asked first: ansible-core's hostvars answer a host outside the inventory with an undefined value that fails
        # when looked into.
        if hostvars is None or host not in hostvars:
            continue
        variables = hostvars[host]
        if HOST_NAMES_VARIABLE in variables:
            names[host] = variables[HOST_NAMES_VARIABLE]
    return names


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Nothing runs on the host: the names, the listing and the plan happen where the playbook runs.
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        validation, params = self.validate_argument_spec(argument_spec=argument_spec())
        hostvars = (task_vars or {}).get("hostvars")

        def plan_run(warnings):
            result.update(self._plan(params, hostvars, warnings))
            return result

        # The result holds the names and the covering orders only, so scrubbing it of the key costs next to nothing.
        return run_scrubbed(plan_run, params.get("api_key"), validation._no_log_values, AnsibleActionFail)

    def _plan(self, params, hostvars, warnings):
        hosts = params["hosts"]
        if hosts is not None and not isinstance(hosts, (str, list)):
            raise AnsibleActionFail(
                f"Nothing was read or changed. decommission_hosts must be a list of host names, or text with commas, got {written_type(hosts)}."
            )
        for name in ("max_cancellations", "max_revocations"):
            if params[name] < 0:
                raise AnsibleActionFail(f"Nothing was read or changed. decommission_{name} must be 0 or more, got {params[name]}.")
        interval_problem = progress_interval_problem(params)
        if interval_problem:
            raise AnsibleActionFail(f"Nothing was read or changed. {interval_problem}")
        if params["list_orders"] and params["orders"] is not None:
            raise AnsibleActionFail(
                "Nothing was read or changed. Give orders (a reviewed plan's) or list_orders=true (list every order of the account), not both."
            )
        if params["orders"] is not None:
            try:
                # The checks the cancel and revoke modules make of the same entries, which the role hands on to them.
                listed_orders(params["orders"], fix="Pass the orders as digicert_order_info returned them, or list_orders=true.")
            except ValueError as error:
                raise AnsibleActionFail(f"Nothing was read or changed. {error}") from None
        names, problems = retired_names(params["play_hosts"], _names_of_hosts(params["play_hosts"], hostvars), hosts)
        if problems:
            raise AnsibleActionFail(f"Nothing was read or changed. {' '.join(problems)}")
        if not names:
            raise AnsibleActionFail(
                "Nothing was read or changed: no host to retire. Run the role over the hosts being retired (an "
                "inventory group or a limit), or give decommission_hosts, for example "
                '-e \'{"decommission_hosts": ["web01.example.com"]}\'.'
            )
        orders = self._list_covering_orders(params, names, warnings) if params["list_orders"] else params["orders"]
        planned = dict(changed=False, names=names)
        if orders is not None:
            planned["plan"] = plan(orders, names, params["revoke_issued"], params["max_cancellations"], params["max_revocations"])
        return planned

    @staticmethod
    def _list_covering_orders(params, names, warnings):
        """Every order of the account that covers one of ``names``, listed as digicert_order_info lists them.

        CertCentral's domain_name filter matches names exactly, so it would miss the wildcard orders that cover a
        host: the whole account is listed, and each order kept only if it covers a name, as its page arrives.
        """
        if not HAS_REQUESTS:
            raise AnsibleActionFail(f"Nothing was read or changed: {MISSING_REQUESTS}", result=dict(exception=REQUESTS_IMPORT_ERROR))
        try:
            return list_with_progress(
                params,
                OrderSelection(),
                utc_now(),
                display.display,
                warn=warnings.append,
                keep=lambda order: order if covers_any(order, names) else None,
            )
        except CertCentralError as error:
            raise AnsibleActionFail(f"Nothing was changed: {error}", result=error.to_result()) from None
