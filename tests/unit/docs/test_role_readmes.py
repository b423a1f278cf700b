# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every role has the README Galaxy wants, and its variables table agrees with ``meta/argument_specs.yml``.

Galaxy refuses a collection with a role that has no README; a README whose variables or defaults drift from the
argument spec would tell users something the role does not do. A variables table row is a Markdown table line whose
first cell is a variable name of the role in backticks (``| `order_cleanup_apply` | `false` | ... |``); when the
argument spec gives a default, the second cell is that default as YAML in backticks.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
ROLES_DIR = os.path.join(REPOSITORY_ROOT, "roles")
ROLE_NAMES = sorted(name for name in os.listdir(ROLES_DIR) if os.path.isdir(os.path.join(ROLES_DIR, name)))
TABLE_ROW = re.compile(r"^\|\s*`(?P<name>[a-z0-9_]+)`\s*\|\s*(?P<default>[^|]*?)\s*\|")


def role_options(role):
    """Every option of every entry point of the role's argument spec, by name."""
    with open(os.path.join(ROLES_DIR, role, "meta", "argument_specs.yml")) as handle:
        specs = yaml.safe_load(handle)["argument_specs"]
    options = {}
    for entry_point in specs.values():
        options.update(entry_point.get("options") or {})
    return options


def readme_text(role):
    with open(os.path.join(ROLES_DIR, role, "README.md")) as handle:
        return handle.read()


def variable_rows(role):
    """The README's variables table rows for this role's variables: {name: text of the default cell}."""
    rows = {}
    for line in readme_text(role).splitlines():
        match = TABLE_ROW.match(line)
        if match and match.group("name").startswith(role + "_"):
            rows[match.group("name")] = match.group("default")
    return rows


def test_there_are_roles_to_check():
    assert "order_cleanup" in ROLE_NAMES


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_role_has_readme_with_title_and_example(role):
    text = readme_text(role)
    assert text.startswith(f"# certops.digicert.{role}\n"), "the README starts with the role's full name"
    assert f"certops.digicert.{role}" in text.split("## ", 1)[1], "the README shows how to use the role"
    for section in ("## Requirements", "## Role variables", "## Licence", "## Author"):
        assert section in text, f'roles/{role}/README.md has no "{section}" section'


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_readme_lists_exactly_the_declared_variables(role):
    declared = set(role_options(role))
    listed = set(variable_rows(role))
    assert listed - declared == set(), f"roles/{role}/README.md lists variables the argument spec does not declare"
    assert declared - listed == set(), f"roles/{role}/README.md has no table row for these variables"


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_readme_defaults_are_the_argument_spec_defaults(role):
    options = role_options(role)
    rows = variable_rows(role)
    checked = 0
    for name, option in sorted(options.items()):
        if "default" not in option or name not in rows:
            continue
        cell = rows[name]
        match = re.match(r"^`(.*)`$", cell)
        assert match, f"roles/{role}/README.md: the default of {name} is not one value in backticks: {cell}"
        assert yaml.safe_load(match.group(1)) == option["default"], (
            f"roles/{role}/README.md gives {name} the default {cell}; meta/argument_specs.yml says {option['default']!r}"
        )
        checked += 1
    assert checked == len([option for option in options.values() if "default" in option])
