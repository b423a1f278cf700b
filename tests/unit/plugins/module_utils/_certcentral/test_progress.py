# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import threading

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.listing import OrderListing, OrderPage
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.pacing import RateLimit
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.progress import (
    PROGRESS_INTERVAL,
    Progress,
    count_text,
)


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def reporter():
    clock = Clock()
    lines = []
    return Progress(lines.append, clock=clock), clock, lines


@pytest.mark.parametrize("number, text", [(0, "0"), (999, "999"), (1153, "1,153"), (20000, "20,000"), (1234567, "1,234,567")])
def test_counts_are_written_with_thousands_separators(number, text):
    assert count_text(number) == text


def test_a_fast_listing_prints_nothing():
    progress, clock, lines = reporter()
    listed = progress.listing()
    for read in range(1000, 20000, 1000):
        clock.now += 0.1
        listed(read, 20000, False)
    listed(20000, 20000, True)
    assert lines == []


def test_a_slow_listing_prints_a_line_per_interval_and_a_last_line():
    progress, clock, lines = reporter()
    listed = progress.listing()
    # A page of 100 orders every 4 seconds: 12 pages, 48 seconds.
    for read in range(100, 1200, 100):
        clock.now += 4
        listed(read, 1153, False)
    clock.now += 4
    listed(1153, 1153, True)
    assert lines == [
        "certops.digicert: read 300 of 1,153 orders",
        "certops.digicert: read 600 of 1,153 orders",
        "certops.digicert: read 900 of 1,153 orders",
        "certops.digicert: read 1,153 of 1,153 orders",
    ]


def test_at_most_one_line_per_call_however_long_the_wait():
    progress, clock, lines = reporter()
    listed = progress.listing()
    clock.now += 10 * PROGRESS_INTERVAL
    listed(400, 1153, False)
    listed(500, 1153, False)
    assert lines == ["certops.digicert: read 400 of 1,153 orders"]


def test_detail_reads_say_so_and_the_interval_runs_on_from_the_listing():
    progress, clock, lines = reporter()
    listed = progress.listing()
    clock.now += PROGRESS_INTERVAL - 1
    listed(1153, 1153, True)
    # 1,153 orders read one by one in 190 seconds.
    for read in range(1, 1154):
        clock.now += 190 / 1153
        progress.details(read, 1153, read == 1153)
    assert lines[0] == "certops.digicert: read details of 7 of 1,153 orders"
    assert lines[-1] == "certops.digicert: read details of 1,153 of 1,153 orders"
    # A line every 10 seconds of the 190, and the last one.
    assert len(lines) == 20


def test_a_read_that_printed_nothing_does_not_print_its_end_after_one_that_did():
    progress, clock, lines = reporter()
    listed = progress.listing()
    clock.now += PROGRESS_INTERVAL
    listed(10, 20, False)
    listed(20, 20, True)
    progress.details(1, 2, False)
    progress.details(2, 2, True)
    assert lines == ["certops.digicert: read 10 of 20 orders", "certops.digicert: read 20 of 20 orders"]


def test_several_listings_are_numbered_and_a_total_never_below_the_count_read():
    progress, clock, lines = reporter()
    clock.now += PROGRESS_INTERVAL
    progress.listing(2, 3)(1160, 1153, False)
    assert lines == ["certops.digicert: read 1,160 of 1,160 orders (listing 2 of 3)"]


def test_the_listing_reports_each_page_but_the_last_and_then_its_end():
    ids = list(range(1, 26))

    def fetch_pages(offsets, limit):
        for offset in offsets:
            page = ids[offset : offset + 10]
            yield OrderPage([dict(id=order_id) for order_id in page], len(ids), 10, offset)

    calls = []
    listing = OrderListing({}, fetch_pages, progress=lambda *call: calls.append(call))
    listing.page_size = 10
    listing.read()
    # Pages overlap, so the second page brings fewer new orders than it holds.
    assert calls[0] == (10, 25, False)
    assert [call[2] for call in calls] == [False] * (len(calls) - 1) + [True]
    assert calls[-1] == (25, 25, True)
    assert [call[0] for call in calls] == sorted(call[0] for call in calls)


LONG_WINDOW = RateLimit(1000, 180.0)


def test_a_wait_says_how_long_for_which_limit_and_how_far_the_read_has_come():
    progress, clock, lines = reporter()
    for read in range(1, 1001):
        progress.details(read, 1153, False)
    progress.waiting(51.3, LONG_WINDOW)
    assert lines == ["certops.digicert: waiting 52 s for the rate limit of 1,000 requests per 180 s; read details of 1,000 of 1,153 orders so far"]


def test_a_wait_names_the_listing_and_a_wait_between_reads_has_no_counts():
    progress, clock, lines = reporter()
    listed = progress.listing(2, 2)
    listed(400, 1153, False)
    progress.waiting(12, RateLimit(100, 2.5))
    clock.now += 12
    listed(1153, 1153, True)
    progress.waiting(10, None)
    assert lines == [
        "certops.digicert: waiting 12 s for the rate limit of 100 requests per 2.5 s; read 400 of 1,153 orders so far (listing 2 of 2)",
        # The wait printed, so the listing's end is told.
        "certops.digicert: read 1,153 of 1,153 orders (listing 2 of 2)",
        "certops.digicert: waiting 10 s after DigiCert answered HTTP 429 (too many requests)",
    ]


def test_workers_waiting_for_the_same_window_print_one_line():
    progress, clock, lines = reporter()
    progress.details(1000, 1153, False)
    for _worker in range(8):
        progress.waiting(60, LONG_WINDOW)
        clock.now += 0.001
    clock.now += 60
    progress.waiting(60, LONG_WINDOW)
    assert len(lines) == 2
    assert all(line.startswith("certops.digicert: waiting 60 s") for line in lines)


def test_workers_that_wait_at_the_same_moment_in_threads_print_one_line():
    progress, clock, lines = reporter()
    start = threading.Barrier(8)

    def worker():
        start.wait()
        progress.waiting(60, LONG_WINDOW)

    workers = [threading.Thread(target=worker) for _dummy in range(8)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert lines == ["certops.digicert: waiting 60 s for the rate limit of 1,000 requests per 180 s"]


def test_a_wait_is_told_at_once_and_the_next_read_line_an_interval_later():
    progress, clock, lines = reporter()
    clock.now += PROGRESS_INTERVAL
    progress.details(500, 1153, False)
    # Just after a read line: held back, it would leave the whole wait silent.
    clock.now += 1
    progress.waiting(30, LONG_WINDOW)
    clock.now += PROGRESS_INTERVAL - 1
    progress.details(501, 1153, False)
    clock.now += 1
    progress.details(502, 1153, False)
    assert lines == [
        "certops.digicert: read details of 500 of 1,153 orders",
        "certops.digicert: waiting 30 s for the rate limit of 1,000 requests per 180 s; read details of 500 of 1,153 orders so far",
        "certops.digicert: read details of 502 of 1,153 orders",
    ]


def test_a_read_that_only_printed_a_wait_tells_its_end():
    progress, clock, lines = reporter()
    progress.details(10, 20, False)
    progress.waiting(PROGRESS_INTERVAL, LONG_WINDOW)
    progress.details(20, 20, True)
    assert lines[-1] == "certops.digicert: read details of 20 of 20 orders"
    assert len(lines) == 2
