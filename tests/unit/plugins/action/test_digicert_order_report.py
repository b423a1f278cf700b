# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import csv
import datetime
import gc
import json
import os
import stat
from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.playbook.play_context import PlayContext

from ansible_collections.certops.digicert.plugins.action import digicert_order_report
from ansible_collections.certops.digicert.plugins.action.digicert_order_report import ActionModule
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import inventory_report
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.orders import normalize_order
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.progress import PROGRESS_INTERVAL
from ansible_collections.certops.digicert.tests.unit.plugins.action.doubles import API_KEY, Account, account_order

API_URL = "https://certcentral.test/services/v2"
NOW = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
BASENAME = "order-report-20260304T050607Z"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(digicert_order_report, "utc_now", lambda: NOW)


def run_action(report_dir, **options):
    task = MagicMock()
    task.action = "certops.digicert.digicert_order_report"
    task.args = dict(dict(api_key=API_KEY, api_url=API_URL, report_dir=str(report_dir) if isinstance(report_dir, os.PathLike) else report_dir), **options)
    task.async_val = 0
    task.check_mode = False
    action = ActionModule(task, MagicMock(), PlayContext(), loader=None, templar=None, shared_loader_obj=None)
    action._load_name = "certops.digicert.digicert_order_report"
    return action.run(task_vars={})


def expected_texts(orders, filters=None, details=False, oldest=20):
    """What the shared writer makes of these account orders in one pass, the way order_cleanup_report wrote it."""
    settings = inventory_report.InventorySettings(
        "2026-03-04T05:06:07Z", API_URL, filters or dict(statuses=[], older_than_days=0, product_name_ids=[], container_id=""), details, oldest
    )
    normalized = [normalize_order(order, NOW) for order in orders]
    return inventory_report.report_texts(settings, normalized, BASENAME)


def test_the_files_are_the_shared_writers_texts_for_every_order_once(tmp_path, client):
    account = Account(range(1, 26))
    client(account)
    result = run_action(tmp_path)

    texts = expected_texts([account_order(order_id) for order_id in range(1, 26)])[2]
    assert result["changed"] is False
    assert result["count"] == 25
    assert result["report_files"] == dict((extension, str(tmp_path / (f"{BASENAME}.{extension}"))) for extension in ("json", "csv", "md", "html"))
    for extension, path in result["report_files"].items():
        with open(path, encoding="utf-8", newline="") as written:
            assert written.read() == texts[extension], extension
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert os.readlink(tmp_path / (f"order-report-latest.{extension}")) == os.path.basename(path)
    # The pages overlapped, so orders came twice; the report holds each once.
    assert len(account.offsets) == 3
    assert result["summary"] == json.loads(texts["json"])["summary"]
    assert result["messages"] == inventory_report.console_messages(result["summary"], result["report_files"]["md"])
    assert "rows" not in result and "orders" not in result


def test_an_account_that_moves_while_it_is_read_has_every_order_that_stayed_once(tmp_path, client):
    def remove_three_before(account, offset):
        for order_id in sorted(account.ids)[max(0, offset - 3) : offset]:
            account.ids.remove(order_id)
            account.removed.add(order_id)

    account = Account(range(1, 58), before_page=remove_three_before)
    client(account)
    result = run_action(tmp_path)

    with open(result["report_files"]["csv"], encoding="utf-8", newline="") as written:
        reported = [int(row["order_id"]) for row in csv.DictReader(written)]
    assert len(reported) == len(set(reported)) == result["count"]
    assert account.removed and set(range(1, 58)) - account.removed <= set(reported)
    assert set(reported) <= set(range(1, 58))


def test_the_filters_the_report_states_are_the_listings(tmp_path, client):
    made = client(Account([]))
    result = run_action(tmp_path, status=["pending", "waiting_pickup"], older_than_days=30, container_id=7, product_name_id=["ssl_basic"])
    assert made["client"].listed_with == [{"container_id": 7, "status": status, "product_name_id": "ssl_basic"} for status in ("pending", "waiting_pickup")]
    document = json.loads((tmp_path / "order-report-latest.json").read_text())
    assert document["filters"] == dict(statuses=["pending", "waiting_pickup"], older_than_days=30, product_name_ids=["ssl_basic"], container_id="7")
    assert result["count"] == 0


def test_the_key_is_never_in_the_result_warnings_or_errors(tmp_path, client):
    client(Account(range(1, 4)))
    result = run_action(tmp_path)
    assert result["warnings"] == ["A warning that quotes the key ********."]
    assert API_KEY not in json.dumps(result)
    for path in os.listdir(tmp_path):
        assert API_KEY not in (tmp_path / path).read_text()

    client(
        Account(range(1, 4)),
        error=CertCentralError(f"GET /order/certificate failed: the server said {API_KEY}.", http_status=500, error_message=f"echo {API_KEY}"),
    )
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(tmp_path / "failed")
    assert API_KEY not in caught.value.message
    assert caught.value.message.startswith("Nothing was written: GET /order/certificate failed")
    assert API_KEY not in json.dumps(caught.value.result)
    assert caught.value.result["http_status"] == 500
    assert caught.value.result["warnings"] == ["A warning that quotes the key ********."]


@pytest.mark.parametrize(
    "options, problem",
    [
        (dict(oldest=-1), "Nothing was read: oldest must be 0 or more, got -1."),
        (dict(older_than_days=-2), "Nothing was read: older_than_days must be 0 or more, got -2."),
        (dict(product_name_id=[""]), "Nothing was read: product_name_id must list at least one value"),
    ],
)
def test_bad_options_fail_before_any_request(tmp_path, client, options, problem):
    made = client(Account(range(1, 4)))
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(tmp_path, **options)
    assert caught.value.message.startswith(problem)
    assert "client" not in made
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("report_dir, kind", [(["reports"], "list"), ({"path": "reports"}, "dict"), (2026, "int"), (True, "bool")])
def test_a_report_dir_that_is_not_text_fails_before_any_request_or_file(tmp_path, client, monkeypatch, report_dir, kind):
    # Ansible's type path would take the list's text, "['reports']", as a directory beside the playbook and write there.
    monkeypatch.chdir(tmp_path)
    made = client(Account(range(1, 4)))
    with pytest.raises(AnsibleActionFail) as caught:
        run_action(report_dir)
    assert caught.value.message == f"Nothing was read: report_dir must be the path of a directory, written as text, got {kind}."
    assert "client" not in made
    assert os.listdir(tmp_path) == []


def test_a_report_dir_that_cannot_hold_the_report_fails_before_any_request(tmp_path, client):
    made = client(Account(range(1, 4)))
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(AnsibleActionFail, match="cannot hold the report"):
        run_action(blocker / "reports")
    assert "client" not in made


def test_with_details_each_row_comes_from_the_order_read_again(tmp_path, client):
    made = client(Account(range(1, 4)))
    result = run_action(tmp_path, details=True)
    assert made["client"].detailed_ids == [1, 2, 3]
    with open(result["report_files"]["csv"], encoding="utf-8", newline="") as written:
        rows = list(csv.DictReader(written))
    assert [row["payment_method"] for row in rows] == ["balance"] * 3
    assert all(row["refund_hint"] for row in rows)
    assert result["summary"]["refund_hints"] == 3


def test_a_slow_run_prints_how_far_the_listing_and_the_detail_reads_have_come(tmp_path, client, printed):
    client(Account(range(1, 26)))
    run_action(tmp_path, details=True, progress_interval=1)
    listing = [line for line in printed if "details" not in line]
    details = [line for line in printed if "details" in line]
    assert listing[0] == "certops.digicert: read 10 of 25 orders"
    assert listing[-1] == "certops.digicert: read 25 of 25 orders"
    assert details == [f"certops.digicert: read details of {read} of 25 orders" for read in range(1, 26)]
    assert printed == listing + details
    assert not any(API_KEY in line or "example" in line for line in printed)


def test_progress_false_prints_nothing(tmp_path, client, printed):
    client(Account(range(1, 26)))
    result = run_action(tmp_path, details=True, progress=False)
    assert result["count"] == 25
    assert printed == []


def test_progress_interval_spaces_the_lines(tmp_path, client, printed):
    client(Account(range(1, 26)))
    run_action(tmp_path, details=True, progress_interval=2)
    details = [line for line in printed if "details" in line]
    # A look at the clock per order read, a second apart: a line every other order, and the last one.
    assert details == [f"certops.digicert: read details of {read} of 25 orders" for read in range(2, 25, 2)] + [
        "certops.digicert: read details of 25 of 25 orders"
    ]


def test_the_default_interval_prints_nothing_in_a_short_run(tmp_path, client, printed):
    client(Account(range(1, 6)))
    run_action(tmp_path, details=True)
    assert PROGRESS_INTERVAL >= 5 and printed == []


@pytest.mark.parametrize("interval", [0, -1, float("nan")])
def test_a_progress_interval_of_no_time_is_refused_before_any_request(tmp_path, client, interval):
    made = client(Account(range(1, 6)))
    with pytest.raises(AnsibleActionFail, match="progress_interval must be more than 0 seconds"):
        run_action(tmp_path, progress_interval=interval)
    assert "client" not in made


def test_a_wait_for_the_rate_limits_gets_a_line_with_the_counts_so_far(tmp_path, client, paced):
    printed, make_pacer = paced
    made = client(Account(range(1, 26)), make_pacer=make_pacer)
    result = run_action(tmp_path, details=True, progress_interval=5)
    assert result["count"] == 25
    assert made["long_wait_seconds"] == 5
    # No time passes but the pacer's waits: 10 reads, a wait of 30.05 s, 10 reads, another wait, 5 reads.
    assert printed == [
        "certops.digicert: waiting 31 s for the rate limit of 10 requests per 30 s; read details of 10 of 25 orders so far",
        "certops.digicert: read details of 11 of 25 orders",
        "certops.digicert: waiting 31 s for the rate limit of 10 requests per 30 s; read details of 20 of 25 orders so far",
        "certops.digicert: read details of 21 of 25 orders",
        "certops.digicert: read details of 25 of 25 orders",
    ]


def test_waits_shorter_than_the_interval_get_no_line_of_their_own(tmp_path, client, paced):
    printed, make_pacer = paced
    client(Account(range(1, 26)), make_pacer=make_pacer)
    run_action(tmp_path, details=True, progress_interval=31)
    # The two waits of 30.05 s pass untold; the second one ends the first interval of 31 s.
    assert printed == ["certops.digicert: read details of 21 of 25 orders", "certops.digicert: read details of 25 of 25 orders"]


def test_with_progress_false_the_pacer_tells_nobody(tmp_path, client, paced):
    printed, make_pacer = paced
    made = client(Account(range(1, 26)), make_pacer=make_pacer)
    run_action(tmp_path, details=True, progress=False)
    assert made["on_long_wait"] is None
    assert printed == []


def test_the_listing_and_the_files_run_with_the_collector_paused_and_it_is_on_again_after(tmp_path, client, monkeypatch):
    client(Account(range(1, 4)))
    seen = []
    real_write_report = digicert_order_report.write_report
    real_list = digicert_order_report.list_with_progress

    def listing(*arguments, **options):
        seen.append(("listing", gc.isenabled()))
        return real_list(*arguments, **options)

    def writing(*arguments):
        seen.append(("writing", gc.isenabled()))
        return real_write_report(*arguments)

    monkeypatch.setattr(digicert_order_report, "list_with_progress", listing)
    monkeypatch.setattr(digicert_order_report, "write_report", writing)
    assert gc.isenabled()
    assert run_action(tmp_path)["count"] == 3
    assert seen == [("listing", False), ("writing", False)]
    assert gc.isenabled()
