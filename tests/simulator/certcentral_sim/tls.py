# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTPS for the simulator: the server's TLS context, and a throwaway CA with a certificate for loopback.

The real API is only reachable over HTTPS, so the clients' certificate checks (on by default, ``ca_path``) can only
be tested against a server that speaks TLS. Keys are made at test time with the ``openssl`` command, in a directory
the caller owns (a pytest ``tmp_path``), and are never meant to be kept or committed.

    python -m certcentral_sim.tls DIRECTORY

writes ``ca.pem``, ``server.pem`` and ``server-key.pem`` there and prints their paths.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import ssl
import subprocess
import sys

# Names the server certificate is valid for: every way a test reaches a simulator on this machine.
LOOPBACK_NAMES = ("IP:127.0.0.1", "IP:::1", "DNS:localhost")

_CA_EXTENSIONS = """\
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"""

_SERVER_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = {names}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
"""


class TlsSetupError(RuntimeError):
    """The throwaway certificates could not be made (no ``openssl`` command, or it failed)."""


@dataclasses.dataclass(frozen=True)
class ThrowawayPki:
    """Paths of a throwaway CA certificate and of a server certificate and key that this CA signed."""

    ca_cert: str
    server_cert: str
    server_key: str


def server_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """A TLS server context for the certificate chain in ``cert_file`` and its key in ``key_file``.

    Raises ValueError with a sentence when the files cannot be used (missing, not PEM, key does not match).
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(cert_file, key_file)
    except (OSError, ssl.SSLError) as error:
        raise ValueError(f"cannot use the TLS certificate {cert_file!r} with the key {key_file!r}: {error}") from None
    return context


def pinned_client_context(cert_file: str) -> ssl.SSLContext:
    """A client context that trusts exactly the server certificate in ``cert_file`` (the first one in the file).

    For the simulator's own helpers: they know which certificate their server presents, so they pin it instead of
    trusting a CA, and need no host name in it.
    """
    context = ssl.create_default_context(cafile=cert_file)
    # The leaf alone is the trust anchor; its issuer need not be known.
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.check_hostname = False
    return context


def _openssl(*arguments: str, cwd: str) -> None:
    executable = shutil.which("openssl")
    if executable is None:
        raise TlsSetupError("the openssl command is needed to make throwaway test certificates; install it (Debian: apt-get install openssl)")
    result = subprocess.run([executable, *arguments], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise TlsSetupError(f"openssl {arguments[0]} failed with status {result.returncode}: {result.stderr.strip()}")


def write_throwaway_pki(directory: str, names: tuple[str, ...] = LOOPBACK_NAMES, days: int = 2) -> ThrowawayPki:
    """Make a new CA and a server certificate it signs for ``names`` (subjectAltName entries), valid ``days`` days.

    Everything is written to ``directory`` (created if needed; the keys with mode 0600). Each call makes new keys,
    so no two test runs share one.
    """
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "server.ext"), "w", encoding="utf-8") as extensions:
        extensions.write(_SERVER_EXTENSIONS.format(names=", ".join(names)))
    validity = str(days)
    _openssl(
        "req",
        "-x509",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem",
        "-days",
        validity,
        "-subj",
        "/CN=certops.digicert throwaway test CA",
        "-extensions",
        "v3_ca",
        "-config",
        _minimal_config(directory),
        cwd=directory,
    )
    _openssl(
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "server-key.pem",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
        cwd=directory,
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        validity,
        "-sha256",
        "-extfile",
        "server.ext",
        cwd=directory,
    )
    for key in ("ca-key.pem", "server-key.pem"):
        os.chmod(os.path.join(directory, key), 0o600)
    return ThrowawayPki(
        ca_cert=os.path.join(directory, "ca.pem"),
        server_cert=os.path.join(directory, "server.pem"),
        server_key=os.path.join(directory, "server-key.pem"),
    )


def _minimal_config(directory: str) -> str:
    """An openssl config whose v3_ca section holds the CA extensions (``req -addext`` cannot mark them critical
    on every openssl version)."""
    path = os.path.join(directory, "ca.cnf")
    with open(path, "w", encoding="utf-8") as config:
        config.write("[req]\ndistinguished_name = dn\n[dn]\n[v3_ca]\n" + _CA_EXTENSIONS)
    return path


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1 or arguments[0].startswith("-"):
        sys.stderr.write("usage: python -m certcentral_sim.tls DIRECTORY\n")
        return 2
    try:
        pki = write_throwaway_pki(arguments[0])
    except (TlsSetupError, OSError) as error:
        sys.stderr.write(f"certcentral_sim.tls: {error}\n")
        return 1
    sys.stdout.write(
        f"CA certificate (for ca_path): {pki.ca_cert}\nserver certificate (--tls-cert): {pki.server_cert}\nserver key (--tls-key): {pki.server_key}\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
