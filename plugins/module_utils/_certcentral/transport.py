# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""What happened to one HTTP attempt below requests: whether any byte of the request went out, and a deadline for
the whole attempt.

requests' own timeout bounds each wait for the next byte, so a server that trickles its answer can hold a call far
longer than ``timeout``. And an exception alone does not tell whether the request was sent: a TLS error can come from
the handshake (nothing sent) or from a connection cut in the middle of the answer (a change may have been applied).
The client's own session records both on connections made for it, directly or through a proxy (HTTP, HTTPS or
SOCKS), and does not reuse a connection that sat idle long enough for the server to have closed it. An attempt that
went through any other connection is not known to be unsent: it may have arrived.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import ssl
import threading
import time

from .errors import (
    CONNECT_FAILED,
    CONNECT_TIMEOUT,
    CONNECTION_DROPPED,
    DEADLINE_PASSED,
    PROXY_FAILED,
    READ_TIMEOUT,
    TLS_BROKEN,
    TLS_FAILED,
)

try:
    import requests
    import requests.adapters
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
except ImportError:
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True

HAS_SOCKS = False
if HAS_REQUESTS:
    # Importable when PySocks is installed (requests[socks]). requests tried the same import when it was imported
    # (without it, it refuses socks:// proxies), and silenced urllib3's warning about the missing dependency.
    try:
        from urllib3.contrib.socks import SOCKSConnection, SOCKSHTTPConnectionPool, SOCKSHTTPSConnection, SOCKSHTTPSConnectionPool
    except ImportError:
        pass
    else:
        HAS_SOCKS = True

# Seconds a pooled keep-alive connection may have been idle and still be reused. Below the shortest idle timeout of
# common HTTP servers (5 seconds: Apache httpd's KeepAliveTimeout and Node.js's server.keepAliveTimeout by default;
# nginx keeps 75), so that the client stops using a connection before the server may close it. How long DigiCert's
# servers keep one is not published (docs/certcentral-api.md §9.1).
IDLE_CONNECTION_SECONDS = 4

# The clock of the idle rule; a name of its own, so that a test can move it without moving the deadlines.
_idle_clock = time.monotonic

_current = threading.local()


class Attempt:
    """One HTTP attempt of the calling thread.

    ``request_sent`` is None (not known) until a pool of this module hands the attempt a connection that reports its
    sending; it is then False until the first byte of the request is handed to the socket, and True from then on.
    It stays None whenever the request goes out through anything else (an injected session, a proxy or pool this
    module does not know): such an attempt may have arrived, and only False proves that it did not. ``expired`` is
    set when the deadline passed before the attempt finished; the attempt's sockets are then shut down, which ends
    any wait.
    """

    def __init__(self):
        self.request_sent = None
        self.expired = False
        self.finished = False
        self._sockets = []
        self._lock = threading.Lock()

    def __enter__(self):
        _current.attempt = self
        return self

    def __exit__(self, *exc_info):
        _current.attempt = None
        with self._lock:
            self.finished = True
            sockets, self._sockets = self._sockets, []
        for watched in sockets:
            watched.close()

    def watch(self, sock):
        """End ``sock``'s connection when the deadline passes (through a duplicate descriptor, which stays valid
        while the TLS layer takes the socket over)."""
        try:
            duplicate = socket.socket(fileno=os.dup(sock.fileno()))
        except (OSError, ValueError):
            return
        with self._lock:
            if self.finished:
                duplicate.close()
                return
            self._sockets.append(duplicate)
            if self.expired:
                _shut_down(duplicate)

    def expire(self):
        with self._lock:
            if self.finished:
                return
            self.expired = True
            for watched in self._sockets:
                _shut_down(watched)


def _shut_down(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def current_attempt():
    return getattr(_current, "attempt", None)


class Deadlines:
    """One thread that expires the attempts that outlive their deadline, for every client of the process."""

    def __init__(self):
        self._condition = threading.Condition()
        self._queue = []
        self._sequence = itertools.count()
        self._thread = None

    def watch(self, attempt, seconds):
        with self._condition:
            heapq.heappush(self._queue, (time.monotonic() + seconds, next(self._sequence), attempt))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="certcentral-deadlines", daemon=True)
                self._thread.start()
            self._condition.notify()

    def _run(self):
        with self._condition:
            while True:
                now = time.monotonic()
                while self._queue and (self._queue[0][2].finished or self._queue[0][0] <= now):
                    heapq.heappop(self._queue)[2].expire()
                self._condition.wait(self._queue[0][0] - now if self._queue else None)


DEADLINES = Deadlines()


if HAS_REQUESTS:

    class _TrackedConnection:
        """Reports the attempt's sockets and the moment its request starts going out."""

        def _new_conn(self):
            sock = super()._new_conn()
            attempt = current_attempt()
            if attempt is not None:
                attempt.watch(sock)
            return sock

        _tunnelling = False

        def _tunnel(self):
            # The CONNECT request that opens a tunnel through a proxy goes out through send() as well; it is not the
            # request, and a proxy that refuses it has passed nothing on.
            self._tunnelling = True
            try:
                super()._tunnel()
            finally:
                self._tunnelling = False

        def send(self, data):
            if self.sock is None:
                # What http.client would do first; connecting sends nothing of the request.
                self.connect()
            attempt = current_attempt()
            if attempt is not None and not self._tunnelling:
                if not attempt.request_sent:
                    attempt.watch(self.sock)
                attempt.request_sent = True
            super().send(data)

    class _TrackedHTTPConnection(_TrackedConnection, HTTPConnection):
        pass

    class _TrackedHTTPSConnection(_TrackedConnection, HTTPSConnection):
        pass

    class _TrackedPool:
        """Hands out connections that report to the current Attempt, and does not reuse a pooled connection that sat
        idle for more than IDLE_CONNECTION_SECONDS: closes it, and the request opens a new one.

        Servers close keep-alive connections that stay idle for a few seconds (see IDLE_CONNECTION_SECONDS), and a
        connection sits idle that long whenever its thread waits for a rate-limit window. urllib3 checks whether the
        server has closed a pooled connection before it reuses it, but it can only see a close that has arrived: when
        the server closes just as the request goes out, or a firewall or NAT on the way forgot the connection without
        a word, the failure shows only after the request was sent. A read is then tried again with a warning, and a
        change has an unknown outcome and must be read back. A new connection costs one handshake.
        """

        def _get_conn(self, timeout=None):
            conn = super()._get_conn(timeout=timeout)
            idle_since = getattr(conn, "idle_since", None)
            if idle_since is not None and _idle_clock() - idle_since > IDLE_CONNECTION_SECONDS:
                # urllib3 connects a closed connection again when the request is made, as after a dropped one.
                conn.close()
            conn.idle_since = None
            attempt = current_attempt()
            if attempt is not None and attempt.request_sent is None and isinstance(conn, _TrackedConnection):
                # From here on, the request can only go out through this connection, which reports when it does.
                attempt.request_sent = False
            return conn

        def _put_conn(self, conn):
            # Called when the answer has been read to its end (or the request failed): from now on it is idle.
            if conn is not None:
                conn.idle_since = _idle_clock()
            super()._put_conn(conn)

    class _TrackedHTTPConnectionPool(_TrackedPool, HTTPConnectionPool):
        ConnectionCls = _TrackedHTTPConnection

    class _TrackedHTTPSConnectionPool(_TrackedPool, HTTPSConnectionPool):
        ConnectionCls = _TrackedHTTPSConnection

    # urllib3's pool classes, and the tracked class that replaces each. The pools of a proxy manager are these too: an
    # http:// URL goes through an HTTPConnectionPool to an http:// proxy that forwards it, an https:// URL through an
    # HTTPSConnectionPool whose connection opens a CONNECT tunnel to the proxy (over TLS to an https:// proxy).
    _TRACKED_POOL_CLASSES = {HTTPConnectionPool: _TrackedHTTPConnectionPool, HTTPSConnectionPool: _TrackedHTTPSConnectionPool}

    if HAS_SOCKS:

        class _TrackedSOCKSConnection(_TrackedConnection, SOCKSConnection):
            pass

        class _TrackedSOCKSHTTPSConnection(_TrackedConnection, SOCKSHTTPSConnection):
            pass

        class _TrackedSOCKSHTTPConnectionPool(_TrackedPool, SOCKSHTTPConnectionPool):
            ConnectionCls = _TrackedSOCKSConnection

        class _TrackedSOCKSHTTPSConnectionPool(_TrackedPool, SOCKSHTTPSConnectionPool):
            ConnectionCls = _TrackedSOCKSHTTPSConnection

        _TRACKED_POOL_CLASSES[SOCKSHTTPConnectionPool] = _TrackedSOCKSHTTPConnectionPool
        _TRACKED_POOL_CLASSES[SOCKSHTTPSConnectionPool] = _TrackedSOCKSHTTPSConnectionPool

    def _track_pools(manager):
        """Make ``manager`` (a urllib3 PoolManager, ProxyManager or SOCKSProxyManager) build tracked pools.

        A pool class it does not know is left as it is: its attempts keep ``request_sent`` None, which counts as "may
        have arrived". Safe to call again: tracked classes map to themselves.
        """
        manager.pool_classes_by_scheme = {
            scheme: _TRACKED_POOL_CLASSES.get(pool_class, pool_class) for scheme, pool_class in manager.pool_classes_by_scheme.items()
        }
        return manager

    class TrackedAdapter(requests.adapters.HTTPAdapter):
        """An HTTPAdapter whose connections report to the current Attempt, directly and through proxies."""

        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            _track_pools(self.poolmanager)

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            # requests builds a separate manager for each proxy (from HTTPS_PROXY, HTTP_PROXY, ALL_PROXY or the
            # session's proxies), with urllib3's plain pools, and keeps it; its pools are made on first use, after this.
            return _track_pools(super().proxy_manager_for(proxy, **proxy_kwargs))
else:
    # The client reports missing_required_lib('requests') before it would build a session.
    TrackedAdapter = None


def exception_chain(exc):
    """``exc`` and the exceptions requests and urllib3 wrapped in it, outermost first."""
    seen = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        reason = getattr(current, "reason", None)
        # urllib3's ProxyError keeps the failure it wraps as original_error, after a message of its own.
        original = getattr(current, "original_error", None)
        wrapped = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = next((link for link in (reason, original, wrapped) if isinstance(link, BaseException)), None)


def _certificate_rejected(exc):
    # ssl.CertificateError (a host name mismatch) is the same class.
    return any(isinstance(link, ssl.SSLCertVerificationError) for link in exception_chain(exc))


def classify_transport_error(exc, request_sent=None, deadline_passed=False):
    """Return (kind, request_may_have_arrived) for an exception raised by requests.

    ``request_sent`` is what the attempt saw: None when no tracked connection carried it (see Attempt), which counts
    as "may have arrived"; only False proves that it was not sent. Only failures before any byte of the request went
    out prove it never arrived: failures to connect, and TLS errors of the handshake, the certificate check above all.
    Anything later (a timeout, a dropped connection, a TLS error in the middle of the answer) may have left the server
    acting on it.
    """
    may_have_arrived = request_sent is not False
    if deadline_passed:
        return DEADLINE_PASSED, may_have_arrived
    if isinstance(exc, requests.exceptions.SSLError):
        if request_sent is False or _certificate_rejected(exc):
            return TLS_FAILED, False
        return TLS_BROKEN, True
    if isinstance(exc, requests.exceptions.ProxyError) and request_sent is not True:
        # urllib3 raises it only before the connection reached the proxy, or when the proxy refused the tunnel
        # (CONNECT), which is not sending the request.
        return PROXY_FAILED, False
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return CONNECT_TIMEOUT, False
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return READ_TIMEOUT, may_have_arrived
    for link in exception_chain(exc):
        if isinstance(link, NewConnectionError):
            return CONNECT_FAILED, False
        if isinstance(link, ConnectTimeoutError):
            return CONNECT_TIMEOUT, False
    return CONNECTION_DROPPED, may_have_arrived
