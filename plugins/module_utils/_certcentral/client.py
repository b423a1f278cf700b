# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The one place that speaks HTTP to the DigiCert CertCentral Services API v2."""

from __future__ import annotations

import collections
import contextlib
import ipaddress
import random
import re
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from urllib.parse import urlsplit, urlunsplit

from .errors import (
    TLS_FAILED,
    CertCentralError,
    clean_server_text,
    describe_bad_response,
    describe_call,
    describe_http_failure,
    describe_transport_failure,
    scrub_secret,
)
from .listing import LISTING_SORT, OrderListing, OrderPage, describe_listing
from .orders import json_kind, order_shape_problem
from .transport import DEADLINES, Attempt, TrackedAdapter, classify_transport_error, exception_chain

try:
    import requests
    import requests.adapters
    import urllib3
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

DEFAULT_API_URL = "https://www.digicert.com/services/v2"
DEFAULT_TIMEOUT = 60
DEFAULT_RETRIES = 5
DEFAULT_WORKERS = 8

USER_AGENT = "certops.digicert Ansible collection"

RETRYABLE_SERVER_STATUSES = frozenset((500, 502, 503, 504))
BACKOFF_FIRST_SECONDS = 1.0
BACKOFF_MAX_SECONDS = 30.0

_LOOPBACK_NAMES = ("localhost", "localhost.")
_CONNECTION_PREFIX = re.compile(r"^(<[^>]*>|\w*HTTPS?Connection\([^)]*\)): ")


def _is_loopback(host):
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_api_url(api_url):
    """Return api_url without a trailing slash, or raise CertCentralError saying what is wrong with it.

    Plain http is refused unless the host is loopback: the API key travels in a header on every request.
    """
    problem = None
    try:
        parts = urlsplit(api_url)
        host = parts.hostname
        # urlsplit only checks the port when asked for it; it raises ValueError outside 0..65535.
        if parts.port == 0:
            raise ValueError("port 0 cannot be connected to")
    except ValueError as exc:
        parts, host = None, None
        problem = f"it cannot be parsed ({exc})"
    if problem is None:
        if parts.scheme not in ("http", "https"):
            problem = "it must start with https://"
        elif not host:
            problem = "it has no host name"
        elif parts.username is not None or parts.password is not None:
            problem = "it must not contain credentials (the key belongs in api_key)"
        elif parts.query or parts.fragment:
            problem = "it must not have a query string or fragment"
        elif parts.scheme == "http" and not _is_loopback(host):
            problem = "plain http:// is only allowed for loopback hosts (127.0.0.0/8, ::1, localhost), because the API key would travel unencrypted"
    if problem is not None:
        raise CertCentralError(
            f"api_url {api_url!r} is not usable: {problem}. Use {DEFAULT_API_URL}, or https://certcentral.digicert.eu/services/v2 for CertCentral Europe."
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def validate_api_key(api_key):
    """Raise CertCentralError when the key cannot be sent as a header (without ever showing it)."""
    if not api_key:
        raise CertCentralError("api_key is empty. Set api_key or the DIGICERT_API_KEY environment variable.")
    if any(character.isspace() or ord(character) < 32 or ord(character) == 127 for character in api_key):
        raise CertCentralError(
            "api_key contains whitespace or control characters (often a trailing newline from a file). Remove them; the key itself is not shown here."
        )
    if not all(33 <= ord(character) <= 126 for character in api_key):
        # Typographic quotes and look-alike letters come in when a key is copied through a document or a chat.
        raise CertCentralError(
            "api_key contains a character that is not plain printable ASCII, such as a typographic "
            "quote; CertCentral keys never do. Copy the key again from CertCentral; neither the key "
            "nor the character is shown here."
        )


def _innermost_detail(exc):
    """The most specific message in a requests/urllib3 exception chain, for example ``[Errno 111] Connection refused``."""
    detail = str(exc)
    for link in exception_chain(exc):
        detail = str(link)
    # urllib3 prefixes some messages with its connection object; the call is named elsewhere in the message.
    return _CONNECTION_PREFIX.sub("", detail)


class _BadAnswer(Exception):
    """A 2xx answer whose body is not what the Services API v2 sends; the argument says what is wrong with it."""


def _checked_order(body):
    problem = order_shape_problem(body)
    if problem is not None:
        raise _BadAnswer(problem if isinstance(body, dict) and "id" in body else f"the body is not an order ({problem})")
    return body


def _whole_number(value, minimum=0):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


class CertCentralClient:
    """A client for the CertCentral Services API v2, safe to share between threads.

    Every HTTP attempt waits for the pacer first. Calls are retried with capped, jittered exponential backoff:
    GET on 429, 500, 502, 503, 504 and connection failures; PUT only on 429 (DigiCert refused it without acting)
    and on failures before anything of it was sent (it never arrived). Any other failure of a PUT raises
    CertCentralError with ``outcome_unknown=True``: read the object back before deciding what to do. ``timeout``
    bounds each attempt as a whole, from connecting to the last byte of the answer; the wait for the pacer before it
    does not count.
    """

    def __init__(
        self,
        api_key,
        api_url=DEFAULT_API_URL,
        validate_certs=True,
        ca_path=None,
        timeout=DEFAULT_TIMEOUT,
        retries=DEFAULT_RETRIES,
        pacer=None,
        warn=None,
        workers=DEFAULT_WORKERS,
        session=None,
        sleep=time.sleep,
        jitter=random.random,
    ):
        validate_api_key(api_key)
        self.api_url = validate_api_url(api_url)
        self.timeout = timeout
        self.retries = retries
        self.pacer = pacer
        self.workers = max(1, workers)
        self._api_key = api_key
        self._warn = warn
        self._sleep = sleep
        self._jitter = jitter
        self._verify = (ca_path or True) if validate_certs else False
        self._listing_sort = LISTING_SORT
        loopback = _is_loopback(urlsplit(self.api_url).hostname)
        # Only TrackedAdapter's connections (direct or through a proxy) report whether a request went out; a request
        # through an injected session counts as one that may have arrived.
        if session is None:
            session = requests.Session()
            adapter = TrackedAdapter(pool_connections=1, pool_maxsize=self.workers, max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            if loopback:
                # Loopback traffic must stay on this machine: no proxy from the environment may carry it away.
                session.trust_env = False
        self._session = session
        if not validate_certs:
            # The user chose this; a warning on every request would only bury the module's own output. One warning
            # here says it once, unless the server is this machine, where nobody can be in between.
            urllib3.disable_warnings(InsecureRequestWarning)
            if not loopback and warn is not None:
                warn(
                    f"validate_certs is false: the TLS certificate of {self.api_url} is not checked, so anyone between this host "
                    "and it could read the API key and change the answers. Use ca_path for a private CA instead."
                )

    # ---------------------------------------------------------------- plain calls

    def get(self, path, params=None, order_id=None, request_id=None):
        """GET ``api_url + path`` and return the decoded JSON body (None when the body is empty)."""
        return self._call("GET", path, params=params, order_id=order_id, request_id=request_id)

    def put(self, path, body, order_id=None, request_id=None):
        """PUT a JSON body to ``api_url + path`` and return the decoded JSON answer (None for 204)."""
        return self._call("PUT", path, body=body, order_id=order_id, request_id=request_id)

    # ---------------------------------------------------------------- orders and requests

    def get_order(self, order_id):
        """Order info (``GET /order/certificate/{id}``): the full order, with requests and payment_method."""
        path = f"/order/certificate/{order_id}"
        return self._call("GET", path, order_id=order_id, check=_checked_order)

    def get_orders(self, order_ids, progress=None):
        """Order info for each ID, fetched by a bounded pool of workers; results in the order of ``order_ids``.

        ``progress(read, total, finished)``, when given, is called as each result arrives (see progress.py).
        """
        if progress is None:
            return self.map_concurrently(self.get_order, order_ids)
        order_ids = list(order_ids)
        orders = []
        for order in self._map_concurrently(self.get_order, order_ids):
            orders.append(order)
            progress(len(orders), len(order_ids), len(orders) == len(order_ids))
        return orders

    def map_concurrently(self, function, arguments):
        """``[function(argument) for argument in arguments]``, computed by up to ``workers`` threads at once.

        For callers that make several calls per item (read, then act) on this client's pool and pacing. The first
        exception a call raises is raised here, and the calls not started by then are dropped.
        """
        return list(self._map_concurrently(function, list(arguments)))

    def list_orders(self, filters=None, keep=None, progress=None):
        """Every order of ``GET /order/certificate`` that matches ``filters``, each once, in ascending order ID.

        ``filters`` maps API filter names to values, for example ``{'status': 'pending'}`` for
        ``filters[status]=pending``. The account may change while the pages are read: every order that matched from
        the start to the end of the listing is in the result (see listing.OrderListing). Once the first page has
        told the total, the next pages are fetched by a bounded pool of workers. Raises CertCentralError when the
        listing is beyond the bounds of listing.py or keeps moving faster than it can be read.

        ``keep`` turns each order into what the result holds as soon as its page arrives, and ``progress`` is told
        how far the listing has come after each page (see listing.OrderListing).
        """
        return self.order_listing(filters, keep, progress).read()

    def order_listing(self, filters=None, keep=None, progress=None):
        """The listing list_orders() reads, not read yet: for a caller that reads its first page (which tells the
        total) before it decides whether to read the rest."""

        def fetch_page(offset, limit):
            page = self._order_page(filters, offset, limit)
            if keep is not None:
                # In the worker, as soon as the page has arrived: the pages read ahead wait for their turn small.
                page.keep_orders(keep)
            return page

        def fetch_pages(offsets, limit):
            return self._map_concurrently(lambda offset: fetch_page(offset, limit), offsets)

        return OrderListing(filters, fetch_pages, keep, progress)

    def cancel_order(self, order_id, note):
        """Cancel a pending order, or the pending reissue of an issued one (``PUT /order/certificate/{id}/status``)."""
        self.put(f"/order/certificate/{order_id}/status", {"status": "canceled", "note": note}, order_id=order_id)

    def revoke_order(self, order_id, comments, revocation_reason=None, skip_approval=False):
        """Revoke every certificate of an order (``PUT /order/certificate/{id}/revoke``).

        Returns the revoke request CertCentral created for an approver (HTTP 201), or None when it answered without
        a body (HTTP 204: revoked at once, with ``skip_approval``). ``revocation_reason`` is sent only when given.
        """
        body = {"comments": comments, "skip_approval": skip_approval}
        if revocation_reason is not None:
            body["revocation_reason"] = revocation_reason
        return self.put(f"/order/certificate/{order_id}/revoke", body, order_id=order_id)

    def reject_request(self, request_id, comment=None):
        """Reject a request that awaits approval (``PUT /request/{id}/status``)."""
        body = {"status": "rejected"}
        if comment:
            body["processor_comment"] = comment
        self.put(f"/request/{request_id}/status", body, request_id=request_id)

    def get_current_user(self):
        """The user behind the API key (``GET /user/me``), with its ``access_roles``."""
        user = self.get("/user/me")
        if not isinstance(user, dict):
            raise self._bad_response("the body is not a user", "GET", "/user/me")
        return user

    # ---------------------------------------------------------------- internals

    def _order_page(self, filters, offset, limit):
        params = dict((f"filters[{name}]", value) for name, value in (filters or {}).items())
        params.update(offset=offset, limit=limit)
        sort = self._listing_sort
        if sort:
            params["sort"] = sort
        try:
            return self._call("GET", "/order/certificate", params=params, check=lambda body: self._checked_page(body, offset, limit, filters))
        except CertCentralError as error:
            if not sort or error.http_status != 400 or "sort" not in f"{error.error_code} {error.error_message}":
                raise
        # The sortable properties are not documented. The reading is correct in any order the server keeps, only
        # slower when orders are placed meanwhile, so a server that refuses the sort lists in its own order.
        self._listing_sort = None
        if self._warn is not None:
            self._warn(f"CertCentral refused sort={sort} on GET /order/certificate; listing in its default order instead.")
        return self._order_page(filters, offset, limit)

    @staticmethod
    def _checked_page(body, offset, limit, filters):
        if not isinstance(body, dict):
            raise _BadAnswer(f"the body is {json_kind(body)} where a page of orders belongs")
        orders = body.get("orders") or []
        page = body.get("page")
        if not isinstance(orders, list):
            raise _BadAnswer(f"its orders are {json_kind(orders)} where a list belongs")
        if not isinstance(page, dict) or not _whole_number(page.get("total")):
            raise _BadAnswer(f"it has no page.total as a number, so the listing of {describe_listing(filters)} cannot be followed")
        for index, order in enumerate(orders):
            problem = order_shape_problem(order, f"order {index + 1} of the page at offset {offset}")
            if problem is not None:
                raise _BadAnswer(problem)
        if page.get("offset") is not None and page.get("offset") != offset:
            raise _BadAnswer(f"it answered page.offset {clean_server_text(page.get('offset'), 40)} where {offset} was asked for")
        # A server that serves smaller pages than asked says so in page.limit; 0 or nothing means "not stated".
        answered = page.get("limit")
        answered = min(answered, limit) if _whole_number(answered, 1) else limit
        return OrderPage(orders, page["total"], answered, offset)

    def _map_concurrently(self, function, arguments):
        """Yield function(argument) for each argument, in order, computing up to ``workers`` at once."""
        if len(arguments) <= 1 or self.workers == 1:
            yield from map(function, arguments)
            return
        with ThreadPoolExecutor(max_workers=min(self.workers, len(arguments))) as executor:
            futures = collections.deque(executor.submit(function, argument) for argument in arguments)
            try:
                while futures:
                    # Let go of each result once it is handed on: the caller decides how long it lives.
                    yield futures.popleft().result()
            finally:
                # After an error, or when the consumer stops early, do not start calls nobody will read.
                for future in futures:
                    future.cancel()

    def _scrub(self, text):
        return scrub_secret(text, self._api_key)

    def _error(self, message, **facts):
        return CertCentralError(self._scrub(message), **facts)

    def _bad_response(self, reason, method, path, http_status=200, order_id=None, request_id=None, attempts=1):
        # A change that was answered with 2xx was applied, or at least accepted: the unreadable answer leaves open how.
        outcome_unknown = method != "GET"
        return self._error(
            describe_bad_response(reason, http_status, method, path, order_id, request_id, attempts, outcome_unknown),
            http_status=http_status,
            method=method,
            path=path,
            order_id=order_id,
            request_id=request_id,
            outcome_unknown=outcome_unknown,
            attempts=attempts,
        )

    def _backoff(self, retry_number):
        ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2 ** (retry_number - 1))
        # Half fixed, half random: the retries of parallel workers spread out, yet each waits at least half a step.
        return ceiling / 2 + ceiling / 2 * self._jitter()

    def pause_before_retry(self, call, reason, retry_number):
        """Warn and wait the backoff of ``retry_number`` before a caller repeats ``call`` itself, for example a write
        whose effect it first proved absent by reading the object back."""
        self._retry_after(call, reason, self._backoff(retry_number), retry_number)

    def _retry_after(self, call, reason, wait, retry_number):
        if self._warn is not None:
            self._warn(self._scrub(f"{call} {reason}; retrying in {wait:.1f} seconds (retry {retry_number} of {self.retries})."))
        self._sleep(wait)

    def _call(self, method, path, params=None, body=None, order_id=None, request_id=None, check=None):
        """The decoded answer, passed through ``check`` (which raises _BadAnswer for an answer it cannot use)."""
        call = describe_call(method, path, order_id, request_id)
        facts = dict(method=method, path=path, order_id=order_id, request_id=request_id)
        headers = {"X-DC-DEVKEY": self._api_key, "Accept": "application/json", "User-Agent": USER_AGENT}
        attempts_allowed = self.retries + 1
        attempt = 0
        while True:
            attempt += 1
            with Attempt() as watched:
                try:
                    # The slot lasts until the whole answer is read: DigiCert counted the request by then at the latest.
                    with self.pacer.slot() if self.pacer is not None else contextlib.nullcontext():
                        # The deadline starts once the pacer lets the request go: a wait for a rate-limit window can
                        # last minutes, and counted against timeout it would cut the request off as it is sent.
                        DEADLINES.watch(watched, self.timeout)
                        response = self._session.request(
                            method,
                            self.api_url + path,
                            params=params,
                            json=body,
                            headers=headers,
                            timeout=self.timeout,
                            verify=self._verify,
                            allow_redirects=False,
                        )
                except requests.exceptions.RequestException as exc:
                    failure = (exc, watched.request_sent, watched.expired)
                else:
                    failure = None
                    if watched.expired:
                        # Cut off at the deadline, http.client may take what arrived for a whole (short) answer.
                        failure = (requests.exceptions.ConnectionError("the answer was cut off at the deadline"), watched.request_sent, True)
            if failure is not None:
                exc, request_sent, expired = failure
                kind, may_have_arrived = classify_transport_error(exc, request_sent, expired)
                # Scrubbed before it is cleaned and cut, so that a cut cannot leave part of the key behind.
                detail = clean_server_text(self._scrub(_innermost_detail(exc)))
                outcome_unknown = method != "GET" and may_have_arrived
                if kind != TLS_FAILED and not outcome_unknown and attempt < attempts_allowed:
                    self._retry_after(call, f"failed ({detail})", self._backoff(attempt), attempt)
                    continue
                raise self._error(
                    describe_transport_failure(kind, detail, method, path, self.api_url, self.timeout, order_id, request_id, attempt, outcome_unknown),
                    outcome_unknown=outcome_unknown,
                    attempts=attempt,
                    **facts,
                )

            status = response.status_code
            if 200 <= status < 300:
                try:
                    answer = self._decode(response)
                    return check(answer) if check is not None else answer
                except _BadAnswer as bad:
                    reason = self._scrub(str(bad))
                    # An unusable answer to a read is treated like a server error: reading again changes nothing.
                    if method == "GET" and attempt < attempts_allowed:
                        self._retry_after(call, f"was answered with HTTP {status}, but {reason}", self._backoff(attempt), attempt)
                        continue
                    raise self._bad_response(reason, method, path, status, order_id, request_id, attempt) from None

            error_code, error_message = self._error_entry(response)
            retryable = status == 429 or (method == "GET" and status in RETRYABLE_SERVER_STATUSES)
            if retryable and attempt < attempts_allowed:
                wait = self._backoff(attempt)
                if status == 429 and self.pacer is not None:
                    wait = max(wait, self.pacer.hold_after_rejection())
                answer = f"HTTP {status} ({error_code})" if error_code else f"HTTP {status}"
                self._retry_after(call, f"was answered with {answer}", wait, attempt)
                continue
            # A PUT that met a server error may have been carried out before the server failed.
            outcome_unknown = method != "GET" and status in RETRYABLE_SERVER_STATUSES
            raise self._error(
                describe_http_failure(
                    status,
                    error_code,
                    error_message,
                    method,
                    path,
                    order_id,
                    request_id,
                    attempt,
                    outcome_unknown,
                    clean_server_text(self._scrub(response.headers.get("Location"))),
                ),
                http_status=status,
                error_code=error_code,
                error_message=error_message,
                outcome_unknown=outcome_unknown,
                attempts=attempt,
                **facts,
            )

    def _error_entry(self, response):
        """DigiCert's ``errors[0]`` code and message, scrubbed; (None, None) when the body has none."""
        try:
            errors = response.json().get("errors")
        except (ValueError, AttributeError):
            return None, None
        if isinstance(errors, dict):
            errors = [errors]
        if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
            return None, None
        code = clean_server_text(self._scrub(errors[0].get("code")), 100)
        return code, clean_server_text(self._scrub(errors[0].get("message")))

    @staticmethod
    def _decode(response):
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise _BadAnswer("the body is not JSON") from error
