# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Progress lines of long reads, for a person watching a run (a terminal, an AWX job's output).

The listing calls back once per page and the detail reads once per order; this decides which of those calls print a
line: one every PROGRESS_INTERVAL seconds at most, so that a fast run prints nothing and a slow one a line every
interval, plus a closing line when a read that printed has ended. The lines hold counts only: never the key, never
anything of an order.
"""

from __future__ import annotations

import time

# Seconds between two lines at least, and before the first one: a read that ends sooner prints nothing.
PROGRESS_INTERVAL = 10.0
PREFIX = 'certops.digicert: '


def count_text(number):
    """A count as a person reads it: thousands separated by commas."""
    return f'{number:,}'


class Progress:
    """Prints, through ``emit(line)``, how far the reads of one run have come.

    ``listing(number, count)`` gives the callback of the listing ``number`` of ``count`` (the run lists once per
    status or product filter), ``details`` the callback of the detail reads. A callback takes
    ``(read, total, finished)``: how many orders have been read, how many there are (as the listing's pages count
    them), and whether the read has ended. ``clock`` returns seconds (time.monotonic by default; tests give their own).
    """

    def __init__(self, emit, clock=time.monotonic, interval=PROGRESS_INTERVAL):
        self._emit = emit
        self._clock = clock
        self._interval = interval
        self._last_line_at = clock()
        # Whether the read under way has printed a line, so that its end is told as well.
        self._printed = False

    def listing(self, number=1, count=1):
        where = f' (listing {number} of {count})' if count > 1 else ''
        return lambda read, total, finished: self._update('read', read, total, finished, where)

    def details(self, read, total, finished):
        self._update('read details of', read, total, finished, '')

    def _update(self, verb, read, total, finished, where):
        now = self._clock()
        if finished:
            show = self._printed
            self._printed = False
        else:
            show = now - self._last_line_at >= self._interval
            self._printed = self._printed or show
        if show:
            self._last_line_at = now
            # The account may gain orders while it is read: never "read 1,160 of 1,153".
            self._emit(f'{PREFIX}{verb} {count_text(read)} of {count_text(max(read, total))} orders{where}')
