# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTPS: ``--tls-cert``/``--tls-key`` and ``running_simulator(tls_cert=..., tls_key=...)``, with throwaway keys made by
``openssl`` for this run only."""

from __future__ import annotations

import os
import re
import socket
import stat
import subprocess
import sys

import pytest
import requests

from certcentral_sim.generator import DEMO_ADMIN_KEY
from certcentral_sim.testing import cli_simulator, running_simulator
from certcentral_sim.tls import write_throwaway_pki

SIMULATOR_DIR = os.path.dirname(os.path.abspath(__file__))
HTTPS_URL = re.compile(r"^https://127\.0\.0\.1:\d+/services/v2$")


def run_refused(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "certcentral_sim", "--port", "0", *arguments], cwd=SIMULATOR_DIR, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return write_throwaway_pki(str(tmp_path_factory.mktemp("pki")))


@pytest.fixture(scope="module")
def other_pki(tmp_path_factory):
    """A second CA, which did not sign the server's certificate."""
    return write_throwaway_pki(str(tmp_path_factory.mktemp("other-pki")))


@pytest.fixture(scope="module")
def https_simulator(pki):
    with running_simulator(orders=40, reference_date="2026-01-15", rate_limits=[], tls_cert=pki.server_cert, tls_key=pki.server_key) as handle:
        yield handle


@pytest.fixture
def tls_simulator(https_simulator):
    https_simulator.reset()
    return https_simulator


def call(url: str, path: str, verify, method: str = "GET", **kwargs) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.request(method, url + path, headers={"X-DC-DEVKEY": DEMO_ADMIN_KEY}, verify=verify, timeout=kwargs.pop("timeout", 10), **kwargs)


def test_serves_the_api_and_the_admin_channel_over_https(tls_simulator, pki):
    assert HTTPS_URL.match(tls_simulator.base_url)
    assert tls_simulator.admin_url.startswith("https://")
    answer = call(tls_simulator.base_url, "/order/certificate", verify=pki.ca_cert, params={"limit": 5})
    assert answer.status_code == 200
    assert answer.json()["page"]["total"] == 40
    # The admin helpers go over HTTPS as well, pinned to the server's certificate.
    assert tls_simulator.counters()["api_requests"] == 1


def test_the_certificate_is_valid_for_localhost_and_the_loopback_addresses(tls_simulator, pki):
    url = tls_simulator.base_url.replace("127.0.0.1", "localhost")
    assert call(url, "/user/me", verify=pki.ca_cert).status_code == 200


def test_a_client_that_does_not_trust_the_ca_is_refused_before_any_request(tls_simulator, other_pki):
    with pytest.raises(requests.exceptions.SSLError, match="certificate verify failed"):
        call(tls_simulator.base_url, "/user/me", verify=other_pki.ca_cert)
    # The system's CA bundle does not know the throwaway CA either.
    with pytest.raises(requests.exceptions.SSLError, match="certificate verify failed"):
        call(tls_simulator.base_url, "/user/me", verify=True)
    assert tls_simulator.counters()["api_requests"] == 0


def test_plain_http_to_the_https_port_gets_no_answer_and_the_server_goes_on(tls_simulator, pki):
    with pytest.raises(requests.exceptions.ConnectionError):
        call(tls_simulator.base_url.replace("https://", "http://"), "/user/me", verify=False)
    assert call(tls_simulator.base_url, "/user/me", verify=pki.ca_cert).status_code == 200
    assert tls_simulator.counters()["api_requests"] == 1


def test_a_silent_client_does_not_hold_up_the_others(tls_simulator, pki):
    with socket.create_connection((tls_simulator.simulator.host, tls_simulator.simulator.port), timeout=10):
        # This connection never starts its handshake; others are served meanwhile.
        assert call(tls_simulator.base_url, "/user/me", verify=pki.ca_cert).status_code == 200


def test_faults_work_over_https(tls_simulator, pki):
    order_id = tls_simulator.orders("pending")[0]["id"]
    tls_simulator.set_faults(drops_after_write_next=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        call(tls_simulator.base_url, f"/order/certificate/{order_id}/status", verify=pki.ca_cert, method="PUT", json={"status": "canceled", "note": "TLS test"})
    assert tls_simulator.order_status(order_id) == "canceled"
    tls_simulator.set_faults(stalls_next=1, stall_seconds=2.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(tls_simulator.base_url, "/user/me", verify=pki.ca_cert, timeout=0.5)
    assert tls_simulator.counters()["faults"] == {"drop_after_write": 1, "stall": 1}


def test_certificate_and_key_go_together(pki):
    with pytest.raises(ValueError, match="both a certificate and its key"), running_simulator(orders=5, tls_cert=pki.server_cert):
        pass


def test_unusable_files_are_refused_with_their_names(pki, other_pki, tmp_path):
    with (
        pytest.raises(ValueError, match="cannot use the TLS certificate"),
        running_simulator(orders=5, tls_cert=str(tmp_path / "missing.pem"), tls_key=pki.server_key),
    ):
        pass
    # A key that does not belong to the certificate.
    with pytest.raises(ValueError, match="cannot use the TLS certificate"), running_simulator(orders=5, tls_cert=pki.server_cert, tls_key=other_pki.server_key):
        pass


def test_command_line_serves_https(pki):
    with cli_simulator("--orders", "20", "--no-rate-limits", "--tls-cert", pki.server_cert, "--tls-key", pki.server_key, scheme="https") as (process, url):
        assert call(url, "/user/me", verify=pki.ca_cert).json()["id"] == 1001
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_command_line_refuses_half_or_unusable_tls_options(pki, other_pki):
    result = run_refused("--orders", "5", "--tls-cert", pki.server_cert)
    assert result.returncode == 2 and "--tls-cert and --tls-key go together" in result.stderr
    result = run_refused("--orders", "5", "--tls-cert", pki.server_cert, "--tls-key", other_pki.server_key)
    assert result.returncode == 2 and "cannot use the TLS certificate" in result.stderr
    assert result.stdout == ""


def test_the_pki_command_writes_private_keys_only_the_owner_can_read(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "certcentral_sim.tls", str(tmp_path)], cwd=SIMULATOR_DIR, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "server key (--tls-key):" in result.stdout
    for key in ("ca-key.pem", "server-key.pem"):
        assert stat.S_IMODE(os.stat(tmp_path / key).st_mode) == 0o600
    verified = subprocess.run(
        ["openssl", "verify", "-CAfile", str(tmp_path / "ca.pem"), str(tmp_path / "server.pem")], capture_output=True, text=True, timeout=30, check=False
    )
    assert verified.returncode == 0, verified.stderr
