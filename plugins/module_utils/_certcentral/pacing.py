# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Pacing of CertCentral requests under DigiCert's rolling rate limits.

DigiCert counts requests per API key in rolling windows (100 per 5 seconds and 1000 per 180 seconds) and answers
every request with HTTP 429 while either window is over its limit. Every process that uses a key must therefore
see the requests that all others sent. The send history lives in a small JSON file per key and api_url, guarded by
``fcntl.flock``: module runs in a loop, the forks of one play, the batches of a role and two jobs at once all
share it, and a new process starts from the real history instead of an empty window.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import threading
import time

RateLimit = collections.namedtuple('RateLimit', ['requests', 'seconds'])

# DigiCert's documented limits (https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html).
DEFAULT_RATE_LIMITS = (RateLimit(100, 5), RateLimit(1000, 180))

# DigiCert clocks a request when it arrives, we clock it just before it leaves. A request that travels slowly (a
# new TLS connection, a busy proxy) can land in the same server window as one sent a full window later. Treating
# each window as this much longer covers that difference.
SAFETY_MARGIN_SECONDS = 1.0

_STATE_VERSION = 1


def state_file_stem(api_key, api_url):
    """The name under which the history of one key at one api_url is kept: a hash, so the key never shows."""
    digest = hashlib.sha256()
    digest.update(b'certops.digicert rate limits\0')
    digest.update(api_url.encode('utf-8'))
    digest.update(b'\0')
    digest.update(api_key.encode('utf-8'))
    return digest.hexdigest()


class _History(object):
    """What the pacer knows: send times (epoch seconds, oldest first) and a hold after a 429."""

    def __init__(self, sent=None, held_until=0.0):
        self.sent = sent or []
        self.held_until = held_until

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        if not isinstance(data, dict) or data.get('version') != _STATE_VERSION:
            raise ValueError('unknown state format')
        sent = sorted(float(stamp) for stamp in data.get('sent', []))
        return cls(sent=sent, held_until=float(data.get('held_until', 0.0)))

    def to_json(self):
        return json.dumps(dict(
            version=_STATE_VERSION,
            sent=[round(stamp, 3) for stamp in self.sent],
            held_until=round(self.held_until, 3),
        ), separators=(',', ':'))


class MemoryHistoryStore(object):
    """History for one process only; used when pacing must not or cannot touch the file system."""

    def __init__(self):
        self._history = _History()

    @contextlib.contextmanager
    def locked(self):
        yield self._history


class FileHistoryStore(object):
    """History shared by every process of this user on this machine that uses the same key and api_url.

    ``<stem>.lock`` is the ``flock`` target and is never replaced; ``<stem>.json`` holds the history and is
    replaced atomically, so a process killed mid-write leaves the previous history intact.
    """

    def __init__(self, directory, stem):
        self.directory = directory
        self.lock_path = os.path.join(directory, stem + '.lock')
        self.state_path = os.path.join(directory, stem + '.json')

    def prepare(self):
        """Create the directory and lock file; raises OSError when that is impossible."""
        if not os.path.isdir(self.directory):
            os.makedirs(self.directory, mode=0o700)
        os.close(os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600))

    def _read(self):
        try:
            with open(self.state_path, 'r') as state_file:
                return _History.from_json(state_file.read())
        except (IOError, OSError, ValueError, TypeError):
            # Missing on first use. Unreadable only if something other than this code wrote it (writes are
            # atomic); starting over is then the only way forward.
            return _History()

    def _write(self, history):
        descriptor, temporary_path = tempfile.mkstemp(dir=self.directory, prefix='.pacing-', suffix='.tmp')
        try:
            with os.fdopen(descriptor, 'w') as temporary_file:
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


class Pacer(object):
    """Hands out permission to send, so that the requests of all sharers stay within every rate limit.

    ``acquire()`` returns at once while every window has room, so a burst of up to the smallest limit goes out
    together; after that it returns as soon as the oldest request of a full window leaves it, one slot at a time.
    Safe to share between threads; with a FileHistoryStore also between processes.
    """

    def __init__(self, limits=DEFAULT_RATE_LIMITS, store=None, clock=time.time, sleep=time.sleep,
                 margin=SAFETY_MARGIN_SECONDS):
        if not limits:
            raise ValueError('a Pacer needs at least one rate limit')
        self.limits = tuple(RateLimit(int(limit.requests), float(limit.seconds)) for limit in limits)
        self.store = store if store is not None else MemoryHistoryStore()
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        self._thread_lock = threading.Lock()
        # Only the newest ``requests`` entries can matter to a window, and only within its span.
        self._history_length = max(limit.requests for limit in self.limits)
        self._history_span = max(limit.seconds for limit in self.limits) + margin

    def _forget_old(self, history, now):
        # A clock that stepped back must not make old entries look young forever: clamp them to now.
        history.sent = [min(stamp, now) for stamp in history.sent if stamp > now - self._history_span]
        del history.sent[:-self._history_length]
        history.held_until = min(history.held_until, now + self._history_span)

    def _wait_needed(self, history, now):
        wait = history.held_until - now
        for limit in self.limits:
            span = limit.seconds + self.margin
            in_window = [stamp for stamp in history.sent if stamp > now - span]
            if len(in_window) >= limit.requests:
                # The window has room again once the entry that puts it over the limit has aged out.
                leaving = in_window[len(in_window) - limit.requests]
                wait = max(wait, leaving + span - now)
        return wait

    def acquire(self):
        """Block until one more request may be sent, record it, and return the seconds spent waiting."""
        waited = 0.0
        while True:
            with self._thread_lock:
                with self.store.locked() as history:
                    now = self._clock()
                    self._forget_old(history, now)
                    wait = self._wait_needed(history, now)
                    if wait <= 0:
                        history.sent.append(now)
                        return waited
            self._sleep(wait)
            waited += wait

    def hold_after_rejection(self):
        """After a 429, hold every sharer back for the shortest window; return that hold in seconds.

        DigiCert sends no Retry-After, and a 429 means the key is busier than our history shows (another machine or
        tool uses it), so the least a retry must do is let the shortest window turn over completely.
        """
        hold = min(limit.seconds for limit in self.limits) + self.margin
        with self._thread_lock:
            with self.store.locked() as history:
                now = self._clock()
                self._forget_old(history, now)
                history.held_until = max(history.held_until, now + hold)
        return hold
