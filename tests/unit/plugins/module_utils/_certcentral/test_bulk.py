# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pieces every bulk run shares (bulk.py and the files it rests on: order_input.py, order_fields.py,
key_checks.py, run_report.py). The runner itself is tested through its two users, in test_cancellation.py and
test_revocation.py."""

from __future__ import annotations

import pytest
from ansible.plugins.callback import CallbackBase

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.bulk import (
    BulkOptions,
    BulkRun,
    listing_pages,
    outcome_stops_run,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.key_checks import is_key_refusal, is_view_only
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_fields import (
    request_status,
    requests_problem,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.order_input import (
    ORDER_OPTIONS,
    listed_orders,
    normalize_text,
    order_argument_spec,
    orders_from_params,
    requested_order_ids,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.run_report import (
    build_diff,
    count_results,
    summarize,
)
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.verdict import order_status
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError


# ---------------------------------------------------------------- input


def test_requested_order_ids_keep_the_given_order():
    assert requested_order_ids(order_id=7) == [7]
    assert requested_order_ids(order_ids=[9, 3, 5]) == [9, 3, 5]


def test_a_module_takes_its_orders_by_ids_or_as_listed_entries():
    assert set(order_argument_spec()) == set(ORDER_OPTIONS)
    assert orders_from_params(dict(order_id=None, order_ids=[9, 3], orders=None)) == ([9, 3], None)
    assert orders_from_params(dict(order_id=7, order_ids=None, orders=None)) == ([7], None)
    order_ids, listed = orders_from_params(dict(order_id=None, order_ids=None, orders=[dict(id=4, status="pending")]))
    assert order_ids == [4]
    assert listed[4]["status"] == "pending"


def test_empty_order_ids_mean_nothing_to_do():
    assert requested_order_ids(order_ids=[]) == []


@pytest.mark.parametrize(
    "order_id, order_ids, message",
    [
        (None, None, "One of order_id or order_ids is required."),
        (0, None, "order_id must hold positive order IDs (whole numbers of 1 or more), got 0."),
        (None, [5, -2, True, "7"], "order_ids must hold positive order IDs (whole numbers of 1 or more), got -2, True, '7'."),
        (None, [5, 6, 5, 7, 6, 5], "order_ids names some orders more than once: 5, 6. Give each order once."),
    ],
)
def test_bad_order_ids_are_named(order_id, order_ids, message):
    with pytest.raises(ValueError) as caught:
        requested_order_ids(order_id, order_ids)
    assert str(caught.value) == message


def test_text_is_stripped_and_limited():
    assert normalize_text("comments", "  Retired host \n", 20, "say why.") == "Retired host"
    assert normalize_text("comments", "x" * 20, 20, "say why.") == "x" * 20
    with pytest.raises(ValueError) as caught:
        normalize_text("comments", " " + "x" * 21 + " ", 20, "say why.")
    assert str(caught.value) == "comments is 21 characters long; at most 20 are allowed."


@pytest.mark.parametrize("text", [None, "", " \t\n"])
def test_empty_text_is_refused_with_the_reason_it_is_required(text):
    with pytest.raises(ValueError) as caught:
        normalize_text("comments", text, 20, "the approver reads them.")
    assert str(caught.value) == "comments must not be empty: the approver reads them."


@pytest.mark.parametrize("number, text", [(4711, "4711"), (12.5, "12.5")])
def test_a_number_is_taken_as_its_text(number, text):
    assert normalize_text("note", number, 20, "say why.") == text


@pytest.mark.parametrize(
    "value, kind",
    [
        (["decommissioned", "ticket 4711"], "a list ['decommissioned', 'ticket 4711']"),
        ({"ticket": 4711}, "a mapping {'ticket': 4711}"),
        (True, "a boolean True"),
    ],
)
def test_what_is_not_text_is_refused_saying_what_it_is(value, kind):
    with pytest.raises(ValueError) as caught:
        normalize_text("note", value, 20, "say why.")
    assert str(caught.value) == (f"note must be text, got {kind}. Give one sentence; to combine several values, join them into one text first.")


class LimitedOptions(BulkOptions):
    limit_option = "max_widgets"


@pytest.mark.parametrize(
    "max_changes, message",
    [
        (-1, "max_widgets must be 0 or more, got -1."),
        (True, "max_widgets must be 0 or more, got True."),
    ],
)
def test_options_name_the_option_that_is_wrong(max_changes, message):
    with pytest.raises(ValueError) as caught:
        LimitedOptions(False, True, max_changes)
    assert str(caught.value) == message


def test_options_keep_the_common_choices():
    options = LimitedOptions(True, False, 0)
    assert (options.missing_ok, options.fail_on_not_possible, options.max_changes) == (True, False, 0)


class WidgetOptions(BulkOptions):
    def __init__(self, label, missing_ok=False, fail_on_not_widgetable=True, max_widgets=None):
        super().__init__(missing_ok, fail_on_not_widgetable, max_widgets)
        self.label = label


def test_options_from_module_params_take_each_constructor_argument_by_its_name():
    params = dict(label="Retired", missing_ok=True, fail_on_not_widgetable=False, max_widgets=3, order_ids=[1], api_key="KEY")
    options = WidgetOptions.from_params(params)
    assert (options.label, options.missing_ok, options.fail_on_not_possible, options.max_changes) == ("Retired", True, False, 3)


# ---------------------------------------------------------------- reading an order


@pytest.mark.parametrize(
    "order, expected",
    [
        ({"status": "ISSUED"}, "issued"),
        ({"status": 7}, None),
        ({}, None),
        (None, None),
    ],
)
def test_order_status(order, expected):
    assert order_status(order) == expected


def test_request_status_finds_the_request_by_id():
    order = {"requests": [{"id": 1, "status": "Pending"}, "not a request", {"id": 2, "status": None}]}
    assert request_status(order, 1) == "pending"
    assert request_status(order, 2) is None
    assert request_status(order, 3) is None
    assert request_status(order, None) is None
    assert request_status({"requests": "none"}, 1) is None


# ---------------------------------------------------------------- outcomes, summary and diff


class Choices:
    def __init__(self, missing_ok=False, fail_on_not_possible=True):
        self.missing_ok = missing_ok
        self.fail_on_not_possible = fail_on_not_possible


@pytest.mark.parametrize(
    "outcome, choices, stops",
    [
        ("failed", Choices(missing_ok=True, fail_on_not_possible=False), True),
        ("missing", Choices(), True),
        ("missing", Choices(missing_ok=True), False),
        ("not_widgetable", Choices(), True),
        ("not_widgetable", Choices(fail_on_not_possible=False), False),
        ("widgeted", Choices(), False),
    ],
)
def test_which_outcomes_stop_a_run(outcome, choices, stops):
    assert outcome_stops_run(outcome, choices, "not_widgetable") is stops


def test_summary_counts_every_outcome_including_zeros():
    assert summarize(["b", "b", "c"], ("a", "b", "c")) == {"a": 0, "b": 2, "c": 1}


def test_counts_sort_every_outcome_into_one_result():
    counts = count_results(["made", "made", "planned", "failed", "missing", "new_outcome"], ("made",), ("planned",))
    assert counts == {"changed_count": 2, "would_change_count": 1, "skipped_count": 2, "failed_count": 1}


def test_a_request_that_did_not_exist_before_shows_on_the_after_side_only():
    records = [
        dict(id=5, status_before="issued", status="issued", outcome="widgeted", request_id=70, request_status_before=None, request_status="pending"),
        dict(id=6, status_before="issued", status="issued", outcome="kept", request_id=71, request_status_before="pending", request_status="pending"),
    ]
    diff = build_diff(records, False, None)
    assert diff == {
        "before": {"orders": {"5": {"status": "issued"}, "6": {"status": "issued", "request": {"id": 71, "status": "pending"}}}},
        "after": {
            "orders": {
                "5": {"status": "issued", "request": {"id": 70, "status": "pending"}},
                "6": {"status": "issued", "request": {"id": 71, "status": "pending"}},
            }
        },
    }


def test_the_diff_names_each_order_by_its_common_name_right_under_its_id():
    records = [
        dict(id=1003380, common_name="shop.example.com", status_before="pending", status="canceled", outcome="x"),
        dict(id=1003381, common_name=None, status_before="pending", status="canceled", outcome="x"),
    ]
    diff = build_diff(records, False, None)
    assert diff["after"]["orders"] == {"1003380": {"common_name": "shop.example.com", "status": "canceled"}, "1003381": {"status": "canceled"}}
    # What --diff prints: Ansible's callback serializes each side with sorted keys, so the name is the context line
    # right above each changed status.
    shown = CallbackBase()._get_diff(dict(diff))
    lines = [(line[:1], line[1:].strip()) for line in shown.splitlines()]
    changed = lines.index(("-", '"status": "pending"'))
    assert lines[changed - 2 : changed] == [(" ", '"1003380": {'), (" ", '"common_name": "shop.example.com",')]


def test_check_mode_diff_asks_the_run_what_its_plans_leave_behind():
    seen = []

    def predict(state, outcome):
        seen.append((dict(state), outcome))
        return dict(state, status="widgeted")

    diff = build_diff([dict(id=5, status_before="issued", status="issued", outcome="would_widget")], True, predict)
    assert seen == [({"status": "issued"}, "would_widget")]
    assert diff["after"]["orders"] == {"5": {"status": "widgeted"}}
    assert diff["before"]["orders"] == {"5": {"status": "issued"}}


# ---------------------------------------------------------------- keys


@pytest.mark.parametrize(
    "status, code, refused",
    [
        (403, "access_denied|access_denied_invalid_key", True),
        (403, "access_denied|missing_permission", True),
        (401, None, True),
        (403, "access_denied|invalid_approver", False),
        (404, "not_found|order", False),
        (None, None, False),
    ],
)
def test_refusals_that_concern_the_key(status, code, refused):
    assert is_key_refusal(CertCentralError("refused", http_status=status, error_code=code)) is refused


@pytest.mark.parametrize(
    "roles, view_only",
    [
        ([{"id": 102, "name": "View Only"}], True),
        ([{"id": 7, "name": " VIEW ONLY "}], True),
        ([{"id": 102}, {"id": 100, "name": "Orders"}], False),
        ([{"id": 1, "name": "Administrator"}], False),
        ([], False),
        (None, False),
        (["View Only"], False),
    ],
)
def test_view_only_keys_are_recognized_by_role_id_or_name(roles, view_only):
    assert is_view_only({"id": 1003, "access_roles": roles}) is view_only


# ---------------------------------------------------------------- text sent to CertCentral, data read from it


@pytest.mark.parametrize(
    "text, code_point, position",
    [
        ("Decommissioned\x1b[2J", 0x1B, 15),
        ("line one\nline two", 0x0A, 9),
        ("tab\tseparated", 0x09, 4),
        ("DEL\x7f", 0x7F, 4),
        ("C1 \x9b control", 0x9B, 4),
        ("line\u2028separator", 0x2028, 5),
    ],
)
def test_text_with_control_characters_is_refused_naming_the_code_point(text, code_point, position):
    with pytest.raises(ValueError) as caught:
        normalize_text("note", text, 1000, "say why.")
    assert str(caught.value) == (
        f"note contains the control character U+{code_point:04X} at position {position}. Write it as one line of plain text, without line "
        "breaks, tabs or other control characters: it goes to CertCentral's audit log and into reports."
    )
    assert text[position - 1] not in str(caught.value)


def test_surrounding_whitespace_is_not_a_control_character():
    assert normalize_text("comments", "\n  Host retired (CHG-1) \t\n", 1000, "say why.") == "Host retired (CHG-1)"
    assert normalize_text("comments", "Zürich – Straße ½", 1000, "say why.") == "Zürich – Straße ½"


@pytest.mark.parametrize(
    "requests, problem",
    [
        (None, None),
        ([], None),
        ([{"id": 7, "type": "new request", "status": "Pending"}], None),
        ({"id": 7}, "requests is a mapping where a list belongs"),
        (3, "requests is a value of type int where a list belongs"),
        (["7"], "requests[0] is the text '7' where an object belongs"),
        (
            [{"id": 1, "type": "revoke", "status": "pending"}, {"id": "7", "type": "revoke", "status": "pending"}],
            "requests[1].id is the text '7' where a whole number belongs",
        ),
        ([{"id": True, "type": "revoke", "status": "pending"}], "requests[0].id is a boolean where a whole number belongs"),
        ([{"id": None, "type": "revoke", "status": "pending"}], "requests[0].id is null where a whole number belongs"),
        ([{"id": 7, "type": ["revoke"], "status": "pending"}], "requests[0].type is a list where text belongs"),
        ([{"id": 7, "type": "revoke"}], "requests[0].status is null where text belongs"),
        ([{"id": "x" * 60, "type": "revoke", "status": "pending"}], f"requests[0].id is the text '{'x' * 40}...' where a whole number belongs"),
    ],
)
def test_requests_problem_names_the_field(requests, problem):
    assert requests_problem(requests) == problem


def test_listed_orders_refuse_requests_with_text_ids():
    entries = [{"id": 5, "status": "pending", "requests": [{"id": "7", "type": "new_request", "status": "pending"}]}]
    with pytest.raises(ValueError) as caught:
        listed_orders(entries)
    assert str(caught.value) == (
        "Entry 1 of orders (order 5) cannot be used: requests[0].id is the text '7' where a "
        "whole number belongs. Pass the orders as digicert_order_info returned them, or their "
        "IDs as order_ids."
    )


def test_request_status_is_read_in_any_spelling():
    order = {"requests": [{"id": 7, "type": "New Request", "status": "Pending"}]}
    assert request_status(order, 7) == "pending"


def test_a_read_with_a_request_id_as_text_is_refused_by_the_run_itself():
    # Whatever the client checks, the run plans on no request ID that is not a whole number.
    class Client:
        def get_order(self, order_id):
            return {"id": order_id, "status": "pending", "requests": [{"id": "7", "type": "new_request", "status": "pending"}]}

    run = BulkRun(Client(), [5], BulkOptions(False, True, None))
    with pytest.raises(CertCentralError) as caught:
        run._read(5)
    assert str(caught.value) == (
        "Order 5 is not acted on: in CertCentral's answer, requests[0].id is the text '7' where "
        "a whole number belongs. Its requests decide what may be done about it, so a plan cannot "
        "rest on them; check the order in CertCentral (Certificates > Requests) and that api_url "
        "is the CertCentral Services API v2."
    )
    assert caught.value.order_id == 5


@pytest.mark.parametrize("total, pages", [(0, 0), (1, 1), (1000, 1), (1001, 2), (1950, 2), (1951, 3), (6000, 7)])
def test_listing_pages_follow_the_overlapping_pages_of_a_listing(total, pages):
    # Pages of 1,000, each after the first repeating 50 orders of the one before.
    assert listing_pages(total) == pages
