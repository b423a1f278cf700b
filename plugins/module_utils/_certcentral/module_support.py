# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What every CertCentral module shares: the connection options, building the client, and failing well.

CONNECTION_ARGUMENT_SPEC mirrors the doc fragment ``certops.digicert._certcentral`` option for option.
"""

from __future__ import annotations

import copy
import os
import typing as t

from ansible.module_utils.basic import env_fallback, missing_required_lib

from .client import (
    DEFAULT_API_URL,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CertCentralClient,
    validate_api_key,
    validate_api_url,
)
from .errors import NO_API_KEY, RUN_ON_THE_CONTROLLER, CertCentralError
from .pacing import (
    DEFAULT_RATE_LIMITS,
    LONG_WAIT_SECONDS,
    FileHistoryStore,
    MemoryHistoryStore,
    Pacer,
    RateLimit,
    state_file_stem,
)

CONNECTION_ARGUMENT_SPEC = dict(
    # Not required in the spec, so that a missing key gets build_client's sentence naming every way to set it.
    api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["DIGICERT_API_KEY"])),
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["DIGICERT_API_URL"])),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    timeout=dict(type="int", default=DEFAULT_TIMEOUT),
    retries=dict(type="int", default=DEFAULT_RETRIES),
    workers=dict(type="int", default=DEFAULT_WORKERS),
    rate_limits=dict(
        type="list",
        elements="dict",
        default=[dict(requests=limit.requests, seconds=limit.seconds) for limit in DEFAULT_RATE_LIMITS],
        options=dict(
            requests=dict(type="int", required=True),
            seconds=dict(type="float", required=True),
        ),
    ),
    rate_limit_state_dir=dict(type="path"),
)


def connection_argument_spec():
    """A fresh copy of CONNECTION_ARGUMENT_SPEC, for a module to extend with its own options."""
    return copy.deepcopy(CONNECTION_ARGUMENT_SPEC)


def default_rate_limit_state_dir():
    """Where the shared pacing history lives unless rate_limit_state_dir says otherwise: the user's cache dir."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache_home, "certops.digicert", "rate-limits")


# Upper bounds far beyond any sensible setting. Above them Python cannot even sleep or wait that long, and the run
# would crash instead of saying what is wrong.
MAX_TIMEOUT_SECONDS = 3600
MAX_RATE_LIMIT_SECONDS = 86400


def _check_connection_params(params):
    if params["timeout"] < 1:
        raise CertCentralError(f"timeout must be at least 1 second, got {params['timeout']}.")
    if params["timeout"] > MAX_TIMEOUT_SECONDS:
        raise CertCentralError(f"timeout must be at most {MAX_TIMEOUT_SECONDS} seconds (an hour), got {params['timeout']}.")
    if params["retries"] < 0:
        raise CertCentralError(f"retries must be 0 or more, got {params['retries']}.")
    if params["workers"] < 1:
        raise CertCentralError(f"workers must be at least 1, got {params['workers']}.")
    for limit in params["rate_limits"]:
        # Written so that a seconds of nan (which compares false to everything) is refused as well.
        if limit["requests"] < 1 or not 0 < limit["seconds"] <= MAX_RATE_LIMIT_SECONDS:
            raise CertCentralError(
                "Each entry of rate_limits needs requests of 1 or more and seconds above 0 and at "
                f"most {MAX_RATE_LIMIT_SECONDS} (a day), got requests={limit['requests']}, seconds={limit['seconds']}."
            )
    if params["validate_certs"] and params["ca_path"] and not os.path.isfile(params["ca_path"]):
        raise CertCentralError(f"ca_path {params['ca_path']} is not a file; it must name a PEM bundle of the CA certificates to trust.")


def build_pacer(params, api_url, warn=None, on_long_wait=None, long_wait_seconds=LONG_WAIT_SECONDS):
    """The pacer the connection options ask for: None without rate limits, else one sharing its history through
    a file when the state directory is usable, and within this process only (with a warning) when it is not.
    ``on_long_wait`` is told of each wait of at least ``long_wait_seconds`` (see pacing.Pacer)."""
    if not params["rate_limits"]:
        return None
    limits = [RateLimit(limit["requests"], limit["seconds"]) for limit in params["rate_limits"]]
    directory = params["rate_limit_state_dir"] or default_rate_limit_state_dir()
    store = FileHistoryStore(directory, state_file_stem(params["api_key"], api_url))
    try:
        store.prepare()
    except OSError as exc:
        if warn is not None:
            warn(
                f"Cannot keep the rate limit history in {directory} ({exc.strerror or exc}); pacing covers this process only, so parallel runs "
                "with the same API key may exceed the rate limits. Set rate_limit_state_dir to a writable directory."
            )
        store = MemoryHistoryStore()
    return Pacer(limits, store=store, warn=warn, on_long_wait=on_long_wait, long_wait_seconds=long_wait_seconds)


def build_client(params, warn=None, on_long_wait=None, long_wait_seconds=LONG_WAIT_SECONDS):
    """A CertCentralClient from validated connection options; raises CertCentralError for unusable values.

    Only a caller that can print while it runs (an action plugin) passes ``on_long_wait``: it is told of each wait of
    at least ``long_wait_seconds`` for the rate limits (see pacing.Pacer). Modules pass nothing."""
    if not params["api_key"]:
        raise CertCentralError(NO_API_KEY)
    _check_connection_params(params)
    validate_api_key(params["api_key"])
    # The pacing history is keyed by the normalized URL, so ".../v2" and ".../v2/" share one.
    api_url = validate_api_url(params["api_url"])
    return CertCentralClient(
        api_key=params["api_key"],
        api_url=api_url,
        validate_certs=params["validate_certs"],
        ca_path=params["ca_path"],
        timeout=params["timeout"],
        retries=params["retries"],
        workers=params["workers"],
        pacer=build_pacer(params, api_url, warn, on_long_wait, long_wait_seconds),
        warn=warn,
    )


def fail_with_error(module, error) -> t.NoReturn:
    """End the module run with the error's sentence as msg and its facts beside it."""
    module.fail_json(msg=str(error), **error.to_result())


def exit_with_run_report(module, report) -> t.NoReturn:
    """End a cancel or revoke run with its run_report.RunReport: the orders, summary and counts always, the diff when
    asked for, and a failure with every order's entry when the run did not do all it was asked."""
    result = dict(changed=report.changed, orders=report.orders, summary=report.summary, **report.counts)
    if module._diff:
        result["diff"] = report.diff
    if report.failure is not None:
        module.fail_json(msg=report.failure, **result)
    module.exit_json(**result)


def client_from_module(module):
    """The client for a module's connection options, or a failed run saying why there cannot be one."""
    if not HAS_REQUESTS:
        module.fail_json(msg=f"{missing_required_lib('requests')} {RUN_ON_THE_CONTROLLER}", exception=REQUESTS_IMPORT_ERROR)
    try:
        return build_client(module.params, warn=module.warn)
    except CertCentralError as error:
        fail_with_error(module, error)
