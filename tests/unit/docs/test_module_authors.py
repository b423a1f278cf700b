# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every plugin's ansible-doc names the same author, as galaxy.yml does, with a GitHub handle: ansible-doc prints
``(!UNKNOWN)`` literally, which reads like a fault on the Galaxy page (issue 15)."""

from __future__ import annotations

import importlib
import os
import re

import pytest
import yaml

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(REPOSITORY_ROOT, "plugins", "modules")) if name.endswith(".py") and name != "__init__.py")
# ansible-test's validate-modules wants "Name (@github_handle)" or "Name (!UNKNOWN)".
AUTHOR_FORM = re.compile(r"^(?P<name>.+) \(@[A-Za-z0-9-]+\)$")


def galaxy_authors():
    with open(os.path.join(REPOSITORY_ROOT, "galaxy.yml"), encoding="utf-8") as galaxy:
        return yaml.safe_load(galaxy)["authors"]


@pytest.mark.parametrize("name", MODULES)
def test_the_author_is_the_collection_s_with_a_handle(name):
    documentation = yaml.safe_load(importlib.import_module(f"ansible_collections.certops.digicert.plugins.modules.{name}").DOCUMENTATION)
    names = []
    for author in documentation["author"]:
        match = AUTHOR_FORM.match(author)
        assert match, f"{name}: author {author!r} has no GitHub handle"
        names.append(match.group("name"))
    assert names == galaxy_authors()


def test_every_module_is_checked():
    assert {"digicert_order_cancel", "digicert_order_info", "digicert_order_revoke", "decommission_plan"} <= set(MODULES)
