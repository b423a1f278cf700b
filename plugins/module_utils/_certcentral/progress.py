# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Progress lines of long reads, for a person watching a run (a terminal, an AWX job's output).

The listing calls back once per page and the detail reads once per order; this decides which of those calls print a
line: one every PROGRESS_INTERVAL seconds at most, so that a fast run prints nothing and a slow one a line every
interval, plus a closing line when a read that printed has ended. The lines hold counts only: never the key, never
anything of an order.

While the client waits for DigiCert's rate limits no order arrives, so the pacer tells ``waiting`` of each wait of at
least an interval, and one line says how long the run will be quiet and why.
"""

from __future__ import annotations

import math
import threading
import time

# Seconds between two lines at least, and before the first one: a read that ends sooner prints nothing.
PROGRESS_INTERVAL = 10.0
PREFIX = "certops.digicert: "


def count_text(number):
    """A count as a person reads it: thousands separated by commas."""
    return f"{number:,}"


class Progress:
    """Prints, through ``emit(line)``, how far the reads of one run have come.

    ``listing(number, count)`` gives the callback of the listing ``number`` of ``count`` (the run lists once per
    status or product filter), ``details`` the callback of the detail reads. A callback takes
    ``(read, total, finished)``: how many orders have been read, how many there are (as the listing's pages count
    them), and whether the read has ended. ``waiting`` is the pacer's on_long_wait (see pacing.Pacer), called from
    the client's worker threads. ``clock`` returns seconds (time.monotonic by default; tests give their own).
    """

    def __init__(self, emit, clock=time.monotonic, interval=PROGRESS_INTERVAL):
        self._emit = emit
        self._clock = clock
        self._interval = interval
        self._last_line_at = clock()
        # Whether the read under way has printed a line, so that its end is told as well.
        self._printed = False
        # How far the read under way has come, for the line of a wait: (verb, read, total, where), None between reads.
        self._under_way = None
        # When the last wait told ends: the workers that wait for the same window print one line between them.
        self._quiet_until = None
        # The reads call back from the main thread, the waits from the client's workers.
        self._lock = threading.Lock()

    def listing(self, number=1, count=1):
        where = f" (listing {number} of {count})" if count > 1 else ""
        return lambda read, total, finished: self._update("read", read, total, finished, where)

    def details(self, read, total, finished):
        self._update("read details of", read, total, finished, "")

    def waiting(self, seconds, limit):
        """Say that the run waits ``seconds`` for ``limit`` (a pacing.RateLimit, None for the hold after an HTTP 429),
        and how far the read under way has come.

        The pacer calls this only for waits of at least an interval (the action sets it so), so such a line is never
        followed by another one sooner than an interval later; it is printed even when the last line is more recent,
        since holding it back would leave the whole wait silent. It counts as a line of the read under way: the
        next one comes an interval later at the earliest, and the read's end is told.
        """
        with self._lock:
            now = self._clock()
            if self._quiet_until is not None and now < self._quiet_until:
                return
            self._quiet_until = now + seconds
            self._last_line_at = now
            self._printed = True
            if limit is None:
                reason = "after DigiCert answered HTTP 429 (too many requests)"
            else:
                reason = f"for the rate limit of {count_text(limit.requests)} requests per {limit.seconds:g} s"
            so_far = ""
            if self._under_way is not None:
                verb, read, total, where = self._under_way
                so_far = f"; {verb} {count_text(read)} of {count_text(total)} orders so far{where}"
            self._emit(f"{PREFIX}waiting {math.ceil(seconds)} s {reason}{so_far}")

    def _update(self, verb, read, total, finished, where):
        with self._lock:
            now = self._clock()
            # The account may gain orders while it is read: never "read 1,160 of 1,153".
            total = max(read, total)
            if finished:
                show = self._printed
                self._printed = False
                self._under_way = None
            else:
                show = now - self._last_line_at >= self._interval
                self._printed = self._printed or show
                self._under_way = (verb, read, total, where)
            if show:
                self._last_line_at = now
                self._emit(f"{PREFIX}{verb} {count_text(read)} of {count_text(total)} orders{where}")
