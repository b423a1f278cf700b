# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import contextlib
import http.server
import json
import select
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests
import requests.adapters
import urllib3
import urllib3.connectionpool
import urllib3.contrib.socks
from certcentral_sim.generator import DEMO_ADMIN_KEY
from certcentral_sim.testing import running_simulator
from certcentral_sim.tls import LOOPBACK_NAMES, write_throwaway_pki
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.client import CertCentralClient
from ansible_collections.certops.digicert.plugins.module_utils._certcentral import transport
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.errors import CertCentralError
from ansible_collections.certops.digicert.plugins.module_utils._certcentral.transport import (
    IDLE_CONNECTION_SECONDS,
    Attempt,
    Deadlines,
    classify_transport_error,
)
from ansible_collections.certops.digicert.tests.unit.plugins.module_utils._certcentral.local_proxy import LocalProxy


def _wrapped_ssl_error(inner):
    return requests.exceptions.SSLError(MaxRetryError(None, "/x", urllib3.exceptions.SSLError(inner)))


CERTIFICATE_REJECTED = _wrapped_ssl_error(ssl.SSLCertVerificationError(1, "certificate verify failed"))
RECORD_BROKEN = _wrapped_ssl_error(ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number"))


@pytest.mark.parametrize(
    "exception, request_sent, expected",
    [
        (CERTIFICATE_REJECTED, None, ("tls_failed", False)),
        (CERTIFICATE_REJECTED, True, ("tls_failed", False)),
        # A TLS error while the handshake was still going: nothing was sent.
        (RECORD_BROKEN, False, ("tls_failed", False)),
        # The same error once the request was sent (for example in the middle of the answer), or when nobody can tell.
        (RECORD_BROKEN, True, ("tls_broken", True)),
        (RECORD_BROKEN, None, ("tls_broken", True)),
        (requests.exceptions.ConnectTimeout("timed out"), None, ("connect_timeout", False)),
        (requests.exceptions.ReadTimeout("timed out"), None, ("read_timeout", True)),
        (requests.exceptions.ConnectionError(MaxRetryError(None, "/", NewConnectionError(None, "refused"))), None, ("connect_failed", False)),
        (requests.exceptions.ConnectionError(MaxRetryError(None, "/", ConnectTimeoutError("slow"))), None, ("connect_timeout", False)),
        (requests.exceptions.ConnectionError(ProtocolError("Connection aborted.")), None, ("connection_dropped", True)),
        # A connection reset before the first byte of the request went out: it never arrived.
        (requests.exceptions.ConnectionError(ProtocolError("Connection aborted.")), False, ("connection_dropped", False)),
        (requests.exceptions.ConnectionError("no details"), None, ("connection_dropped", True)),
        (requests.exceptions.ChunkedEncodingError("cut"), None, ("connection_dropped", True)),
        # urllib3 wraps a failure as ProxyError only before the request left for the proxy, or when the proxy refused
        # the tunnel; once the request went out, what the attempt saw decides.
        (
            requests.exceptions.ProxyError(MaxRetryError(None, "/", urllib3.exceptions.ProxyError("Unable to connect to proxy", OSError("refused")))),
            None,
            ("proxy_failed", False),
        ),
        (
            requests.exceptions.ProxyError(MaxRetryError(None, "/", urllib3.exceptions.ProxyError("Unable to connect to proxy", OSError("refused")))),
            True,
            ("connection_dropped", True),
        ),
    ],
)
def test_transport_errors_are_classified(exception, request_sent, expected):
    assert classify_transport_error(exception, request_sent) == expected


@pytest.mark.parametrize("request_sent, expected", [(True, ("deadline_passed", True)), (False, ("deadline_passed", False))])
def test_a_passed_deadline_wins_over_the_exception_it_caused(request_sent, expected):
    exception = requests.exceptions.ConnectionError(ProtocolError("Connection aborted."))
    assert classify_transport_error(exception, request_sent, deadline_passed=True) == expected


def test_an_expired_attempt_shuts_its_sockets_and_a_finished_one_is_left_alone():
    left, right = socket.socketpair()
    try:
        with Attempt() as attempt:
            attempt.watch(left)
            attempt.expire()
            assert attempt.expired
            assert right.recv(10) == b""  # the watched connection was shut down
        late = Attempt()
        with late:
            pass
        late.expire()
        assert not late.expired
    finally:
        left.close()
        right.close()


def test_deadlines_expire_only_the_attempts_still_running():
    deadlines = Deadlines()
    running, finished = Attempt(), Attempt()
    with finished:
        deadlines.watch(finished, 0.01)
    deadlines.watch(running, 0.01)
    for _dummy in range(500):
        if running.expired:
            break
        time.sleep(0.01)
    assert running.expired and not finished.expired


# ---------------------------------------------------------------- real HTTP on loopback


class _RawServer:
    """A one-connection-at-a-time server whose answer a test writes by hand."""

    def __init__(self, answer):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.answer = answer
        self.received = []
        self.sent_bytes = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/services/v2"

    def _serve(self):
        while not self.stop.is_set():
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            with connection:
                request = connection.recv(65536)
                self.received.append(request)
                try:
                    self.answer(self, connection)
                except OSError:
                    pass  # the client gave up

    def close(self):
        self.stop.set()
        self.listener.close()


@pytest.fixture
def raw_server():
    servers = []

    def start(answer):
        server = _RawServer(answer)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _trickle(server, connection):
    """One byte every 0.05 s of a complete answer: each byte comes well within any read timeout."""
    body = b'{"id": 3, "status": "pending", "padding": "' + b"x" * 400 + b'"}'
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    for byte in answer:
        if server.stop.wait(0.05):
            return
        connection.sendall(bytes([byte]))
        server.sent_bytes += 1
    server.complete = len(answer)


def test_timeout_bounds_the_whole_attempt_not_the_gap_between_bytes(raw_server, api_key):
    server = raw_server(_trickle)
    client = CertCentralClient(api_key=api_key, api_url=server.url, timeout=1, retries=0, sleep=lambda seconds: None)
    with pytest.raises(CertCentralError) as caught:
        client.get_order(3)
    assert "got no complete answer within 1 seconds (timeout bounds each attempt as a whole)" in str(caught.value)
    # The answer had more than 500 bytes to go; the client stopped listening after about 20.
    assert server.sent_bytes < 100


def test_a_change_cut_off_by_the_deadline_has_unknown_outcome(raw_server, api_key):
    server = raw_server(_trickle)
    client = CertCentralClient(api_key=api_key, api_url=server.url, timeout=1, retries=3, sleep=lambda seconds: None)
    with pytest.raises(CertCentralError) as caught:
        client.cancel_order(3, "note")
    assert caught.value.outcome_unknown is True
    assert "got no complete answer within the timeout of 1 seconds after the request was sent" in str(caught.value)
    assert len(server.received) == 1


def _cut_after_request(server, connection):
    connection.sendall(b'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n{"id": 7')
    connection.shutdown(socket.SHUT_RDWR)


def test_a_change_whose_answer_is_cut_has_unknown_outcome_and_is_not_sent_again(raw_server, api_key):
    server = raw_server(_cut_after_request)
    client = CertCentralClient(api_key=api_key, api_url=server.url, retries=3, sleep=lambda seconds: None)
    with pytest.raises(CertCentralError) as caught:
        client.revoke_order(3, "note")
    assert caught.value.outcome_unknown is True
    assert "after the request was sent" in str(caught.value)
    assert len(server.received) == 1


# ---------------------------------------------------------------- idle keep-alive connections


class _KeepAliveHandler(http.server.BaseHTTPRequestHandler):
    """Answers every request with an order over a keep-alive connection, and notes which connection it came on."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.client_ports.append(self.client_address[1])
        payload = json.dumps({"id": 3, "status": "pending"}).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def keep_alive_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveHandler)
    server.daemon_threads = True
    server.client_ports = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def idle_clock(monkeypatch):
    """Moves the clock of the idle rule (and nothing else) forward by ``idle_clock.offset`` seconds."""

    class Clock:
        offset = 0.0

    real = time.monotonic
    monkeypatch.setattr(transport, "_idle_clock", lambda: real() + Clock.offset)
    return Clock


@pytest.mark.parametrize(
    "idle_seconds, reused",
    [(IDLE_CONNECTION_SECONDS - 1, True), (IDLE_CONNECTION_SECONDS + 1, False), (135, False)],
)
def test_a_connection_idle_too_long_is_not_reused(keep_alive_server, idle_clock, api_key, idle_seconds, reused):
    warnings_seen = []
    url = f"http://127.0.0.1:{keep_alive_server.server_address[1]}/services/v2"
    client = CertCentralClient(api_key=api_key, api_url=url, retries=0, warn=warnings_seen.append, sleep=lambda seconds: None)
    client.get_order(3)
    idle_clock.offset = idle_seconds
    client.get_order(3)
    first, second = keep_alive_server.client_ports
    assert (first == second) is reused
    assert warnings_seen == []


def test_the_connection_that_idled_too_long_is_closed(keep_alive_server, idle_clock, api_key):
    url = f"http://127.0.0.1:{keep_alive_server.server_address[1]}/services/v2"
    client = CertCentralClient(api_key=api_key, api_url=url, retries=0, sleep=lambda seconds: None)
    client.get_order(3)
    request = client._session.prepare_request(requests.Request("GET", url))
    pooled = client._session.get_adapter(url).get_connection_with_tls_context(request, verify=True).pool.queue[-1]
    idle_socket = pooled.sock
    idle_clock.offset = IDLE_CONNECTION_SECONDS + 1
    client.get_order(3)
    assert idle_socket.fileno() == -1  # closed by the client, not left for the server to time out
    assert pooled.sock is not None and pooled.sock is not idle_socket


# ---------------------------------------------------------------- against the simulator, which closes idle connections


def _pooled_connection(client):
    """The connection the client's pool holds for its api_url (a test looks at it; the client never does)."""
    request = client._session.prepare_request(requests.Request("GET", client.api_url))
    return client._session.get_adapter(client.api_url).get_connection_with_tls_context(request, verify=True).pool.queue[-1]


@pytest.mark.parametrize("idle_rule", [True, False])
def test_a_change_on_a_connection_the_server_closed_while_idle(monkeypatch, idle_rule):
    # Time scaled down: the simulator closes a connection idle for 0.3 s, where a real server might after 5 s, and
    # the client's rule stays below that, as IDLE_CONNECTION_SECONDS stays below 5 s.
    monkeypatch.setattr(transport, "IDLE_CONNECTION_SECONDS", 0.1 if idle_rule else float("inf"))
    warnings_seen = []
    with running_simulator(rate_limits=[], orders=20, pending=5, reference_date="2026-01-15", idle_timeout=0.3) as sim:
        client = CertCentralClient(api_key=DEMO_ADMIN_KEY, api_url=sim.base_url, retries=2, warn=warnings_seen.append, sleep=lambda seconds: None)
        pending = next(order["id"] for order in sim.orders("pending"))
        client.get_order(pending)
        idle_socket = _pooled_connection(client).sock
        readable, _writable, _failed = select.select([idle_socket], [], [], 30)
        assert readable and idle_socket.recv(1, socket.MSG_PEEK) == b""  # the server closed the idle connection
        # On loopback that close arrives at once, and urllib3 notices it before it reuses the connection. Over a
        # network it can still be on its way when the request goes out (or a firewall forgot the connection without a
        # word): so urllib3 is kept from noticing, and only the idle rule can keep the client off the dead connection.
        monkeypatch.setattr(urllib3.connectionpool, "is_connection_dropped", lambda conn: False)
        if idle_rule:
            client.cancel_order(pending, "idle connection")
            assert warnings_seen == []
            assert sim.order_status(pending) == "canceled"
        else:
            with pytest.raises(CertCentralError) as caught:
                client.cancel_order(pending, "idle connection")
            assert caught.value.outcome_unknown is True


# ---------------------------------------------------------------- through a proxy

# requests takes a proxy from the environment for any host but loopback; this name is never looked up: the proxy
# takes every connection to the local simulator.
PROXIED_HOST = "certcentral.test"
CANCEL_ROUTE = "PUT /order/certificate/{id}/status"


@pytest.mark.parametrize("proxy_url", ["http://proxy.test:3128", "https://proxy.test:3128", "socks5h://proxy.test:1080"])
@pytest.mark.parametrize("target", ["https://www.digicert.com/services/v2", "http://127.0.0.1:8080/services/v2"])
def test_the_pools_of_every_proxy_manager_are_tracked(proxy_url, target):
    manager = transport.TrackedAdapter().proxy_manager_for(proxy_url)
    pool = manager.connection_from_url(target)
    assert isinstance(pool, transport._TrackedPool)
    assert issubclass(pool.ConnectionCls, transport._TrackedConnection)
    # Still connections that go through the proxy: SOCKS ones for a SOCKS proxy, a tunnel for https:// otherwise.
    assert issubclass(pool.ConnectionCls, urllib3.contrib.socks.SOCKSConnection) is proxy_url.startswith("socks")
    assert pool.proxy is not None or proxy_url.startswith("socks")


def test_an_attempt_no_tracked_connection_carried_may_have_arrived():
    with Attempt() as attempt:
        pass
    assert attempt.request_sent is None
    assert classify_transport_error(requests.exceptions.ReadTimeout("timed out"), attempt.request_sent) == ("read_timeout", True)
    assert classify_transport_error(requests.exceptions.ConnectionError("reset"), attempt.request_sent, deadline_passed=True) == ("deadline_passed", True)


@pytest.fixture(scope="module")
def proxied_pki(tmp_path_factory):
    return write_throwaway_pki(str(tmp_path_factory.mktemp("pki")), names=(*LOOPBACK_NAMES, f"DNS:{PROXIED_HOST}"))


@pytest.fixture
def local_proxies():
    proxies = []

    def start(upstream_port, **options):
        proxy = LocalProxy(upstream_port, **options)
        proxies.append(proxy)
        return proxy

    yield start
    for proxy in proxies:
        proxy.close()


@pytest.fixture
def proxy_environment(monkeypatch):
    """Sets the one proxy variable a test names; no other proxy setting of the machine running the tests counts."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch.setenv


@contextlib.contextmanager
def _proxied_client(kind, pki, start_proxy, set_environment, faults=None, **proxy_options):
    """A simulator behind a local proxy, and a client that reaches it through the proxy as configured by ``kind``:

    - ``http-forward``: http:// on loopback, the proxy in the session's proxies (loopback ignores the environment);
    - ``https-connect`` and ``https-socks5h``: https:// to a name that is not loopback, the proxy in ``https_proxy``.
    """
    tls = {} if kind == "http-forward" else dict(tls_cert=pki.server_cert, tls_key=pki.server_key)
    with running_simulator(rate_limits=[], orders=20, pending=5, reference_date="2026-01-15", faults=faults, **tls) as sim:
        port = urlsplit(sim.base_url).port
        proxy = start_proxy(port, **proxy_options)
        options = dict(api_key=DEMO_ADMIN_KEY, timeout=1, retries=3, sleep=lambda seconds: None)
        if kind == "http-forward":
            client = CertCentralClient(api_url=sim.base_url, **options)
            client._session.proxies = {"http": f"http://{proxy.address}"}
        else:
            set_environment("https_proxy", f"{'socks5h' if kind == 'https-socks5h' else 'http'}://{proxy.address}")
            client = CertCentralClient(api_url=f"https://{PROXIED_HOST}:{port}/services/v2", ca_path=pki.ca_cert, **options)
        yield sim, proxy, client


# The first line each kind of proxy sees of a request to the simulator.
_PROXY_SEES = {"http-forward": "PUT http://127.0.0.1:", "https-connect": f"CONNECT {PROXIED_HOST}:", "https-socks5h": f"SOCKS5 {PROXIED_HOST}:"}


@pytest.mark.parametrize("kind", sorted(_PROXY_SEES))
def test_a_change_whose_answer_times_out_behind_a_proxy_has_unknown_outcome_and_is_not_sent_again(kind, proxied_pki, local_proxies, proxy_environment):
    # The simulator applies the cancellation at once, then holds its answer longer than the client waits.
    stall = {"stalls_next": 1, "stall_seconds": 3, "methods": ["PUT"]}
    with _proxied_client(kind, proxied_pki, local_proxies, proxy_environment, faults=stall) as (sim, proxy, client):
        pending = next(order["id"] for order in sim.orders("pending"))
        with pytest.raises(CertCentralError) as caught:
            client.cancel_order(pending, "behind a proxy")
        assert caught.value.outcome_unknown is True
        assert "may or may not have been applied" in str(caught.value)
        assert sim.counters()["requests_by_route"][CANCEL_ROUTE] == 1
        assert sim.order_status(pending) == "canceled"
        assert len(proxy.seen) == 1 and proxy.seen[0].startswith(_PROXY_SEES[kind])
        # A read through the same proxy works, and sees the change.
        assert client.get_order(pending)["status"] == "canceled"
        assert len(proxy.seen) == 2


def test_a_change_behind_a_proxy_that_refuses_the_tunnel_never_went_out(proxied_pki, local_proxies, proxy_environment):
    # Opening the tunnel (CONNECT) is not sending the request: a refusal proves the request never got past the proxy.
    with _proxied_client("https-connect", proxied_pki, local_proxies, proxy_environment, refuse_connect=True) as (sim, proxy, client):
        pending = next(order["id"] for order in sim.orders("pending"))
        with pytest.raises(CertCentralError) as caught:
            client.cancel_order(pending, "refused tunnel")
        assert caught.value.outcome_unknown is False
        # The proxy's own answer, as what the user has to fix, not urllib3's wrapper around it.
        assert "through the proxy" in str(caught.value)
        assert "Tunnel connection failed: 403 Forbidden. Check the proxy settings" in str(caught.value)
        assert caught.value.attempts == 4
        assert proxy.seen == [f"CONNECT {PROXIED_HOST}:{urlsplit(sim.base_url).port}"] * 4
        assert sim.counters()["api_requests"] == 0


def test_a_change_through_a_proxy_whose_pools_are_not_tracked_may_have_arrived(monkeypatch, proxied_pki, local_proxies, proxy_environment):
    # Should a proxy manager ever come with pools this module does not know, nobody reports whether the request went
    # out: the attempt must count as one that may have arrived, never as one that certainly did not.
    monkeypatch.setattr(transport.TrackedAdapter, "proxy_manager_for", requests.adapters.HTTPAdapter.proxy_manager_for)
    stall = {"stalls_next": 1, "stall_seconds": 3, "methods": ["PUT"]}
    with _proxied_client("http-forward", proxied_pki, local_proxies, proxy_environment, faults=stall) as (sim, proxy, client):
        pending = next(order["id"] for order in sim.orders("pending"))
        with pytest.raises(CertCentralError) as caught:
            client.cancel_order(pending, "untracked proxy")
        assert caught.value.outcome_unknown is True
        assert sim.counters()["requests_by_route"][CANCEL_ROUTE] == 1


def test_timeout_bounds_the_whole_attempt_through_a_proxy(raw_server, local_proxies, api_key):
    server = raw_server(_trickle)
    proxy = local_proxies(server.listener.getsockname()[1])
    client = CertCentralClient(api_key=api_key, api_url=server.url, timeout=1, retries=0, sleep=lambda seconds: None)
    client._session.proxies = {"http": f"http://{proxy.address}"}
    with pytest.raises(CertCentralError) as caught:
        client.get_order(3)
    assert "got no complete answer within 1 seconds (timeout bounds each attempt as a whole)" in str(caught.value)
    assert proxy.seen == [f"GET {server.url}/order/certificate/3"]
    # The client cut its connection to the proxy at the deadline, and the proxy its own to the server.
    assert server.sent_bytes < 100
