# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of certops.digicert.digicert_order_report: list orders and write the inventory report, in one task.

Everything happens in the controller's process: the listing (CertCentralClient and the listing of
module_utils/_certcentral/, paced and concurrent as in the modules), the rows (inventory_report.py, escaping through
report_format.py) and the files. Each order is turned into the little the report needs as soon as its page arrives,
and the orders never travel through a module result: that round trip (serialising, scrubbing and copying every value
of every order in two processes) cost far more than the listing itself in a large account.

The API key is an option like in the modules. It is never put into the result, and every text that leaves this plugin
(errors, warnings, the result itself) is scrubbed of it.
"""

from __future__ import annotations

import datetime
import functools
import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.certops.digicert.plugins.action.order_cleanup_report import ActionModule as ReportWriter
from ansible_collections.certops.digicert.plugins.action.order_cleanup_report import (
    make_report_dir,
    point_link_atomically,
    write_stream_atomically,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import inventory_report
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.action_support import (
    MISSING_REQUESTS,
    collector_paused,
    list_with_progress,
    path_option_problem,
    progress_argument_spec,
    progress_interval_problem,
    run_scrubbed,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cleanup_report import GENERATED_AT_FORMAT
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import connection_argument_spec
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.selection import (
    API_STATUS_FILTERS,
    CLIENT_SIDE_STATUSES,
    OrderSelection,
)

# In a worker process, ansible-core (2.14 and later) sends what Display prints to the main process's output.
display = Display()

_FILE_TIME_FORMAT = "%Y%m%dT%H%M%SZ"
LATEST_NAME = f"{inventory_report.FILE_PREFIX}-latest"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        status=dict(type="list", elements="str", choices=list(API_STATUS_FILTERS + CLIENT_SIDE_STATUSES)),
        product_name_id=dict(type="list", elements="str"),
        container_id=dict(type="int"),
        older_than_days=dict(type="int"),
        details=dict(type="bool", default=False),
        report_dir=dict(type="path", required=True),
        oldest=dict(type="int", default=20),
    )
    spec.update(progress_argument_spec())
    return spec


def report_filters(params):
    """The listing's filters as the report states them (the options the role's report showed before 1.1.0)."""
    return dict(
        statuses=params["status"] or [],
        older_than_days=params["older_than_days"] or 0,
        product_name_ids=params["product_name_id"] or [],
        container_id="" if params["container_id"] is None else str(params["container_id"]),
    )


def write_report(report_dir, basename, settings, rows):
    """Write the report of ``rows`` (as inventory_report.RowMaker makes them) as ``<basename>.json``, ``.csv``, ``.md``
    and ``.html``, each streamed by the shared writer (inventory_report.py), and point ``order-report-latest.*`` at
    them; the summary and the paths by extension."""
    summary = inventory_report.summarize_values(rows, settings.oldest)
    report_files = dict((extension, os.path.join(report_dir, f"{basename}.{extension}")) for extension in inventory_report.FILE_WRITERS)
    make_report_dir(report_dir)
    for extension, write in inventory_report.FILE_WRITERS.items():
        write_stream_atomically(report_files[extension], functools.partial(_write_file, write, settings, summary, rows, basename))
    for extension, path in report_files.items():
        point_link_atomically(os.path.join(report_dir, f"{LATEST_NAME}.{extension}"), os.path.basename(path))
    return summary, report_files


def _write_file(write, settings, summary, rows, basename, stream):
    write(stream, settings, summary, rows, basename)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    # Nothing runs on the host: the listing and the report happen where the playbook runs.
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        validation, params = self.validate_argument_spec(argument_spec=argument_spec())

        def list_and_write(warnings):
            result.update(self._list_and_write(params, warnings))
            return result

        # Nothing of the key is in the result by construction; scrubbing it anyway costs next to nothing, since the
        # result holds counts and paths, not the orders.
        return run_scrubbed(list_and_write, params.get("api_key"), validation._no_log_values, AnsibleActionFail)

    def _list_and_write(self, params, warnings):
        if not HAS_REQUESTS:
            raise AnsibleActionFail(
                f"Nothing was read: {MISSING_REQUESTS}",
                result=dict(exception=REQUESTS_IMPORT_ERROR),
            )
        report_dir_problem = path_option_problem("report_dir", self._task.args.get("report_dir"))
        if report_dir_problem:
            raise AnsibleActionFail(f"Nothing was read: {report_dir_problem}")
        if params["oldest"] < 0:
            raise AnsibleActionFail(f"Nothing was read: oldest must be 0 or more, got {params['oldest']}.")
        interval_problem = progress_interval_problem(params)
        if interval_problem:
            raise AnsibleActionFail(f"Nothing was read: {interval_problem}")
        try:
            selection = OrderSelection.from_params(params)
        except ValueError as error:
            raise AnsibleActionFail(f"Nothing was read: {error}") from None
        report_dir = ReportWriter._prepare_directory(params["report_dir"])

        with collector_paused():
            summary, report_files = self._list_and_write_files(params, selection, report_dir, warnings)
        # Written in check mode as well, as the other reports are: it changes nothing in CertCentral.
        return dict(
            changed=False,
            count=summary["orders"],
            summary=summary,
            report_files=report_files,
            messages=inventory_report.console_messages(summary, report_files["md"]),
        )

    def _list_and_write_files(self, params, selection, report_dir, warnings):
        """(summary, report files by extension) of the orders ``selection`` picks; one RowMaker row per order, kept
        from the moment its page arrives until the files are written."""
        now = utc_now()
        try:
            rows = list_with_progress(
                params, selection, now, display.display, warn=warnings.append, details=params["details"], keep=inventory_report.RowMaker()
            )
        except CertCentralError as error:
            raise AnsibleActionFail(f"Nothing was written: {error}", result=error.to_result()) from None

        generated_at = now.replace(microsecond=0)
        settings = inventory_report.InventorySettings(
            generated_at.strftime(GENERATED_AT_FORMAT), params["api_url"], report_filters(params), params["details"], params["oldest"]
        )
        basename = f"{inventory_report.FILE_PREFIX}-{generated_at.strftime(_FILE_TIME_FORMAT)}"
        try:
            summary, report_files = write_report(report_dir, basename, settings, rows)
        except OSError as error:
            raise AnsibleActionFail(f"The report could not be written to {report_dir}: {error}") from None
        return summary, report_files
