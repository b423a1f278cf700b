# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The one error type of the CertCentral client, and the sentences that explain each failure."""

from __future__ import annotations

import unicodedata

US_API_URL = "https://www.digicert.com/services/v2"
EU_API_URL = "https://certcentral.digicert.eu/services/v2"

SCRUBBED = "********"

# How much text from CertCentral (an error message, a name) a message quotes: enough for any real sentence, while a
# server that answers megabytes cannot flood the output.
MAX_SERVER_TEXT = 500
# Characters that must not reach a terminal or a log from a server: control characters (escape sequences among them),
# format characters (direction overrides that disguise text), line and paragraph separators.
_UNPRINTABLE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


def scrub_secret(text, secret):
    """Return ``text`` with every occurrence of ``secret`` replaced, so a key can never reach output or logs."""
    if text is None:
        return None
    text = str(text)
    if secret:
        text = text.replace(secret, SCRUBBED)
    return text


def clean_server_text(text, limit=MAX_SERVER_TEXT):
    """``text`` from CertCentral made safe to quote: unprintable characters and runs of whitespace become one space,
    and text longer than ``limit`` characters is cut, saying how much was left out. None stays None.

    Scrub secrets before cleaning: the cut could otherwise end in the middle of one.
    """
    if text is None:
        return None
    text = str(text)
    # Only the start is looked at, so a huge text costs no more than a short one; a run of whitespace longer than
    # this would hide what follows it, which the note of left-out characters then counts.
    head = text[: limit * 4]
    cleaned = " ".join("".join(" " if unicodedata.category(character) in _UNPRINTABLE_CATEGORIES else character for character in head).split())
    if len(cleaned) <= limit and len(head) == len(text):
        return cleaned
    kept = cleaned[:limit].rstrip()
    return f"{kept}... ({len(text) - len(head) + len(cleaned) - len(kept)} more characters left out)"


# The modules' first mistakes, as sentences that name the fix.
NO_API_KEY = (
    "api_key is empty or not set. Set api_key in the task, export DIGICERT_API_KEY on the controller, or set "
    "api_key once for every module of the collection with module_defaults for "
    "group/certops.digicert.certcentral."
)
# Added to Ansible's "Failed to import the required Python library" message: that failure nearly always means the
# task ran on a managed host instead of the controller.
RUN_ON_THE_CONTROLLER = (
    "The certops.digicert modules run where their task runs and call CertCentral from there, so "
    "they usually belong on the controller: add delegate_to: localhost to the task, or run them in "
    "a play on localhost with connection: local. The managed hosts need nothing; install requests "
    "into the Python that runs Ansible on the controller."
)


class CertCentralError(Exception):
    """A CertCentral call failed.

    ``str(error)`` is a sentence for humans: what failed, for which order, and what to do.
    The attributes keep the facts for programs:

    - ``http_status``: the HTTP status code, or None when no answer arrived.
    - ``error_code``/``error_message``: the first entry of DigiCert's ``errors`` list, when there was one.
    - ``method``/``path``: the call, relative to api_url (never the key, never the query string).
    - ``order_id``/``request_id``: what the call was about, when known.
    - ``outcome_unknown``: True when a write may or may not have taken effect; read the object back before
      trying again.
    - ``attempts``: how many HTTP attempts were made.
    """

    def __init__(
        self,
        message,
        http_status=None,
        error_code=None,
        error_message=None,
        method=None,
        path=None,
        order_id=None,
        request_id=None,
        outcome_unknown=False,
        attempts=None,
    ):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.error_code = error_code
        self.error_message = error_message
        self.method = method
        self.path = path
        self.order_id = order_id
        self.request_id = request_id
        self.outcome_unknown = outcome_unknown
        self.attempts = attempts

    def __str__(self):
        return self.message

    def to_result(self):
        """The facts as a dict, for the result of a failed module run."""
        # "attempts" is what Ansible reports for until/retries loops, hence the http_ prefix on the call's facts.
        return dict(
            http_status=self.http_status,
            http_method=self.method,
            http_path=self.path,
            http_attempts=self.attempts,
            error_code=self.error_code,
            error_message=self.error_message,
            order_id=self.order_id,
            request_id=self.request_id,
            outcome_unknown=self.outcome_unknown,
        )


def describe_call(method, path, order_id=None, request_id=None):
    """``GET /order/certificate/12 for order 12``: the call as users should read it in a message."""
    call = f"{method} {path}"
    if order_id is not None:
        return f"{call} for order {order_id}"
    if request_id is not None:
        return f"{call} for request {request_id}"
    return call


def _status_and_code(http_status, error_code):
    if error_code:
        return f"HTTP {http_status} {error_code}"
    return f"HTTP {http_status}"


def _quote_server(error_message):
    error_message = clean_server_text(error_message)
    if not error_message:
        return ""
    return f' CertCentral said: "{error_message}"'


def _read_back_advice(order_id, request_id):
    if order_id is not None:
        return f"Read order {order_id} back (for example with certops.digicert.digicert_order_info) before trying again."
    if request_id is not None:
        return f"Check request {request_id} in CertCentral before trying again."
    return "Check the object in CertCentral before trying again."


def _explain_http_failure(http_status, code, said, method, path, call, order_id, request_id, attempts, outcome_unknown, location):
    if outcome_unknown:
        return f"CertCentral answered {call} with {said}, so the change may or may not have been applied. {_read_back_advice(order_id, request_id)}"
    if http_status == 403 and code == "access_denied|access_denied_invalid_key":
        return (
            f"CertCentral rejected the API key ({said} on {call}). Check api_key (or the DIGICERT_API_KEY environment "
            f"variable), and that api_url is the region where the key was created: {US_API_URL} (US) or {EU_API_URL} (EU)."
        )
    if http_status == 403 and code == "access_denied|missing_permission":
        return (
            f"The API key is not allowed to {call} ({said}). A View Only key can read orders but cannot cancel them: "
            "use a key with the Orders role (or without role restrictions). GET /user/me shows the access_roles "
            "of a key."
        )
    if http_status == 403 and code == "access_denied|invalid_approver":
        subject = f"request {request_id}" if request_id is not None else "this request"
        return (
            f"The user behind the API key may not approve or reject {subject} ({said} on {call}). Ask one of the approvers of "
            "the request (an administrator or manager) to act on it, or use a key of such a user."
        )
    if http_status == 403:
        return f"CertCentral denied {call} ({said}). Check the permissions and role restrictions of the API key."
    if http_status == 404 and code == "not_found|order":
        subject = f"Order {order_id}" if order_id is not None else "The order"
        return (
            f"{subject} does not exist or is not in this account ({said} on {method} {path}). Check the order ID, and that api_key "
            "and api_url belong to the account and region that placed the order."
        )
    if http_status == 404 and code == "not_found|route":
        return f"CertCentral has no endpoint for {call} ({said}). Check that api_url ends in /services/v2."
    if http_status == 404:
        return f"CertCentral found nothing for {call} ({said}). Check the ID and api_url."
    if http_status == 429:
        return (
            f"CertCentral kept refusing {call} with {said} after {attempts} attempts. Another client is probably using the "
            "same API key: run again later, or lower rate_limits so that all users of the key together stay "
            "under the limits DigiCert enforces."
        )
    if http_status >= 500:
        return f"CertCentral answered {call} with {said} on each of {attempts} attempts. The service is having trouble; run again later."
    if 300 <= http_status < 400:
        target = f" to {location}" if location else ""
        return (
            f"api_url answered {call} with a redirect ({said}){target}. Redirects are not followed, so that the API key "
            "only ever goes to api_url: set api_url to the address of the CertCentral Services API v2 itself."
        )
    return f"CertCentral refused {call} ({said}), so nothing was changed."


def describe_http_failure(
    http_status, error_code, error_message, method, path, order_id=None, request_id=None, attempts=1, outcome_unknown=False, location=None
):
    """The sentence for an HTTP answer that ended a call, chosen by status and DigiCert's error code, followed by
    DigiCert's own message when there was one."""
    explanation = _explain_http_failure(
        http_status,
        error_code or "",
        _status_and_code(http_status, error_code),
        method,
        path,
        describe_call(method, path, order_id, request_id),
        order_id,
        request_id,
        attempts,
        outcome_unknown,
        location,
    )
    return explanation + _quote_server(error_message)


# Kinds of transport failure, as classified by the client.
CONNECT_FAILED = "connect_failed"
CONNECT_TIMEOUT = "connect_timeout"
READ_TIMEOUT = "read_timeout"
CONNECTION_DROPPED = "connection_dropped"
# Certificate or handshake failures, before anything of the request was sent.
TLS_FAILED = "tls_failed"
# A TLS error after the request was sent, for example a connection cut in the middle of the answer.
TLS_BROKEN = "tls_broken"
# The whole attempt took longer than ``timeout``, however steadily the answer trickled in.
DEADLINE_PASSED = "deadline_passed"
# The proxy could not be reached, or refused to pass the request on: the request got no further than the proxy.
PROXY_FAILED = "proxy_failed"


# What OpenSSL says when the other end does not answer a TLS handshake in TLS at all: most often a plain http port
# (or another protocol) behind an https:// api_url. OpenSSL 1.1 and 3.0 say "wrong version number", 3.2 and later
# "record layer failure"; the others come from older or other TLS libraries.
_NOT_TLS_DETAILS = ("wrong version number", "record layer failure", "unknown protocol", "packet length too long", "http request")
# A server that closes the connection in the middle of the handshake. Plain http servers that give up on the TLS
# greeting do this too (Python's http.server among them); so does a TLS server that refuses the client's versions.
# Python's ssl module says "TLS/SSL connection has been closed (EOF)" where the server closed it without a word,
# depending on the OpenSSL it was built with.
_HANDSHAKE_CUT_DETAILS = ("unexpected_eof_while_reading", "eof occurred in violation of protocol", "tls/ssl connection has been closed (eof)")


def speaks_another_protocol(kind, detail):
    """Whether a TLS failure of ``kind`` with ``detail`` suggests that api_url's port does not speak TLS: an answer
    that is not TLS, or a connection cut during the handshake (TLS_FAILED), where a certificate is not the problem."""
    text = str(detail or "").lower()
    if any(sign in text for sign in _NOT_TLS_DETAILS):
        return kind in (TLS_FAILED, TLS_BROKEN)
    return kind == TLS_FAILED and any(sign in text for sign in _HANDSHAKE_CUT_DETAILS)


def _another_protocol_advice(api_url, call, detail):
    return (
        f"api_url {api_url} did not answer {call} in TLS ({detail}): the port probably speaks plain http or another protocol. Check "
        f"api_url: its scheme and port must be those of the CertCentral Services API v2, {US_API_URL} (US) or {EU_API_URL} (EU), and a "
        "local test server that speaks plain http takes an http:// api_url. ca_path and validate_certs do not help "
        "here."
    )


def describe_transport_failure(kind, detail, method, path, api_url, timeout, order_id=None, request_id=None, attempts=1, outcome_unknown=False):
    """The sentence for a call that got no usable HTTP answer."""
    call = describe_call(method, path, order_id, request_id)
    detail = clean_server_text(detail)
    if not outcome_unknown and speaks_another_protocol(kind, detail):
        return _another_protocol_advice(api_url, call, detail)
    if kind == TLS_FAILED:
        return (
            f"TLS verification of {api_url} failed on {call}: {detail}. If the server certificate is signed by a private CA, "
            "set ca_path to a bundle with that CA; set validate_certs to false only for testing."
        )
    if outcome_unknown:
        what = {
            READ_TIMEOUT: "timed out",
            DEADLINE_PASSED: f"got no complete answer within the timeout of {timeout} seconds",
            TLS_BROKEN: "lost its TLS connection",
        }.get(kind, "lost its connection")
        return f"{call} {what} after the request was sent ({detail}), so the change may or may not have been applied. {_read_back_advice(order_id, request_id)}"
    tries = f"after {attempts} attempts" if attempts > 1 else "on the only attempt"
    if kind == PROXY_FAILED:
        return (
            f"Could not reach api_url {api_url} through the proxy for {call} {tries}: {detail}. Check the proxy settings "
            "(HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY in the environment of the controller, or of the execution "
            "environment in AWX), and that the proxy is up and lets this host through to CertCentral."
        )
    if kind in (CONNECT_FAILED, CONNECT_TIMEOUT):
        return (
            f"Could not connect to api_url {api_url} for {call} {tries}: {detail}. Check api_url, and that the host is reachable "
            "from here (DNS, proxy, firewall)."
        )
    if kind == READ_TIMEOUT:
        return f"{call} got no answer within {timeout} seconds {tries}. Raise timeout, or run again later."
    if kind == DEADLINE_PASSED:
        return f"{call} got no complete answer within {timeout} seconds (timeout bounds each attempt as a whole) {tries}. Raise timeout, or run again later."
    return f"{call} lost its connection {tries}: {detail}. Run again later."


def describe_bad_response(reason, http_status, method, path, order_id=None, request_id=None, attempts=1, outcome_unknown=False):
    """The sentence for a 2xx answer that is not what the Services API v2 sends."""
    call = describe_call(method, path, order_id, request_id)
    said = f"CertCentral answered {call} with HTTP {http_status}, but {reason}"
    if outcome_unknown:
        return f"{said}, so whether the change was applied cannot be told from the answer. {_read_back_advice(order_id, request_id)}"
    tries = f" (on each of {attempts} attempts)" if attempts > 1 else ""
    return (
        f"{said}{tries}. Nothing was done with what it sent. Check that api_url points to the CertCentral Services API v2; "
        "if it does and this persists, ask DigiCert Support about it."
    )
