# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import stat
import threading

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.pacing import (
    DEFAULT_RATE_LIMITS,
    SAFETY_MARGIN_SECONDS,
    FileHistoryStore,
    MemoryHistoryStore,
    Pacer,
    RateLimit,
    state_file_stem,
)

API_KEY = 'SECRET-KEY-0123456789abcdef'
API_URL = 'https://www.digicert.com/services/v2'
START = 1700000000.0


class FakeClock(object):
    """Wall-clock time that only moves when someone sleeps; safe to share between threads."""

    def __init__(self, now=START):
        self.now = now
        self.sleeps = []
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            return self.now

    def sleep(self, seconds):
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


# A limit that never binds but makes the pacer keep every send time, so tests can check all of them.
KEEP_EVERYTHING = RateLimit(10 ** 6, 10 ** 6)


def all_send_times(store):
    with store.locked() as history:
        return list(history.sent)


def assert_within_limits(send_times, limits, margin=SAFETY_MARGIN_SECONDS):
    """No window of (seconds + margin) holds more than its number of requests."""
    send_times = sorted(send_times)
    for limit in limits:
        for index in range(limit.requests, len(send_times)):
            span = send_times[index] - send_times[index - limit.requests]
            assert span >= limit.seconds + margin - 1e-6, (limit, index, span)


def make_pacer(clock, limits=DEFAULT_RATE_LIMITS, store=None):
    return Pacer(limits, store=store if store is not None else MemoryHistoryStore(), clock=clock, sleep=clock.sleep)


# ---------------------------------------------------------------- one process

def test_a_full_burst_goes_out_without_waiting():
    clock = FakeClock()
    pacer = make_pacer(clock)
    for _dummy in range(100):
        assert pacer.acquire() == 0.0
    assert clock.sleeps == []


def test_request_after_a_full_short_window_waits_for_a_slot():
    clock = FakeClock()
    pacer = make_pacer(clock)
    for _dummy in range(100):
        pacer.acquire()
    assert pacer.acquire() == pytest.approx(5 + SAFETY_MARGIN_SECONDS)
    assert clock.now == pytest.approx(START + 6.0)


def test_slots_are_released_as_they_free_not_a_window_at_a_time():
    clock = FakeClock()
    pacer = make_pacer(clock, limits=[RateLimit(2, 10)])
    pacer.acquire()
    clock.now += 3
    pacer.acquire()
    pacer.acquire()
    # The first send leaves the window at START + 11; the second one is still in it.
    assert clock.now == pytest.approx(START + 11)
    pacer.acquire()
    assert clock.now == pytest.approx(START + 14)


def test_both_documented_windows_are_respected():
    clock = FakeClock()
    store = MemoryHistoryStore()
    pacer = make_pacer(clock, limits=DEFAULT_RATE_LIMITS + (KEEP_EVERYTHING,), store=store)
    for _dummy in range(1100):
        pacer.acquire()
    sent = all_send_times(store)
    assert len(sent) == 1100
    assert_within_limits(sent, DEFAULT_RATE_LIMITS)
    # The short window paces the first 1000: ten bursts of 100, six seconds apart.
    assert sent[999] - sent[0] == pytest.approx(9 * 6.0)
    # 1000 requests fit in the long window; the 1001st waits until the first has left it.
    assert sent[1000] - sent[0] == pytest.approx(180 + SAFETY_MARGIN_SECONDS)


def test_threads_sharing_a_pacer_stay_within_the_limits():
    clock = FakeClock()
    store = MemoryHistoryStore()
    limits = [RateLimit(5, 1), RateLimit(12, 4)]
    pacer = make_pacer(clock, limits=limits + [KEEP_EVERYTHING], store=store)
    done = []

    def worker():
        for _dummy in range(25):
            pacer.acquire()
            done.append(1)

    threads = [threading.Thread(target=worker) for _dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(done) == 200
    sent = all_send_times(store)
    assert len(sent) == 200
    assert_within_limits(sent, limits)


def test_rejection_holds_everyone_back_for_the_shortest_window():
    clock = FakeClock()
    pacer = make_pacer(clock)
    pacer.acquire()
    assert pacer.hold_after_rejection() == pytest.approx(5 + SAFETY_MARGIN_SECONDS)
    assert pacer.acquire() == pytest.approx(6.0)


def test_clock_stepping_back_does_not_block_forever():
    clock = FakeClock()
    pacer = make_pacer(clock, limits=[RateLimit(1, 10)])
    pacer.acquire()
    clock.now -= 3600
    # The entry from "the future" counts as sent now: one window, not an hour and a window.
    assert pacer.acquire() == pytest.approx(10 + SAFETY_MARGIN_SECONDS)


def test_pacer_needs_a_limit():
    with pytest.raises(ValueError):
        Pacer([])


# ---------------------------------------------------------------- shared through a file

def file_store(directory):
    store = FileHistoryStore(str(directory), state_file_stem(API_KEY, API_URL))
    store.prepare()
    return store


def test_state_file_is_named_by_a_hash_never_the_key(tmp_path):
    stem = state_file_stem(API_KEY, API_URL)
    assert len(stem) == 64 and all(character in '0123456789abcdef' for character in stem)
    assert API_KEY not in stem
    assert stem != state_file_stem(API_KEY, 'https://certcentral.digicert.eu/services/v2')
    assert stem != state_file_stem('OTHER-KEY', API_URL)
    clock = FakeClock()
    make_pacer(clock, store=file_store(tmp_path)).acquire()
    names = sorted(os.listdir(str(tmp_path)))
    assert names == [stem + '.json', stem + '.lock']
    for name in names:
        assert API_KEY not in (tmp_path / name).read_text()


def test_state_files_are_private(tmp_path):
    directory = tmp_path / 'new' / 'rate-limits'
    make_pacer(FakeClock(), store=file_store(directory)).acquire()
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700
    for name in os.listdir(str(directory)):
        assert stat.S_IMODE(os.stat(str(directory / name)).st_mode) == 0o600


def test_a_new_process_starts_from_the_shared_history(tmp_path):
    clock = FakeClock()
    first_run = make_pacer(clock, store=file_store(tmp_path))
    for _dummy in range(100):
        first_run.acquire()
    # A later module run with the same key: its window is already full.
    second_run = make_pacer(clock, store=file_store(tmp_path))
    assert second_run.acquire() == pytest.approx(6.0)


def test_rejection_hold_is_shared_through_the_file(tmp_path):
    clock = FakeClock()
    make_pacer(clock, store=file_store(tmp_path)).hold_after_rejection()
    assert make_pacer(clock, store=file_store(tmp_path)).acquire() == pytest.approx(6.0)


def test_state_file_does_not_grow_without_bound(tmp_path):
    clock = FakeClock()
    limits = [RateLimit(3, 1), RateLimit(5, 10)]
    pacer = make_pacer(clock, limits=limits, store=file_store(tmp_path))
    for _dummy in range(500):
        pacer.acquire()
        clock.now += 0.7
    state = json.loads((tmp_path / (state_file_stem(API_KEY, API_URL) + '.json')).read_text())
    assert len(state['sent']) <= 5
    assert min(state['sent']) > clock.now - 11 - 1


def test_unreadable_state_starts_over(tmp_path):
    store = file_store(tmp_path)
    with open(store.state_path, 'w') as state_file:
        state_file.write('{not json')
    assert make_pacer(FakeClock(), store=store).acquire() == 0.0
    assert json.loads(open(store.state_path).read())['version'] == 1


def test_decision_is_taken_under_the_file_lock(tmp_path):
    store = file_store(tmp_path)
    lock_checks = []

    def clock():
        other = os.open(store.lock_path, os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_checks.append('held')
        else:
            lock_checks.append('free')
        finally:
            os.close(other)
        return START

    Pacer(DEFAULT_RATE_LIMITS, store=store, clock=clock, sleep=lambda seconds: None).acquire()
    assert lock_checks == ['held']


def _acquire_in_child(directory, count, queue):
    pacer = Pacer([RateLimit(30, 1000)], store=file_store(directory))
    for _dummy in range(count):
        pacer.acquire()
    queue.put(os.getpid())


def test_processes_share_one_history(tmp_path):
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    children = [context.Process(target=_acquire_in_child, args=(tmp_path, 10, queue)) for _dummy in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
        assert child.exitcode == 0
    assert len(set(queue.get(timeout=5) for _dummy in children)) == 3
    state = json.loads((tmp_path / (state_file_stem(API_KEY, API_URL) + '.json')).read_text())
    assert len(state['sent']) == 30

    asked_to_wait = []

    class WouldWait(Exception):
        pass

    def refuse_to_sleep(seconds):
        asked_to_wait.append(seconds)
        raise WouldWait()

    # The window the three children filled is full for a fourth process too.
    with pytest.raises(WouldWait):
        Pacer([RateLimit(30, 1000)], store=file_store(tmp_path), sleep=refuse_to_sleep).acquire()
    assert asked_to_wait[0] > 990
