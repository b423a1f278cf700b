# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import os

import pytest
import yaml

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.certops.digicert.plugins.doc_fragments._certcentral import ModuleDocFragment
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import module_support
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import (
    CONNECTION_ARGUMENT_SPEC,
    build_client,
    client_from_module,
    connection_argument_spec,
    default_rate_limit_state_dir,
    fail_with_error,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.pacing import (
    FileHistoryStore,
    MemoryHistoryStore,
    RateLimit,
    state_file_stem,
)
from ansible_collections.certops.digicert.tests.unit.plugins.modules.utils import assert_spec_matches_documentation

API_KEY = "SECRET-KEY-0123456789abcdef"


def connection_params(tmp_path, **overrides):
    params = dict(
        api_key=API_KEY,
        api_url="https://www.digicert.com/services/v2/",
        validate_certs=True,
        ca_path=None,
        timeout=60,
        retries=5,
        workers=8,
        rate_limits=[dict(requests=100, seconds=5.0), dict(requests=1000, seconds=180.0)],
        rate_limit_state_dir=str(tmp_path / "pacing"),
    )
    params.update(overrides)
    return params


# ---------------------------------------------------------------- the spec and its documentation agree


def _documented_options():
    return yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]


def test_doc_fragment_mirrors_the_argument_spec():
    assert_spec_matches_documentation(CONNECTION_ARGUMENT_SPEC, _documented_options())


def test_env_fallbacks_are_documented():
    documented = _documented_options()
    for name, option in CONNECTION_ARGUMENT_SPEC.items():
        for variable in option.get("fallback", (None, []))[1]:
            assert f"E({variable})" in " ".join(documented[name]["description"])


def test_key_is_no_log():
    assert CONNECTION_ARGUMENT_SPEC["api_key"]["no_log"] is True


def test_connection_argument_spec_is_a_copy():
    spec = connection_argument_spec()
    spec["rate_limits"]["default"].append("changed")
    assert "changed" not in CONNECTION_ARGUMENT_SPEC["rate_limits"]["default"]


# ---------------------------------------------------------------- parsing by AnsibleModule


def test_key_and_url_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DIGICERT_API_KEY", API_KEY)
    monkeypatch.setenv("DIGICERT_API_URL", "https://certcentral.digicert.eu/services/v2")
    with patch_module_args({}):
        module = AnsibleModule(argument_spec=connection_argument_spec())
    assert module.params["api_key"] == API_KEY
    assert module.params["api_url"] == "https://certcentral.digicert.eu/services/v2"
    assert module.params["rate_limits"] == [dict(requests=100, seconds=5.0), dict(requests=1000, seconds=180.0)]


def test_explicit_options_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("DIGICERT_API_URL", "https://certcentral.digicert.eu/services/v2")
    with patch_module_args({"api_key": API_KEY, "api_url": "https://www.digicert.com/services/v2"}):
        module = AnsibleModule(argument_spec=connection_argument_spec())
    assert module.params["api_url"] == "https://www.digicert.com/services/v2"


# ---------------------------------------------------------------- building the client


def test_build_client_uses_every_option(tmp_path):
    warnings = []
    client = build_client(connection_params(tmp_path, timeout=9, retries=2, workers=3, validate_certs=False), warn=warnings.append)
    assert client.api_url == "https://www.digicert.com/services/v2"
    assert client.timeout == 9
    assert client.retries == 2
    assert client.workers == 3
    assert client._verify is False
    assert client.pacer.limits == (RateLimit(100, 5.0), RateLimit(1000, 180.0))
    assert isinstance(client.pacer.store, FileHistoryStore)
    # The history is keyed by the normalized URL.
    assert client.pacer.store.state_path == os.path.join(str(tmp_path / "pacing"), state_file_stem(API_KEY, "https://www.digicert.com/services/v2") + ".json")
    assert os.path.isfile(client.pacer.store.lock_path)
    # Verification is off towards a host that is not this machine: said once.
    assert len(warnings) == 1
    assert warnings[0].startswith("validate_certs is false: the TLS certificate of https://www.digicert.com/services/v2 is not checked")


@pytest.mark.parametrize("api_url", ["https://127.0.0.1:8443/services/v2", "https://localhost/services/v2"])
def test_no_verification_warning_towards_loopback(tmp_path, api_url):
    warnings = []
    build_client(connection_params(tmp_path, validate_certs=False, api_url=api_url), warn=warnings.append)
    assert warnings == []


def test_verification_on_gives_no_warning(tmp_path):
    warnings = []
    build_client(connection_params(tmp_path), warn=warnings.append)
    assert warnings == []


@pytest.mark.parametrize("api_key", ["SECRET\u2019KEY", "SECRET\u00a0KEY", "S\u00e9CRET"])
def test_a_key_beyond_printable_ascii_is_refused_without_quoting_it(tmp_path, api_key):
    with pytest.raises(CertCentralError) as caught:
        build_client(connection_params(tmp_path, api_key=api_key))
    message = str(caught.value)
    assert "not plain printable ASCII" in message or "whitespace or control characters" in message
    assert "SECRET" not in message and "CRET" not in message
    assert all(ord(character) < 128 for character in message)


def test_empty_rate_limits_turn_pacing_off(tmp_path):
    assert build_client(connection_params(tmp_path, rate_limits=[])).pacer is None
    assert not (tmp_path / "pacing").exists()


def test_unusable_state_dir_falls_back_to_this_process_with_a_warning(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    warnings = []
    client = build_client(connection_params(tmp_path, rate_limit_state_dir=str(blocker / "pacing")), warn=warnings.append)
    assert isinstance(client.pacer.store, MemoryHistoryStore)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"Cannot keep the rate limit history in {blocker / 'pacing'}")
    assert "rate_limit_state_dir" in warnings[0]
    assert API_KEY not in warnings[0]


def test_state_dir_defaults_to_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_rate_limit_state_dir() == str(tmp_path / "cache" / "certops.digicert" / "rate-limits")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_rate_limit_state_dir() == str(tmp_path / "home" / ".cache" / "certops.digicert" / "rate-limits")
    client = build_client(connection_params(tmp_path, rate_limit_state_dir=None))
    assert client.pacer.store.directory == default_rate_limit_state_dir()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"timeout": 0}, "timeout must be at least 1 second, got 0."),
        ({"retries": -1}, "retries must be 0 or more, got -1."),
        ({"workers": 0}, "workers must be at least 1, got 0."),
        ({"rate_limits": [dict(requests=0, seconds=5.0)]}, "Each entry of rate_limits needs requests of 1 or more"),
        ({"rate_limits": [dict(requests=10, seconds=0.0)]}, "and seconds above 0 and at most 86400 (a day), got requests=10, seconds=0.0."),
        # Values Python cannot wait for: they used to crash the run with "timestamp out of range" after its first request.
        ({"rate_limits": [dict(requests=1, seconds=1e12)]}, "at most 86400 (a day), got requests=1, seconds=1000000000000.0."),
        ({"rate_limits": [dict(requests=1, seconds=float("inf"))]}, "at most 86400 (a day), got requests=1, seconds=inf."),
        # nan compares false to everything, so it used to pass the check and switch pacing off.
        ({"rate_limits": [dict(requests=1, seconds=float("nan"))]}, "at most 86400 (a day), got requests=1, seconds=nan."),
        ({"timeout": 10**12}, "timeout must be at most 3600 seconds (an hour), got 1000000000000."),
        ({"ca_path": "/nonexistent/ca.pem"}, "ca_path /nonexistent/ca.pem is not a file"),
        ({"api_url": "http://certcentral.example.com/services/v2"}, "only allowed for loopback hosts"),
        ({"api_key": "key with spaces"}, "api_key contains whitespace"),
    ],
)
def test_unusable_options_fail_before_any_request(tmp_path, overrides, message):
    with pytest.raises(CertCentralError) as caught:
        build_client(connection_params(tmp_path, **overrides))
    assert message in str(caught.value)
    assert not (tmp_path / "pacing").exists()


def test_ca_path_is_not_checked_without_verification(tmp_path):
    assert build_client(connection_params(tmp_path, validate_certs=False, ca_path="/nonexistent/ca.pem"))._verify is False


# ---------------------------------------------------------------- failing a module


class FailedRun(Exception):
    pass


class FakeModule:
    def __init__(self, params):
        self.params = params
        self.warnings = []
        self.failure = None

    def warn(self, message):
        self.warnings.append(message)

    def fail_json(self, **result):
        self.failure = result
        raise FailedRun()


def test_client_from_module(tmp_path):
    module = FakeModule(connection_params(tmp_path))
    assert client_from_module(module).api_url == "https://www.digicert.com/services/v2"


def test_modules_pass_no_wait_callback_and_an_action_can(tmp_path):
    # A module cannot print while it runs: its pacer tells nobody of its waits.
    assert client_from_module(FakeModule(connection_params(tmp_path))).pacer._on_long_wait is None

    def hook(seconds, limit):
        pass

    pacer = build_client(connection_params(tmp_path), on_long_wait=hook, long_wait_seconds=2.5).pacer
    assert pacer._on_long_wait is hook
    assert pacer._long_wait_seconds == 2.5


def test_client_from_module_fails_with_the_error(tmp_path):
    module = FakeModule(connection_params(tmp_path, timeout=0))
    with pytest.raises(FailedRun):
        client_from_module(module)
    assert module.failure["msg"] == "timeout must be at least 1 second, got 0."
    assert module.failure["outcome_unknown"] is False


def test_client_from_module_needs_requests(monkeypatch, tmp_path):
    monkeypatch.setattr(module_support, "HAS_REQUESTS", False)
    monkeypatch.setattr(module_support, "REQUESTS_IMPORT_ERROR", "Traceback: no module named requests")
    module = FakeModule(connection_params(tmp_path))
    with pytest.raises(FailedRun):
        client_from_module(module)
    assert module.failure["msg"].startswith("Failed to import the required Python library (requests)")
    # It nearly always means the task ran on a managed host: the message says where the modules belong.
    assert "add delegate_to: localhost to the task, or run them in a play on localhost with connection: local" in module.failure["msg"]
    assert module.failure["exception"] == "Traceback: no module named requests"


@pytest.mark.parametrize("api_key", [None, ""])
def test_a_missing_key_names_every_way_to_set_it(tmp_path, api_key):
    module = FakeModule(connection_params(tmp_path, api_key=api_key))
    with pytest.raises(FailedRun):
        client_from_module(module)
    assert module.failure["msg"] == (
        "api_key is empty or not set. Set api_key in the task, export DIGICERT_API_KEY on the controller, or set "
        "api_key once for every module of the collection with module_defaults for group/certops.digicert.certcentral."
    )


def test_the_key_is_not_required_by_the_spec_so_that_the_module_says_how_to_set_it(monkeypatch):
    monkeypatch.delenv("DIGICERT_API_KEY", raising=False)
    with patch_module_args({}):
        module = AnsibleModule(argument_spec=connection_argument_spec())
    assert module.params["api_key"] is None


def test_fail_with_error_reports_the_facts():
    module = FakeModule({})
    error = CertCentralError("Order 7 does not exist.", http_status=404, error_code="not_found|order", order_id=7)
    with pytest.raises(FailedRun):
        fail_with_error(module, error)
    assert module.failure == dict(msg="Order 7 does not exist.", **error.to_result())
