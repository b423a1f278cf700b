# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import copy
import datetime
import json

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral import review_plan
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.cleanup_report import (
    ReportSettings,
    planned_orders,
    report_texts,
)

API_KEY = "SECRET-KEY-0123456789abcdef"
API_URL = "https://certcentral.test/services/v2"
MADE = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
SELECTION = dict(statuses=["pending"], older_than_days=30, product_name_ids=[], container_ids=[], exclude_order_ids=[])


def listed(order_id, status="pending"):
    return dict(id=order_id, status=status, common_name=f"host{order_id}.example.com", age_days=40, cancel_verdict=dict(action="cancel", cancelable=True))


def make(orders=(1, 2), **overrides):
    arguments = dict(
        role="order_cleanup",
        api_url=API_URL,
        created_at=MADE,
        selection=SELECTION,
        orders=[dict(id=order_id, change="would_cancel", entry=listed(order_id)) for order_id in orders],
        api_key=API_KEY,
    )
    arguments.update(overrides)
    return review_plan.make_plan(**arguments)


def verify(document, now=MADE + datetime.timedelta(hours=1), **overrides):
    arguments = dict(
        where="The plan p.json", role="order_cleanup", api_url=API_URL, api_key=API_KEY, now=now, max_age_hours=72, variable_prefix="order_cleanup"
    )
    arguments.update(overrides)
    return review_plan.verify_plan(document, **arguments)


def test_a_plan_names_its_orders_changes_states_selection_url_time_and_verifies():
    document = make(orders=(2, 1))
    assert document["format"] == review_plan.PLAN_FORMAT and document["version"] == 1
    assert document["role"] == "order_cleanup" and document["api_url"] == API_URL
    assert document["created_at"] == "2026-03-04T05:06:07Z"
    assert document["selection"] == SELECTION
    assert [(order["id"], order["change"], order["status"]) for order in document["orders"]] == [(1, "would_cancel", "pending"), (2, "would_cancel", "pending")]
    assert document["orders"][0]["entry"] == listed(1)
    assert verify(document) is document
    assert review_plan.planned_entries(document) == [
        dict(listed(order_id), reviewed_change=dict(outcome="would_cancel", request_id=None)) for order_id in (1, 2)
    ]


def test_the_plan_text_round_trips_and_never_holds_the_key():
    document = make()
    text = review_plan.plan_text(document)
    assert API_KEY not in text
    assert review_plan.derive_key(API_KEY).hex() not in text
    reread = review_plan.parse_plan(text, "The plan p.json")
    assert verify(reread) == document


def test_reformatting_the_json_keeps_it_valid():
    document = make()
    reformatted = json.loads(json.dumps(document, indent=None, sort_keys=False))
    assert verify(reformatted) == document


@pytest.mark.parametrize(
    "edit",
    [
        lambda document: document["orders"].append(copy.deepcopy(document["orders"][0]) | {"id": 3}),
        lambda document: document["orders"].pop(),
        lambda document: document["orders"][0].update(change="would_reject_request"),
        lambda document: document["orders"][0]["entry"].update(status="issued"),
        lambda document: document.update(created_at="2026-03-05T05:06:07Z"),
        lambda document: document["selection"].update(older_than_days=1),
        lambda document: document["fingerprint"].update(value="0" * 64),
        lambda document: document.pop("fingerprint"),
    ],
)
def test_any_edit_is_refused_as_altered(edit):
    document = make()
    edit(document)
    with pytest.raises(
        review_plan.PlanRefused, match="was altered after it was written, or written with another API key.*Make a new plan with a report-only run"
    ):
        verify(document)


def test_a_plan_made_with_another_key_is_refused():
    with pytest.raises(review_plan.PlanRefused, match="written with another API key"):
        verify(make(api_key="ANOTHER-KEY"))


def test_a_plan_for_another_url_is_refused_naming_both_urls():
    document = make(api_url="https://other.test/services/v2/")
    with pytest.raises(review_plan.PlanRefused, match=f"made for CertCentral at https://other.test/services/v2, not {API_URL} .order_cleanup_api_url."):
        verify(document)
    # A trailing slash alone is the same URL.
    assert verify(make(api_url=API_URL + "/"))


def test_a_plan_of_another_role_is_refused():
    with pytest.raises(review_plan.PlanRefused, match="made by the role decommission, not order_cleanup"):
        verify(make(role="decommission"))


def test_an_expired_plan_is_refused_with_the_variable_to_raise():
    document = make()
    assert verify(document, now=MADE + datetime.timedelta(hours=72))
    with pytest.raises(review_plan.PlanRefused, match=r"72\.0 hours ago, more than order_cleanup_plan_max_age_hours=72"):
        verify(document, now=MADE + datetime.timedelta(hours=72, seconds=1))
    assert verify(document, now=MADE + datetime.timedelta(hours=100), max_age_hours=101)


def test_a_plan_from_the_future_is_refused_beyond_a_small_clock_skew():
    document = make()
    assert verify(document, now=MADE - datetime.timedelta(minutes=4))
    with pytest.raises(review_plan.PlanRefused, match="later than now.*clocks"):
        verify(document, now=MADE - datetime.timedelta(hours=1))


@pytest.mark.parametrize(
    "text, message",
    [
        ("not json", "is not JSON"),
        ("[1, 2]", "is not a JSON object"),
    ],
)
def test_what_is_not_a_plan_is_refused(text, message):
    with pytest.raises(review_plan.PlanRefused, match=message):
        review_plan.parse_plan(text, "The plan p.json")


def test_another_format_is_refused_before_the_fingerprint():
    document = make()
    document["version"] = 2
    with pytest.raises(review_plan.PlanRefused, match="is not a plan of format certops.digicert/plan version 1"):
        verify(document)


def test_the_key_is_needed():
    with pytest.raises(ValueError, match="API key is needed"):
        review_plan.derive_key("")


@pytest.mark.parametrize(
    "outcome, expected",
    [
        ("canceled", "canceled"),
        ("already_canceled", "already_canceled"),
        ("failed", "failed"),
        ("missing", "missing"),
        ("not_cancelable", review_plan.OUTCOME_CHANGED_SINCE_REVIEW),
        ("nothing_to_cancel", review_plan.OUTCOME_CHANGED_SINCE_REVIEW),
    ],
)
def test_review_outcome_flags_the_orders_that_moved_on_and_keeps_the_rest(outcome, expected):
    planned = make()["orders"][0]
    got, message = review_plan.review_outcome(planned, outcome, "issued", "Module says so.", ("not_cancelable", "nothing_to_cancel"))
    assert got == expected
    if expected == review_plan.OUTCOME_CHANGED_SINCE_REVIEW:
        assert message.startswith("Order 1 changed since the review: the plan was to cancel it when it was pending; now it is issued. It was left alone")
        assert message.endswith("Module says so.")
    else:
        assert message == "Module says so."


def _settings(mode, plan=None):
    return ReportSettings(mode=mode, generated_at=MADE, api_url=API_URL, selection=SELECTION, note="CHG-1", max_cancellations=50, batch_size=100, plan=plan)


def _batch(entries):
    return dict(number=1, order_ids=[entry["id"] for entry in entries], failed=False, message=None, summary={}, changes=0, orders=entries)


def test_planned_orders_are_the_would_change_entries_with_their_listing_and_request():
    found = [listed(1), listed(2), listed(3)]
    batches = [
        _batch(
            [
                dict(id=1, outcome="would_cancel", status="pending", status_before="pending"),
                dict(id=2, outcome="not_cancelable", status="issued", status_before="issued"),
                dict(id=3, outcome="would_reject_request", request_id=9, status="needs_approval", status_before="needs_approval"),
            ]
        )
    ]
    assert planned_orders(found, batches, []) == [
        dict(id=1, change="would_cancel", request_id=None, entry=listed(1)),
        dict(id=3, change="would_reject_request", request_id=9, entry=listed(3)),
    ]
    assert [order["id"] for order in planned_orders(found, batches, [3])] == [1]


def test_an_applied_plan_reports_changed_since_review_and_counts_it_as_skipped():
    document = make(orders=(1, 2))
    batches = [
        _batch(
            [
                dict(id=1, outcome="canceled", status="canceled", status_before="pending", message="Order 1 was canceled."),
                dict(
                    id=2, outcome="not_cancelable", status="issued", status_before="pending", refund_hint="Ask.", message="Order 2 changed since it was listed."
                ),
            ]
        )
    ]
    rows, summary, texts = report_texts(_settings("apply", {"file": "p.json", "document": document}), [listed(1), listed(2)], batches)
    assert [(row["order_id"], row["outcome"], row["result"]) for row in rows] == [(1, "canceled", "changed"), (2, "changed_since_review", "skipped")]
    assert rows[1]["refund_hint"] is None
    assert summary["outcomes"] == {"canceled": 1, "changed_since_review": 1}
    report = json.loads(texts["json"])
    assert report["plan"] == {
        "file": "p.json",
        "created_at": "2026-03-04T05:06:07Z",
        "fingerprint": document["fingerprint"]["value"],
        "orders": 2,
        "applied": True,
    }
    assert "Orders that changed since the review were left alone: 1." in texts["md"]


def test_a_report_run_names_the_plan_to_review():
    document = make(orders=(1,))
    batches = [_batch([dict(id=1, outcome="would_cancel", status="pending", status_before="pending")])]
    texts = report_texts(_settings("report", {"file": "/r/x.plan.json", "document": document}), [listed(1)], batches)[2]
    assert json.loads(texts["json"])["plan"]["written"] is True
    assert "order_cleanup_apply=true order_cleanup_plan=/r/x.plan.json" in texts["md"]
