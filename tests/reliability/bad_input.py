# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The table of bad values for every module option (and every option of the actions decommission_plan and
order_cleanup_selection, which list orders like the modules), and the machinery to run a whole table in one playbook.

Each case names one option, the kind of bad value (wrong type, empty, negative, zero, huge, duplicated, unknown,
malformed) and the phrase its failure must say. Every case works on an order of its own that the module could really
change if it let the value through, against one simulator per module; the simulator's request log then tells, case by
case, what reached it. The full variant runs a module's cases as the tasks of one ansible-playbook run; the quick
variant calls the module's main() in-process, which applies the same argument checks and the same client (an action
plugin has no main(): its cases run through ansible-playbook in both variants).
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import io
import json
import os
import re
from urllib.parse import parse_qs, urlsplit
import sys
import threading
from collections.abc import Callable

from harness import Controller, module_task

# A case's value: the value itself, DROP to leave the option out, or a function of the Context.
DROP = object()

# What a module's crash (as opposed to its own sentence) looks like in a task result.
CRASH_MARKERS = ("MODULE FAILURE", "Module failed:", "Traceback (most recent call last)")


@dataclasses.dataclass(frozen=True)
class Case:
    """One bad value. ``expect`` is a phrase of the sentence the task must fail with; None when the value is
    accepted by design (``accepted`` says why), which must then change nothing either."""

    option: str
    kind: str
    value: object
    expect: str | None
    reads: bool = False
    accepted: str = ""
    known_bug: str = ""
    extra: dict = dataclasses.field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.option}-{self.kind}"


@dataclasses.dataclass
class Context:
    """What case values may depend on: the simulator's address and the key."""

    base_url: str
    port: int
    api_key: str
    # Where a case may write (the report action's report_dir): each case gets a directory of its own under it.
    work_dir: str = ""

    def resolve(self, value):
        return value(self) if callable(value) else value


class RequestLog:
    """The simulator's request log (``METHOD path -> status`` lines), collected in memory, thread-safe."""

    LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+) -> (?P<status>\d+)$")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        with self._lock:
            self.lines.extend(line for line in text.splitlines() if line)

    def flush(self) -> None:
        """The simulator flushes after every line; nothing to do in memory."""

    def requests(self) -> list[tuple[str, str]]:
        with self._lock:
            lines = list(self.lines)
        return [(match["method"], match["path"]) for match in map(self.LINE.match, lines) if match]


def attach_request_log(simulator) -> RequestLog:
    log = RequestLog()
    simulator.simulator.log = log
    simulator.simulator.verbose = True
    return log


@dataclasses.dataclass
class Outcome:
    case: Case
    order_id: int
    result: dict
    writes: list[str]
    reads: list[str]
    # The files the case left in its own directory (CASE_DIR in its arguments): a refused value must write none.
    written: list[str] = dataclasses.field(default_factory=list)

    @property
    def message(self) -> str:
        return str(self.result.get("msg") or "")


@dataclasses.dataclass
class Table:
    """A module's cases with the options every case starts from."""

    module: str
    cases: tuple[Case, ...]
    base_args: Callable[[Context, int], dict]
    # The status of the orders the cases work on: one the module would change, and one it would leave alone (for the
    # values accepted by design, which must change nothing).
    changeable_status: str | None
    unchangeable_status: str | None
    # An action plugin has no main() to call in this process: its cases run through ansible-playbook in both variants.
    # Its cases name no order of their own, so the requests each sent are told apart by a marker request to the
    # simulator before every case (marked_requests()).
    action: bool = False


@dataclasses.dataclass
class Prepared:
    """A case made concrete: its register name, its own order, and the module arguments it runs with."""

    register: str
    case: Case
    order_id: int
    args: dict
    # The case's own directory, when its arguments named CASE_DIR.
    own_dir: str = ""


def prepare(table: Table, simulator, context: Context) -> list[Prepared]:
    """Give every case its own order (one the module would change, or for values accepted by design one it would
    leave alone) and build its arguments."""
    pools = {status: iter(order["id"] for order in simulator.orders(status)) for status in (table.changeable_status, table.unchangeable_status) if status}
    prepared = []
    for index, case in enumerate(table.cases):
        status = table.unchangeable_status if case.expect is None else table.changeable_status
        order_id = next(pools[status]) if status else 0
        args = table.base_args(context, order_id)
        for name, value in list(case.extra.items()) + [(case.option, case.value)]:
            value = context.resolve(value)
            if value is DROP:
                args.pop(name, None)
            else:
                args[name] = value
        _resolve_order_words(args, order_id)
        register = f"case_{index:03d}"
        own_dir = _resolve_case_dir(args, context, register)
        prepared.append(Prepared(register, case, order_id, args, own_dir))
    return prepared


# An argument that names the case's own directory (under Context.work_dir), where nothing is to be written.
CASE_DIR = "<the case's own directory>"


def _resolve_case_dir(args: dict, context: Context, register: str) -> str:
    own_dir = os.path.join(context.work_dir, "case-dirs", register)
    named = [name for name, value in args.items() if value == CASE_DIR]
    for name in named:
        args[name] = own_dir
    return own_dir if named else ""


# The simulator's admin route that every marker request asks for; it changes nothing and is not an API request.
MARKER_PATH = "/_sim/health"


def marker_task(simulator_root: str, register: str) -> dict:
    """A task that sends the simulator one request naming ``register``, in the controller's process (a lookup), so
    that its request log shows where the case's requests begin; around the proxy trap, which is for the actions."""
    url = f"{simulator_root}{MARKER_PATH}?bad_input_case={register}"
    return {
        "name": f"Mark the start of {register}",
        "ansible.builtin.debug": {"msg": f"{{{{ lookup('ansible.builtin.url', '{url}', use_proxy=false, split_lines=false) | length }}}}"},
        "check_mode": False,
    }


def marked_requests(requests: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The requests the simulator logged after each marker and before the next, by the register the marker names."""
    by_case: dict[str, list[str]] = {}
    current = None
    for method, path in requests:
        url = urlsplit(path)
        if url.path == MARKER_PATH and "bad_input_case" in parse_qs(url.query):
            current = parse_qs(url.query)["bad_input_case"][0]
            by_case[current] = []
        elif current is not None:
            by_case[current].append(f"{method} {path}")
    return by_case


def proxy_trap(simulator_root: str) -> dict:
    """Proxy settings that send any request for a host other than loopback to the simulator, where its log shows it.

    The client never uses a proxy for loopback, so the simulator is still reached directly; a value that made the
    module talk to any other host (for example plain http:// to a remote one) would then be seen instead of sent.
    """
    return {name: simulator_root for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")} | {"no_proxy": "", "NO_PROXY": ""}


def run_with_playbook(table: Table, prepared: list[Prepared], controller: Controller, proxy: dict, simulator_root: str = "") -> dict[str, dict]:
    """Every case as one task of one ansible-playbook run, the way users run the module; results by register. With
    ``simulator_root`` (for an action's table), a marker request comes before each case."""
    tasks = []
    for item in prepared:
        if simulator_root:
            tasks.append(marker_task(simulator_root, item.register))
        task = module_task(table.module, item.args, item.register, name=f"{table.module} {item.case.name}")
        # A value that made the module wait forever would stall the table; Ansible ends the task instead.
        task["timeout"] = 120
        tasks.append(task)
    run = controller.run(controller.playbook(tasks, name=f"bad-input-{table.module}", keep_at_end=True), timeout=3600, extra_env=proxy)
    return {item.register: run.result(item.register) for item in prepared}


def run_in_process(table: Table, prepared: list[Prepared], collections_path: str, cache_dir: str, proxy: dict) -> dict[str, dict]:
    """Every case through the module's main() in this process, with the argument handling of AnsibleModule and the
    real client over HTTP: the same checks as a playbook run, about a hundred times faster (for the quick variant)."""
    if collections_path not in sys.path:
        sys.path.insert(0, collections_path)
    # pylint: disable-next=import-outside-toplevel
    from ansible.module_utils.testing import patch_module_args

    module = importlib.import_module(f"ansible_collections.certops.digicert.plugins.modules.{table.module}")
    overrides = dict(proxy, XDG_CACHE_HOME=cache_dir)
    saved = {name: os.environ.pop(name) for name in list(os.environ) if name.startswith("DIGICERT_") or name in overrides}
    os.environ.update(overrides)
    results = {}
    try:
        for item in prepared:
            printed = io.StringIO()
            try:
                with patch_module_args(item.args), contextlib.redirect_stdout(printed):
                    module.main()
                results[item.register] = {"failed": True, "msg": "Module failed: main() returned without a result"}
            except SystemExit:
                results[item.register] = json.loads(printed.getvalue())
            except Exception as error:  # pylint: disable=broad-exception-caught
                results[item.register] = {"failed": True, "msg": f"Module failed: {error!r}"}
    finally:
        for name in overrides:
            os.environ.pop(name, None)
        os.environ.update(saved)
    return results


def outcomes_of(prepared: list[Prepared], results: dict[str, dict], log: RequestLog) -> dict[str, Outcome]:
    """What became of each case, with the requests the simulator logged for the case's own order (or, for a table
    run with markers, every request between the case's marker and the next one), and the files in its own
    directory."""
    requests = log.requests()
    by_case = marked_requests(requests)
    outcomes = {}
    for item in prepared:
        if item.register in by_case:
            mine = by_case[item.register]
        else:
            order_path = re.compile(rf"/order/certificate/{item.order_id}(/|$|\?)") if item.order_id else None
            mine = [f"{method} {path}" for method, path in requests if order_path and order_path.search(path)]
        outcomes[item.case.name] = Outcome(
            case=item.case,
            order_id=item.order_id,
            result=results[item.register],
            writes=[request for request in mine if not request.startswith("GET ")],
            reads=[request for request in mine if request.startswith("GET ")],
            written=sorted(os.listdir(item.own_dir)) if item.own_dir and os.path.isdir(item.own_dir) else [],
        )
    return outcomes


def problems_with(outcome: Outcome) -> list[str]:
    """Why ``outcome`` falls short of its case: empty when the module did what the table says."""
    case, result, message = outcome.case, outcome.result, outcome.message
    problems = []
    if outcome.writes:
        problems.append(f"state-changing requests reached the simulator: {outcome.writes}")
    if not case.reads and case.expect is not None and outcome.reads:
        problems.append(f"it read orders before refusing the value: {outcome.reads}")
    if case.expect is not None and outcome.written:
        problems.append(f"it wrote files before refusing the value: {outcome.written}")
    if any(marker in message for marker in CRASH_MARKERS):
        problems.append(f"the module crashed instead of saying what is wrong: {message[:300]!r}")
    if case.expect is None:
        if result.get("failed"):
            problems.append(f"accepted by design ({case.accepted}), yet the task failed: {message[:300]!r}")
        elif result.get("changed"):
            problems.append("accepted by design, yet the task reports a change")
    elif not result.get("failed"):
        problems.append(f"the task did not fail (changed={result.get('changed')}, summary={result.get('summary')})")
    elif case.expect not in message:
        problems.append(f"the failure does not say {case.expect!r}: {message[:400]!r}")
    return problems


def _resolve_order_words(args: dict, order_id: int) -> None:
    """order_ids and orders given as a word stand for lists built around the case's own order."""
    entry = {"id": order_id, "status": "pending"}
    words = {
        "order_ids": {"duplicate": [order_id, order_id], "unknown": [order_id, 999999999], "huge": [order_id, 10**30]},
        "orders": {"entry": [entry], "ids": [order_id], "without status": [{"id": order_id}], "duplicate": [entry, entry]},
    }
    for option, meanings in words.items():
        if isinstance(args.get(option), str) and args[option] in meanings:
            args[option] = meanings[args[option]]


# ---- the cases --------------------------------------------------------------------------------------------------


def _url(suffix: str) -> Callable[[Context], str]:
    return lambda context: context.base_url + suffix


def _root(path: str, port: str | None = None) -> Callable[[Context], str]:
    return lambda context: f"http://127.0.0.1:{port if port is not None else context.port}{path}"


def _with_credentials(context: Context) -> str:
    return context.base_url.replace("http://", "http://user:password@")


BOOLEAN_TYPE = "is of type str and we were unable to convert to bool"

CONNECTION_CASES = (
    Case("api_url", "empty", "", "it must start with https://"),
    Case("api_url", "malformed", "certcentral dot digicert dot com", "it must start with https://"),
    Case("api_url", "wrong type", lambda context: [context.base_url], "it must start with https://"),
    Case("api_url", "unknown scheme", "ftp://certcentral.example.com/services/v2", "it must start with https://"),
    Case("api_url", "plain http to a remote host", "http://certcentral.example.com/services/v2", "plain http:// is only allowed for loopback hosts"),
    Case("api_url", "no host", "https:///services/v2", "it has no host name"),
    Case("api_url", "credentials", _with_credentials, "it must not contain credentials"),
    Case("api_url", "query string", _url("?region=eu"), "it must not have a query string or fragment"),
    Case("api_url", "port zero", _root("/services/v2", port="0"), "port 0 cannot be connected to"),
    Case("api_url", "port too big", _root("/services/v2", port="99999"), "it cannot be parsed"),
    Case("api_url", "unknown path", _root("/services/v3"), "Check that api_url ends in /services/v2", reads=True),
    Case("api_key", "missing", DROP, "api_key is empty or not set. Set api_key in the task, export DIGICERT_API_KEY"),
    Case("api_key", "empty", "", "api_key is empty"),
    Case("api_key", "blank", "   ", "api_key contains whitespace or control characters"),
    Case("api_key", "trailing newline", lambda context: context.api_key + "\n", "api_key contains whitespace or control characters"),
    Case("api_key", "unknown", "NOT0A0KEY0THE0SIMULATOR0KNOWS0000000000000000000000", "CertCentral rejected the API key", reads=True),
    Case("validate_certs", "wrong type", "sometimes", f"argument 'validate_certs' {BOOLEAN_TYPE}"),
    Case("ca_path", "unknown file", "/nonexistent/ca-bundle.pem", "ca_path /nonexistent/ca-bundle.pem is not a file"),
    Case("ca_path", "a directory", "/", "ca_path / is not a file"),
    Case("timeout", "zero", 0, "timeout must be at least 1 second, got 0."),
    Case("timeout", "negative", -30, "timeout must be at least 1 second, got -30."),
    Case("timeout", "huge", 10**12, "timeout must be at most"),
    Case("timeout", "wrong type", "a minute", "argument 'timeout' is of type str and we were unable to convert to int"),
    Case("retries", "negative", -1, "retries must be 0 or more, got -1."),
    Case("retries", "wrong type", "several", "argument 'retries' is of type str and we were unable to convert to int"),
    Case(
        "rate_limits",
        "wrong type",
        "fast",
        "rate_limits",
        known_bug='ansible-core refuses it, but with "dictionary requested, could not parse JSON or key=value", which does not name the option',
    ),
    Case("rate_limits", "empty entry", [{}], "missing required arguments: requests, seconds found in rate_limits"),
    Case("rate_limits", "zero requests", [{"requests": 0, "seconds": 5}], "Each entry of rate_limits needs requests of 1 or more"),
    Case("rate_limits", "negative requests", [{"requests": -10, "seconds": 5}], "Each entry of rate_limits needs requests of 1 or more"),
    Case("rate_limits", "zero seconds", [{"requests": 10, "seconds": 0}], "Each entry of rate_limits needs requests of 1 or more"),
    Case("rate_limits", "negative seconds", [{"requests": 10, "seconds": -5}], "Each entry of rate_limits needs requests of 1 or more"),
    Case("rate_limits", "huge seconds", [{"requests": 1, "seconds": 1e12}], "Each entry of rate_limits needs requests of 1 or more"),
    Case("rate_limits", "infinite seconds", [{"requests": 1, "seconds": "inf"}], "Each entry of rate_limits needs requests of 1 or more"),
    Case("rate_limits", "not a number", [{"requests": 1, "seconds": "nan"}], "Each entry of rate_limits needs requests of 1 or more"),
    Case("rate_limits", "unknown suboption", [{"requests": 10, "seconds": 5, "burst": 3}], "rate_limits.burst"),
    Case("rate_limits", "wrong type requests", [{"requests": "many", "seconds": 5}], "argument 'requests' is of type str found in 'rate_limits'"),
    Case(
        "rate_limit_state_dir",
        "not a directory",
        "/dev/null",
        None,
        accepted="documented: when the directory cannot be used, pacing covers this process only, and a warning says so",
    ),
    Case("rate_limit_state_dir", "empty", "", None, accepted="empty means the default directory in the user's cache"),
    Case("workers", "zero", 0, "workers must be at least 1, got 0."),
    Case("workers", "negative", -2, "workers must be at least 1, got -2."),
    Case("workers", "wrong type", "eight", "argument 'workers' is of type str and we were unable to convert to int"),
    Case("colour", "unknown option", "blue", "Unsupported parameters for"),
)


def order_cases(text_option: str, limit_option: str, not_possible_option: str) -> tuple[Case, ...]:
    """The cases of the options that cancel and revoke share: which orders, the text they send, and the guards."""
    return (
        Case("order_ids", "neither order_id nor order_ids", DROP, "one of the following is required: order_id, order_ids"),
        Case("order_id", "both order_id and order_ids", 1, "parameters are mutually exclusive: order_id|order_ids"),
        Case("order_id", "wrong type", "twelve", "argument 'order_id' is of type str and we were unable to convert to int", extra={"order_ids": DROP}),
        Case("order_id", "fraction", 1.5, "argument 'order_id' is of type float and we were unable to convert to int", extra={"order_ids": DROP}),
        Case("order_id", "zero", 0, "order_id must hold positive order IDs (whole numbers of 1 or more), got 0.", extra={"order_ids": DROP}),
        Case("order_id", "negative", -5, "order_id must hold positive order IDs (whole numbers of 1 or more), got -5.", extra={"order_ids": DROP}),
        Case("order_id", "huge", 10**30, "does not exist or is not in this account", reads=True, extra={"order_ids": DROP}),
        Case("order_id", "unknown", 999999999, "Order 999999999 does not exist or is not in this account", reads=True, extra={"order_ids": DROP}),
        Case("order_ids", "wrong type", {"first": 1}, "argument 'order_ids' is of type dict and we were unable to convert to list"),
        Case("order_ids", "wrong element type", ["two"], "Elements value for option 'order_ids' is of type str and we were unable to convert to int"),
        Case("order_ids", "zero", [0], "order_ids must hold positive order IDs (whole numbers of 1 or more), got 0."),
        Case("order_ids", "negative", [-1], "order_ids must hold positive order IDs (whole numbers of 1 or more), got -1."),
        Case("order_ids", "duplicated", "duplicate", "order_ids names some orders more than once"),
        Case("order_ids", "unknown beside a real one", "unknown", "Order 999999999 does not exist or is not in this account", reads=True),
        Case("order_ids", "huge beside a real one", "huge", "does not exist or is not in this account", reads=True),
        Case("order_ids", "empty", [], None, accepted="an empty list is documented as valid: a listing that found nothing changes nothing"),
        Case(text_option, "missing", DROP, f"missing required arguments: {text_option}"),
        Case(text_option, "empty", "", f"{text_option} must not be empty"),
        Case(text_option, "blank", " \n\t ", f"{text_option} must not be empty"),
        Case(text_option, "overlong", "x" * 1001, f"{text_option} is 1001 characters long; at most 1000 are allowed."),
        Case(text_option, "huge", "x" * 200000, f"{text_option} is 200000 characters long; at most 1000 are allowed."),
        Case(text_option, "wrong type (list)", ["decommissioned", "ticket 4711"], f"{text_option} must be text, got a list"),
        Case(text_option, "terminal escape", "decommissioned\x1b[2J", f"{text_option} contains the control character U+001B"),
        Case(text_option, "line break", "decommissioned\nticket 4711", f"{text_option} contains the control character U+000A"),
        Case(text_option, "wrong type (number)", 4711, None, accepted="a number is taken as its text, which is what an unquoted ticket number in YAML means"),
        Case("missing_ok", "wrong type", "perhaps", f"argument 'missing_ok' {BOOLEAN_TYPE}"),
        Case(not_possible_option, "wrong type", "perhaps", f"argument '{not_possible_option}' {BOOLEAN_TYPE}"),
        Case(limit_option, "negative", -1, f"{limit_option} must be 0 or more, got -1."),
        Case(limit_option, "zero", 0, f"more than {limit_option}=0 allows", reads=True),
        Case(limit_option, "wrong type", "many", f"argument '{limit_option}' is of type str and we were unable to convert to int"),
        Case("recheck_after", "unknown", 30, "Unsupported parameters for"),
    )


NOT_AN_ENTRY = "Entry 1 of orders is not an order entry of digicert_order_info"
# The orders of a listing (digicert_order_info's result) instead of their IDs; each case names no order_ids.
LISTED_ORDERS_CASES = tuple(
    dataclasses.replace(case, extra={"order_ids": DROP, **case.extra})
    for case in (
        Case("orders", "wrong type", {"id": 1, "status": "pending"}, "argument 'orders' is of type dict and we were unable to convert to list"),
        Case("orders", "IDs instead of entries", "ids", "Elements value for option 'orders' is of type int and we were unable to convert to dict"),
        Case("orders", "entry without a status", "without status", NOT_AN_ENTRY),
        Case("orders", "entry with ID zero", [{"id": 0, "status": "pending"}], NOT_AN_ENTRY),
        Case("orders", "entry with ID as text", [{"id": "twelve", "status": "pending"}], NOT_AN_ENTRY),
        Case("orders", "entry with status as number", [{"id": 1, "status": 3}], NOT_AN_ENTRY),
        Case(
            "orders",
            "entry with a request ID as text",
            [{"id": 1, "status": "pending", "requests": [{"id": "7", "type": "new_request", "status": "pending"}]}],
            "requests[0].id is the text '7' where a whole number belongs",
        ),
        Case("orders", "duplicated", "duplicate", "orders names some orders more than once"),
        Case("orders", "unknown", [{"id": 999999999, "status": "pending"}], "Order 999999999 does not exist or is not in this account", reads=True),
        Case("orders", "empty", [], None, accepted="an empty list is documented as valid and changes nothing"),
    )
) + (Case("orders", "with order_ids", "entry", "parameters are mutually exclusive: order_id|order_ids|orders"),)

CANCEL_CASES = (
    order_cases("note", "max_cancellations", "fail_on_not_cancelable")
    + LISTED_ORDERS_CASES
    + (
        Case("reject_pending_request", "wrong type", "yes please", f"argument 'reject_pending_request' {BOOLEAN_TYPE}"),
        Case("cancel_reissue", "wrong type", [], "argument 'cancel_reissue' is of type list and we were unable to convert to bool"),
    )
    + CONNECTION_CASES
)

REVOKE_CASES = (
    order_cases("comments", "max_revocations", "fail_on_not_revocable")
    + LISTED_ORDERS_CASES
    + (
        Case("revocation_reason", "unknown", "lost_laptop", "value of revocation_reason must be one of"),
        Case("revocation_reason", "empty", "", "value of revocation_reason must be one of"),
        Case("skip_approval", "wrong type", "maybe", f"argument 'skip_approval' {BOOLEAN_TYPE}"),
        Case("wait_timeout", "negative", -1, "wait_timeout must be a whole number of seconds from 0 (do not wait) to 3600"),
        Case("wait_timeout", "huge", 10**6, "wait_timeout must be a whole number of seconds from 0 (do not wait) to 3600"),
        Case("wait_timeout", "wrong type", "a while", "argument 'wait_timeout' is of type str and we were unable to convert to int"),
        Case("wait_interval", "zero", 0, "wait_interval must be a whole number of seconds from 1 to 3600, got 0."),
    )
    + CONNECTION_CASES
)

INFO_CASES = (
    Case("order_id", "wrong type", "twelve", "argument 'order_id' is of type str and we were unable to convert to int"),
    Case("order_id", "zero", 0, "order_id must be a positive number, got 0."),
    Case("order_id", "negative", -3, "order_id must be a positive number, got -3."),
    Case("order_id", "huge", 10**30, "does not exist or is not in this account", reads=True, extra={"fail_on_missing": True}),
    Case("order_id", "unknown", 999999999, "Order 999999999 does not exist or is not in this account", reads=True, extra={"fail_on_missing": True}),
    Case(
        "order_id",
        "unknown, fail_on_missing false",
        999999999,
        None,
        reads=True,
        accepted="an _info module answers an unknown order with an empty result and a message",
    ),
    Case("fail_on_missing", "wrong type", "perhaps", f"argument 'fail_on_missing' {BOOLEAN_TYPE}"),
    Case("order_id", "with a filter", 1, "parameters are mutually exclusive: order_id|status", extra={"status": ["pending"]}),
    Case("status", "unknown", ["pending", "abandoned"], "value of status must be one or more of"),
    Case("status", "wrong case", ["Pending"], "value of status must be one or more of"),
    Case("status", "empty list", [], "status must list at least one value"),
    Case("status", "empty value", [""], "value of status must be one or more of"),
    Case("status", "wrong type", {"pending": True}, "argument 'status' is of type dict and we were unable to convert to list"),
    Case("status", "duplicated", ["pending", "pending"], None, accepted="a read-only listing; each status is listed once"),
    Case("product_name_id", "empty list", [], "product_name_id must list at least one value"),
    Case("product_name_id", "empty value", ["ssl_basic", ""], "product_name_id must list at least one value and no empty ones"),
    Case("common_name", "empty", "", "common_name must not be empty"),
    Case("common_name", "blank", "   ", "common_name must not be empty"),
    Case("domain_name", "empty", "", "domain_name must not be empty"),
    Case("search", "blank", " ", "search must not be empty"),
    Case("container_id", "zero", 0, "container_id must be a positive number, got 0."),
    Case("container_id", "negative", -4, "container_id must be a positive number, got -4."),
    Case("container_id", "wrong type", "web", "argument 'container_id' is of type str and we were unable to convert to int"),
    Case("older_than_days", "negative", -1, "older_than_days must be 0 or more, got -1."),
    Case("older_than_days", "huge", 10**12, "older_than_days must be at most"),
    Case("older_than_days", "wrong type", "a month", "argument 'older_than_days' is of type str and we were unable to convert to int"),
    Case("created_before", "malformed", "yesterday", "created_before must be a date written as YYYY-MM-DD, got 'yesterday'."),
    Case("created_before", "impossible date", "2026-02-30", "created_before must be a date written as YYYY-MM-DD"),
    Case("created_after", "empty", "", "created_after must be a date written as YYYY-MM-DD"),
    Case(
        "created_after",
        "after created_before",
        "2026-02-01",
        "created_after (2026-02-01) must be earlier than created_before (2026-01-01)",
        extra={"created_before": "2026-01-01"},
    ),
    Case("details", "wrong type", "please", f"argument 'details' {BOOLEAN_TYPE}"),
    Case("include_raw", "wrong type", "please", f"argument 'include_raw' {BOOLEAN_TYPE}"),
) + CONNECTION_CASES


# A host no generated order names: every case would list the account and plan nothing, if it let its value through.
RETIRED_HOST = "retired01.badinput.test"
PLANNED_ENTRY = {"id": 1, "status": "pending", "common_name": RETIRED_HOST}
# decommission_plan given the orders of a reviewed plan instead of listing them.
GIVEN_ORDERS = {"list_orders": DROP}

DECOMMISSION_PLAN_CASES = (
    Case("play_hosts", "wrong type", {"web01": 1}, "argument 'play_hosts' is of type dict and we were unable to convert to list"),
    Case("play_hosts", "wildcard", ["*.badinput.test"], "'*.badinput.test' (from host *.badinput.test) is not the name of a host that can be retired"),
    Case("play_hosts", "only localhost", ["localhost"], "no host to retire", extra={"hosts": DROP}),
    Case("hosts", "wildcard", ["*.badinput.test"], "'*.badinput.test' (from decommission_hosts) is not the name of a host that can be retired"),
    Case("hosts", "e-mail address", ["ops@badinput.test"], "'ops@badinput.test' (from decommission_hosts) is not the name of a host"),
    Case("hosts", "wrong type", {"web01": 1}, "decommission_hosts must be a list of host names, or text with commas, got dict."),
    Case("hosts", "empty", [], "no host to retire"),
    Case("hosts", "blank text", " , ", "no host to retire"),
    Case("orders", "wrong type", {"id": 1, "status": "pending"}, "argument 'orders' is of type dict and we were unable to convert to list", extra=GIVEN_ORDERS),
    Case(
        "orders", "IDs instead of entries", [1], "Elements value for option 'orders' is of type int and we were unable to convert to dict", extra=GIVEN_ORDERS
    ),
    Case("orders", "entry without a status", [{"id": 1}], "Entry 1 of orders is not an order entry of digicert_order_info", extra=GIVEN_ORDERS),
    Case("orders", "duplicated", [PLANNED_ENTRY, PLANNED_ENTRY], "orders names some orders more than once", extra=GIVEN_ORDERS),
    Case("orders", "with list_orders", [PLANNED_ENTRY], "Give orders (a reviewed plan's) or list_orders=true (list every order of the account), not both."),
    Case("orders", "empty", [], None, accepted="no order to plan for: the plan cancels and revokes nothing", extra=GIVEN_ORDERS),
    Case("list_orders", "wrong type", "perhaps", f"argument 'list_orders' {BOOLEAN_TYPE}"),
    Case("revoke_issued", "wrong type", "perhaps", f"argument 'revoke_issued' {BOOLEAN_TYPE}"),
    Case("max_cancellations", "negative", -1, "decommission_max_cancellations must be 0 or more, got -1."),
    Case("max_cancellations", "wrong type", "many", "argument 'max_cancellations' is of type str and we were unable to convert to int"),
    Case("max_revocations", "negative", -1, "decommission_max_revocations must be 0 or more, got -1."),
    Case("max_revocations", "wrong type", "many", "argument 'max_revocations' is of type str and we were unable to convert to int"),
    Case("progress", "wrong type", "perhaps", f"argument 'progress' {BOOLEAN_TYPE}"),
    Case("progress_interval", "zero", 0, "progress_interval must be more than 0 seconds, got 0.0; set progress to false for no progress lines."),
    Case("progress_interval", "negative", -5, "progress_interval must be more than 0 seconds, got -5.0"),
    Case("progress_interval", "not a number", "nan", "progress_interval must be more than 0 seconds, got nan"),
    Case("progress_interval", "wrong type", "often", "argument 'progress_interval' is of type str and we were unable to convert to float"),
) + CONNECTION_CASES


# order_cleanup_selection given the orders of a reviewed plan: nothing is listed.
CLEANUP_ENTRY = {"id": 1, "status": "pending"}

ORDER_CLEANUP_SELECTION_CASES = (
    Case("status", "missing", DROP, "missing required arguments: status"),
    Case("status", "empty", [], "status must list at least one of pending, waiting_pickup, needs_approval, reissue_pending."),
    Case("status", "unknown", ["pending", "abandoned"], "value of status must be one or more of"),
    Case("status", "not cancelable", ["issued"], "value of status must be one or more of"),
    Case("status", "wrong type", {"pending": True}, "argument 'status' is of type dict and we were unable to convert to list"),
    Case("older_than_days", "negative", -1, "older_than_days must be 0 or more, got -1."),
    Case("older_than_days", "huge", 10**12, "older_than_days must be at most 36500"),
    Case("older_than_days", "wrong type", "a month", "argument 'older_than_days' is of type str and we were unable to convert to int"),
    Case("product_name_id", "empty entry", ["ssl_basic", ""], "product_name_id must list at least one value and no empty ones"),
    Case("product_name_id", "wrong type", {"ssl_basic": True}, "argument 'product_name_id' is of type dict and we were unable to convert to list"),
    Case("product_name_id", "unknown", ["ssl_made_up"], None, accepted="a product no order has selects no order"),
    Case("container_ids", "zero", [0], "container_ids must hold container IDs of 1 or more, got 0."),
    Case("container_ids", "negative", [7, -3], "container_ids must hold container IDs of 1 or more, got -3."),
    Case("container_ids", "wrong type", ["web"], "container_ids"),
    Case("orders", "wrong type", {"id": 1, "status": "pending"}, "argument 'orders' is of type dict and we were unable to convert to list"),
    Case("orders", "IDs instead of entries", [1], "Elements value for option 'orders' is of type int and we were unable to convert to dict"),
    Case("orders", "entry without a status", [{"id": 1}], "Entry 1 of orders is not an order entry of digicert_order_info"),
    Case("orders", "duplicated", [CLEANUP_ENTRY, CLEANUP_ENTRY], "orders names some orders more than once"),
    Case("orders", "empty", [], None, accepted="a reviewed plan of no order: nothing is found, nothing is due"),
    Case("exclude_order_ids", "zero", [0], "exclude_order_ids must hold order IDs of 1 or more, got 0."),
    Case("exclude_order_ids", "wrong type", ["all"], "exclude_order_ids"),
    Case("max_cancellations", "negative", -1, "max_cancellations must be 0 or more, got -1."),
    Case("max_cancellations", "wrong type", "many", "argument 'max_cancellations' is of type str and we were unable to convert to int"),
    Case("progress", "wrong type", "perhaps", f"argument 'progress' {BOOLEAN_TYPE}"),
    Case("progress_interval", "zero", 0, "progress_interval must be more than 0 seconds, got 0.0; set progress to false for no progress lines."),
    Case("progress_interval", "not a number", "nan", "progress_interval must be more than 0 seconds, got nan"),
    Case("progress_interval", "wrong type", "often", "argument 'progress_interval' is of type str and we were unable to convert to float"),
) + CONNECTION_CASES


def _cleanup_selection_base(context: Context, _order_id: int) -> dict:
    return {"status": ["pending"], "older_than_days": 30, "api_url": context.base_url, "api_key": context.api_key, "rate_limits": []}


def _plan_base(context: Context, _order_id: int) -> dict:
    return {"hosts": [RETIRED_HOST], "list_orders": True, "api_url": context.base_url, "api_key": context.api_key, "rate_limits": []}


def _order_base(text_option: str, text: str) -> Callable[[Context, int], dict]:
    def base(context: Context, order_id: int) -> dict:
        return {"order_ids": [order_id], text_option: text, "api_url": context.base_url, "api_key": context.api_key, "rate_limits": []}

    return base


def _info_base(context: Context, _order_id: int) -> dict:
    return {"api_url": context.base_url, "api_key": context.api_key, "rate_limits": []}


TABLES = {
    "digicert_order_cancel": Table("digicert_order_cancel", CANCEL_CASES, _order_base("note", "Bad input test"), "pending", "canceled"),
    "digicert_order_revoke": Table("digicert_order_revoke", REVOKE_CASES, _order_base("comments", "Bad input test"), "issued", "revoked"),
    "digicert_order_info": Table("digicert_order_info", INFO_CASES, _info_base, None, None),
    "decommission_plan": Table("decommission_plan", DECOMMISSION_PLAN_CASES, _plan_base, None, None, action=True),
    "order_cleanup_selection": Table("order_cleanup_selection", ORDER_CLEANUP_SELECTION_CASES, _cleanup_selection_base, None, None, action=True),
}


# ---- the action digicert_order_report ---------------------------------------------------------------------------
# It lists like digicert_order_info and writes the report files on the controller: every case runs with a report
# directory of its own (CASE_DIR), and a refused value must leave it without a file, besides sending no request
# (or, where the refusal needs CertCentral's answer, only reads).

ORDER_REPORT_CASES = (
    Case("report_dir", "missing", DROP, "missing required arguments: report_dir"),
    Case("report_dir", "empty", "", "report_dir is empty; give the directory for the report files."),
    Case("report_dir", "a device", "/dev/null", "/dev/null cannot hold the report"),
    Case("report_dir", "below a file", "/dev/null/reports", "/dev/null/reports cannot hold the report"),
    Case("report_dir", "not writable", "/proc/certops-digicert-reports", "/proc/certops-digicert-reports cannot hold the report"),
    Case("report_dir", "wrong type", ["reports"], "report_dir must be the path of a directory, written as text, got list."),
    Case("report_dir", "a number", 2026, "report_dir must be the path of a directory, written as text, got int."),
    Case("details", "wrong type", "please", f"argument 'details' {BOOLEAN_TYPE}"),
    Case("status", "unknown", ["pending", "abandoned"], "value of status must be one or more of"),
    Case("status", "wrong case", ["Pending"], "value of status must be one or more of"),
    Case("status", "empty list", [], "status must list at least one value"),
    Case("status", "empty value", [""], "value of status must be one or more of"),
    Case("status", "wrong type", {"pending": True}, "argument 'status' is of type dict and we were unable to convert to list"),
    Case("status", "duplicated", ["pending", "pending"], None, reads=True, accepted="a read-only listing; each status is listed once"),
    Case("product_name_id", "empty list", [], "product_name_id must list at least one value"),
    Case("product_name_id", "empty value", ["ssl_basic", ""], "product_name_id must list at least one value and no empty ones"),
    Case("container_id", "zero", 0, "container_id must be a positive number, got 0."),
    Case("container_id", "negative", -4, "container_id must be a positive number, got -4."),
    Case("container_id", "wrong type", "web", "argument 'container_id' is of type str and we were unable to convert to int"),
    Case("older_than_days", "negative", -1, "older_than_days must be 0 or more, got -1."),
    Case("older_than_days", "huge", 10**12, "older_than_days must be at most"),
    Case("older_than_days", "wrong type", "a month", "argument 'older_than_days' is of type str and we were unable to convert to int"),
    Case("oldest", "negative", -1, "oldest must be 0 or more, got -1."),
    Case("oldest", "wrong type", "some", "argument 'oldest' is of type str and we were unable to convert to int"),
    Case("oldest", "zero", 0, None, reads=True, accepted="the summary lists no oldest orders; the report has every row"),
    Case("progress", "wrong type", "perhaps", f"argument 'progress' {BOOLEAN_TYPE}"),
    Case("progress_interval", "zero", 0, "progress_interval must be more than 0 seconds, got 0.0; set progress to false for no progress lines."),
    Case("progress_interval", "negative", -5, "progress_interval must be more than 0 seconds, got -5.0"),
    Case("progress_interval", "not a number", "nan", "progress_interval must be more than 0 seconds, got nan"),
    Case("progress_interval", "wrong type", "often", "argument 'progress_interval' is of type str and we were unable to convert to float"),
    Case("progress_interval", "infinite", "inf", None, reads=True, accepted="no line is ever due: the run prints none, as progress=false does"),
) + CONNECTION_CASES


def _order_report_base(context: Context, _order_id: int) -> dict:
    return {"report_dir": CASE_DIR, "api_url": context.base_url, "api_key": context.api_key, "rate_limits": []}


TABLES["digicert_order_report"] = Table("digicert_order_report", ORDER_REPORT_CASES, _order_report_base, None, None, action=True)
