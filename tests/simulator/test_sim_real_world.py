# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real-world modes: listings that move while they are read, the server's page size and default order, absurd
totals, malformed bodies, trickled answers, answers cut after a change."""

from __future__ import annotations

import pytest
import requests

from certcentral_sim.faults import MALFORMED_KINDS
from certcentral_sim.generator import DEMO_ADMIN_KEY
from certcentral_sim.testing import SimulatorAdminError, cli_simulator, running_simulator
from certcentral_sim.tls import write_throwaway_pki

LIST = "/order/certificate"


def ids(answer) -> list[int]:
    return [order["id"] for order in answer.json()["orders"]]


def test_without_sort_the_server_lists_in_its_default_order(simulator, api):
    simulator.set_faults(default_sort="-date_created")
    newest_first = api.get(LIST, params={"limit": 50}).json()["orders"]
    dates = [order["date_created"] for order in newest_first]
    assert dates == sorted(dates, reverse=True)
    # A sort the client sends is honoured...
    assert ids(api.get(LIST, params={"limit": 50, "sort": "id"})) == sorted(ids(api.get(LIST, params={"limit": 50, "sort": "id"})))
    # ...unless the server ignores it.
    simulator.set_faults(default_sort="-date_created", ignore_sort=True)
    assert ids(api.get(LIST, params={"limit": 50, "sort": "id"})) == [order["id"] for order in newest_first]


def test_the_server_chooses_a_smaller_page_and_says_so(simulator, api):
    simulator.set_faults(page_limit=500)
    page = api.get(LIST, params={"limit": 1000}).json()
    assert len(page["orders"]) == 500
    assert page["page"]["limit"] == 500
    assert api.get(LIST, params={"limit": 20}).json()["page"]["limit"] == 20


def test_an_absurd_total_is_claimed_for_the_real_orders(simulator, api):
    simulator.set_faults(claimed_total=10_000_000, page_limit=1)
    page = api.get(LIST).json()
    assert page["page"] == {"total": 10_000_000, "limit": 1, "offset": 0}
    assert len(page["orders"]) == 1
    assert api.get(LIST, params={"offset": 5000}).json()["orders"] == []
    assert simulator.counters()["faults"] == {"claimed_total": 2}


@pytest.mark.parametrize("kind, status", [("placed", "pending"), ("issued", "issued"), ("canceled", "canceled")])
def test_a_listing_moves_between_its_pages(simulator, api, kind, status):
    params = {"filters[status]": "pending", "sort": "id", "limit": 20}
    before = ids(api.get(LIST, params=params))
    simulator.set_faults(seed=3, churn_pages=1, **{f"churn_{kind}": 2})
    first_count = api.get(LIST, params=params).json()["page"]["total"]
    api.get(LIST, params=dict(params, offset=20))  # the churn happens before this page is served
    api.get(LIST, params=dict(params, offset=40))  # churn_pages is spent: nothing changes any more
    audit = [entry for entry in simulator.audit_log() if entry["role"] == "simulator"]
    assert len(audit) == 2
    assert simulator.counters()["faults"] == {f"listing_{kind}": 2}
    after = ids(api.get(LIST, params=dict(params, limit=1000)))
    if kind == "placed":
        new = [entry["order_id"] for entry in audit]
        assert all(order_id > max(before) for order_id in new)
        assert set(new) <= set(after) and len(after) == first_count + 2
        assert all(simulator.order_status(order_id) == "pending" for order_id in new)
    else:
        changed = [entry["order_id"] for entry in audit]
        # The orders that left are ones the listing held before the offset of the page asked for.
        assert set(changed) <= set(before[:20])
        assert all(simulator.order_status(order_id) == status for order_id in changed)
        assert len(after) == first_count - 2


def test_churn_is_reproducible_from_the_seed(simulator, api):
    def changed() -> list[int]:
        simulator.reset()
        simulator.set_faults(seed=9, churn_pages=1, churn_canceled=3)
        api.get(LIST, params={"filters[status]": "pending", "limit": 30, "offset": 30})
        return [entry["order_id"] for entry in simulator.audit_log()]

    assert changed() == changed()


@pytest.mark.parametrize("kind", MALFORMED_KINDS)
def test_malformed_answers(simulator, api, order_in, kind):
    order_id = order_in("pending")
    simulator.set_faults(malformed_next=1, malformed_kinds=[kind])
    answer = api.get(f"/order/certificate/{order_id}")
    assert answer.status_code == 200
    if kind == "not_json":
        with pytest.raises(ValueError):
            answer.json()
    elif kind == "html":
        assert answer.headers["Content-Type"] == "text/html"
    elif kind == "id_as_string":
        assert answer.json()["id"] == str(order_id)
    elif kind == "list_for_object":
        assert isinstance(answer.json()["certificate"], list)
    else:
        assert isinstance(answer.json()["certificate"]["dns_names"], int)
    assert api.get(f"/order/certificate/{order_id}").json()["id"] == order_id  # only the next one
    assert simulator.counters()["faults"] == {f"malformed_{kind}": 1}


def test_malformed_list_pages_name_an_order(simulator, api):
    simulator.set_faults(malformed_next=1, malformed_kinds=["id_as_string"])
    assert isinstance(api.get(LIST, params={"limit": 5}).json()["orders"][0]["id"], str)


def test_changes_are_never_malformed_only_cut(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_faults(malformed_rate=1.0)
    assert api.put(f"/order/certificate/{order_id}/status", {"status": "canceled", "note": "x"}).status_code == 204


def test_a_trickled_answer_comes_a_byte_at_a_time(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_faults(trickle_next=1, trickle_byte_ms=20)
    with pytest.raises(requests.exceptions.ReadTimeout):
        # The whole answer takes seconds, yet every byte comes within the read timeout: only a deadline stops it.
        requests.get(simulator.base_url + f"/order/certificate/{order_id}", headers={"X-DC-DEVKEY": DEMO_ADMIN_KEY}, timeout=(5, 0.01))
    simulator.set_faults(trickle_next=1, trickle_byte_ms=1)
    answer = api.get("/user/me")
    assert answer.status_code == 200 and answer.json()["id"] == 1001
    assert simulator.counters()["faults"] == {"trickle": 2}


def test_an_answer_cut_after_a_change_over_plain_http(simulator, api, order_in):
    order_id = order_in("pending")
    simulator.set_faults(cuts_after_write_next=1)
    with pytest.raises(requests.exceptions.RequestException):
        api.put(f"/order/certificate/{order_id}/status", {"status": "canceled", "note": "cut"})
    assert simulator.order_status(order_id) == "canceled"
    assert simulator.counters()["faults"] == {"cut_after_write": 1}


def test_a_tls_answer_cut_after_a_change_is_a_tls_error_and_the_change_stays(tmp_path):
    pki = write_throwaway_pki(str(tmp_path))
    with running_simulator(orders=100, rate_limits=[], tls_cert=pki.server_cert, tls_key=pki.server_key, faults={"cuts_after_write_next": 1}) as sim:
        order_id = sim.orders("pending")[0]["id"]
        with pytest.raises(requests.exceptions.SSLError):
            requests.put(
                sim.base_url + f"/order/certificate/{order_id}/status",
                json={"status": "canceled", "note": "x"},
                headers={"X-DC-DEVKEY": DEMO_ADMIN_KEY},
                verify=pki.ca_cert,
                timeout=10,
            )
        assert sim.order_status(order_id) == "canceled"


@pytest.mark.parametrize(
    "settings",
    [
        {"malformed_kinds": []},
        {"malformed_kinds": ["bogus"]},
        {"default_sort": ""},
        {"ignore_sort": 1},
        {"page_limit": -1},
        {"churn_pages": 1.5},
        {"trickle_rate": 2},
        {"cut_after_write_rate": -0.1},
    ],
)
def test_bad_settings_are_refused(simulator, settings):
    with pytest.raises(SimulatorAdminError) as caught:
        simulator.set_faults(**settings)
    assert caught.value.http_status == 400


def test_the_modes_from_the_command_line():
    with cli_simulator(
        "--orders", "60", "--no-rate-limits", "--page-limit", "7", "--default-sort=-date_created", "--claimed-total", "999", "--malformed-kind", "html"
    ) as (_process, base_url):
        page = requests.get(base_url + LIST, headers={"X-DC-DEVKEY": DEMO_ADMIN_KEY}, timeout=10).json()
        admin = requests.get(base_url.replace("/services/v2", "/_sim/faults"), timeout=10).json()
    assert page["page"] == {"total": 999, "limit": 7, "offset": 0}
    dates = [order["date_created"] for order in page["orders"]]
    assert dates == sorted(dates, reverse=True)
    assert admin["malformed_kinds"] == ["html"]
