# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the AWX tests find the repository's files."""

from __future__ import annotations

import os

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AWX_DIR = os.path.join(REPO_ROOT, "awx")


def load_yaml(*path: str):
    """The YAML file at ``path`` below the repository root."""
    with open(os.path.join(REPO_ROOT, *path), encoding="utf-8") as handle:
        return yaml.safe_load(handle)
