# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fault suite: bulk cancel runs under one fault condition each, judged by the simulator's true state.

Every condition gets a fresh simulator and a fresh controller work directory, asks digicert_order_cancel (through
ansible-playbook) to cancel a list of orders, possibly kills and restarts it, then runs it once more. The judgement
uses what the simulator knows, never what the module says about itself:

- wrong changes: changes by an API key (audit log) to orders that were not to be canceled, or by another action than
  a cancel; a second applied cancel of one order; a second cancel a run sent for an order after its own first one had
  been applied (acting twice, even when CertCentral refuses it); any order outside the list whose status changed.
- lost orders: orders that were to be canceled and are not, after the run (and restart) and one more run; and orders
  whose entry in a run's report disagrees with the true state after that run, or is missing.
- rerun changes: what the last run, which should find nothing left to do, changed.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import random
import signal
import time
from collections.abc import Callable

from certcentral_sim.generator import DEMO_ADMIN_KEY
from certcentral_sim.ratelimit import DEFAULT_RATE_LIMITS
from certcentral_sim.testing import running_simulator
from certcentral_sim.tls import write_throwaway_pki

from harness import Controller, PlaybookRun, RunningPlaybook, module_task, runs_a_module

REFERENCE_DATE = "2026-01-15"
CANCELABLE = ("pending", "waiting_pickup")
CHANGE_OUTCOMES = ("canceled", "reissue_canceled", "request_rejected")
# The role of changes made through the simulator's admin channel and scheduled mutations: "someone else".
SOMEONE_ELSE = "simulator"
RUN_TIMEOUT_SECONDS = 900
# The label (and register) of the extra run that ends every condition and must find nothing left to do.
RERUN = "rerun"


@dataclasses.dataclass(frozen=True)
class Scale:
    """How big the runs are: ``orders`` in each run's list, out of an account of ``account_orders`` orders with
    ``cancelable`` pending ones (those not in the list are bystanders that must stay untouched). ``windows`` are the
    rate limits, as (requests, seconds), of the conditions that have them on, in the simulator and in the module;
    ``burst_429`` is how many answers in a row are 429 in each burst beyond the pacing."""

    name: str
    orders: int
    account_orders: int
    cancelable: int
    windows: tuple[tuple[int, float], ...] = DEFAULT_RATE_LIMITS
    burst_429: int = 20

    @property
    def windows_label(self) -> str:
        if self.windows == DEFAULT_RATE_LIMITS:
            return "documented"
        return ", ".join(f"{requests}/{seconds:g} s" for requests, seconds in self.windows)


# The quick variant's runs are too short to fill DigiCert's windows (100 per 5 s, 1000 per 180 s): its windows are
# scaled down so that a run of 50 orders (about 150 requests: a read, the read right before acting and the cancel of
# each order; then about 50 for the extra run) fills both, the short one from its first requests on and the long one
# after 60 requests, again and again. Its bursts of 429 are the size of the short window: the three bursts of a run
# that short come close together, and in a trial with bursts of 20 one cancel, caught in two of them, drew five 429s
# in a row, as many as the module's retries allow.
QUICK = Scale("quick", orders=50, account_orders=200, cancelable=70, windows=((10, 0.25), (60, 3.0)), burst_429=10)
FULL = Scale("full", orders=320, account_orders=1000, cancelable=400)


@dataclasses.dataclass
class Row:
    """One line of the table."""

    condition: str
    orders: int
    rate_limits: str
    faults_injected: int
    fault_detail: str
    retries: int
    wrong_changes: int
    lost_orders: int
    rerun_changes: int
    seconds: float
    notes: list[str]
    problems: list[str]
    runs: int
    work_dir: str
    # Filled in by whoever searches the runs' output and files for the key.
    leaked_secrets: int = 0

    @property
    def clean(self) -> bool:
        return not (self.wrong_changes or self.lost_orders or self.rerun_changes)


class WriteLog:
    """Every cancel request the simulator handled (after the faults that stop a request before it is handled):
    the order, the note (each run sends its own), and whether it was applied.

    It wraps the account's handler under the account's own lock, so the log's order is the order of handling.
    """

    def __init__(self, account) -> None:
        self.attempts: list[tuple[int, str, bool]] = []
        handle = account.update_order_status
        lock = account._lock  # pylint: disable=protected-access  # the simulator's state lock; re-entrant

        def recording_update(order_id_text, body, key):
            with lock:
                try:
                    handle(order_id_text, body, key)
                except Exception:
                    self._add(order_id_text, body, applied=False)
                    raise
                self._add(order_id_text, body, applied=True)

        account.update_order_status = recording_update

    def _add(self, order_id_text, body, applied: bool) -> None:
        order_id = int(order_id_text) if str(order_id_text).isdigit() else -1
        self.attempts.append((order_id, body.get("note") if isinstance(body, dict) else None, applied))

    def repeats(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """Cancels that reached an order after an applied one: (sent by the run that applied it, sent by another run)."""
        applied_by: dict[int, str] = {}
        same_run, other_run = [], []
        for order_id, note, applied in self.attempts:
            if order_id in applied_by:
                (same_run if applied_by[order_id] == note else other_run).append((order_id, note))
            elif applied:
                applied_by[order_id] = note
        return same_run, other_run


@dataclasses.dataclass
class Report:
    label: str
    requested: list[int]
    result: dict
    truth: dict | None = None


class Trial:
    """One condition's run: its simulator, controller, orders, reports and the facts to judge them by."""

    def __init__(self, condition: Condition, scale: Scale, controller: Controller, simulator) -> None:
        self.condition = condition
        self.scale = scale
        self.controller = controller
        self.sim = simulator
        self.started = time.monotonic()
        self.initial = self.truth()
        chooser = random.Random(condition.key)
        cancelable = sorted(order_id for order_id, status in self.initial.items() if status in CANCELABLE)
        canceled = sorted(order_id for order_id, status in self.initial.items() if status == "canceled")
        # A stale listing: a few orders in the list were canceled before the run and must be left alone.
        stale = chooser.sample(canceled, max(1, scale.orders // 20))
        self.targets = chooser.sample(cancelable, scale.orders - len(stale)) + stale
        chooser.shuffle(self.targets)
        self.should_cancel = set(self.targets) - set(stale)
        self.changed_by_someone_else: dict[int, str] = {}
        self.writes = WriteLog(simulator.simulator.account)
        self.reports: list[Report] = []
        # The extra run's result, when it ran as the second task of the condition's last playbook.
        self.rerun_result: dict | None = None
        self.notes: list[str] = []
        # Lost or misreported orders a scenario found itself (an order a listing should have held), as (id, problem).
        self.found_lost: list[tuple[int, str]] = []
        self.kills = 0
        self._runs = 0

    # ---- running the module ---------------------------------------------------------------------------------

    def truth(self) -> dict[int, str]:
        return {order["id"]: order["status"] for order in self.sim.orders()}

    def note_for(self, label: str) -> str:
        return f"certops.digicert fault suite: {self.condition.key}, {label}"

    def module_args(self, label: str, order_ids: list[int], **options) -> dict:
        args = {"order_ids": list(order_ids), "note": self.note_for(label), "api_url": self.sim.base_url}
        if not self.condition.rate_limited:
            args["rate_limits"] = []
        elif self.scale.windows != DEFAULT_RATE_LIMITS:
            args["rate_limits"] = [{"requests": requests, "seconds": seconds} for requests, seconds in self.scale.windows]
        # Otherwise the module paces by its defaults, which are DigiCert's windows.
        args.update(self.condition.module_options)
        args.update(options)
        return args

    def start(
        self, label: str, order_ids: list[int], register: str = "outcome", keep_results: bool = False, then_rerun: bool = False, **options
    ) -> RunningPlaybook:
        """Start a playbook that runs the module over ``order_ids``; with ``then_rerun``, the extra run follows as a
        second task of the same playbook, which saves an Ansible start-up."""
        self._runs += 1
        tasks = [module_task("digicert_order_cancel", self.module_args(label, order_ids, **options), register)]
        if then_rerun:
            self._runs += 1
            tasks.append(module_task("digicert_order_cancel", self.module_args(RERUN, self.targets), RERUN))
        playbook = self.controller.playbook(tasks, name=label.replace(" ", "-"), keep_at_end=then_rerun)
        return self.controller.start(playbook, api_key=DEMO_ADMIN_KEY, keep_results=keep_results)

    def finish(self, running: RunningPlaybook, label: str, order_ids: list[int], register: str = "outcome") -> PlaybookRun:
        run = running.finish(RUN_TIMEOUT_SECONDS)
        self.reports.append(Report(label, list(order_ids), run.result(register)))
        return run

    def run(self, label: str, order_ids: list[int], then_rerun: bool = False, **options) -> dict:
        """Run the module over ``order_ids`` to its end (and with ``then_rerun`` the extra run after it, in the same
        playbook); return the first run's result."""
        run = self.finish(self.start(label, order_ids, then_rerun=then_rerun, **options), label, order_ids)
        if then_rerun:
            # The run's report is judged by the state the run left, before the extra run changed anything.
            self.reports[-1].truth = self.truth_without_changes_noted(self.note_for(RERUN))
            self.rerun_result = run.result(RERUN)
            self.reports.append(Report(RERUN, list(self.targets), self.rerun_result))
        self.settle()
        return run.result("outcome")

    def truth_without_changes_noted(self, note: str) -> dict[int, str]:
        """The true state with the changes made with ``note`` undone. Each run sends a note of its own, and every
        change is in the audit log (a change without an entry is a wrong change of its own)."""
        truth = self.truth()
        for entry in reversed(self.sim.audit_log()):
            if entry.get("note") == note:
                truth[entry["order_id"]] = entry["from_status"]
        return truth

    def settle(self) -> None:
        """Everything that ran has stopped: take the true state for the reports that have none yet."""
        truth = self.truth()
        for report in self.reports:
            if report.truth is None:
                report.truth = truth

    def module_cancels(self) -> int:
        return sum(1 for entry in self.sim.audit_log() if entry["role"] != SOMEONE_ELSE and entry["action"] == "cancel")

    def when_a_third_landed(self, running: RunningPlaybook, before: str) -> int:
        """Wait until a third of the cancels due have landed, while ``running`` still runs, and return how many have;
        an AssertionError when the run ended first, saying what it ended ``before``."""
        wanted = len(self.should_cancel) // 3
        deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
        landed = self.module_cancels()
        while landed < wanted and running.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
            landed = self.module_cancels()
        if running.poll() is not None:
            raise AssertionError(f"the run ended after {landed} cancels, before {before}")
        return landed

    # ---- judging ----------------------------------------------------------------------------------------------

    def judge(self, rerun: dict) -> Row:
        final = self.truth()
        audit = self.sim.audit_log()
        counters = self.sim.counters()
        problems: list[str] = []

        wrong = 0
        cancels_per_order: collections.Counter = collections.Counter()
        for entry in audit:
            if entry["role"] == SOMEONE_ELSE:
                continue
            order_id = entry["order_id"]
            if order_id not in self.should_cancel or entry["action"] != "cancel":
                wrong += 1
                problems.append(f"order {order_id} was not to be canceled, yet the run made {entry['action']} ({entry['from_status']} -> {entry['to_status']})")
            else:
                cancels_per_order[order_id] += 1
        for order_id, count in cancels_per_order.items():
            if count > 1:
                wrong += count - 1
                problems.append(f"order {order_id} was canceled {count} times")
        same_run, other_run = self.writes.repeats()
        for order_id, note in same_run:
            wrong += 1
            problems.append(f"order {order_id} got a second cancel from the run that had already canceled it ({note})")
        if not self.condition.overlapping_runs:
            for order_id, note in other_run:
                wrong += 1
                problems.append(f"order {order_id} was already canceled, yet a later run sent another cancel ({note})")
        touched = {entry["order_id"] for entry in audit}
        for order_id, status in final.items():
            # Orders placed during the run were not there at the start; each has an audit entry.
            if status != self.initial.get(order_id) and order_id not in touched:
                wrong += 1
                problems.append(f"order {order_id} changed from {self.initial[order_id]} to {status} without an audit entry")

        lost: set[int] = set()
        for order_id in sorted(self.should_cancel):
            if final[order_id] != "canceled":
                lost.add(order_id)
                problems.append(f"order {order_id} was to be canceled and is {final[order_id]}")
        for report in self.reports:
            for order_id, problem in disagreements(report):
                lost.add(order_id)
                problems.append(f"{report.label}: {problem}")
        for order_id, problem in self.found_lost:
            lost.add(order_id)
            problems.append(problem)

        rerun_changes = sum(1 for entry in rerun.get("orders") or [] if entry.get("outcome") in CHANGE_OUTCOMES)
        if rerun.get("changed") and not rerun_changes:
            rerun_changes = 1
        if rerun_changes:
            problems.append(f"the rerun changed {rerun_changes} orders: {rerun.get('summary')}")

        faults = {kind: count for kind, count in counters["faults"].items() if kind != "latency"}
        if counters["rate_limited"]:
            faults["rate_limited"] = counters["rate_limited"]
        if self.kills:
            faults["kill"] = self.kills
        retries = sum(len([warning for warning in report.result.get("warnings") or [] if "retrying in" in warning]) for report in self.reports)
        if other_run and self.condition.overlapping_runs:
            self.notes.append(
                f"{len(other_run)} cancels reached orders the other run had just canceled; CertCentral "
                f"refused them and the runs reported the orders as canceled"
            )
        return Row(
            condition=self.condition.title,
            orders=len(self.targets),
            rate_limits=self.scale.windows_label if self.condition.rate_limited else "off",
            faults_injected=sum(faults.values()),
            fault_detail=", ".join(f"{kind} {count}" for kind, count in sorted(faults.items())) or "none",
            retries=retries,
            wrong_changes=wrong,
            lost_orders=len(lost),
            rerun_changes=rerun_changes,
            seconds=time.monotonic() - self.started,
            notes=self.notes,
            problems=problems,
            runs=self._runs,
            work_dir=self.controller.work_dir,
        )


def disagreements(report: Report) -> list[tuple[int, str]]:
    """Entries of a run's report that contradict the true state taken when the run was over."""
    entries = report.result.get("orders")
    if not isinstance(entries, list):
        return [(order_id, f"no entry for order {order_id} (the run returned no orders: {report.result.get('msg')})") for order_id in report.requested]
    found = []
    reported = [entry.get("id") for entry in entries]
    if reported != report.requested:
        missing = sorted(set(report.requested) - set(reported))
        found.extend((order_id, f"no entry for order {order_id}") for order_id in missing)
    for entry in entries:
        order_id = entry.get("id")
        true_status = report.truth.get(order_id)
        if entry.get("status") is not None and entry["status"] != true_status:
            found.append((order_id, f"order {order_id} reported {entry['outcome']}/{entry['status']}, but it is {true_status}"))
        elif entry.get("outcome") in ("canceled", "already_canceled") and true_status != "canceled":
            found.append((order_id, f"order {order_id} reported {entry['outcome']}, but it is {true_status}"))
    return found


# ---- the conditions -------------------------------------------------------------------------------------------


def one_run(trial: Trial) -> None:
    trial.run("run", trial.targets, then_rerun=True)


def with_429_bursts(trial: Trial) -> None:
    """Another client eats the key's budget now and then: bursts of 429 that the pacing could not have prevented,
    one as the run starts (its reads) and one each when a third and two thirds of its cancels have landed."""
    burst = trial.scale.burst_429
    running = trial.start("run", trial.targets)
    trial.sim.set_faults(seed=7, burst_429=burst)
    bursts = 1
    for share in (1, 2):
        wanted = len(trial.should_cancel) * share // 3
        while trial.module_cancels() < wanted and running.poll() is None:
            time.sleep(0.05)
        if running.poll() is None:
            trial.sim.set_faults(seed=7, burst_429=burst)
            bursts += 1
    trial.finish(running, "run", trial.targets)
    trial.sim.set_faults()
    trial.settle()
    trial.notes.append(
        f"{bursts} bursts of {burst} answers 429 (at the start, and after a third and two thirds of the cancels), on top of the simulator's own windows"
    )


def with_status_changes(trial: Trial) -> None:
    """Someone else changes orders after this run read them and before it acts: issues them, requests a reissue,
    cancels them. The run must leave each alone and report what it is now."""
    per_kind = max(3, len(trial.targets) // 40)
    chosen = random.Random("status changes").sample(sorted(trial.should_cancel), 3 * per_kind)
    for index, order_id in enumerate(chosen):
        status = ("issued", "reissue_pending", "canceled")[index % 3]
        # After the run planned the order and before it acts. The run is given more order IDs than its listings
        # have pages, so it plans them from the listings: its first request for an order is the read right before
        # acting, and the change lands just before that read (after_requests=0).
        trial.sim.schedule_mutation(order_id, {"status": status}, after_requests=0)
        trial.changed_by_someone_else[order_id] = status
        trial.should_cancel.discard(order_id)
    trial.run("run", trial.targets, then_rerun=True)
    trial.notes.append(
        f"{per_kind} orders each issued, given a reissue request, and canceled by someone else between "
        f"the run's read and its write; fail_on_not_cancelable=false"
    )


def two_runs_at_once(trial: Trial) -> None:
    """Two runs with the same key at the same time, over overlapping lists, sharing the pacing state as two jobs on
    one controller do."""
    count = len(trial.targets)
    first, second = trial.targets[: count * 3 // 5], trial.targets[count * 2 // 5 :]
    run_a = trial.start("run A", first, register="run_a")
    run_b = trial.start("run B", second, register="run_b", keep_results=True)
    trial.finish(run_a, "run A", first, register="run_a")
    trial.finish(run_b, "run B", second, register="run_b")
    trial.settle()
    trial.notes.append(f"run A: {len(first)} orders, run B: {len(second)}, {len(set(first) & set(second))} in both")


def killed(how: str) -> Callable[[Trial], None]:
    """Kill the controller once a third of the cancels have landed, then start the same run again."""

    def scenario(trial: Trial) -> None:
        running = trial.start("killed run", trial.targets)
        landed = trial.when_a_third_landed(running, before="it could be killed")
        if how == "SIGINT":
            running.signal_group(signal.SIGINT)
        elif how == "SIGKILL":
            running.signal_group(signal.SIGKILL)
        else:
            running.kill_tree()
        trial.kills += 1
        running.wait(120)
        orphaned_modules = [pid for pid in running.leftovers() if runs_a_module(pid)]
        at_kill = trial.module_cancels()
        restarted = trial.start("restart", trial.targets)
        trial.finish(restarted, "restart", trial.targets)
        still_running = running.wait_for_leftovers(120)
        running.end_leftovers()
        trial.settle()
        what = {
            "SIGINT": "SIGINT to the playbook's process group (Ctrl-C)",
            "SIGKILL": "SIGKILL to the playbook's process group",
            "tree": "SIGKILL to the playbook and every process below it",
        }[how]
        note = f"{what} after {landed} of {len(trial.should_cancel)} cancels had landed; restarted at once"
        if orphaned_modules:
            note += (
                f"; the module outlived the kill (Ansible's worker runs in a session of its own) and went on "
                f"({at_kill} cancels at restart), side by side with the restart"
            )
        if still_running:
            note += f"; {len(still_running)} modules were still running 120 s later and were killed"
        trial.notes.append(note)

    return scenario


@dataclasses.dataclass(frozen=True)
class Condition:
    key: str
    title: str
    scenario: Callable[[Trial], None] = one_run
    faults: dict = dataclasses.field(default_factory=dict)
    module_options: dict = dataclasses.field(default_factory=dict)
    # The simulator enforces the scale's windows (DigiCert's in the full variant) and the module paces by the same.
    rate_limited: bool = False
    # Runs that overlap in time: each may send one cancel for an order the other canceled a moment before.
    overlapping_runs: bool = False
    # The simulator serves HTTPS with a throwaway CA, which the module trusts through ca_path.
    tls: bool = False


CONDITIONS = (
    Condition("latency", "latency spikes", faults={"seed": 11, "latency_ms": 5, "jitter_ms": 20, "spike_rate": 0.05, "spike_ms": 1500}),
    Condition("server-errors", "10% 5xx answers", faults={"seed": 12, "error_rate": 0.1}),
    Condition("429-bursts", "429 bursts beyond the pacing", scenario=with_429_bursts, rate_limited=True),
    Condition("dropped", "dropped connections (10%)", faults={"seed": 14, "drop_rate": 0.1}),
    Condition("stalls", "stalls past the timeout (5%)", faults={"seed": 15, "stall_rate": 0.05, "stall_seconds": 3.0}, module_options={"timeout": 2}),
    Condition("status-changes", "status changes mid-run", scenario=with_status_changes, module_options={"fail_on_not_cancelable": False}),
    Condition("lost-answers", "answers lost after the write (20%)", faults={"seed": 17, "drop_after_write_rate": 0.2}),
    Condition("two-runs", "two runs with the same key at once", scenario=two_runs_at_once, rate_limited=True, overlapping_runs=True),
    Condition("sigint", "controller killed (SIGINT), restarted", scenario=killed("SIGINT"), faults={"latency_ms": 30}),
    Condition("sigkill", "controller killed (SIGKILL), restarted", scenario=killed("SIGKILL"), faults={"latency_ms": 30}, overlapping_runs=True),
    Condition("crash", "controller and module killed (SIGKILL), restarted", scenario=killed("tree"), faults={"latency_ms": 30}),
)
# ---- real-world conditions (issue #12): listings that move, a TLS error after a change, odd data, absurd totals,
# trickled answers. The simulator's modes are described in docs/simulator.md, "Real-world modes".

LISTING = "listing"


def listed_then_canceled(trial: Trial) -> None:
    """List the pending orders while someone else places, issues or cancels orders between the pages (the condition's
    faults), then cancel what the listing found, as the role does, and run over the same orders once more.

    The listing must hold every order that was pending from before it started to after it ended, exactly once;
    orders placed or changed meanwhile may or may not be in it. What it holds that is still pending is what the run
    must cancel."""
    args = {"status": ["pending", "waiting_pickup"], "api_url": trial.sim.base_url, "rate_limits": []}
    listing_ids = "{{ listing.orders | map(attribute='id') | list }}"
    cancel_listed = trial.module_args("run", [])
    del cancel_listed["order_ids"]
    cancel_listed["orders"] = "{{ listing.orders }}"
    tasks = [
        module_task("digicert_order_info", args, LISTING),
        module_task("digicert_order_cancel", cancel_listed, "outcome"),
        module_task("digicert_order_cancel", dict(trial.module_args(RERUN, []), order_ids=listing_ids), RERUN),
    ]
    trial._runs += 2  # pylint: disable=protected-access
    playbook = trial.controller.playbook(tasks, name="listed-then-canceled", keep_at_end=True)
    run = trial.controller.start(playbook, api_key=DEMO_ADMIN_KEY).finish(RUN_TIMEOUT_SECONDS)
    listing = run.result(LISTING)
    listed = [entry["id"] for entry in listing.get("orders") or []]
    after_listing = dict(trial.initial)
    for entry in trial.sim.audit_log():
        if entry["role"] == SOMEONE_ELSE:
            after_listing[entry["order_id"]] = entry["to_status"]
    stayed = sorted(order_id for order_id, status in trial.initial.items() if status in CANCELABLE and after_listing[order_id] in CANCELABLE)
    if listing.get("failed"):
        trial.found_lost.extend((order_id, f"the listing failed: {listing.get('msg')}") for order_id in stayed)
    for order_id in sorted(set(stayed) - set(listed)):
        trial.found_lost.append((order_id, f"order {order_id} was pending before and after the listing, yet not listed"))
    for order_id in sorted({order_id for order_id in listed if listed.count(order_id) > 1}):
        trial.found_lost.append((order_id, f"order {order_id} was listed {listed.count(order_id)} times"))
    trial.targets = listed
    trial.should_cancel = {order_id for order_id in listed if after_listing.get(order_id) in CANCELABLE}
    trial.reports.append(Report("run", listed, run.result("outcome"), trial.truth_without_changes_noted(trial.note_for(RERUN))))
    trial.rerun_result = run.result(RERUN)
    trial.reports.append(Report(RERUN, listed, trial.rerun_result))
    trial.settle()
    moved = {kind: count for kind, count in trial.sim.counters()["faults"].items() if kind.startswith("listing_")}
    trial.notes.append(
        f"{len(listed)} orders listed ({len(stayed)} pending throughout) in pages of "
        f"{trial.sim.faults()['page_limit']}, newest first whatever the client asked; "
        f"changed between pages: {moved or 'nothing'}"
    )


def absurd_total(trial: Trial) -> None:
    """A server that claims ten million orders and serves one per page: the listing must stop with a clear error
    after its first request, and nothing may be acted on."""
    args = {"status": ["pending"], "api_url": trial.sim.base_url, "rate_limits": []}
    playbook = trial.controller.playbook([module_task("digicert_order_info", args, LISTING)], name="absurd-total")
    trial._runs += 1  # pylint: disable=protected-access
    listing = trial.controller.start(playbook, api_key=DEMO_ADMIN_KEY).finish(RUN_TIMEOUT_SECONDS).result(LISTING)
    requests_made = trial.sim.counters()["requests_by_route"].get("GET /order/certificate", 0)
    if not listing.get("failed") or "counts 10000000 orders" not in str(listing.get("msg")):
        trial.found_lost.append((0, f"the listing did not stop with a clear error: {listing.get('msg')}"))
    if requests_made > 2:
        trial.found_lost.append((0, f"the listing made {requests_made} requests before it stopped"))
    trial.targets, trial.should_cancel = [], set()
    trial.rerun_result = {"orders": []}
    trial.notes.append(f"page.total 10,000,000 at one order per page; stopped after {requests_made} request(s): {str(listing.get('msg'))[:160]}")


def _churn(**changes) -> dict:
    return {"seed": 21, "default_sort": "-date_created", "ignore_sort": True, "page_limit": 10, "churn_pages": 5, **changes}


REAL_WORLD_CONDITIONS = (
    Condition("listing-placed", "listing moved by placed orders", scenario=listed_then_canceled, faults=_churn(churn_placed=3)),
    Condition("listing-issued", "listing moved by issued orders", scenario=listed_then_canceled, faults=_churn(churn_issued=2)),
    Condition("listing-canceled", "listing moved by canceled orders", scenario=listed_then_canceled, faults=_churn(churn_canceled=2)),
    Condition("tls-cut", "TLS error after the change (20%)", tls=True, faults={"seed": 22, "cut_after_write_rate": 0.2, "methods": ["PUT"]}),
    Condition("malformed", "malformed answers and wrong types (15% of reads)", faults={"seed": 23, "malformed_rate": 0.15, "methods": ["GET"]}),
    Condition("absurd-total", "absurd total, one order per page", scenario=absurd_total, faults={"claimed_total": 10_000_000, "page_limit": 1}),
    Condition(
        "trickle", "answers trickled a byte at a time (5%)", module_options={"timeout": 2}, faults={"seed": 25, "trickle_rate": 0.05, "trickle_byte_ms": 50}
    ),
)


CONDITIONS = CONDITIONS + REAL_WORLD_CONDITIONS
CONDITIONS_BY_KEY = {condition.key: condition for condition in CONDITIONS}


def run_condition(condition: Condition, scale: Scale, collections_path: str, work_dir: str) -> Row:
    """Run one condition from a fresh simulator and work directory, then the extra run, and judge it."""
    controller = Controller(collections_path, os.path.join(work_dir, condition.key))
    windows = scale.windows if condition.rate_limited else []
    tls = {}
    if condition.tls:
        pki = write_throwaway_pki(os.path.join(work_dir, condition.key, "pki"))
        tls = {"tls_cert": pki.server_cert, "tls_key": pki.server_key}
        condition = dataclasses.replace(condition, module_options={**condition.module_options, "ca_path": pki.ca_cert})
    with running_simulator(
        seed=sum(map(ord, condition.key)),
        orders=scale.account_orders,
        pending=scale.cancelable,
        reference_date=REFERENCE_DATE,
        rate_limits=windows,
        faults=condition.faults,
        **tls,
    ) as simulator:
        trial = Trial(condition, scale, controller, simulator)
        condition.scenario(trial)
        rerun = trial.rerun_result if trial.rerun_result is not None else trial.run(RERUN, trial.targets)
        return trial.judge(rerun)
