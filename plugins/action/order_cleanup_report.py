# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of certops.digicert.order_cleanup_report: the report of a role, written on the controller.

One writer for the reports of the roles order_cleanup (option report=order_cleanup, the default since 1.0.0),
decommission and order_report. Everything happens in the controller's process: no module is sent anywhere, so the
report costs one task and no module run. The rows, summary and texts come from module_utils/_certcentral/
(cleanup_report.py, decommission_report.py, inventory_report.py, all escaping through report_format.py); this plugin
checks the options and writes the files.
"""

from __future__ import annotations

import datetime
import os
import secrets
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import (
    decommission_report,
    inventory_report,
    review_plan,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.action_support import path_option_problem
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cleanup_report import (
    GENERATED_AT_FORMAT,
    LATEST_NAME,
    MODES,
    REPORT_EXTENSIONS,
    ReportSettings,
    check_report_inputs,
    parse_generated_at,
    planned_orders,
    report_texts,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.report_format import MODE_REPORT

REPORT_ORDER_CLEANUP = "order_cleanup"
REPORT_DECOMMISSION = "decommission"
REPORT_ORDER_REPORT = "order_report"
REPORTS = (REPORT_ORDER_CLEANUP, REPORT_DECOMMISSION, REPORT_ORDER_REPORT)
_FILE_TIME_FORMAT = "%Y%m%dT%H%M%SZ"

# A report names every order, host and note of a run: readable by its owner only, or less as the umask says (the
# mode tempfile.mkstemp() creates the report files with, 0600 under the umask). A new report directory likewise; an
# existing one keeps its mode, which may be stricter than this and is never loosened.
_REPORT_DIR_MODE = 0o700

SELECTION_SPEC = dict(
    statuses=dict(type="list", elements="str", required=True),
    older_than_days=dict(type="int", required=True),
    product_name_ids=dict(type="list", elements="str", default=[]),
    container_ids=dict(type="list", elements="int", default=[]),
    exclude_order_ids=dict(type="list", elements="int", default=[]),
)

BATCH_SPEC = dict(
    number=dict(type="int", required=True),
    order_ids=dict(type="list", elements="int", required=True),
    failed=dict(type="bool", default=False),
    message=dict(type="str"),
    summary=dict(type="dict", default={}),
    changes=dict(type="int", default=0),
    orders=dict(type="list", elements="dict", default=[]),
)

FILTERS_SPEC = dict(
    statuses=dict(type="list", elements="str", default=[]),
    older_than_days=dict(type="int", default=0),
    product_name_ids=dict(type="list", elements="str", default=[]),
    container_id=dict(type="str"),
)

ARGUMENT_SPEC = dict(
    report=dict(type="str", choices=list(REPORTS), default=REPORT_ORDER_CLEANUP),
    report_dir=dict(type="path", required=True),
    prepare_only=dict(type="bool", default=False),
    mode=dict(type="str", choices=list(MODES)),
    found_orders=dict(type="list", elements="dict"),
    batches=dict(type="list", elements="dict", options=BATCH_SPEC),
    selection=dict(type="dict", options=SELECTION_SPEC),
    note=dict(type="str", default=""),
    max_cancellations=dict(type="int"),
    batch_size=dict(type="int"),
    api_url=dict(type="str"),
    generated_at=dict(type="str"),
    # report=order_cleanup and decommission: the key that signs the plan a report-only run writes (the roles pass it
    # through module_defaults, so that it is never among the task's arguments), and the verified plan an applied run
    # applies.
    api_key=dict(type="str", no_log=True),
    reviewed_plan=dict(type="dict"),
    reviewed_plan_file=dict(type="str"),
    # report=decommission
    plan=dict(type="dict"),
    cancel_result=dict(type="dict", default={}),
    revoke_result=dict(type="dict", default={}),
    revoke_issued=dict(type="bool", default=False),
    skip_approval=dict(type="bool", default=False),
    max_revocations=dict(type="int"),
    # report=order_report
    filters=dict(type="dict", options=FILTERS_SPEC),
    details=dict(type="bool", default=False),
    oldest=dict(type="int", default=20),
)

# What each report needs, unless the task only prepares the directory.
REPORT_OPTIONS = {
    REPORT_ORDER_CLEANUP: ["mode", "found_orders", "batches", "selection", "max_cancellations", "batch_size", "api_url"],
    REPORT_DECOMMISSION: ["mode", "plan", "max_cancellations", "max_revocations", "api_url"],
    REPORT_ORDER_REPORT: ["found_orders", "filters", "api_url"],
}
# The file name of each report's newest files, without extension.
_LATEST_NAMES = {
    REPORT_ORDER_CLEANUP: LATEST_NAME,
    REPORT_DECOMMISSION: f"{decommission_report.FILE_PREFIX}-latest",
    REPORT_ORDER_REPORT: f"{inventory_report.FILE_PREFIX}-latest",
}


def _remove_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def make_report_dir(report_dir):
    """Create ``report_dir`` (and its parents) readable by its owner only when it does not exist; leave the mode of
    an existing directory as it is."""
    if not os.path.isdir(report_dir):
        os.makedirs(report_dir, mode=_REPORT_DIR_MODE, exist_ok=True)


def write_file_atomically(path, text):
    """Write ``text`` to ``path`` through a temporary file in the same directory, so that a reader sees the old file
    or the whole new one, never a part."""
    write_stream_atomically(path, lambda stream: stream.write(text))


def write_stream_atomically(path, write):
    """Call ``write(stream)`` on a temporary file in the directory of ``path``, then rename it to ``path``, as
    write_file_atomically does, for a writer that produces its text piece by piece."""
    directory, name = os.path.split(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
            # On disk before the rename, so that a crash cannot leave an empty file under the report's name.
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise


def point_link_atomically(path, target):
    """Make ``path`` a symbolic link to ``target``, replacing what was there in one rename."""
    directory, name = os.path.split(path)
    temporary = os.path.join(directory, f".{name}.{secrets.token_hex(8)}.tmp")
    os.symlink(target, temporary)
    try:
        os.replace(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Nothing runs on the host: the report is written where the playbook runs.
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        report_dir_problem = path_option_problem("report_dir", self._task.args.get("report_dir"))
        if report_dir_problem:
            raise AnsibleActionFail(f"Nothing was written: {report_dir_problem}")
        if params["prepare_only"]:
            result.update(changed=False, report_dir=self._prepare_directory(params["report_dir"]))
            return result
        missing = [name for name in REPORT_OPTIONS[params["report"]] if params[name] is None]
        if missing:
            raise AnsibleActionFail(f"Nothing was written: report={params['report']} needs {', '.join(missing)} unless prepare_only=true.")
        try:
            basename, rows, summary, texts, plan = self._report(params)
        except ValueError as error:
            # `from None`, here and below: the message already quotes the cause, and ansible-core 2.19 would append a
            # chained cause's text to the task's msg again (and, for a scrubbed message, unscrubbed).
            raise AnsibleActionFail(f"Nothing was written: {error}") from None

        report_dir = params["report_dir"]
        report_files = {extension: os.path.join(report_dir, f"{basename}.{extension}") for extension in REPORT_EXTENSIONS}
        latest_name = _LATEST_NAMES[params["report"]]
        # Written in check mode as well: the report is the point of a check-mode run, and it changes nothing in
        # CertCentral. Never a change either, so that a second applied run reports none.
        try:
            make_report_dir(report_dir)
            if plan is not None:
                report_files["plan"] = os.path.join(report_dir, basename + review_plan.PLAN_FILE_SUFFIX)
                write_file_atomically(report_files["plan"], review_plan.plan_text(plan))
                point_link_atomically(os.path.join(report_dir, latest_name + review_plan.PLAN_FILE_SUFFIX), os.path.basename(report_files["plan"]))
            for extension in REPORT_EXTENSIONS:
                write_file_atomically(report_files[extension], texts[extension])
            for extension in REPORT_EXTENSIONS:
                point_link_atomically(os.path.join(report_dir, f"{latest_name}.{extension}"), os.path.basename(report_files[extension]))
        except OSError as error:
            raise AnsibleActionFail(f"The report could not be written to {report_dir}: {error}") from None

        result.update(changed=False, rows=rows, summary=summary, report_files=report_files, plan_file=report_files.get("plan"), plan=plan)
        if params["report"] == REPORT_DECOMMISSION:
            result["messages"] = decommission_report.console_messages(
                params["mode"],
                summary,
                report_files["md"],
                plan_file=report_files.get("plan"),
                applied_plan=params["reviewed_plan_file"] if params["reviewed_plan"] is not None else None,
            )
        elif params["report"] == REPORT_ORDER_REPORT:
            result["messages"] = inventory_report.console_messages(summary, report_files["md"])
        return result

    def _report(self, params):
        """(basename, rows, summary, texts, plan document or None) of the report asked for; ValueError when the
        options do not fit."""
        if not params["report_dir"]:
            raise ValueError("report_dir is empty; give the directory for the report files.")
        if params["generated_at"] is None:
            generated_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        else:
            generated_at = parse_generated_at(params["generated_at"])
        if params["report"] == REPORT_ORDER_CLEANUP:
            settings, found_orders, batches = self._report_inputs(params, generated_at)
            plan = self._plan(params, settings, found_orders, batches)
            return (settings.basename,) + report_texts(settings, found_orders, batches) + (plan,)
        file_time = generated_at.strftime(_FILE_TIME_FORMAT)
        generated_at_text = generated_at.strftime(GENERATED_AT_FORMAT)
        if params["report"] == REPORT_DECOMMISSION:
            return self._decommission_report(params, generated_at, file_time, generated_at_text)
        return self._inventory_report(params, file_time, generated_at_text) + (None,)

    @staticmethod
    def _plan(params, settings, found_orders, batches):
        """The plan a report-only run writes (None in the other modes, or without an API key to sign it), after
        recording it in ``settings``; in an applied run, records the plan it applies."""
        if settings.mode != MODE_REPORT:
            if params["reviewed_plan"] is not None:
                settings.plan = {"file": params["reviewed_plan_file"], "document": params["reviewed_plan"]}
            return None
        if not params["api_key"]:
            return None
        document = review_plan.make_plan(
            REPORT_ORDER_CLEANUP,
            params["api_url"],
            settings.generated_at,
            settings.selection,
            planned_orders(found_orders, batches, settings.selection["exclude_order_ids"]),
            params["api_key"],
        )
        plan_file = os.path.join(params["report_dir"], settings.basename + review_plan.PLAN_FILE_SUFFIX)
        settings.plan = {"file": plan_file, "document": document}
        return document

    @staticmethod
    def _decommission_report(params, generated_at, file_time, generated_at_text):
        for name in ("max_cancellations", "max_revocations"):
            if params[name] < 0:
                raise ValueError(f"{name} must be 0 or more, got {params[name]}.")
        decommission_report.check_plan(params["plan"])
        settings = decommission_report.DecommissionSettings(
            mode=params["mode"],
            generated_at_text=generated_at_text,
            api_url=params["api_url"],
            note=params["note"],
            revoke_issued=params["revoke_issued"],
            skip_approval=params["skip_approval"],
            max_cancellations=params["max_cancellations"],
            max_revocations=params["max_revocations"],
        )
        basename = f"{decommission_report.FILE_PREFIX}-{file_time}-{params['mode']}"
        document = None
        if params["mode"] != MODE_REPORT and params["reviewed_plan"] is not None:
            settings.plan = {"file": params["reviewed_plan_file"], "document": params["reviewed_plan"]}
        elif params["mode"] == MODE_REPORT and params["api_key"]:
            selection = {"hosts": params["plan"]["hosts"], "revoke_issued": params["revoke_issued"], "skip_approval": params["skip_approval"]}
            document = review_plan.make_plan(
                REPORT_DECOMMISSION,
                params["api_url"],
                generated_at,
                selection,
                decommission_report.planned_orders(params["plan"], params["cancel_result"], params["revoke_result"]),
                params["api_key"],
            )
            settings.plan = {"file": os.path.join(params["report_dir"], basename + review_plan.PLAN_FILE_SUFFIX), "document": document}
        return (
            (basename,) + decommission_report.report_texts(settings, params["plan"], params["cancel_result"], params["revoke_result"], basename) + (document,)
        )

    @staticmethod
    def _inventory_report(params, file_time, generated_at_text):
        if params["oldest"] < 0:
            raise ValueError(f"oldest must be 0 or more, got {params['oldest']}.")
        inventory_report.check_orders(params["found_orders"])
        filters = {name: params["filters"][name] for name in FILTERS_SPEC}
        settings = inventory_report.InventorySettings(generated_at_text, params["api_url"], filters, params["details"], params["oldest"])
        basename = f"{inventory_report.FILE_PREFIX}-{file_time}"
        return (basename,) + inventory_report.report_texts(settings, params["found_orders"], basename)

    @staticmethod
    def _prepare_directory(report_dir):
        """Create ``report_dir`` if needed and make sure files can be written there, before the role sends any
        request: a report that cannot be written must not be found out after orders were canceled."""
        if not report_dir:
            raise AnsibleActionFail("report_dir is empty; give the directory for the report files.")
        try:
            make_report_dir(report_dir)
            # The same kind of write the report makes, so that every reason it could fail shows now.
            handle, probe = tempfile.mkstemp(prefix=".report-probe.", dir=report_dir)
            os.close(handle)
            os.unlink(probe)
        except OSError as error:
            raise AnsibleActionFail(f"{report_dir} cannot hold the report: {error.strerror or error}") from None
        return report_dir

    @staticmethod
    def _report_inputs(params, generated_at):
        """The clean-up report's settings, the found orders and the batch records, from validated options;
        ValueError when they do not fit together."""
        if params["max_cancellations"] < 0:
            raise ValueError(f"max_cancellations must be 0 or more, got {params['max_cancellations']}.")
        if params["batch_size"] < 1:
            raise ValueError(f"batch_size must be 1 or more, got {params['batch_size']}.")
        # In the order of the report, whatever the order the options came in.
        selection = {name: params["selection"][name] for name in SELECTION_SPEC}
        check_report_inputs(params["found_orders"], params["batches"])
        settings = ReportSettings(
            mode=params["mode"],
            generated_at=generated_at,
            api_url=params["api_url"],
            selection=selection,
            note=params["note"],
            max_cancellations=params["max_cancellations"],
            batch_size=params["batch_size"],
        )
        return settings, params["found_orders"], params["batches"]
