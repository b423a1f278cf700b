# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``python -m certcentral_sim``: the listening line, the URL file, flags, loopback only, clean exit on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import requests

from certcentral_sim.generator import DEMO_ADMIN_KEY, generate_account
from certcentral_sim.testing import cli_simulator
from sim_contract import closed_by_the_server_when_left_idle

SIMULATOR_DIR = os.path.dirname(os.path.abspath(__file__))


def get(url: str, path: str) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False  # loopback traffic never goes through a proxy from the environment
        return session.get(url + path, headers={"X-DC-DEVKEY": DEMO_ADMIN_KEY}, timeout=10)


def test_listens_writes_the_url_file_and_stops_cleanly_on_sigterm(tmp_path):
    url_file = tmp_path / "url"
    with cli_simulator("--orders", "50", "--reference-date", "2026-01-15", "--url-file", str(url_file), "--rate-limit", "3/30") as (process, url):
        assert url_file.read_text(encoding="utf-8") == url + "\n"
        assert [get(url, "/user/me").status_code for _attempt in range(4)] == [200, 200, 200, 429]
        assert get(url, "/order/certificate").status_code == 429
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert not url_file.exists()


def test_sigint_also_stops_it():
    with cli_simulator("--orders", "20") as (process, url):
        assert get(url, "/user/me").status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_loads_a_data_file_and_applies_fault_flags(tmp_path):
    data_file = tmp_path / "account.json"
    data_file.write_text(json.dumps(generate_account(seed=5, orders=33, reference_date="2026-01-15")), encoding="utf-8")
    with cli_simulator("--data", str(data_file), "--no-rate-limits", "--burst-429", "1", "--fault-seed", "9") as (process, url):
        assert get(url, "/order/certificate").status_code == 429
        assert get(url, "/order/certificate").json()["page"]["total"] == 33
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_idle_timeout_flag():
    with cli_simulator("--orders", "20", "--idle-timeout", "0.2") as (process, url):
        assert closed_by_the_server_when_left_idle(url, DEMO_ADMIN_KEY)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def run_refused(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "certcentral_sim", "--port", "0", *arguments], cwd=SIMULATOR_DIR, capture_output=True, text=True, timeout=60, check=False
    )


def test_refuses_a_non_loopback_host():
    for host in ("0.0.0.0", "192.0.2.10", "example.com"):
        result = run_refused("--orders", "10", "--host", host)
        assert result.returncode == 2 and "only listens on a loopback address" in result.stderr
        assert result.stdout == ""


def test_refuses_contradictory_account_options():
    assert run_refused("--demo-account", "--seed", "3").returncode == 2
    assert run_refused("--data", "x.json", "--orders", "3").returncode == 2
    assert run_refused("--data", "/nonexistent/account.json").returncode == 2
    assert run_refused("--orders", "10", "--pending", "20").returncode == 2
    assert run_refused("--rate-limit", "fast").returncode == 2
    assert run_refused("--idle-timeout", "0").returncode == 2
    assert run_refused("--idle-timeout", "nan").returncode == 2
