# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugins that take the connection options document exactly the options they validate.

Their documentation lives in a module file without code, where ansible-test's validate-modules finds no argument spec
to hold it against; this test does it, with the doc fragments the documentation extends.
"""

from __future__ import annotations

import importlib
import os

import pytest
import yaml

from ansible_collections.certops.digicert.plugins.doc_fragments._certcentral import ModuleDocFragment
from ansible_collections.certops.digicert.tests.unit.plugins.modules.utils import assert_spec_matches_documentation

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
ACTIONS = ("decommission_plan", "digicert_order_report", "order_cleanup_selection")
FRAGMENTS = {"certops.digicert._certcentral": ModuleDocFragment.DOCUMENTATION, "certops.digicert._certcentral.progress": ModuleDocFragment.PROGRESS}


def documented_options(name):
    documentation = yaml.safe_load(importlib.import_module(f"ansible_collections.certops.digicert.plugins.modules.{name}").DOCUMENTATION)
    options = dict(documentation["options"])
    for fragment in documentation.get("extends_documentation_fragment", []):
        options.update(yaml.safe_load(FRAGMENTS.get(fragment, "options: {}"))["options"] or {})
    return documentation, options


@pytest.mark.parametrize("name", ACTIONS)
def test_the_documented_options_are_the_validated_ones(name):
    action = importlib.import_module(f"ansible_collections.certops.digicert.plugins.action.{name}")
    documentation, options = documented_options(name)
    assert_spec_matches_documentation(action.argument_spec(), options)
    # Listing with the connection options, they take them from module_defaults for the group as the modules do.
    assert "certops.digicert._certcentral.actiongroup_certcentral" in documentation["extends_documentation_fragment"]
    with open(os.path.join(REPOSITORY_ROOT, "meta", "runtime.yml"), encoding="utf-8") as runtime:
        assert name in yaml.safe_load(runtime)["action_groups"]["certcentral"]
