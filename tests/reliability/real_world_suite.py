# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fault conditions of the real world: revocations that DigiCert completes later, odd request data, and failures
after changes were made (fault_suite.py has the rest; the rows go into the same table).

The revoke conditions drive digicert_order_revoke (with skip_approval, as decommissioning does) through a
RevokeTrial, judged like the cancel conditions by the simulator's true state, and also counted apart:

- duplicated changes: more than one revocation a run sent for an order, applied or refused, over all runs of the
  condition (never two revoke calls for one order); counted among the wrong changes.
- misreported outcomes: an entry whose status is not the order's true status after its run, whose outcome claims
  what is not so (revoked but not revoked; submitted or in progress but no revocation in flight), or a run that
  reports a change it did not make or makes a change it does not report; counted among the lost orders.

The cancel conditions here run through fault_suite.Trial (the same judgement as every cancel condition), with
scenarios that switch the simulator's real-world settings on, or damage the pacing state, while a run is going on.
"""

from __future__ import annotations

import collections
import dataclasses
import fcntl
import glob
import os
import random
import time
from collections.abc import Callable

import requests

from certcentral_sim.generator import DEMO_ADMIN_KEY, DEMO_ORDERS_KEY
from certcentral_sim.testing import running_simulator

from fault_suite import REFERENCE_DATE, RUN_TIMEOUT_SECONDS, SOMEONE_ELSE, Condition, Row, Scale, Trial, run_condition
from harness import Controller, module_task

REVOKE_CHANGES = ("revoked", "revocation_submitted", "revoke_requested")
# An outcome, and what must be true of the order after the run that reported it.
IN_FLIGHT_OUTCOMES = ("revocation_submitted", "revocation_in_progress")


class RevokeWriteLog:
    """Every revocation the simulator handled for an order, applied or refused, in the order of handling."""

    def __init__(self, account) -> None:
        self.attempts: list[tuple[int, bool]] = []
        handle = account.revoke_order
        lock = account._lock  # pylint: disable=protected-access  # the simulator's state lock; re-entrant

        def recording_revoke(order_id_text, body, key):
            with lock:
                order_id = int(order_id_text) if str(order_id_text).isdigit() else -1
                try:
                    answer = handle(order_id_text, body, key)
                except Exception:
                    self.attempts.append((order_id, False))
                    raise
                self.attempts.append((order_id, True))
                return answer

        account.revoke_order = recording_revoke

    def per_order(self) -> collections.Counter:
        return collections.Counter(order_id for order_id, _applied in self.attempts)


@dataclasses.dataclass
class RevokeReport:
    label: str
    requested: list[int]
    result: dict
    truth: dict[int, str]
    in_flight: set[int]
    changed: set[int]
    rerun: bool


class RevokeTrial:
    """One revoke condition: issued orders to revoke, plus orders already revoked (a stale list) and orders whose
    revoke request awaits approval, spelt otherwise (they must be left alone); bystanders outside the list."""

    def __init__(self, condition: RevokeCondition, scale: Scale, controller: Controller, handle) -> None:
        self.condition = condition
        self.controller = controller
        self.sim = handle
        self.started = time.monotonic()
        chooser = random.Random(condition.key)
        truth = self.truth()
        issued = sorted(
            order_id
            for order_id, status in truth.items()
            if status == "issued" and not any(request["type"] == "revoke" for request in handle.order(order_id)["requests"])
        )
        revoked = sorted(order_id for order_id, status in truth.items() if status == "revoked")
        count = max(10, scale.orders // 2)
        stale = chooser.sample(revoked, 2)
        picked = chooser.sample(issued, count - len(stale))
        requested, self.should_revoke = picked[:2], set(picked[2:])
        # Someone asked for these revocations earlier; an approver has not decided yet.
        session = requests.Session()
        session.trust_env = False
        for order_id in requested:
            answer = session.put(
                f"{handle.base_url}/order/certificate/{order_id}/revoke",
                json={"comments": "asked earlier"},
                headers={"X-DC-DEVKEY": DEMO_ORDERS_KEY},
                timeout=30,
            )
            answer.raise_for_status()
        session.close()
        self.targets = picked + stale
        chooser.shuffle(self.targets)
        # The requests awaiting approval and a third of the rest come with request types and statuses spelt otherwise.
        self.spelt = sorted(set(requested) | set(chooser.sample(sorted(self.should_revoke), len(self.should_revoke) // 3)))
        handle.admin("PUT", "/real-world", {"revocation_delay_seconds": condition.revocation_delay_seconds, "spelt_request_types": self.spelt})
        self.initial = self.truth()
        self.audit_start = max((entry["sequence"] for entry in handle.audit_log()), default=0)
        self.writes = RevokeWriteLog(handle.simulator.account)
        self.reports: list[RevokeReport] = []
        self.notes: list[str] = []
        self._runs = 0

    def truth(self) -> dict[int, str]:
        return {order["id"]: order["status"] for order in self.sim.orders()}

    def in_flight(self) -> set[int]:
        return {int(order_id) for order_id in self.sim.admin("GET", "/real-world")["revocations_in_flight"]}

    def run(self, label: str, rerun: bool = False, **options) -> dict:
        """One playbook with one revoke task over the targets; its report is judged by the state right after it."""
        self._runs += 1
        before = max((entry["sequence"] for entry in self.sim.audit_log()), default=0)
        args = {
            "order_ids": list(self.targets),
            "comments": f"certops.digicert fault suite: {self.condition.key}, {label}",
            "skip_approval": True,
            "api_url": self.sim.base_url,
            "rate_limits": [],
        }
        args.update(options)
        playbook = self.controller.playbook([module_task("digicert_order_revoke", args, "outcome")], name=label.replace(" ", "-"))
        result = self.controller.start(playbook, api_key=DEMO_ADMIN_KEY).finish(RUN_TIMEOUT_SECONDS).result("outcome")
        changed = {entry["order_id"] for entry in self.sim.audit_log(since=before) if entry["role"] != SOMEONE_ELSE}
        self.reports.append(RevokeReport(label, list(self.targets), result, self.truth(), self.in_flight(), changed, rerun))
        return result

    def judge(self) -> Row:
        final = self.truth()
        audit = [entry for entry in self.sim.audit_log() if entry["sequence"] > self.audit_start]
        problems: list[str] = []

        wrong = 0
        for entry in audit:
            if entry["role"] == SOMEONE_ELSE:
                continue
            if entry["order_id"] not in self.should_revoke or entry["action"] != "revoke":
                wrong += 1
                problems.append(
                    f"order {entry['order_id']} was not to be revoked, yet the run made {entry['action']} ({entry['from_status']} -> {entry['to_status']})"
                )
        duplicated = 0
        for order_id, count in self.writes.per_order().items():
            if count > 1:
                duplicated += count - 1
                problems.append(f"order {order_id} got {count} revocations")
        touched = {entry["order_id"] for entry in audit}
        for order_id, status in final.items():
            if status != self.initial[order_id] and order_id not in touched:
                wrong += 1
                problems.append(f"order {order_id} changed from {self.initial[order_id]} to {status} without an audit entry")

        lost: set[int] = set()
        for order_id in sorted(self.should_revoke):
            if final[order_id] != "revoked":
                lost.add(order_id)
                problems.append(f"order {order_id} was to be revoked and is {final[order_id]}")
        misreported: set[int] = set()
        for report in self.reports:
            for order_id, problem in revoke_disagreements(report):
                misreported.add(order_id)
                problems.append(f"{report.label}: {problem}")

        rerun_changes = 0
        for report in self.reports:
            if report.rerun:
                rerun_changes += len(report.changed) + sum(1 for entry in report.result.get("orders") or [] if entry.get("outcome") in REVOKE_CHANGES)
        if rerun_changes:
            problems.append(f"the reruns changed or reported changes on {rerun_changes} orders")

        delayed = sum(1 for entry in audit if entry["action"] == "revocation_completed")
        self.notes.append(
            f"{len(self.should_revoke)} issued orders to revoke with skip_approval, 2 already revoked, 2 with a "
            f"revoke request awaiting approval; {len(self.spelt)} with request types and statuses spelt "
            f"otherwise; {misreported and len(misreported) or 0} misreported outcomes, {duplicated} duplicated "
            f"changes"
        )
        return Row(
            condition=self.condition.title,
            orders=len(self.targets),
            rate_limits="off",
            faults_injected=delayed + len(self.spelt),
            fault_detail=f"revocations completed later {delayed}, odd spellings {len(self.spelt)}",
            retries=sum(len([warning for warning in report.result.get("warnings") or [] if "retrying in" in warning]) for report in self.reports),
            wrong_changes=wrong + duplicated,
            lost_orders=len(lost | misreported),
            rerun_changes=rerun_changes,
            seconds=time.monotonic() - self.started,
            notes=self.notes,
            problems=problems,
            runs=self._runs,
            work_dir=self.controller.work_dir,
        )


def revoke_disagreements(report: RevokeReport) -> list[tuple[int, str]]:
    """Entries of a revoke run's report that contradict the true state after that run, or what it changed."""
    entries = report.result.get("orders")
    if not isinstance(entries, list) or not isinstance(report.result.get("summary"), dict):
        return [
            (order_id, f"no entry for order {order_id} (the run returned no orders or summary: {report.result.get('msg')})") for order_id in report.requested
        ]
    found = []
    if [entry.get("id") for entry in entries] != report.requested:
        found.extend((order_id, f"no entry for order {order_id}") for order_id in sorted(set(report.requested) - {entry.get("id") for entry in entries}))
    reported_changes = set()
    for entry in entries:
        order_id, outcome = entry.get("id"), entry.get("outcome")
        true_status = report.truth.get(order_id)
        if outcome in REVOKE_CHANGES:
            reported_changes.add(order_id)
        if entry.get("status") is not None and entry["status"] != true_status:
            found.append((order_id, f"order {order_id} reported {outcome}/{entry['status']}, but it is {true_status}"))
        elif outcome in ("revoked", "already_revoked") and true_status != "revoked":
            found.append((order_id, f"order {order_id} reported {outcome}, but it is {true_status}"))
        elif outcome in IN_FLIGHT_OUTCOMES and order_id not in report.in_flight:
            found.append((order_id, f"order {order_id} reported {outcome}, but no revocation of it is in flight"))
    for order_id in sorted(reported_changes ^ report.changed):
        said = "reported a change it did not make" if order_id in reported_changes else "changed it without reporting it"
        found.append((order_id, f"order {order_id}: the run {said}"))
    return found


def revoked_later(trial: RevokeTrial) -> None:
    """DigiCert takes its time: every revocation reads issued (with an approved request) after the run. A rerun then
    must send nothing; once DigiCert is done, another run finds them revoked."""
    trial.run("run")
    trial.run("rerun while in flight", rerun=True)
    completed = trial.sim.admin("POST", "/real-world/complete-revocations")["completed"]
    trial.notes.append(f"the rerun ran while {len(completed)} revocations were in flight; then DigiCert completed them")
    trial.run("rerun after completion", rerun=True)


def waited_for(trial: RevokeTrial) -> None:
    """DigiCert completes each revocation seconds after it was accepted; the run waits for them (wait_timeout)."""
    trial.run("run", wait_timeout=120, wait_interval=1)
    trial.run("rerun", rerun=True)
    trial.notes.append("wait_timeout: 120, wait_interval: 1")


@dataclasses.dataclass(frozen=True)
class RevokeCondition:
    key: str
    title: str
    scenario: Callable[[RevokeTrial], None]
    revocation_delay_seconds: float

    def run(self, scale: Scale, collections_path: str, work_dir: str) -> Row:
        controller = Controller(collections_path, os.path.join(work_dir, self.key))
        with running_simulator(
            seed=sum(map(ord, self.key)), orders=scale.account_orders, pending=scale.cancelable, reference_date=REFERENCE_DATE, rate_limits=[]
        ) as handle:
            trial = RevokeTrial(self, scale, controller, handle)
            self.scenario(trial)
            return trial.judge()


# ---- cancel runs with odd data or a failing pacing state, mid-run ----------------------------------------------


def odd_request_data_mid_run(trial: Trial) -> None:
    """A third of the orders show their requests spelt otherwise from the start, among them a few pending orders whose
    new request ("new request", "Pending") still awaits approval: those must be left alone (an approver has to reject
    the request first). Once a third of the cancels have landed, some orders not canceled yet show their request IDs as
    text: those must fail with a clear sentence (nothing is sent for them). Every other order must be canceled, and
    every order reported truly."""
    chooser = random.Random("odd request data")
    pending = sorted(trial.should_cancel)
    spelt = chooser.sample(pending, len(pending) // 3)
    awaiting = spelt[:3]
    for order_id in awaiting:
        new_request = next(request for request in trial.sim.order(order_id)["requests"] if request["type"] == "new_request")
        trial.sim.set_request(new_request["id"], status="pending")
        trial.should_cancel.discard(order_id)
    pending = sorted(trial.should_cancel)
    trial.sim.admin("PUT", "/real-world", {"spelt_request_types": spelt})
    running = trial.start("run", trial.targets)
    landed = trial.when_a_third_landed(running, before="the fault could be injected")
    truth = trial.truth()
    text_ids = [order_id for order_id in chooser.sample(pending, len(pending)) if truth[order_id] != "canceled"][:5]
    trial.sim.admin("PUT", "/real-world", {"spelt_request_types": spelt, "string_request_ids": text_ids})
    trial.finish(running, "run", trial.targets)
    trial.settle()
    final = trial.truth()
    entries = {entry["id"]: entry for entry in trial.reports[-1].result.get("orders") or []}
    failed_clearly = 0
    for order_id in text_ids:
        if final[order_id] == "canceled":
            continue  # canceled before its requests turned odd
        trial.should_cancel.discard(order_id)
        entry = entries.get(order_id, {})
        # The sentence names the order and the field (the client or the run, whichever reads the answer first).
        if entry.get("outcome") == "failed" and f"{order_id}" in entry.get("message", "") and "requests[0].id" in entry.get("message", ""):
            failed_clearly += 1
        else:
            trial.notes.append(f"PROBLEM: order {order_id} with request IDs as text was reported {entry.get('outcome')}: {entry.get('message')}")
    for order_id in awaiting:
        entry = entries.get(order_id, {})
        if entry.get("outcome") != "not_cancelable" or (entry.get("cancel_verdict") or {}).get("action") != "reject_request":
            trial.notes.append(f"PROBLEM: order {order_id}, whose new request awaits approval, was reported {entry.get('outcome')}: {entry.get('message')}")
    trial.notes.append(
        f"{len(spelt)} orders with request types spelt otherwise, {len(awaiting)} of them with their new "
        f"request awaiting approval; after {landed} cancels, {len(text_ids)} "
        f"orders showed request IDs as text, {failed_clearly} of them still uncanceled and reported failed "
        f"with a clear sentence"
    )


def pacing_state_damaged_mid_run(trial: Trial) -> None:
    """Once a third of the cancels have landed, the shared pacing state file gets a non-finite number (under its lock,
    as a writer would): the run must go on with in-process pacing and one warning, and lose nothing."""
    running = trial.start("run", trial.targets)
    landed = trial.when_a_third_landed(running, before="the fault could be injected")
    damaged = 0
    for state_path in glob.glob(os.path.join(trial.controller.work_dir, "cache", "certops.digicert", "rate-limits", "*.json")):
        descriptor = os.open(state_path[: -len(".json")] + ".lock", os.O_RDWR)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            with open(state_path, "w", encoding="utf-8") as state_file:
                state_file.write('{"version":2,"answered":[NaN],"waiting":{},"held_until":NaN}')
            damaged += 1
        finally:
            os.close(descriptor)
    trial.finish(running, "run", trial.targets)
    trial.settle()
    warnings = [warning for warning in trial.reports[-1].result.get("warnings") or [] if "rate limit history" in warning]
    if damaged != 1 or len(warnings) != 1:
        trial.notes.append(f"PROBLEM: {damaged} state files damaged, {len(warnings)} warnings about them")
    trial.notes.append(f"after {landed} cancels the pacing state got NaN; the run warned {len(warnings)} time(s) and went on pacing in process")


# The quick variant's 50 orders, paced by a generous window so the state file is in use and the row stays short.
GENEROUS_PACING = {"rate_limits": [{"requests": 1000, "seconds": 1}]}

REAL_WORLD_CONDITIONS = (
    RevokeCondition("delayed-revocation", "delayed revocation: rerun while in flight", revoked_later, revocation_delay_seconds=3600),
    RevokeCondition("delayed-revocation-wait", "delayed revocation, waited for", waited_for, revocation_delay_seconds=2),
    Condition(
        "odd-request-data",
        "odd request data mid-run (spellings, IDs as text)",
        scenario=odd_request_data_mid_run,
        faults={"latency_ms": 50},
        module_options={"fail_on_not_cancelable": False, "retries": 1},
    ),
    Condition(
        "pacing-state-damaged",
        "pacing state damaged mid-run (NaN)",
        scenario=pacing_state_damaged_mid_run,
        faults={"latency_ms": 50},
        module_options=GENEROUS_PACING,
    ),
)


def run_real_world_condition(condition, scale: Scale, collections_path: str, work_dir: str) -> Row:
    if isinstance(condition, RevokeCondition):
        return condition.run(scale, collections_path, work_dir)
    return run_condition(condition, scale, collections_path, work_dir)
