# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of certops.digicert.reviewed_plan: read a reviewed plan and verify it before an applied run.

Runs in the controller's process, before any request: a plan that was altered, made with another API key, for
another role or CertCentral URL, or that has expired, fails the task with a sentence that says what to do. The checks
are module_utils/_certcentral/review_plan.py's.
"""

from __future__ import annotations

import datetime
import json

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import review_plan

ROLES = ("order_cleanup", "decommission")
# The role variable that names a plan file; the plan's content is <role>_plan_content. (The decommission role's is
# not decommission_plan, the name of the action that plans a decommissioning.)
PLAN_FILE_VARIABLES = {"order_cleanup": "order_cleanup_plan", "decommission": "decommission_plan_file"}

ARGUMENT_SPEC = dict(
    role=dict(type="str", choices=list(ROLES), required=True),
    path=dict(type="path"),
    content=dict(type="raw"),
    api_url=dict(type="str", required=True),
    # The role passes the key through module_defaults, so that it is never among the task's arguments.
    api_key=dict(type="str", no_log=True),
    max_age_hours=dict(type="int", default=review_plan.DEFAULT_MAX_AGE_HOURS),
)


def load_plan_document(path, content, role):
    """(document, where) of the plan in the file at ``path`` or in ``content`` (a dict, or its JSON text, as an AWX
    artifact carries it); PlanRefused when neither or both are given, or when it cannot be read."""
    if (path is None) == (content in (None, "")):
        raise review_plan.PlanRefused(f"Give exactly one of {PLAN_FILE_VARIABLES[role]} (a file) and {role}_plan_content (the plan itself).")
    if path is not None:
        try:
            with open(path, encoding="utf-8") as stream:
                text = stream.read()
        except OSError as error:
            raise review_plan.PlanRefused(
                f"The plan {path} cannot be read: {error.strerror or error}. Give the path of the .plan.json file a report-only run wrote."
            ) from error
        return review_plan.parse_plan(text, f"The plan {path}"), path
    if isinstance(content, dict):
        # Through json, as a file would be: the same types whatever way the plan came.
        return review_plan.parse_plan(json.dumps(content), f"The plan in {role}_plan_content"), None
    if isinstance(content, str):
        return review_plan.parse_plan(content, f"The plan in {role}_plan_content"), None
    raise review_plan.PlanRefused(f"{role}_plan_content must be the plan, as a dict or its JSON text, got {type(content).__name__}.")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        role = params["role"]
        if params["max_age_hours"] < 1:
            raise AnsibleActionFail(f"Nothing was read or changed. {role}_plan_max_age_hours must be 1 or more, got {params['max_age_hours']}.")
        if not params["api_key"]:
            raise AnsibleActionFail(f"Nothing was read or changed. A plan is verified with the API key it was made with; set {role}_api_key.")
        try:
            document, path = load_plan_document(params["path"], params["content"], role)
            where = f"The plan {path}" if path else f"The plan in {role}_plan_content"
            review_plan.verify_plan(
                document, where, role, params["api_url"], params["api_key"], datetime.datetime.now(datetime.timezone.utc), params["max_age_hours"], role
            )
        except review_plan.PlanRefused as error:
            # `from None`, here and below: the message already quotes the cause, and ansible-core 2.19 would append a
            # chained cause's text to the task's msg again (and, for a scrubbed message, unscrubbed).
            raise AnsibleActionFail(f"Nothing was read or changed. {error}") from None
        entries = review_plan.planned_entries(document)
        result.update(changed=False, plan=document, plan_file=path or f"({role}_plan_content)", orders=entries)
        return result
