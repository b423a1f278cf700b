# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP side: a threaded HTTP/1.1 server on loopback, the API routes under /services/v2, and the pipeline
every API request goes through (faults, auth, rate limits, routing, permissions, scheduled mutations).
"""

from __future__ import annotations

import copy
import dataclasses
import http.server
import ipaddress
import json
import math
import re
import socket
import socketserver
import ssl
import sys
import threading
import traceback
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from . import admin, errors, faults, listing, real_world, tls
from .counters import Counters
from .ratelimit import DEFAULT_RATE_LIMITS, RateLimiter, validate_windows
from .state import Account

API_PREFIX = "/services/v2"
ADMIN_PREFIX = "/_sim"
MAX_BODY_BYTES = 64 * 1024 * 1024  # room for a 20,000-order account posted to the admin channel
TLS_HANDSHAKE_SECONDS = 30  # a client that connects and never completes the handshake is let go after this
# INVENTED: how long an idle keep-alive connection is kept open (#65). DigiCert's value is not published; common
# servers keep one from 5 s (Apache httpd, Node.js) to 75 s (nginx) by default (docs/certcentral-api.md §9.1).
IDLE_TIMEOUT_SECONDS = 15

# GET /key/api-roles (docs/certcentral-api.md §1), answered verbatim.
API_ACCESS_ROLES = [{"id": 100, "name": "Orders"}, {"id": 101, "name": "Orders, Domains, Organizations"}, {"id": 102, "name": "View Only"}]


@dataclasses.dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Callable
    pattern: re.Pattern

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"


def _route(method: str, template: str, handler: Callable) -> Route:
    pattern = re.compile("^" + re.escape(template).replace(re.escape("{id}"), "([^/]+)") + "$")
    return Route(method, template, handler, pattern)


def match_route(routes, method: str, path: str):
    """The route serving ``method path`` and its ``{id}`` value; (None, None) when nothing serves it."""
    for route in routes:
        if route.method == method:
            match = route.pattern.match(path)
            if match:
                return route, (match.group(1) if match.groups() else None)
    return None, None


def loopback_host(host: str) -> str:
    """The address to bind for ``host``; anything that is not loopback is refused."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"refusing to bind {host!r}: the simulator only listens on a loopback address") from None
    if not address.is_loopback:
        raise ValueError(f"refusing to bind {host!r}: the simulator only listens on a loopback address")
    return host


class Simulator:
    """A running (or ready to run) CertCentral simulator: account, rate limiter, faults, counters, HTTP server.

    With ``tls_cert`` and ``tls_key`` (PEM files: the certificate chain and its key) it serves HTTPS, API and admin
    channel alike, on the same port; otherwise plain HTTP. A keep-alive connection that stays idle for
    ``idle_timeout`` seconds is closed by the server.
    """

    def __init__(
        self,
        account_data: dict,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits=DEFAULT_RATE_LIMITS,
        fault_settings: dict | None = None,
        copy_data: bool = True,
        verbose: bool = False,
        log=None,
        tls_cert: str | None = None,
        tls_key: str | None = None,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
    ) -> None:
        if (tls_cert is None) != (tls_key is None):
            raise ValueError("TLS needs both a certificate and its key (--tls-cert and --tls-key)")
        if not math.isfinite(idle_timeout) or idle_timeout <= 0:
            raise ValueError(f"the idle timeout must be more than 0 seconds, not {idle_timeout!r} (--idle-timeout)")
        self.idle_timeout = idle_timeout
        tls_context = tls.server_context(tls_cert, tls_key) if tls_cert is not None else None
        self.tls_cert = tls_cert
        self._initial_rate_limits = validate_windows(rate_limits)
        self._initial_faults = faults.FaultConfig.from_dict(dict(fault_settings or {}), ROUTE_TEMPLATES).to_dict()
        self.account = Account(copy.deepcopy(account_data) if copy_data else account_data)
        self.rate_limiter = RateLimiter(self._initial_rate_limits)
        self.faults = faults.FaultInjector(faults.FaultConfig.from_dict(copy.deepcopy(self._initial_faults), ROUTE_TEMPLATES))
        self.mutations = faults.MutationSchedule()
        self.counters = Counters()
        self.verbose = verbose
        self.log = log or sys.stderr
        self.stop_event = threading.Event()
        self._sequence_lock = threading.Lock()
        self._sequence = 0
        self._thread: threading.Thread | None = None
        server_class = _HttpServerV6 if ":" in host else _HttpServer
        self._httpd = server_class((loopback_host(host), port), self, tls_context)

    @property
    def host(self) -> str:
        return self._httpd.server_address[0]

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def scheme(self) -> str:
        return "https" if self.tls_cert is not None else "http"

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + API_PREFIX

    @property
    def admin_url(self) -> str:
        return self.root_url + ADMIN_PREFIX

    def start(self) -> None:
        """Serve in a daemon thread."""
        # A short poll interval makes stop() prompt; the cost is a few idle wake-ups per second.
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="certcentral-simulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, wake stalled requests, close open connections and the listening socket."""
        self.stop_event.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.close_connections()
        self._httpd.server_close()

    def next_sequence(self) -> int:
        with self._sequence_lock:
            self._sequence += 1
            return self._sequence

    def reset(self) -> None:
        """Back to the start: loaded account, start-up faults and rate limits, no mutations, zero counters."""
        self.account.reset()
        self.rate_limiter.configure(self._initial_rate_limits)
        self.faults.configure(faults.FaultConfig.from_dict(copy.deepcopy(self._initial_faults), ROUTE_TEMPLATES))
        self.mutations.clear()
        self.counters.reset()
        with self._sequence_lock:
            self._sequence = 0

    def configure_faults(self, settings: dict) -> dict:
        """Replace the fault settings at run time; returns them with defaults filled in."""
        config = faults.FaultConfig.from_dict(settings, ROUTE_TEMPLATES)
        self.faults.configure(config)
        return config.to_dict()

    def load(self, account_data: dict) -> None:
        """Replace the loaded account (``reset`` then returns to it) and reset everything else."""
        self.account = Account(account_data)
        self.reset()

    def order_for_route(self, route: Route, identifier: str | None) -> int | None:
        """The order an API request is about, for scheduled mutations."""
        if identifier is None:
            return None
        if route.template == "/order/certificate/{id}":
            return self.account.resolve_order_id(identifier)
        if route.template.startswith("/order/certificate/{id}/"):
            return self.account.resolve_order_id(identifier) if identifier.isdigit() else None
        if route.template == "/certificate/{id}/revoke":
            return self.account.resolve_certificate(identifier)
        if route.template.startswith("/request/{id}"):
            return self.account.order_of_request(identifier)
        return None

    def apply_mutations(self, due: list[faults.ScheduledMutation]) -> None:
        for mutation in due:
            self.account.set_order_fields(mutation.order_id, mutation.fields, action="mutation")
            self.counters.record_fault("mutation")

    def write_log(self, line: str) -> None:
        if self.verbose:
            self.log.write(line + "\n")
            self.log.flush()


class _HttpServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple, simulator: Simulator, tls_context: ssl.SSLContext | None = None) -> None:
        self.simulator = simulator
        self.tls_context = tls_context
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a machine without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request, client_address) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def finish_request(self, request, client_address) -> None:
        """Serve one connection; with TLS, shake hands first, in this connection's own thread.

        The handshake happens here rather than on accept, so a slow or silent client holds up only itself. A client
        that rejects the certificate, or speaks plain HTTP to the TLS port, is let go without an answer or a
        traceback: to it the failed handshake is the answer.
        """
        if self.tls_context is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(TLS_HANDSHAKE_SECONDS)
        try:
            tls_request = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        # The TLS socket took over the connection's descriptor; track it instead, so stop() can still close it.
        with self._connections_lock:
            self._connections.discard(request)
            self._connections.add(tls_request)
        try:
            super().finish_request(tls_request, client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(tls_request)
            tls_request.close()

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client


class _HttpServerV6(_HttpServer):
    address_family = socket.AF_INET6


class _BadBody(Exception):
    """The request body could not be read as the headers announced."""


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CertCentralSimulator/1"

    server: _HttpServer

    def __getattr__(self, name: str):
        # BaseHTTPRequestHandler dispatches a request to do_<METHOD>; every method, known or not, takes the same
        # path, so that an unserved method is answered like an unknown route rather than with an HTML 501.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def setup(self) -> None:
        # StreamRequestHandler sets it as the connection's socket timeout: a wait for the next request that outlasts
        # it ends the connection. It bounds every other single read and write as well, each far shorter.
        self.timeout = self.server.simulator.idle_timeout
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and the client's delayed
        # ACK add about 40 ms to every answer on a keep-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return self.server_version

    def log_request(self, code="-", size="-") -> None:
        # A request line that is not HTTP (a TLS greeting on this plain port, say) is answered with 400 before
        # http.server has set command and path: the answer must still go out.
        self.server.simulator.write_log(f"{getattr(self, 'command', None)} {getattr(self, 'path', self.requestline)} -> {code}")

    def log_message(self, format, *args) -> None:  # pylint: disable=redefined-builtin  # noqa: A002 (the stdlib's name)
        self.server.simulator.write_log(format % args)

    # ---- plumbing ------------------------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline(1024)
                try:
                    size = int(size_line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _BadBody() from None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            raise _BadBody() from None
        if length < 0 or length > MAX_BODY_BYTES:
            raise _BadBody()
        return self.rfile.read(length)

    def _send(self, http_status: int, payload=None, *, body: bytes | None = None, content_type: str | None = None, byte_seconds: float = 0.0) -> None:
        """Answer; ``body`` replaces the payload's JSON (a malformed answer), ``byte_seconds`` trickles the whole
        answer, status line and headers included, one byte at a time."""
        if body is None:
            body = b"" if payload is None else json.dumps(payload, separators=(",", ":")).encode("utf-8")
        if content_type is None and payload is not None:
            content_type = "application/json"
        try:
            if byte_seconds:
                self._trickle(http_status, body, content_type, byte_seconds)
                return
            self.send_response(http_status)
            if content_type is not None:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            self.close_connection = True  # the client gave up (a stall outlived its timeout), or stopped reading

    def _trickle(self, http_status: int, body: bytes, content_type: str | None, byte_seconds: float) -> None:
        # INVENTED (test infrastructure): every byte comes well within any read timeout, the whole answer does not.
        head = f"{self.protocol_version} {http_status} {self.responses.get(http_status, ('',))[0]}\r\n"
        if content_type is not None:
            head += f"Content-Type: {content_type}\r\n"
        head += f"Content-Length: {len(body)}\r\nServer: {self.server_version}\r\n\r\n"
        self.log_request(http_status)
        for byte in head.encode("ascii") + (body if self.command != "HEAD" else b""):
            if self.server.simulator.stop_event.wait(byte_seconds):
                self.close_connection = True
                return
            self.wfile.write(bytes((byte,)))

    def _cut_answer(self) -> None:
        """Break the answer off in the middle. Over TLS, bytes that are no TLS record go out on the raw connection,
        so the client's TLS layer fails while reading the answer; over plain HTTP, a body shorter than announced."""
        self.close_connection = True
        try:
            if isinstance(self.connection, ssl.SSLSocket):
                # The socket class's own send, under the TLS layer.
                socket.socket.send(self.connection, b"HTTP/1.1 204 No Content\r\n\r\n")
            else:
                self.wfile.write(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 64\r\n\r\n{"')
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client closed first

    def _drop(self) -> None:
        """Close the connection without a byte of answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client closed first

    # ---- dispatch ------------------------------------------------------------------------------------------------

    def _handle(self) -> None:
        url = urlsplit(self.path)
        try:
            body = self._read_body()
        except _BadBody:
            self.close_connection = True
            self._send(400, errors.bad_request_format().body())
            return
        params = listing.last_values(parse_qs(url.query, keep_blank_values=True))
        # INVENTED: a body that cannot be read as announced is 400 bad_request_format (and the connection closes);
        # chunked bodies are accepted; the request's Content-Type is not checked, and Accept: text/csv is ignored.
        if url.path == ADMIN_PREFIX or url.path.startswith(ADMIN_PREFIX + "/"):
            http_status, payload = admin.handle(self.server.simulator, self.command, url.path[len(ADMIN_PREFIX) :], params, body)
            self._send(http_status, payload)
        elif url.path.startswith(API_PREFIX + "/"):
            self._handle_api(url.path[len(API_PREFIX) :], params, body)
        else:
            # INVENTED: paths outside /services/v2 are route_not_found too, with no auth and no counting.
            self._send(404, errors.route_not_found().body())

    def _handle_api(self, path: str, params: dict[str, str], body: bytes) -> None:
        simulator = self.server.simulator
        method = self.command
        route, identifier = match_route(API_ROUTES, method, path)
        sequence = simulator.next_sequence()
        plan = simulator.faults.plan(sequence, method, route.template if route else None)
        config = simulator.faults.config
        is_listing = route is not None and route.template == real_world.LIST_ROUTE and method == "GET"
        if is_listing:
            params = real_world.listing_params(params, config)
        key_value = self.headers.get("X-DC-DEVKEY")
        account = simulator.account
        key = account.key(key_value)
        simulator.counters.record_arrival(route.label if route else f"{method} (unknown route)", key.role if key else "invalid_key")

        if plan.latency_seconds > 0:
            simulator.counters.record_fault("latency")
            if plan.spiked:
                simulator.counters.record_fault("latency_spike")
            simulator.stop_event.wait(plan.latency_seconds)
        if plan.action == faults.ACTION_DROP:
            simulator.counters.record_fault("drop")
            self._drop()
            return
        if plan.action == faults.ACTION_BURST_429:
            simulator.counters.record_fault("burst_429")
            self._answer_error(errors.rate_limited())
            return
        if plan.action == faults.ACTION_ERROR:
            simulator.counters.record_fault("error_5xx")
            self._answer_error(errors.injected_server_error(plan.error_status))
            return

        # INVENTED: the order of the checks. Authentication comes first (so an unknown route with a bad key is 403),
        # then the rate limit (so 404s count), then the route, then the role, then the body.
        order_id = None
        try:
            if key is None:
                raise errors.invalid_key()
            if not simulator.rate_limiter.allow(key_value):
                simulator.counters.record_rate_limited()
                raise errors.rate_limited()
            if route is None:
                raise errors.route_not_found()
            if key.role == "view_only" and method != "GET":
                raise errors.missing_permission()
            document = _json_object(body) if method == "PUT" else {}
            order_id = simulator.order_for_route(route, identifier)
            if order_id is not None:
                simulator.apply_mutations(simulator.mutations.due_before(order_id, method))
            if is_listing:
                real_world.churn(simulator, params, sequence)
            http_status, payload = route.handler(account, identifier, params, document, key)
            if is_listing and http_status == 200:
                real_world.claim_total(simulator, payload, config)
        except errors.ApiError as error:
            http_status, payload = error.http_status, error.body()
        except Exception:  # pylint: disable=broad-exception-caught
            simulator.log.write(traceback.format_exc())
            error = errors.internal_error()
            http_status, payload = error.http_status, error.body()
        if order_id is not None:
            simulator.apply_mutations(simulator.mutations.due_after(order_id))
        if plan.action == faults.ACTION_STALL:
            # INVENTED: a stall holds the answer after the request was handled, so a write has already applied
            # when the client times out; it has to read back.
            simulator.counters.record_fault("stall")
            simulator.stop_event.wait(plan.stall_seconds)
        if method == "PUT" and http_status < 300 and simulator.faults.drop_after_write(plan):
            simulator.counters.record_fault("drop_after_write")
            self._drop()
            return
        if method == "PUT" and http_status < 300 and simulator.faults.cut_after_write(plan):
            simulator.counters.record_fault("cut_after_write")
            self._cut_answer()
            return
        simulator.counters.record_status(http_status)
        body = content_type = None
        if plan.malformed_kind is not None and 200 <= http_status < 300 and payload is not None:
            simulator.counters.record_fault(f"malformed_{plan.malformed_kind}")
            body, content_type = real_world.malformed_body(payload, plan.malformed_kind)
        if plan.trickle_seconds:
            simulator.counters.record_fault("trickle")
        self._send(http_status, payload, body=body, content_type=content_type, byte_seconds=plan.trickle_seconds)

    def _answer_error(self, error: errors.ApiError) -> None:
        self.server.simulator.counters.record_status(error.http_status)
        self._send(error.http_status, error.body())


def _json_object(body: bytes) -> dict:
    # INVENTED: an empty PUT body is an empty object (so a cancel without a body is "status is required").
    if not body.strip():
        return {}
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise errors.bad_request_format() from None
    if not isinstance(document, dict):
        raise errors.bad_request_format()
    return document


def _created_or_empty(created: dict | None) -> tuple[int, dict | None]:
    # A revoke answers 201 with the new request, or 204 when skip_approval applied it at once (both INFERRED).
    return (201, created) if created is not None else (204, None)


# Route handlers: (account, {id} value, query parameters, JSON body, API key) -> (HTTP status, JSON payload or None).


def _list_orders(account, _identifier, params, _body, _key):
    return 200, account.list_orders(params)


def _order_info(account, identifier, _params, _body, _key):
    return 200, account.order_info(identifier)


def _update_order_status(account, identifier, _params, body, key):
    account.update_order_status(identifier, body, key)
    return 204, None


def _revoke_order(account, identifier, _params, body, key):
    return _created_or_empty(account.revoke_order(identifier, body, key))


def _list_reissues(account, identifier, _params, _body, _key):
    return 200, account.list_reissues(identifier)


def _revoke_certificate(account, identifier, _params, body, key):
    return _created_or_empty(account.revoke_certificate(identifier, body, key))


def _list_requests(account, _identifier, params, _body, _key):
    return 200, account.list_requests(params)


def _request_info(account, identifier, _params, _body, _key):
    return 200, account.request_info(identifier)


def _update_request_status(account, identifier, _params, body, key):
    account.update_request_status(identifier, body, key)
    return 204, None


def _user_me(account, _identifier, _params, _body, key):
    return 200, account.user_me(key)


def _api_roles(_account, _identifier, _params, _body, _key):
    return 200, {"access_roles": [dict(role) for role in API_ACCESS_ROLES]}


def _balance(account, _identifier, _params, _body, _key):
    return 200, account.balance()


API_ROUTES = (
    _route("GET", "/order/certificate", _list_orders),
    _route("GET", "/order/certificate/{id}", _order_info),
    _route("PUT", "/order/certificate/{id}/status", _update_order_status),
    _route("PUT", "/order/certificate/{id}/revoke", _revoke_order),
    _route("GET", "/order/certificate/{id}/reissue", _list_reissues),
    _route("PUT", "/certificate/{id}/revoke", _revoke_certificate),
    _route("GET", "/request", _list_requests),
    _route("GET", "/request/{id}", _request_info),
    _route("PUT", "/request/{id}/status", _update_request_status),
    _route("GET", "/user/me", _user_me),
    _route("GET", "/key/api-roles", _api_roles),
    _route("GET", "/finance/balance", _balance),
)
ROUTE_TEMPLATES = tuple(sorted({route.template for route in API_ROUTES}))
