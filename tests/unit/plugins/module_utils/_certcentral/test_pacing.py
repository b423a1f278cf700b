# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import contextlib
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
    _process_exists,
    state_file_stem,
)

API_KEY = "SECRET-KEY-0123456789abcdef"
API_URL = "https://www.digicert.com/services/v2"
START = 1700000000.0
MARGIN = SAFETY_MARGIN_SECONDS


class FakeClock:
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


# A limit that never binds but makes the pacer keep every answer time, so tests can check all of them.
KEEP_EVERYTHING = RateLimit(10**6, 10**6)


def all_answer_times(store):
    with store.locked() as history:
        return list(history.answered)


def assert_within_limits(stamps, limits, margin=MARGIN):
    """No window of (seconds + margin) holds more than its number of requests."""
    stamps = sorted(stamps)
    for limit in limits:
        for index in range(limit.requests, len(stamps)):
            span = stamps[index] - stamps[index - limit.requests]
            assert span >= limit.seconds + margin - 1e-6, (limit, index, span)


def make_pacer(clock, limits=DEFAULT_RATE_LIMITS, store=None, **options):
    return Pacer(limits, store=store if store is not None else MemoryHistoryStore(), clock=clock, sleep=clock.sleep, **options)


def send(pacer, count=1):
    """Send ``count`` requests whose answers come back at once."""
    for _dummy in range(count):
        with pacer.slot():
            pass


# ---------------------------------------------------------------- one process


def test_the_margin_is_a_fraction_of_a_second():
    assert 0 < SAFETY_MARGIN_SECONDS < 0.5


def test_a_full_burst_goes_out_without_waiting():
    clock = FakeClock()
    send(make_pacer(clock), 100)
    assert clock.sleeps == []


def test_request_after_a_full_short_window_waits_for_a_slot():
    clock = FakeClock()
    pacer = make_pacer(clock)
    send(pacer, 100)
    send(pacer)
    assert clock.sleeps == [pytest.approx(5 + MARGIN)]
    assert clock.now == pytest.approx(START + 5 + MARGIN)


def test_slots_are_released_as_they_free_not_a_window_at_a_time():
    clock = FakeClock()
    pacer = make_pacer(clock, limits=[RateLimit(2, 10)])
    send(pacer)
    clock.now += 3
    send(pacer, 2)
    # The first answer leaves the window at START + 10 + MARGIN; the second one is still in it.
    assert clock.now == pytest.approx(START + 10 + MARGIN)
    send(pacer)
    assert clock.now == pytest.approx(START + 13 + MARGIN)


def test_a_request_counts_from_its_answer():
    clock = FakeClock()
    pacer = make_pacer(clock, limits=[RateLimit(1, 10)])
    with pacer.slot():
        # DigiCert may have counted the request at any moment until its answer came back.
        clock.now += 2
    send(pacer)
    assert clock.now == pytest.approx(START + 2 + 10 + MARGIN)


def test_requests_waiting_for_answers_fill_the_window():
    clock = FakeClock()
    unanswered = contextlib.ExitStack()

    def sleep(seconds):
        clock.sleep(seconds)
        # The two requests in flight are answered while the third one waits.
        unanswered.close()

    pacer = Pacer([RateLimit(2, 10)], store=MemoryHistoryStore(), clock=clock, sleep=sleep)
    for _dummy in range(2):
        unanswered.enter_context(pacer.slot())
    send(pacer)
    # First a short look again, since only answers can free room; then a window from the answers.
    assert clock.sleeps == [pytest.approx(0.05), pytest.approx(10 + MARGIN)]


def test_a_failed_attempt_still_counts():
    clock = FakeClock()
    pacer = make_pacer(clock, limits=[RateLimit(1, 10)])
    with pytest.raises(IOError), pacer.slot():
        raise OSError("connection reset")
    send(pacer)
    assert clock.now == pytest.approx(START + 10 + MARGIN)


def test_both_documented_windows_are_respected():
    clock = FakeClock()
    store = MemoryHistoryStore()
    pacer = make_pacer(clock, limits=DEFAULT_RATE_LIMITS + (KEEP_EVERYTHING,), store=store)
    send(pacer, 1100)
    answered = all_answer_times(store)
    assert len(answered) == 1100
    assert_within_limits(answered, DEFAULT_RATE_LIMITS)
    # The short window paces the first 1000: ten bursts of 100, a window and the margin apart.
    assert answered[999] - answered[0] == pytest.approx(9 * (5 + MARGIN))
    # 1000 requests fit in the long window; the 1001st waits until the first has left it.
    assert answered[1000] - answered[0] == pytest.approx(180 + MARGIN)


def test_threads_sharing_a_pacer_stay_within_the_limits():
    clock = FakeClock()
    store = MemoryHistoryStore()
    limits = [RateLimit(5, 1), RateLimit(12, 4)]
    pacer = make_pacer(clock, limits=limits + [KEEP_EVERYTHING], store=store)
    done = []

    def worker():
        for _dummy in range(25):
            send(pacer)
            done.append(1)

    threads = [threading.Thread(target=worker) for _dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(done) == 200
    answered = all_answer_times(store)
    assert len(answered) == 200
    assert_within_limits(answered, limits)


def test_rejection_holds_everyone_back_for_the_shortest_window():
    clock = FakeClock()
    pacer = make_pacer(clock)
    send(pacer)
    assert pacer.hold_after_rejection() == pytest.approx(5 + MARGIN)
    send(pacer)
    assert clock.now == pytest.approx(START + 5 + MARGIN)


def test_clock_stepping_back_does_not_block_forever():
    clock = FakeClock()
    pacer = make_pacer(clock, limits=[RateLimit(1, 10)])
    send(pacer)
    clock.now -= 3600
    # The entry from "the future" counts as sent now: one window, not an hour and a window.
    send(pacer)
    assert clock.sleeps == [pytest.approx(10 + MARGIN)]


def test_pacer_needs_a_limit():
    with pytest.raises(ValueError):
        Pacer([])


# ---------------------------------------------------------------- telling long waits


def telling_pacer(clock, limits, long_wait_seconds, warn=None):
    """A pacer whose long waits are recorded as (seconds, limit, how many sleeps came before)."""
    told = []
    pacer = make_pacer(
        clock,
        limits=limits,
        warn=warn,
        long_wait_seconds=long_wait_seconds,
        on_long_wait=lambda seconds, limit: told.append((seconds, limit, len(clock.sleeps))),
    )
    return pacer, told


def test_a_long_wait_is_told_before_it_with_the_limit_that_causes_it():
    clock = FakeClock()
    pacer, told = telling_pacer(clock, DEFAULT_RATE_LIMITS, long_wait_seconds=10)
    send(pacer, 1001)
    # 100 at once, then 100 every 5.05 s: nine short waits, untold; then the 180-second window is full.
    assert clock.sleeps[:9] == [pytest.approx(5 + MARGIN)] * 9
    long_wait = 180 + MARGIN - 9 * (5 + MARGIN)
    assert told == [(pytest.approx(long_wait), RateLimit(1000, 180.0), 9)]
    assert clock.sleeps[9:] == [told[0][0]]


@pytest.mark.parametrize("long_wait_seconds, told_waits", [(5, 2), (5 + 2 * MARGIN, 0), (60, 0)])
def test_only_waits_of_at_least_the_threshold_are_told(long_wait_seconds, told_waits):
    clock = FakeClock()
    pacer, told = telling_pacer(clock, [RateLimit(100, 5)], long_wait_seconds)
    send(pacer, 201)
    assert clock.sleeps == [pytest.approx(5 + MARGIN)] * 2
    assert told == [(pytest.approx(5 + MARGIN), RateLimit(100, 5.0), sleeps) for sleeps in range(told_waits)]


def test_the_hold_after_a_rejection_is_told_without_a_limit():
    clock = FakeClock()
    pacer, told = telling_pacer(clock, [RateLimit(100, 5), RateLimit(1000, 180)], long_wait_seconds=1)
    send(pacer)
    pacer.hold_after_rejection()
    send(pacer)
    assert told == [(pytest.approx(5 + MARGIN), None, 0)]


def test_without_a_callback_long_waits_are_waited_alike():
    clock = FakeClock()
    send(make_pacer(clock, limits=[RateLimit(1, 60)], long_wait_seconds=1), 3)
    assert clock.sleeps == [pytest.approx(60 + MARGIN)] * 2


@pytest.mark.parametrize("warn", [True, False])
def test_a_failing_callback_is_warned_about_once_and_never_stops_the_pacing(warn):
    clock = FakeClock()
    calls = []
    warnings = []

    def broken(seconds, limit):
        calls.append(seconds)
        raise RuntimeError("the display is gone")

    pacer = make_pacer(clock, limits=[RateLimit(1, 10)], long_wait_seconds=1, on_long_wait=broken, warn=warnings.append if warn else None)
    send(pacer, 4)
    # Every wait was waited in full; the callback was tried once.
    assert clock.sleeps == [pytest.approx(10 + MARGIN)] * 3
    assert len(calls) == 1
    assert warnings == (
        ["Telling a wait for the rate limits failed (the display is gone); the run goes on and waits as before, without saying so."] if warn else []
    )


# ---------------------------------------------------------------- shared through a file


def file_store(directory):
    store = FileHistoryStore(str(directory), state_file_stem(API_KEY, API_URL))
    store.prepare()
    return store


def read_state(directory):
    return json.loads((directory / (state_file_stem(API_KEY, API_URL) + ".json")).read_text())


def test_state_file_is_named_by_a_hash_never_the_key(tmp_path):
    stem = state_file_stem(API_KEY, API_URL)
    assert len(stem) == 64 and all(character in "0123456789abcdef" for character in stem)
    assert API_KEY not in stem
    assert stem != state_file_stem(API_KEY, "https://certcentral.digicert.eu/services/v2")
    assert stem != state_file_stem("OTHER-KEY", API_URL)
    send(make_pacer(FakeClock(), store=file_store(tmp_path)))
    names = sorted(os.listdir(str(tmp_path)))
    assert names == [stem + ".json", stem + ".lock"]
    for name in names:
        assert API_KEY not in (tmp_path / name).read_text()


def test_state_files_are_private(tmp_path):
    directory = tmp_path / "new" / "rate-limits"
    send(make_pacer(FakeClock(), store=file_store(directory)))
    assert stat.S_IMODE(os.stat(str(directory)).st_mode) == 0o700
    for name in os.listdir(str(directory)):
        assert stat.S_IMODE(os.stat(str(directory / name)).st_mode) == 0o600


def test_a_new_process_starts_from_the_shared_history(tmp_path):
    clock = FakeClock()
    send(make_pacer(clock, store=file_store(tmp_path)), 100)
    # A later module run with the same key: its window is already full.
    send(make_pacer(clock, store=file_store(tmp_path)))
    assert clock.sleeps == [pytest.approx(5 + MARGIN)]


def test_requests_in_flight_are_seen_by_other_processes(tmp_path):
    clock = FakeClock()
    first = make_pacer(clock, limits=[RateLimit(1, 10)], store=file_store(tmp_path))
    second = Pacer([RateLimit(1, 10)], store=file_store(tmp_path), clock=clock, sleep=clock.sleep)
    with first.slot():
        state = read_state(tmp_path)
        assert state["answered"] == []
        [(sent, pid)] = state["waiting"].values()
        assert (sent, pid) == (START, os.getpid())
    send(second)
    assert clock.sleeps == [pytest.approx(10 + MARGIN)]


def test_a_request_of_a_process_that_ended_stops_counting(tmp_path):
    clock = FakeClock()
    store = file_store(tmp_path)
    ended = []

    def process_exists(pid):
        return pid not in ended

    with store.locked() as history:
        # Another process sent a request and was killed before its answer came.
        history.waiting["f00d"] = [START, 4242]
    pacer = make_pacer(clock, limits=[RateLimit(1, 10)], store=store, process_exists=process_exists)
    ended.append(4242)
    send(pacer)
    assert clock.sleeps == []
    assert read_state(tmp_path)["waiting"] == {}


def test_a_request_waits_for_its_answer_longer_than_every_window(tmp_path):
    clock = FakeClock()
    store = file_store(tmp_path)
    with store.locked() as history:
        # Sent ten minutes ago by a process that still runs, and still without an answer.
        history.waiting["f00d"] = [START - 600, 4242]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        clock.now = START - 600 + 3600

    send(Pacer([RateLimit(1, 10)], store=store, clock=clock, sleep=sleep, process_exists=lambda pid: True))
    # It still fills the window; an hour after it was sent, it is given up for lost.
    assert waits == [pytest.approx(0.05)]


def test_process_exists_tells_running_from_ended():
    context = multiprocessing.get_context("fork")
    child = context.Process(target=os.getpid)
    child.start()
    child.join(30)
    assert _process_exists(os.getpid())
    assert not _process_exists(child.pid)


def test_rejection_hold_is_shared_through_the_file(tmp_path):
    clock = FakeClock()
    make_pacer(clock, store=file_store(tmp_path)).hold_after_rejection()
    send(make_pacer(clock, store=file_store(tmp_path)))
    assert clock.now == pytest.approx(START + 5 + MARGIN)


def test_state_file_does_not_grow_without_bound(tmp_path):
    clock = FakeClock()
    limits = [RateLimit(3, 1), RateLimit(5, 10)]
    pacer = make_pacer(clock, limits=limits, store=file_store(tmp_path))
    for _dummy in range(500):
        send(pacer)
        clock.now += 0.7
    state = read_state(tmp_path)
    assert len(state["answered"]) <= 5
    assert min(state["answered"]) > clock.now - 11 - 1
    assert state["waiting"] == {}


def test_the_state_of_another_version_starts_over(tmp_path):
    store = file_store(tmp_path)
    with open(store.state_path, "w") as state_file:
        # The format of an earlier version: send times only.
        state_file.write('{"version":1,"sent":[1700000000.0],"held_until":0}')
    clock = FakeClock()
    warnings = []
    send(make_pacer(clock, limits=[RateLimit(1, 10)], store=store, warn=warnings.append))
    assert clock.sleeps == []
    assert read_state(tmp_path)["version"] == 2
    assert warnings == []


DAMAGED = [
    ("{not json", "Expecting property name"),
    ("[]", "it is not a JSON object"),
    ('{"version":2,"answered":[],"waiting":{"x":[1700000000.0,-1]},"held_until":0}', "a process ID is not a positive"),
    ('{"version":2,"answered":[],"waiting":["x"],"held_until":0}', "it does not hold a pacing history"),
    ('{"version":2,"answered":[NaN],"waiting":{},"held_until":0}', "nan is not a finite number"),
    ('{"version":2,"answered":[],"waiting":{},"held_until":Infinity}', "inf is not a finite number"),
    ('{"version":2,"answered":["1700000000"],"waiting":{},"held_until":0}', "'1700000000' is not a finite number"),
]


@pytest.mark.parametrize("content, reason", DAMAGED)
def test_damaged_state_paces_in_process_and_warns_once(tmp_path, content, reason):
    store = file_store(tmp_path)
    with open(store.state_path, "w") as state_file:
        state_file.write(content)
    clock = FakeClock()
    warnings = []
    pacer = make_pacer(clock, limits=[RateLimit(2, 10)], store=store, warn=warnings.append)
    send(pacer, 5)
    # In-process pacing still holds the limit: 2 at once, then 2 more when their answers have aged out.
    assert clock.sleeps == [pytest.approx(10 + MARGIN)] * 2
    assert len(warnings) == 1
    assert warnings[0].startswith(f"The shared rate limit history in {store.state_path} failed (")
    assert reason in warnings[0]
    assert warnings[0].endswith(
        "pacing goes on within this process only, so parallel runs with the same API key may "
        "exceed the rate limits. Free space or fix the permissions there, remove the file if "
        "its content is damaged, or set rate_limit_state_dir to a writable directory."
    )
    with open(store.state_path) as state_file:
        assert state_file.read() == content


class FailingAfter(FileHistoryStore):
    """A state file on a disk that fills up after ``writes`` successful writes."""

    def __init__(self, directory, writes):
        super().__init__(str(directory), state_file_stem(API_KEY, API_URL))
        self.prepare()
        self.writes_left = writes

    def _write(self, history):
        if self.writes_left <= 0:
            raise OSError(28, "No space left on device")
        self.writes_left -= 1
        super()._write(history)


def test_a_disk_that_fills_mid_run_keeps_the_history_and_the_run_going(tmp_path):
    store = FailingAfter(tmp_path, writes=3)
    clock = FakeClock()
    warnings = []
    pacer = make_pacer(clock, limits=[RateLimit(3, 10)], store=store, warn=warnings.append)
    send(pacer, 2)
    # The first write that fails is the release of the second slot: its answer time is kept in process.
    assert len(pacer._fallback._history.answered) == 2
    send(pacer, 4)
    assert warnings == [
        f"The shared rate limit history in {store.state_path} failed (No space left on device); pacing goes on within "
        "this process only, so parallel runs with the same API key may exceed the rate limits. Free "
        "space or fix the permissions there, remove the file if its content is damaged, or set "
        "rate_limit_state_dir to a writable directory."
    ]
    # The limit held across the failure: the three answers kept in process made the fourth request wait.
    assert clock.sleeps == [pytest.approx(10 + MARGIN)]


def test_an_unreadable_state_file_paces_in_process(tmp_path):
    store = file_store(tmp_path)
    os.mkdir(store.state_path)
    clock = FakeClock()
    warnings = []
    send(make_pacer(clock, limits=[RateLimit(5, 10)], store=store, warn=warnings.append), 3)
    assert len(warnings) == 1 and "Is a directory" in warnings[0]
    assert clock.sleeps == []


def test_without_a_warn_callback_a_failing_store_is_still_survived(tmp_path):
    store = FailingAfter(tmp_path, writes=0)
    clock = FakeClock()
    pacer = make_pacer(clock, limits=[RateLimit(1, 10)], store=store)
    send(pacer, 2)
    assert pacer.hold_after_rejection() == pytest.approx(10 + MARGIN)
    assert clock.sleeps == [pytest.approx(10 + MARGIN)]


def test_decisions_are_taken_under_the_file_lock(tmp_path):
    store = file_store(tmp_path)
    lock_checks = []

    def clock():
        other = os.open(store.lock_path, os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_checks.append("held")
        else:
            lock_checks.append("free")
        finally:
            os.close(other)
        return START

    send(Pacer(DEFAULT_RATE_LIMITS, store=store, clock=clock, sleep=lambda seconds: None))
    # Once to take the slot, once to record the answer.
    assert lock_checks == ["held", "held"]


def _send_from_child(directory, count, queue):
    send(Pacer([RateLimit(30, 1000)], store=file_store(directory)), count)
    queue.put(os.getpid())


def test_processes_share_one_history(tmp_path):
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_send_from_child, args=(tmp_path, 10, queue)) for _dummy in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
        assert child.exitcode == 0
    assert len(set(queue.get(timeout=5) for _dummy in children)) == 3
    state = read_state(tmp_path)
    assert len(state["answered"]) == 30
    assert state["waiting"] == {}

    asked_to_wait = []

    class WouldWait(Exception):
        pass

    def refuse_to_sleep(seconds):
        asked_to_wait.append(seconds)
        raise WouldWait()

    # The window the three children filled is full for a fourth process too.
    with pytest.raises(WouldWait):
        send(Pacer([RateLimit(30, 1000)], store=file_store(tmp_path), sleep=refuse_to_sleep))
    assert asked_to_wait[0] > 990
