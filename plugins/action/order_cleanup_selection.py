# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of certops.digicert.order_cleanup_selection: the orders the role order_cleanup hands to its batches.

Runs in the controller's process, so that the role's listing costs no module run and can print progress lines. The
orders are the ones given (a reviewed plan's) or those the selection picks, listed here with the client and progress
lines as digicert_order_report and decommission_plan list them (action_support.py). What is found, set aside and
counted comes from module_utils/_certcentral/cleanup_selection.py.

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
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cleanup_selection import CLEANUP_STATUSES, cleanup_selection
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import connection_argument_spec
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_input import listed_orders
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.selection import OrderSelection

# In a worker process, ansible-core (2.14 and later) sends what Display prints to the main process's output.
display = Display()

NOTHING_DONE = "Nothing was read or changed."


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        status=dict(type="list", elements="str", required=True, choices=list(CLEANUP_STATUSES)),
        older_than_days=dict(type="int", default=30),
        product_name_id=dict(type="list", elements="str", default=[]),
        container_ids=dict(type="list", elements="int", default=[]),
        orders=dict(type="list", elements="dict"),
        exclude_order_ids=dict(type="list", elements="int", default=[]),
        max_cancellations=dict(type="int", default=50),
    )
    spec.update(progress_argument_spec())
    return spec


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Nothing runs on the host: the listing and the counting happen where the playbook runs.
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        validation, params = self.validate_argument_spec(argument_spec=argument_spec())

        def plan_run(warnings):
            result.update(self._plan(params, warnings))
            return result

        return run_scrubbed(plan_run, params.get("api_key"), validation._no_log_values, AnsibleActionFail)

    def _plan(self, params, warnings):
        if not params["status"]:
            raise AnsibleActionFail(f"{NOTHING_DONE} status must list at least one of {', '.join(CLEANUP_STATUSES)}.")
        too_small = [order_id for order_id in params["exclude_order_ids"] if order_id < 1]
        if too_small:
            raise AnsibleActionFail(f"{NOTHING_DONE} exclude_order_ids must hold order IDs of 1 or more, got {', '.join(map(str, too_small))}.")
        if params["max_cancellations"] < 0:
            raise AnsibleActionFail(f"{NOTHING_DONE} max_cancellations must be 0 or more, got {params['max_cancellations']}.")
        interval_problem = progress_interval_problem(params)
        if interval_problem:
            raise AnsibleActionFail(f"{NOTHING_DONE} {interval_problem}")
        try:
            # Checked with a reviewed plan's orders as well: the plan's selection is the one the report states.
            selection = OrderSelection.from_params(
                dict(
                    status=params["status"],
                    older_than_days=params["older_than_days"],
                    # Empty means any product, as an omitted product_name_id does for digicert_order_info.
                    product_name_id=params["product_name_id"] or None,
                    container_ids=params["container_ids"],
                )
            )
            if params["orders"] is not None:
                # The checks the cancel module makes of the same entries, which the role hands on to it.
                listed_orders(params["orders"], fix="Pass the orders of the reviewed plan as the reviewed_plan action returned them.")
        except ValueError as error:
            raise AnsibleActionFail(f"{NOTHING_DONE} {error}") from None
        # With a reviewed plan, its orders are the ones handed on, as they were listed for the review: an order that
        # became a candidate since is not even read.
        orders = params["orders"] if params["orders"] is not None else self._list(params, selection, warnings)
        planned = cleanup_selection(orders, params["status"], params["exclude_order_ids"], params["max_cancellations"])
        return dict(changed=False, **planned)

    @staticmethod
    def _list(params, selection, warnings):
        """The orders of ``selection``, listed as digicert_order_info lists them without details: one listing per
        container, status and product, each order once."""
        if not HAS_REQUESTS:
            raise AnsibleActionFail(f"Nothing was read or changed: {MISSING_REQUESTS}", result=dict(exception=REQUESTS_IMPORT_ERROR))
        try:
            return list_with_progress(params, selection, utc_now(), display.display, warn=warnings.append)
        except CertCentralError as error:
            raise AnsibleActionFail(f"Nothing was changed: {error}", result=error.to_result()) from None
