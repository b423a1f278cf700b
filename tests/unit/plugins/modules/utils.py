# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module's unit tests share: running a module's main() and putting a fake client in its place, and the
fake client of the cancel and revoke modules (FakeApi, FakeClient)."""

from __future__ import annotations

import copy
import json

import yaml

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import module_support
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError

# A distinctive key, so that a test can prove it never reaches the module's output.
API_KEY = "SECRET-KEY-0123456789abcdef"


def install_fake_clients(monkeypatch, tmp_path, api, fake_client_class):
    """Make every module build ``fake_client_class(api, options)`` instead of a CertCentralClient, recording each
    client in ``api.clients``, with no key or URL leaking in from the environment."""

    def make_client(**options):
        client = fake_client_class(api, options)
        api.clients.append(client)
        return client

    monkeypatch.setattr(module_support, "CertCentralClient", make_client)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("DIGICERT_API_KEY", raising=False)
    monkeypatch.delenv("DIGICERT_API_URL", raising=False)
    return api


def run_module_main(capsys, main, args, check_mode=False, diff=False, **defaults):
    """Run a module's ``main`` with ``args`` (plus ``api_key`` and ``defaults`` where not given) and return its
    result, after checking that the key appears nowhere in the output."""
    module_args = dict(args)
    module_args.setdefault("api_key", API_KEY)
    for name, value in defaults.items():
        module_args.setdefault(name, value)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    if diff:
        module_args["_ansible_diff"] = True
    with patch_module_args(module_args), pytest.raises(SystemExit):
        main()
    output = capsys.readouterr().out
    assert API_KEY not in output
    return json.loads(output)


COUNT_KEYS = ("changed_count", "would_change_count", "skipped_count", "failed_count")


def result_counts(result):
    """The counts a cancel or revoke module returned, by key."""
    return dict((name, result[name]) for name in COUNT_KEYS)


def counted_in(return_doc, outcome, change_outcomes, would_change_outcomes):
    """(the count keys whose RETURN description names ``outcome``, the one count key it belongs to)."""
    returned = yaml.safe_load(return_doc)
    naming = [name for name in COUNT_KEYS if f"V({outcome})" in " ".join(returned[name]["description"])]
    expected = (
        "changed_count"
        if outcome in change_outcomes
        else "would_change_count"
        if outcome in would_change_outcomes
        else "failed_count"
        if outcome == "failed"
        else "skipped_count"
    )
    return naming, expected


class FakeApi:
    """What the fake clients serve: orders by ID, and the changes DigiCert makes when they are canceled, their
    requests rejected, or revoked."""

    def __init__(self):
        self.orders = {}
        self.clients = []
        self.next_request_id = 7000001


class FakeClient:
    """Stands in for CertCentralClient in the cancel and revoke modules, recording its options and calls."""

    def __init__(self, api, options):
        self.api = api
        self.options = options
        self.calls = []

    def map_concurrently(self, function, arguments):
        return [function(argument) for argument in arguments]

    def get_order(self, order_id):
        self.calls.append(("get_order", order_id))
        if order_id not in self.api.orders:
            raise CertCentralError(
                f"Order {order_id} does not exist or is not in this account (HTTP 404 not_found|order).",
                http_status=404,
                error_code="not_found|order",
                order_id=order_id,
            )
        return copy.deepcopy(self.api.orders[order_id])

    def get_current_user(self):
        self.calls.append(("get_current_user",))
        return {"id": 1, "access_roles": [{"id": 1, "name": "Administrator"}]}

    def cancel_order(self, order_id, note):
        self.calls.append(("cancel_order", order_id, note))
        self.api.orders[order_id]["status"] = "canceled"

    def reject_request(self, request_id, comment=None):
        self.calls.append(("reject_request", request_id, comment))
        for order in self.api.orders.values():
            for request in order["requests"]:
                if request["id"] == request_id:
                    request["status"] = "rejected"
                    order["status"] = "rejected"

    def revoke_order(self, order_id, comments, revocation_reason=None, skip_approval=False):
        self.calls.append(("revoke_order", order_id, comments, revocation_reason, skip_approval))
        order = self.api.orders[order_id]
        if skip_approval:
            order["status"] = "revoked"
            return None
        created = {"id": self.api.next_request_id, "date": "2026-01-15T10:00:00+00:00", "type": "revoke", "status": "pending", "comments": comments}
        self.api.next_request_id += 1
        order["requests"].append(dict(created))
        return created


def assert_spec_matches_documentation(spec, documented):
    """``spec`` (an argument spec) and ``documented`` (the options of a DOCUMENTATION) name the same options, each with
    the same type, required flag, default and elements, suboptions included."""
    assert sorted(spec) == sorted(documented)
    for name, option in spec.items():
        doc = documented[name]
        assert option.get("type", "str") == doc.get("type", "str"), name
        assert option.get("required", False) == doc.get("required", False), name
        assert option.get("default") == doc.get("default"), name
        assert option.get("elements") == doc.get("elements"), name
        if "options" in option:
            assert_spec_matches_documentation(option["options"], doc["suboptions"])
