# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the action plugins' unit tests share: running an action the way a task runs it, on the controller."""

from __future__ import annotations

from unittest.mock import MagicMock

from ansible.playbook.play_context import PlayContext


def run_as_task(action_class, name, args, check_mode=False, task_vars=None):
    """The result of the action plugin ``action_class`` run as the task ``certops.digicert.<name>`` with ``args``."""
    task = MagicMock()
    task.action = f"certops.digicert.{name}"
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    action = action_class(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    # Set by the plugin loader when Ansible runs the action; the argument spec errors name it.
    action._load_name = task.action
    return action.run(task_vars={} if task_vars is None else task_vars)
