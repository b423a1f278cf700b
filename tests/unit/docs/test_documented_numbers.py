# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The numbers the documentation states are the numbers the code uses.

Each check finds the sentence that states a number (rate-limit windows, the pacing margin, the default retries and
workers, the backoff steps, the retried statuses, the listing's page size, the longest note, how long a connection
may idle) in the connection options' doc fragment, the rate-limit guide, the API notes, the modules' documentation
and the role's argument spec, and compares it with the constant the code uses. A reworded sentence that a pattern no longer finds fails as well: then the
pattern here has to follow the new wording, so that the number stays checked.
"""

from __future__ import annotations

import ast
import os
import re

import pytest
import yaml

from ansible_collections.certops.digicert.plugins.doc_fragments._certcentral import ModuleDocFragment
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import client, listing, pacing, transport
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cancellation import NOTE_MAX_LENGTH
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.module_support import (
    CONNECTION_ARGUMENT_SPEC,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.revocation import COMMENTS_MAX_LENGTH

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
NUMBER = r"(\d+(?:\.\d+)?)"


def read(*path):
    with open(os.path.join(REPOSITORY_ROOT, *path)) as handle:
        return handle.read()


def module_documentation(name):
    """The DOCUMENTATION string of plugins/modules/<name>.py, read without importing the module."""
    tree = ast.parse(read("plugins", "modules", name + ".py"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [target.id for target in node.targets] == ["DOCUMENTATION"]:
            return node.value.value
    raise AssertionError(f"plugins/modules/{name}.py has no DOCUMENTATION")


# Every text as one line, so that a sentence wrapped anywhere still matches.
DOCUMENTS = {
    "plugins/doc_fragments/_certcentral.py": ModuleDocFragment.DOCUMENTATION,
    "docs/docsite/rst/guide_rate_limits.rst": read("docs", "docsite", "rst", "guide_rate_limits.rst"),
    "docs/certcentral-api.md": read("docs", "certcentral-api.md"),
    "plugins/modules/digicert_order_cancel.py": module_documentation("digicert_order_cancel"),
    "plugins/modules/digicert_order_revoke.py": module_documentation("digicert_order_revoke"),
    "roles/order_cleanup/meta/argument_specs.yml": read("roles", "order_cleanup", "meta", "argument_specs.yml"),
}
DOCUMENTS = dict((name, " ".join(text.split())) for name, text in DOCUMENTS.items())


def stated(document, pattern):
    """Every match of ``pattern`` in ``document`` (as tuples of groups); fails when the sentence is not found."""
    found = [match.groups() for match in re.finditer(pattern, DOCUMENTS[document])]
    assert found, f"{document} no longer states what /{pattern}/ looks for; update the pattern in {os.path.basename(__file__)}"
    return found


def default_windows():
    return [(limit["requests"], limit["seconds"]) for limit in CONNECTION_ARGUMENT_SPEC["rate_limits"]["default"]]


def as_numbers(groups):
    return tuple(float(group) for group in groups)


@pytest.mark.parametrize("document", ["plugins/doc_fragments/_certcentral.py", "docs/docsite/rst/guide_rate_limits.rst"])
def test_rate_limit_windows_are_the_defaults(document):
    pattern = rf"{NUMBER} requests per {NUMBER} seconds and {NUMBER} requests per {NUMBER} seconds"
    windows = [limit for window in default_windows() for limit in window]
    for groups in stated(document, pattern):
        assert as_numbers(groups) == tuple(windows)
    assert [tuple(limit) for limit in pacing.DEFAULT_RATE_LIMITS] == default_windows()


def test_longest_window_and_page_size_in_the_run_time_example():
    longest = max(default_windows(), key=lambda window: window[1])
    document = "docs/docsite/rst/guide_rate_limits.rst"
    for groups in stated(document, rf"the long window admits {NUMBER} requests per {NUMBER} seconds"):
        assert as_numbers(groups) == longest
    for groups in stated(document, rf"reading {NUMBER} orders one by one .{{0,80}}? takes at least {NUMBER} seconds"):
        assert as_numbers(groups) == longest
    pattern = rf"listings cost about one request per {NUMBER}\s+orders \(each page of {NUMBER} repeats {NUMBER} orders"
    for orders_per_request, page_size, overlap in stated(document, pattern):
        assert float(page_size) == listing.PAGE_SIZE
        assert float(overlap) == listing.MAX_PAGE_OVERLAP
        assert float(orders_per_request) == listing.PAGE_SIZE - listing.MAX_PAGE_OVERLAP


def test_window_margin_is_the_pacing_margin():
    for (margin,) in stated("docs/docsite/rst/guide_rate_limits.rst", rf"treated as {NUMBER} seconds\s+longer than configured"):
        assert float(margin) == pacing.SAFETY_MARGIN_SECONDS


@pytest.mark.parametrize("document", ["plugins/doc_fragments/_certcentral.py", "docs/docsite/rst/guide_rate_limits.rst"])
def test_hold_after_429_is_the_shortest_window_plus_the_margin(document):
    for (margin,) in stated(document, rf"at least the shortest window (?:of O\(rate_limits\) )?plus {NUMBER} seconds"):
        assert float(margin) == pacing.SAFETY_MARGIN_SECONDS


@pytest.mark.parametrize("document", ["plugins/doc_fragments/_certcentral.py", "docs/docsite/rst/guide_rate_limits.rst"])
def test_backoff_steps(document):
    steps = []
    step = client.BACKOFF_FIRST_SECONDS
    while step < client.BACKOFF_MAX_SECONDS:
        steps.append(step)
        step *= 2
    for listed, longest in stated(document, rf"between half and all of ((?:\d+, )+\d+) and at most {NUMBER} seconds"):
        assert [float(number) for number in listed.split(", ")] == steps
        assert float(longest) == client.BACKOFF_MAX_SECONDS


@pytest.mark.parametrize("document", ["plugins/doc_fragments/_certcentral.py", "docs/docsite/rst/guide_rate_limits.rst"])
def test_retried_read_statuses(document):
    for (listed,) in stated(document, r"retried on HTTP 429, ((?:\d{3},? )+(?:and )?\d{3})"):
        assert set(int(status) for status in re.findall(r"\d{3}", listed)) == set(client.RETRYABLE_SERVER_STATUSES)


@pytest.mark.parametrize("document", ["docs/docsite/rst/guide_rate_limits.rst", "docs/certcentral-api.md"])
def test_idle_connections_are_not_reused_after_the_transport_limit(document):
    for (seconds,) in stated(document, rf"has been idle for more than {NUMBER} seconds"):
        assert float(seconds) == transport.IDLE_CONNECTION_SECONDS


@pytest.mark.parametrize("option", ["retries", "workers"])
def test_guide_defaults_are_the_option_defaults(option):
    pattern = rf":ansopt:`certops\.digicert\.digicert_order_info#module:{option}` \({NUMBER} by default\)"
    for (default,) in stated("docs/docsite/rst/guide_rate_limits.rst", pattern):
        assert float(default) == CONNECTION_ARGUMENT_SPEC[option]["default"]


@pytest.mark.parametrize(
    "document, longest",
    [
        ("plugins/modules/digicert_order_cancel.py", NOTE_MAX_LENGTH),
        ("roles/order_cleanup/meta/argument_specs.yml", NOTE_MAX_LENGTH),
        ("plugins/modules/digicert_order_revoke.py", COMMENTS_MAX_LENGTH),
    ],
)
def test_longest_note_and_comments(document, longest):
    for (stated_longest,) in stated(document, rf"at most {NUMBER} characters"):
        assert float(stated_longest) == longest


def test_fragment_defaults_are_the_argument_spec_defaults():
    # validate-modules compares each module's documented defaults with its argument spec; this compares the shared
    # fragment with the shared spec directly, so that a drift shows here with both values.
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    for name, spec in CONNECTION_ARGUMENT_SPEC.items():
        assert options[name].get("default") == spec.get("default"), name
