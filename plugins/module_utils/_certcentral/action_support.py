# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What the action plugins that read CertCentral share: the progress options, listing orders with progress lines,
and results and failures scrubbed of the API key.

An action plugin runs in the controller's process, so a long read can say how far it has come while it runs, which a
module cannot. The actions digicert_order_report and decommission_plan list orders that way; this file is their one
copy of it. It imports nothing of the controller (ansible-test's import check holds module_utils to
ansible.module_utils), so the actions hand in what only the controller has: their way to print a line, and their
failure class.
"""

from __future__ import annotations

import contextlib
import copy
import gc

from ansible.module_utils.common.parameters import remove_values

from .errors import scrub_secret
from .module_support import build_client
from .progress import PROGRESS_INTERVAL, Progress
from .selection import select_orders

# The options of an action that prints progress lines; documented in each action's DOCUMENTATION.
PROGRESS_ARGUMENT_SPEC = dict(
    progress=dict(type="bool", default=True),
    progress_interval=dict(type="float", default=PROGRESS_INTERVAL),
)

MISSING_REQUESTS = "the Python library requests is missing on the controller (pip install requests)."


def progress_argument_spec():
    """A fresh copy of PROGRESS_ARGUMENT_SPEC, for an action to add to its own options."""
    return copy.deepcopy(PROGRESS_ARGUMENT_SPEC)


def progress_interval_problem(params):
    """The sentence that refuses ``params["progress_interval"]``, or None when it can space the lines."""
    interval = params["progress_interval"]
    # Written so that nan, which compares false to everything and would silence every line, is refused as well.
    if not interval > 0:
        return f"progress_interval must be more than 0 seconds, got {interval}; set progress to false for no progress lines."
    return None


def path_option_problem(name, value):
    """The sentence that refuses ``value``, a path option as the task gave it (before Ansible's type checks), or None.

    Ansible's type ``path`` turns any value into text: a list given by mistake would become a directory named
    ``['reports']`` beside the playbook, and the report would be written there. A path is only taken as text.
    """
    if value is None or isinstance(value, str):
        return None
    return f"{name} must be the path of a directory, written as text, got {written_type(value)}."


def written_type(value):
    """The type of a task argument as the user wrote it: ansible-core 2.19 hands on its own subclasses of list,
    dict, int..., whose names mean nothing to the user."""
    return next((kind.__name__ for kind in (bool, int, float, list, dict) if isinstance(value, kind)), type(value).__name__)


def list_with_progress(params, selection, now, emit, warn=None, details=False, keep=None):
    """The orders ``selection`` picks (selection.select_orders()), read by the client of the connection options in
    ``params``; raises CertCentralError.

    With ``params["progress"]``, how far the reads have come is printed through ``emit(line)``, at most one line every
    ``params["progress_interval"]`` seconds (progress.Progress). ``warn`` gets the client's warnings; ``details`` and
    ``keep`` are select_orders()'s.
    """
    progress = Progress(emit, interval=params["progress_interval"]) if params["progress"] else None
    # A wait for the rate limits as long as the gap between two lines gets a line of its own: nothing arrives while
    # the client waits, so nothing else would be printed.
    client = build_client(params, warn=warn, on_long_wait=progress.waiting if progress is not None else None, long_wait_seconds=params["progress_interval"])
    return select_orders(client, selection, now, details=details, keep=keep, progress=progress)


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for the ``with`` block, and on again after it (if it was on before).

    While a large listing is read, the collector runs every few hundred new containers (each decoded order is
    several) and, every so often, walks every object the controller's process holds, Ansible's own included. The
    orders, pages and rows hold no reference cycles, so nothing is freed later than it would be; what cycles the
    block leaves behind are collected once it ends. (docs/benchmarks.md: what it saved in the order report.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_scrubbed(work, api_key, no_log_values, failure_type):
    """What ``work(warnings)`` returns, with the warnings it collected, every text in it scrubbed of the key.

    ``failure_type`` is the action's AnsibleActionFail: a failure ``work`` raises is raised again with its message
    scrubbed of ``api_key`` and its result (with the warnings so far) cleared of ``api_key`` and ``no_log_values``
    (those of the argument validation). The message may quote an answer that echoed the key, whatever raised it.
    """
    secrets = set(no_log_values)
    if api_key:
        secrets.add(api_key)
    warnings = []
    try:
        result = work(warnings)
    except failure_type as failure:
        failed = dict(getattr(failure, "result", None) or {})
        if warnings:
            failed["warnings"] = warnings
        # `from None`: the message already quotes the cause, and ansible-core 2.19 would append a chained cause's
        # text to the task's msg again (and, for a scrubbed message, unscrubbed).
        raise failure_type(scrub_secret(failure.message, api_key), result=remove_values(failed, secrets)) from None
    if warnings:
        result["warnings"] = warnings
    return remove_values(result, secrets)
