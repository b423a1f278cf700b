# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Pacing of CertCentral requests under DigiCert's rolling rate limits.

DigiCert counts requests per API key in rolling windows (100 per 5 seconds and 1000 per 180 seconds) and answers
every request with HTTP 429 while either window is over its limit. Every process that uses a key must therefore
see the requests that all others sent. The history lives in a small JSON file per key and api_url, guarded by
``fcntl.flock``: module runs in a loop, the forks of one play, the batches of a role and two jobs at once all
share it, and a new process starts from the real history instead of an empty window.

DigiCert counts a request when it arrives, some time after it was sent and before its answer comes back. The pacer
therefore counts each request from the moment its answer came back, the latest moment DigiCert can have counted
it, and counts a request that still waits for its answer as current. Then no window on DigiCert's side can hold more
requests than the pacer let through, however long each one travelled: the slack follows the measured round trip of
every request instead of a fixed allowance for the slowest one.

When the shared file fails during a run (a full disk, a file that cannot be read, content that is not a history), the
pacer carries on with the history it last knew, within this process only, and warns once: a run never stops, nor
loses the record of what it changed, because of its pacing.

A caller that shows progress (the order report's action) can ask to be told before each long wait, since nothing
arrives while the pacer waits and a run that prints a line every few seconds would otherwise fall silent for minutes
(the detail reads of more than 1,000 orders wait more than two minutes for the 180-second window); modules, which
cannot print while they run, pass nothing and are paced exactly the same.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import fcntl
import hashlib
import json
import math
import os
import tempfile
import threading
import time
import uuid

RateLimit = collections.namedtuple("RateLimit", ["requests", "seconds"])

# DigiCert's documented limits (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html).
DEFAULT_RATE_LIMITS = (RateLimit(100, 5), RateLimit(1000, 180))

# Every window is treated as this much longer than configured. It covers the rounding of the stored times (to the
# millisecond) and small adjustments of the system clock; the travel time of requests needs no margin, since
# requests are counted from their answers. Every 5-second window of a long run pays it once, so it is kept small.
SAFETY_MARGIN_SECONDS = 0.05

# When requests that still wait for their answers fill a window by themselves, room frees only as answers come
# back, which no clock predicts: look again after this long.
_ANSWER_POLL_SECONDS = 0.05

# A request that has waited this long for its answer is given up for lost, even if its process still runs: an hour,
# the longest timeout the modules accept.
_LONGEST_WAIT_SECONDS = 3600

# Waits at least this long are told to on_long_wait unless the caller chooses its own threshold: as long as the
# default gap between two progress lines (progress.PROGRESS_INTERVAL), so that a run never falls silent for longer
# without saying why. Shorter waits are the steady pace of a long run (the 5-second window turning over while the
# 180-second one has room), which the progress lines themselves show as orders keep arriving.
LONG_WAIT_SECONDS = 10.0

_STATE_VERSION = 2


def state_file_stem(api_key, api_url):
    """The name under which the history of one key at one api_url is kept: a hash, so the key never shows."""
    digest = hashlib.sha256()
    digest.update(b"certops.digicert rate limits\0")
    digest.update(api_url.encode("utf-8"))
    digest.update(b"\0")
    digest.update(api_key.encode("utf-8"))
    return digest.hexdigest()


def _process_exists(pid):
    """Whether a process with this ID runs on this machine; a process that ended waits for no answer any more."""
    if pid == os.getpid():
        return True
    try:
        # Signal 0 sends nothing; it only asks whether the process exists.
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        # It exists, but belongs to another user.
        return True
    return True


class _History:
    """What the pacer knows: when answers came back (epoch seconds, oldest first), the requests that still wait for
    their answers (by token: send time and process ID), and a hold after a 429."""

    def __init__(self, answered=None, waiting=None, held_until=0.0):
        self.answered = answered or []
        self.waiting = waiting or {}
        self.held_until = held_until

    @classmethod
    def from_json(cls, text):
        """The history in ``text``; None for another version's format; ValueError when it is not a history."""
        data = json.loads(text)
        if isinstance(data, dict) and data.get("version") != _STATE_VERSION:
            # Written by another version of the collection: starting over loses nothing this one could use.
            return None
        if not isinstance(data, dict):
            raise ValueError("it is not a JSON object")
        try:
            answered = sorted(_finite(stamp) for stamp in data.get("answered", []))
            waiting = {}
            for token, entry in dict(data.get("waiting", {})).items():
                sent, pid = entry
                if not isinstance(pid, int) or isinstance(pid, bool) or pid < 1:
                    raise ValueError("a process ID is not a positive whole number")
                waiting[str(token)] = [_finite(sent), pid]
            held_until = _finite(data.get("held_until", 0.0))
        except (TypeError, ValueError) as error:
            raise ValueError(f"it does not hold a pacing history: {error}") from error
        return cls(answered=answered, waiting=waiting, held_until=held_until)

    def to_json(self):
        return json.dumps(
            dict(
                version=_STATE_VERSION,
                answered=[round(stamp, 3) for stamp in self.answered],
                waiting=dict((token, [round(sent, 3), pid]) for token, (sent, pid) in self.waiting.items()),
                held_until=round(self.held_until, 3),
            ),
            separators=(",", ":"),
        )


def _finite(value):
    """``value`` as a float; ValueError for anything else, NaN and the infinities included (a wait of NaN seconds
    would end the run with an exception, and an infinite one would never end)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return float(value)


class MemoryHistoryStore:
    """History for one process only; used when pacing must not or cannot touch the file system."""

    def __init__(self, history=None):
        self._history = history if history is not None else _History()

    @contextlib.contextmanager
    def locked(self):
        yield self._history


class FileHistoryStore:
    """History shared by every process of this user on this machine that uses the same key and api_url.

    ``<stem>.lock`` is the ``flock`` target and is never replaced; ``<stem>.json`` holds the history and is
    replaced atomically, so a process killed mid-write leaves the previous history intact.
    """

    def __init__(self, directory, stem):
        self.directory = directory
        self.lock_path = os.path.join(directory, stem + ".lock")
        self.state_path = os.path.join(directory, stem + ".json")

    def prepare(self):
        """Create the directory and lock file; raises OSError when that is impossible."""
        if not os.path.isdir(self.directory):
            os.makedirs(self.directory, mode=0o700)
        os.close(os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600))

    def describe(self):
        """Where the history is kept, for a message."""
        return self.state_path

    def _read(self):
        """The stored history; raises OSError or ValueError when the file cannot be read or holds no history."""
        try:
            with open(self.state_path, "r") as state_file:
                text = state_file.read()
        except FileNotFoundError:
            return _History()  # the first use
        # Writes are atomic, so content that is not a history was written by something else.
        return _History.from_json(text) or _History()

    def _write(self, history):
        descriptor, temporary_path = tempfile.mkstemp(dir=self.directory, prefix=".pacing-", suffix=".tmp")
        try:
            with os.fdopen(descriptor, "w") as temporary_file:
                temporary_file.write(history.to_json())
            os.replace(temporary_path, self.state_path)
        except BaseException:
            os.unlink(temporary_path)
            raise

    @contextlib.contextmanager
    def locked(self):
        descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            history = self._read()
            yield history
            self._write(history)
        finally:
            # Closing the descriptor releases the lock.
            os.close(descriptor)


class Pacer:
    """Hands out permission to send, so that the requests of all sharers stay within every rate limit.

    Wrap each HTTP attempt, from sending the request to reading the whole answer, in ``with pacer.slot():``. A slot
    is given at once while every window has room, so a burst of up to the smallest limit goes out together; after
    that, as soon as the oldest answer of a full window leaves it, one slot at a time. Safe to share between
    threads; with a FileHistoryStore also between processes.

    ``on_long_wait(seconds, limit)``, when given, is called before each wait of at least ``long_wait_seconds``, in
    the thread that waits, with the wait and the RateLimit whose full window causes it (None when the hold after a
    429 does). Several threads that wait for the same window each call it. An exception it raises is warned about
    once and ends the telling, never the pacing: the wait happens all the same.
    """

    def __init__(
        self,
        limits=DEFAULT_RATE_LIMITS,
        store=None,
        clock=time.time,
        sleep=time.sleep,
        margin=SAFETY_MARGIN_SECONDS,
        process_exists=_process_exists,
        warn=None,
        on_long_wait=None,
        long_wait_seconds=LONG_WAIT_SECONDS,
    ):
        if not limits:
            raise ValueError("a Pacer needs at least one rate limit")
        self.limits = tuple(RateLimit(int(limit.requests), float(limit.seconds)) for limit in limits)
        self.store = store if store is not None else MemoryHistoryStore()
        self._warn = warn
        self._on_long_wait = on_long_wait
        self._long_wait_seconds = long_wait_seconds
        # The history of the last use of the store, and the in-process store that replaces one that failed.
        self._known = None
        self._fallback = None
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        self._process_exists = process_exists
        self._thread_lock = threading.Lock()
        # Only the newest ``requests`` answers can matter to a window, and only within its span.
        self._history_length = max(limit.requests for limit in self.limits)
        self._history_span = max(limit.seconds for limit in self.limits) + margin

    def _forget_old(self, history, now):
        # A clock that stepped back must not make old entries look young forever: clamp them to now.
        history.answered = [min(stamp, now) for stamp in history.answered if stamp > now - self._history_span]
        del history.answered[: -self._history_length]
        # A request counts as current until its answer comes, however long that takes, unless its process ended.
        history.waiting = dict(
            (token, entry) for token, entry in history.waiting.items() if entry[0] > now - _LONGEST_WAIT_SECONDS and self._process_exists(entry[1])
        )
        history.held_until = min(history.held_until, now + self._history_span)

    def _wait_needed(self, history, now):
        """Seconds to wait before the next request may go, and the RateLimit whose window decides them (None when
        the hold after a 429 does, or nothing holds the request back)."""
        wait = history.held_until - now
        waited_for = None
        for limit in self.limits:
            span = limit.seconds + self.margin
            answered = [stamp for stamp in history.answered if stamp > now - span]
            over = len(answered) + len(history.waiting) - limit.requests
            if over < 0:
                continue
            if over < len(answered):
                # The window has room again once the answer that puts it at its limit has aged out.
                needed = answered[over] + span - now
            else:
                needed = _ANSWER_POLL_SECONDS
            if needed > wait:
                wait, waited_for = needed, limit
        return wait, waited_for

    @contextlib.contextmanager
    def slot(self):
        """Block until one more request may be sent, and count it as current until the block ends."""
        token = self._take_slot()
        try:
            yield
        finally:
            self._release_slot(token)

    def _with_history(self, operation):
        """``operation(history)`` under the thread lock and the store's lock; its result.

        When the store fails (before, while or after the operation ran), pacing carries on in this process with the
        history last known, and warns once: the history a failed write did not keep is the one the operation left.
        """
        with self._thread_lock:
            if self._fallback is None:
                results = []
                try:
                    with self.store.locked() as history:
                        self._known = history
                        results.append(operation(history))
                    return results[0]
                except Exception as error:  # pylint: disable=broad-except
                    self._fall_back(error)
                    if results:
                        return results[0]
            with self._fallback.locked() as history:
                return operation(history)

    def _fall_back(self, error):
        self._fallback = MemoryHistoryStore(self._known)
        if self._warn is None:
            return
        where = self.store.describe() if hasattr(self.store, "describe") else "its store"
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
        else:
            reason = str(error) or type(error).__name__
        self._warn(
            f"The shared rate limit history in {where} failed ({reason}); pacing goes on within this process only, so "
            "parallel runs with the same API key may exceed the rate limits. Free space or fix the permissions "
            "there, remove the file if its content is damaged, or set rate_limit_state_dir to a writable "
            "directory."
        )

    def _take_slot(self):
        token = uuid.uuid4().hex

        def take(history):
            now = self._clock()
            self._forget_old(history, now)
            wait, limit = self._wait_needed(history, now)
            if wait <= 0:
                history.waiting[token] = [now, os.getpid()]
            return wait, limit

        while True:
            wait, limit = self._with_history(take)
            if wait <= 0:
                return token
            if wait >= self._long_wait_seconds:
                # Outside the locks: whatever the callback does (print, block a moment), no other sharer waits for it.
                self._tell_long_wait(wait, limit)
            self._sleep(wait)

    def _tell_long_wait(self, wait, limit):
        on_long_wait = self._on_long_wait
        if on_long_wait is None:
            return
        try:
            on_long_wait(wait, limit)
        except Exception as error:  # pylint: disable=broad-except
            # Like a failing store: the run goes on, and says once what it goes without.
            with self._thread_lock:
                first_failure = self._on_long_wait is not None
                self._on_long_wait = None
            if first_failure and self._warn is not None:
                self._warn(
                    f"Telling a wait for the rate limits failed ({str(error) or type(error).__name__}); the run goes on and waits as before, without saying so."
                )

    def _release_slot(self, token):
        def release(history):
            now = self._clock()
            history.waiting.pop(token, None)
            bisect.insort(history.answered, now)
            self._forget_old(history, now)

        self._with_history(release)

    def hold_after_rejection(self):
        """After a 429, hold every sharer back for the shortest window; return that hold in seconds.

        DigiCert sends no Retry-After, and a 429 means the key is busier than our history shows (another machine or
        tool uses it), so the least a retry must do is let the shortest window turn over completely.
        """
        hold = min(limit.seconds for limit in self.limits) + self.margin

        def hold_back(history):
            now = self._clock()
            self._forget_old(history, now)
            history.held_until = max(history.held_until, now + hold)

        self._with_history(hold_back)
        return hold
