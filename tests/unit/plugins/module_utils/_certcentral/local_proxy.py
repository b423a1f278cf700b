# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A proxy on loopback for the transport tests, speaking the three kinds requests uses.

- An http:// URL through an http:// proxy: the request comes in absolute form (``PUT http://host:port/path``) and the
  proxy forwards it, one request per upstream connection.
- An https:// URL: ``CONNECT host:port``, then the proxy relays the bytes (the TLS of the client and the server) both
  ways. With ``refuse_connect`` it answers 403 instead, as a proxy that does not allow the target.
- A socks5:// or socks5h:// proxy: a SOCKS5 handshake without authentication, then the same relay.

Whatever host the client names, the proxy connects to ``upstream_port`` on 127.0.0.1: a test can give the client a
name that is not loopback (so that requests takes the proxy from the environment) and still reach a local server.
``seen`` records what each client connection asked for (``GET http://...``, ``CONNECT host:port``, ``SOCKS5 host:port``).
"""

from __future__ import annotations

import select
import socket
import struct
import threading


class LocalProxy:
    def __init__(self, upstream_port, refuse_connect=False):
        self.upstream_port = upstream_port
        self.refuse_connect = refuse_connect
        self.seen = []
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def address(self):
        return f"127.0.0.1:{self._listener.getsockname()[1]}"

    def close(self):
        self._listener.close()

    def _note(self, what):
        with self._lock:
            self.seen.append(what)

    def _accept(self):
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _upstream(self):
        return socket.create_connection(("127.0.0.1", self.upstream_port))

    def _serve(self, client):
        with client:
            try:
                first = client.recv(1, socket.MSG_PEEK)
                if first == b"\x05":
                    self._socks5(client)
                elif first:
                    self._http(client, _Reader(client))
            except OSError:
                pass  # one side gave up

    # ------------------------------------------------------------ HTTP: forward or CONNECT

    def _http(self, client, reader):
        """One request per client connection: a forwarded one, or a tunnel."""
        head = reader.until(b"\r\n\r\n")
        if not head:
            return
        method, target, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
        self._note(f"{method} {target}")
        if method != "CONNECT":
            self._forward(client, reader, head, target)
        elif self.refuse_connect:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        else:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with self._upstream() as upstream:
                _relay(client, upstream, reader.take_buffered())

    def _forward(self, client, reader, head, target):
        """One request in absolute form, to the server in origin form over a connection of its own; the client's
        connection ends with the answer."""
        lines = head.decode("latin-1").split("\r\n")
        method, _target, version = lines[0].split(" ", 2)
        authority_and_path = target.split("://", 1)[1]
        path = "/" + authority_and_path.split("/", 1)[1] if "/" in authority_and_path else "/"
        headers = [line for line in lines[1:] if line and not line.lower().startswith(("connection:", "proxy-connection:"))]
        length = next((int(line.split(":", 1)[1]) for line in headers if line.lower().startswith("content-length:")), 0)
        body = reader.exactly(length)
        request = "\r\n".join([f"{method} {path} {version}", *headers, "Connection: close", "", ""]).encode("latin-1") + body
        with self._upstream() as upstream:
            upstream.sendall(request)
            # The server closes after its answer (Connection: close), which ends it for the client too.
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                client.sendall(chunk)

    # ------------------------------------------------------------ SOCKS5 (RFC 1928), no authentication

    def _socks5(self, client):
        reader = _Reader(client)
        _version, methods = reader.exactly(2)
        reader.exactly(methods)
        client.sendall(b"\x05\x00")
        _version, _command, _reserved, address_type = reader.exactly(4)
        if address_type == 1:
            host = socket.inet_ntoa(reader.exactly(4))
        elif address_type == 3:
            host = reader.exactly(reader.exactly(1)[0]).decode("idna")
        else:
            host = socket.inet_ntop(socket.AF_INET6, reader.exactly(16))
        port = struct.unpack("!H", reader.exactly(2))[0]
        self._note(f"SOCKS5 {host}:{port}")
        with self._upstream() as upstream:
            client.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", self.upstream_port))
            _relay(client, upstream, reader.take_buffered())


class _Reader:
    """Reads from a socket with a buffer, so that what came after a head is not lost."""

    def __init__(self, sock):
        self._sock = sock
        self._buffer = b""

    def _fill(self):
        chunk = self._sock.recv(65536)
        self._buffer += chunk
        return bool(chunk)

    def until(self, marker):
        while marker not in self._buffer:
            if not self._fill():
                return b""
        head, self._buffer = self._buffer.split(marker, 1)
        return head + marker

    def exactly(self, count):
        while len(self._buffer) < count:
            if not self._fill():
                raise OSError("the client closed the connection")
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def take_buffered(self):
        data, self._buffer = self._buffer, b""
        return data


def _relay(client, upstream, pending):
    """Pass bytes both ways until either side closes."""
    if pending:
        upstream.sendall(pending)
    while True:
        readable, _writable, _failed = select.select([client, upstream], [], [])
        for source in readable:
            chunk = source.recv(65536)
            if not chunk:
                return
            (upstream if source is client else client).sendall(chunk)
