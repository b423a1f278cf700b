# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the AWX tests: the collection built and installed as a project update installs it, the AWX
definitions shipped in awx/, and one CertCentral simulator (the demo account) reset before each job."""

from __future__ import annotations

import glob
import os
import subprocess
import sys

import pytest

from awx_repo import REPO_ROOT, load_yaml
from certcentral_sim.testing import running_simulator


@pytest.fixture(scope="session")
def credential_type() -> dict:
    return load_yaml("awx", "credential_type.yml")


@pytest.fixture(scope="session")
def job_template_file() -> dict:
    return load_yaml("awx", "job_template_order_cleanup.yml")


@pytest.fixture(scope="session")
def job_template(job_template_file) -> dict:
    return job_template_file["job_template"]


@pytest.fixture(scope="session")
def role_options() -> dict:
    return load_yaml("roles", "order_cleanup", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]


@pytest.fixture(scope="session")
def installed_collections(tmp_path_factory) -> str:
    """The collection built into a tarball and installed from it, as a project update installs it from Galaxy."""
    work = tmp_path_factory.mktemp("collection")
    ansible_galaxy = os.path.join(os.path.dirname(sys.executable), "ansible-galaxy")
    subprocess.run([ansible_galaxy, "collection", "build", REPO_ROOT, "--output-path", str(work / "dist")], check=True, capture_output=True)
    tarball = glob.glob(str(work / "dist" / "certops-digicert-*.tar.gz"))[0]
    collections_dir = work / "requirements_collections"
    subprocess.run([ansible_galaxy, "collection", "install", tarball, "-p", str(collections_dir)], check=True, capture_output=True)
    return str(collections_dir)


@pytest.fixture(scope="session")
def shared_simulator():
    """The demo account with DigiCert's rate limits; its abandoned orders are those more than 30 days old."""
    with running_simulator() as handle:
        yield handle


@pytest.fixture
def simulator(shared_simulator):
    shared_simulator.reset()
    return shared_simulator
