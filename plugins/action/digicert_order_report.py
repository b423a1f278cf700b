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
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase

from ansible_collections.certops.digicert.plugins.action.order_cleanup_report import ActionModule as ReportWriter
from ansible_collections.certops.digicert.plugins.action.order_cleanup_report import (
    make_report_dir,
    point_link_atomically,
    write_file_atomically,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import inventory_report
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cleanup_report import GENERATED_AT_FORMAT
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError, scrub_secret
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import (
    build_client,
    connection_argument_spec,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.selection import (
    API_STATUS_FILTERS,
    CLIENT_SIDE_STATUSES,
    OrderSelection,
    select_orders,
)

_FILE_TIME_FORMAT = '%Y%m%dT%H%M%SZ'
LATEST_NAME = '%s-latest' % inventory_report.FILE_PREFIX

# The fields of a normalized order that the report's rows read (inventory_report.build_rows): the rest (requests,
# product type and family) would only be held in memory for every order of the account.
REPORT_FIELDS = ('id', 'common_name', 'dns_names', 'product_name_id', 'container_id', 'status', 'date_created',
                 'age_days', 'cancel_verdict', 'payment_method')


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        status=dict(type='list', elements='str', choices=list(API_STATUS_FILTERS + CLIENT_SIDE_STATUSES)),
        product_name_id=dict(type='list', elements='str'),
        container_id=dict(type='int'),
        older_than_days=dict(type='int'),
        details=dict(type='bool', default=False),
        report_dir=dict(type='path', required=True),
        oldest=dict(type='int', default=20),
    )
    return spec


def report_order(order):
    """What the report keeps of a normalized order."""
    return dict((name, order[name]) for name in REPORT_FIELDS)


def report_filters(params):
    """The listing's filters as the report states them (the options the role's report showed before 1.1.0)."""
    return dict(
        statuses=params['status'] or [],
        older_than_days=params['older_than_days'] or 0,
        product_name_ids=params['product_name_id'] or [],
        container_id='' if params['container_id'] is None else str(params['container_id']),
    )


def write_report(report_dir, basename, texts):
    """Write each text to ``<basename>.<extension>`` and point ``order-report-latest.<extension>`` at it; the paths
    by extension."""
    report_files = dict((extension, os.path.join(report_dir, '%s.%s' % (basename, extension))) for extension in texts)
    make_report_dir(report_dir)
    for extension, text in texts.items():
        write_file_atomically(report_files[extension], text)
    for extension, path in report_files.items():
        point_link_atomically(os.path.join(report_dir, '%s.%s' % (LATEST_NAME, extension)), os.path.basename(path))
    return report_files


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    # Nothing runs on the host: the listing and the report happen where the playbook runs.
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        validation, params = self.validate_argument_spec(argument_spec=argument_spec())
        secrets = set(validation._no_log_values)
        api_key = params.get('api_key')
        if api_key:
            secrets.add(api_key)
        warnings = []
        try:
            result.update(self._list_and_write(params, warnings))
        except AnsibleActionFail as failure:
            # Scrubbed here, whatever raised it: the message may quote an answer that echoed the key.
            raise AnsibleActionFail(scrub_secret(failure.message, api_key),
                                    result=remove_values(getattr(failure, 'result', {}) or {}, secrets))
        finally:
            if warnings:
                result['warnings'] = [scrub_secret(warning, api_key) for warning in warnings]
        # Nothing of the key is in the result by construction; removing it anyway costs next to nothing, since the
        # result holds counts and paths, not the orders.
        return remove_values(result, secrets)

    def _list_and_write(self, params, warnings):
        if not HAS_REQUESTS:
            raise AnsibleActionFail('Nothing was read: the Python library requests is missing on the controller '
                                    '(pip install requests).', result=dict(exception=REQUESTS_IMPORT_ERROR))
        if params['oldest'] < 0:
            raise AnsibleActionFail('Nothing was read: oldest must be 0 or more, got %d.' % params['oldest'])
        try:
            selection = OrderSelection.from_params(params)
        except ValueError as error:
            raise AnsibleActionFail('Nothing was read: %s' % error)
        report_dir = ReportWriter._prepare_directory(params['report_dir'])

        now = datetime.datetime.now(datetime.timezone.utc)
        try:
            client = build_client(params, warn=warnings.append)
            orders = select_orders(client, selection, now, details=params['details'], keep=report_order)
        except CertCentralError as error:
            raise AnsibleActionFail('Nothing was written: %s' % error, result=error.to_result())

        generated_at = now.replace(microsecond=0)
        settings = inventory_report.InventorySettings(generated_at.strftime(GENERATED_AT_FORMAT), params['api_url'],
                                                      report_filters(params), params['details'], params['oldest'])
        basename = '%s-%s' % (inventory_report.FILE_PREFIX, generated_at.strftime(_FILE_TIME_FORMAT))
        summary, texts = inventory_report.report_texts(settings, orders, basename)[1:]
        del orders
        try:
            report_files = write_report(report_dir, basename, texts)
        except OSError as error:
            raise AnsibleActionFail('The report could not be written to %s: %s' % (report_dir, error))
        # Written in check mode as well, as the other reports are: it changes nothing in CertCentral.
        return dict(changed=False, count=summary['orders'], summary=summary, report_files=report_files,
                    messages=inventory_report.console_messages(summary, report_files['md']))
