# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import contextlib
import gc
import json

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.action_support import (
    PROGRESS_ARGUMENT_SPEC,
    collector_paused,
    progress_argument_spec,
    progress_interval_problem,
    run_scrubbed,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.progress import PROGRESS_INTERVAL

API_KEY = "ACTIONSUPPORTKEY0123456789abcdef"
OTHER_SECRET = "another-no-log-value"


class Failure(Exception):
    """Stands for AnsibleActionFail: a message and a result."""

    def __init__(self, message, result=None):
        super().__init__(message)
        self.message = message
        self.result = result


def test_the_progress_options_default_to_lines_every_interval():
    spec = progress_argument_spec()
    assert spec == dict(progress=dict(type="bool", default=True), progress_interval=dict(type="float", default=PROGRESS_INTERVAL))
    spec["progress"]["default"] = False
    assert PROGRESS_ARGUMENT_SPEC["progress"]["default"] is True


@pytest.mark.parametrize("interval", [0, 0.0, -1, float("nan")])
def test_an_interval_of_no_time_is_refused(interval):
    assert progress_interval_problem(dict(progress_interval=interval)) == (
        f"progress_interval must be more than 0 seconds, got {interval}; set progress to false for no progress lines."
    )


@pytest.mark.parametrize("interval", [0.2, 1, PROGRESS_INTERVAL])
def test_a_positive_interval_is_taken(interval):
    assert progress_interval_problem(dict(progress_interval=interval)) is None


def test_the_result_and_its_warnings_are_scrubbed():
    def work(warnings):
        warnings.append(f"The server echoed {API_KEY}.")
        return dict(changed=False, note=f"key {API_KEY}, and {OTHER_SECRET}", count=3)

    result = run_scrubbed(work, API_KEY, {OTHER_SECRET}, Failure)
    assert result["count"] == 3
    assert API_KEY not in json.dumps(result) and OTHER_SECRET not in json.dumps(result)
    assert result["warnings"] == ["The server echoed ********."]


def test_a_result_without_warnings_gets_none():
    assert "warnings" not in run_scrubbed(lambda warnings: dict(changed=False), API_KEY, set(), Failure)


def test_a_failure_is_raised_again_scrubbed_with_the_warnings_so_far():
    def work(warnings):
        warnings.append(f"A retry that quotes {API_KEY}.")
        raise Failure(f"Nothing was changed: the server said {API_KEY}.", result=dict(http_status=500, error_message=f"echo {API_KEY}"))

    with pytest.raises(Failure) as caught:
        run_scrubbed(work, API_KEY, set(), Failure)
    assert caught.value.message == "Nothing was changed: the server said ********."
    assert caught.value.result["http_status"] == 500
    assert API_KEY not in json.dumps(caught.value.result)
    assert caught.value.result["warnings"] == ["A retry that quotes ********."]
    # The message already quotes the cause: a chained one would be printed again, unscrubbed.
    assert caught.value.__suppress_context__


def test_other_errors_pass_through():
    def work(warnings):
        raise KeyError("not a failure of the action")

    with pytest.raises(KeyError):
        run_scrubbed(work, API_KEY, set(), Failure)


@pytest.mark.parametrize("enabled_before", [True, False])
@pytest.mark.parametrize("fails", [False, True])
def test_the_collector_is_off_in_the_block_and_as_before_after_it(enabled_before, fails):
    was = gc.isenabled()
    (gc.enable if enabled_before else gc.disable)()
    try:
        with pytest.raises(Failure) if fails else contextlib.nullcontext(), collector_paused():
            assert not gc.isenabled()
            if fails:
                raise Failure("stop")
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if was else gc.disable)()
