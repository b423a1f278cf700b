# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Command line: ``python -m certcentral_sim --port 0 [options]`` (installed with ``pip install -e tests/simulator``).

Prints ``CertCentral simulator listening on http://127.0.0.1:PORT/services/v2`` (``https://`` with ``--tls-cert`` and
``--tls-key``) on standard output and serves until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import tempfile
import threading

from . import faults, generator
from .ratelimit import DEFAULT_RATE_LIMITS, parse_window
from .server import IDLE_TIMEOUT_SECONDS, ROUTE_TEMPLATES, Simulator
from .state import DataError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m certcentral_sim", description="A loopback simulator of the DigiCert CertCentral Services API v2.")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1; others are refused)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default 0: any free port)")
    parser.add_argument("--url-file", help="also write the base URL to this file (atomically), for scripts")
    parser.add_argument("--verbose", action="store_true", help="log every request (method, path, status) to standard error")
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=IDLE_TIMEOUT_SECONDS,
        metavar="SECONDS",
        help=f"close a keep-alive connection idle this long (default {IDLE_TIMEOUT_SECONDS:g})",
    )

    https = parser.add_argument_group("HTTPS (default: plain HTTP; python -m certcentral_sim.tls DIR makes throwaway files)")
    https.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this PEM certificate (chain); needs --tls-key")
    https.add_argument("--tls-key", metavar="FILE", help="the PEM private key of --tls-cert")

    account = parser.add_argument_group("account (default: the demo account)")
    account.add_argument("--data", metavar="FILE", help="load the account from a JSON data file")
    account.add_argument("--demo-account", action="store_true", help="the demo account: seed 7, 2,500 orders, reference date today")
    generator.add_generator_arguments(account)

    limits = parser.add_argument_group("rate limits (default: 100/5 and 1000/180 per key)")
    limits.add_argument(
        "--rate-limit",
        action="append",
        type=parse_window,
        metavar="REQUESTS/SECONDS",
        help="a rolling window per API key; repeat for several (replaces the defaults)",
    )
    limits.add_argument("--no-rate-limits", action="store_true", help="switch rate limiting off")

    fault = parser.add_argument_group("faults (all off by default; reproducible from --fault-seed)")
    fault.add_argument("--fault-seed", type=int, default=0, help="seed of the per-request fault decisions (default 0)")
    fault.add_argument("--latency-ms", type=float, default=0.0, help="latency added to every API request")
    fault.add_argument("--jitter-ms", type=float, default=0.0, help="extra random latency, up to this much")
    fault.add_argument("--spike-rate", type=float, default=0.0, help="share of requests with a latency spike")
    fault.add_argument("--spike-ms", type=float, default=0.0, help="size of a latency spike")
    fault.add_argument("--error-rate", type=float, default=0.0, help="share of requests answered 500/502/503")
    fault.add_argument("--drop-rate", type=float, default=0.0, help="share of requests whose connection is closed unanswered")
    fault.add_argument("--drop-after-write-rate", type=float, default=0.0, help="share of applied PUTs whose answer is dropped")
    fault.add_argument("--stall-rate", type=float, default=0.0, help="share of requests whose answer is held for --stall-seconds")
    fault.add_argument("--stall-seconds", type=float, default=0.0, help="how long a stalled answer is held (the request is handled at once)")
    fault.add_argument("--burst-429", type=int, default=0, metavar="N", help="answer the next N API requests with 429")
    fault.add_argument("--fault-method", action="append", metavar="METHOD", help="restrict faults to this HTTP method (repeatable)")
    fault.add_argument(
        "--fault-route",
        action="append",
        metavar="TEMPLATE",
        choices=ROUTE_TEMPLATES,
        help="restrict faults to this route template, e.g. /order/certificate/{id}/status (repeatable)",
    )

    real = parser.add_argument_group("real-world modes (all off by default; see docs/simulator.md)")
    real.add_argument(
        "--default-sort",
        default="id",
        metavar="SORT",
        help="order of GET /order/certificate without sort, e.g. --default-sort=-date_created for newest first (default id)",
    )
    real.add_argument("--ignore-sort", action="store_true", help="apply --default-sort even when the client sends a sort")
    real.add_argument("--page-limit", type=int, default=0, metavar="N", help="serve at most N orders per page and say so in page.limit")
    real.add_argument("--claimed-total", type=int, default=0, metavar="N", help="claim N as page.total of every order listing")
    real.add_argument("--churn-pages", type=int, default=0, metavar="N", help="change the account before each of the next N listing pages after a first page")
    real.add_argument("--churn-placed", type=int, default=0, metavar="N", help="orders placed before each such page")
    real.add_argument("--churn-issued", type=int, default=0, metavar="N", help="pending orders before the offset issued before each such page")
    real.add_argument("--churn-canceled", type=int, default=0, metavar="N", help="pending orders before the offset canceled before each such page")
    real.add_argument("--malformed-rate", type=float, default=0.0, help="share of GET answers whose body is malformed")
    real.add_argument("--malformed-kind", action="append", choices=faults.MALFORMED_KINDS, help="how (repeatable; default all kinds)")
    real.add_argument("--trickle-rate", type=float, default=0.0, help="share of answers sent one byte at a time")
    real.add_argument("--trickle-byte-ms", type=float, default=100.0, help="pause before each byte of a trickled answer")
    real.add_argument(
        "--cut-after-write-rate", type=float, default=0.0, help="share of applied PUTs whose answer is cut in the middle (a TLS error over HTTPS)"
    )
    real.add_argument(
        "--revocation-delay", type=float, default=0.0, metavar="SECONDS", help="carry out revocations this long after they are accepted (default 0: at once)"
    )
    return parser


def _fault_settings(args: argparse.Namespace) -> dict:
    return {
        "seed": args.fault_seed,
        "latency_ms": args.latency_ms,
        "jitter_ms": args.jitter_ms,
        "spike_rate": args.spike_rate,
        "spike_ms": args.spike_ms,
        "error_rate": args.error_rate,
        "drop_rate": args.drop_rate,
        "drop_after_write_rate": args.drop_after_write_rate,
        "stall_rate": args.stall_rate,
        "stall_seconds": args.stall_seconds,
        "burst_429": args.burst_429,
        "methods": args.fault_method,
        "routes": args.fault_route,
        "default_sort": args.default_sort,
        "ignore_sort": args.ignore_sort,
        "page_limit": args.page_limit,
        "claimed_total": args.claimed_total,
        "churn_pages": args.churn_pages,
        "churn_placed": args.churn_placed,
        "churn_issued": args.churn_issued,
        "churn_canceled": args.churn_canceled,
        "malformed_rate": args.malformed_rate,
        "malformed_kinds": args.malformed_kind or list(faults.MALFORMED_KINDS),
        "trickle_rate": args.trickle_rate,
        "trickle_byte_ms": args.trickle_byte_ms,
        "cut_after_write_rate": args.cut_after_write_rate,
    }


def _account_data(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict:
    options = generator.generator_options(args)
    if args.data and (options or args.demo_account):
        parser.error("--data takes no generator options and excludes --demo-account")
    if args.demo_account and options:
        parser.error("--demo-account is the default demo account; it takes no generator options")
    if args.data:
        try:
            with open(args.data, encoding="utf-8") as data:
                return json.load(data)
        except (OSError, ValueError) as error:
            parser.error(f"cannot read the data file: {error}")
    try:
        return generator.generate_account(**options)
    except ValueError as error:
        parser.error(str(error))
        raise  # parser.error exits; this keeps the control flow explicit


def _write_url_file(path: str, url: str) -> None:
    """Write atomically, so a script polling for the file never reads half a URL."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".certcentral-sim-url-")
    with os.fdopen(handle, "w", encoding="utf-8") as url_file:
        url_file.write(url + "\n")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        parser.error("--tls-cert and --tls-key go together")
    if not 0 <= args.revocation_delay <= 86400:
        parser.error("--revocation-delay must be from 0 to 86400 seconds")
    if not math.isfinite(args.idle_timeout) or args.idle_timeout <= 0:
        parser.error("--idle-timeout must be more than 0 seconds")
    data = _account_data(parser, args)
    rate_limits = [] if args.no_rate_limits else (args.rate_limit or DEFAULT_RATE_LIMITS)
    try:
        simulator = Simulator(
            data,
            host=args.host,
            port=args.port,
            rate_limits=rate_limits,
            fault_settings=_fault_settings(args),
            copy_data=False,
            verbose=args.verbose,
            tls_cert=args.tls_cert,
            tls_key=args.tls_key,
            idle_timeout=args.idle_timeout,
        )
    except (DataError, ValueError, OSError) as error:
        sys.stderr.write(f"certcentral_sim: {error}\n")
        return 2
    if args.revocation_delay:
        simulator.account.start_with_real_world({"revocation_delay_seconds": args.revocation_delay})

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stop.set())
    simulator.start()
    if args.url_file:
        _write_url_file(args.url_file, simulator.base_url)
    sys.stdout.write(f"CertCentral simulator listening on {simulator.base_url}\n")
    sys.stdout.flush()
    summary = simulator.account.summary()
    sys.stderr.write(
        f"admin channel: {simulator.admin_url} ; account: {summary['orders']} orders, reference date {summary['reference_date']}, "
        f"by status {summary['orders_by_status']}\n"
    )
    sys.stderr.flush()
    stop.wait()
    simulator.stop()
    if args.url_file:
        try:
            os.remove(args.url_file)
        except FileNotFoundError:
            pass  # the script that started us already took it
    return 0


if __name__ == "__main__":
    sys.exit(main())
