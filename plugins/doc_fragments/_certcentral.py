# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This doc fragment is PRIVATE to the collection. It can change at any time; do not use it from elsewhere.

from __future__ import annotations


class ModuleDocFragment:
    # The connection options. They mirror CONNECTION_ARGUMENT_SPEC in
    # plugins/module_utils/_certcentral/module_support.py option for option.
    DOCUMENTATION = r"""
options:
  api_key:
    description:
      - The CertCentral API key, sent in the C(X-DC-DEVKEY) header of every request.
      - If not set, the value of the E(DIGICERT_API_KEY) environment variable is used.
      - Required, from the task, the environment variable, or C(module_defaults) for
        C(group/certops.digicert.certcentral); without a key the module fails before any request, naming these three
        ways.
      - Reading orders works with any key. Canceling needs a key that may change orders; a key restricted to
        C(View Only) can only read. C(GET /user/me) shows the C(access_roles) of a key.
      - The key never appears in results, warnings, errors or file names.
    type: str
  api_url:
    description:
      - Base URL of the CertCentral Services API v2.
      - Use V(https://certcentral.digicert.eu/services/v2) for CertCentral Europe. A key works only in the region
        where it was created.
      - If not set, the value of the E(DIGICERT_API_URL) environment variable is used, and without it the US default.
      - Must use C(https://). Plain C(http://) is accepted only for loopback hosts (C(127.0.0.0/8), C(::1),
        C(localhost)), for local test servers. Credentials, query strings and fragments are refused.
      - Redirects are not followed, so that the key only ever goes to this address.
    type: str
    default: https://www.digicert.com/services/v2
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_url).
      - Set to V(false) only for testing. Towards a host that is not loopback, the module then warns that the key
        and the answers are open to anyone in between.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file with the CA certificates to trust for O(api_url), instead of the system's CA bundle.
      - Needed when a TLS-inspecting proxy or a test server presents a certificate from a private CA.
      - Not used when O(validate_certs=false).
    type: path
  timeout:
    description:
      - Seconds one attempt of a request may take as a whole, from connecting to the last byte of the answer. It is a
        deadline, not the longest pause between two bytes, so a server that sends its answer slowly (even one byte at
        a time) is cut off when the time is up. The time a request waits for the rate limits (see O(rate_limits))
        before it is sent does not count.
      - A read cut off is tried again like any failed read (see O(retries)); a change cut off after it was sent is
        reported with C(outcome_unknown=true) and read back, never simply sent again.
    type: int
    default: 60
  retries:
    description:
      - How many times a failed request is tried again; V(0) tries once.
      - Reads (C(GET)) are retried on HTTP 429, 500, 502, 503, 504, on connection failures and on timeouts.
        An answer that cannot be read (not JSON, or values of the wrong type) counts as a failed read.
        Changes (C(PUT)) are retried only when they provably had no effect, that is on HTTP 429 and on failures
        before any of the request was sent (failures to connect, TLS certificate and handshake errors). Any other
        failure of a change (a timeout, a dropped connection or a TLS error after it was sent) is reported as an
        error with C(outcome_unknown=true), and the order has to be read back.
      - Waits grow exponentially, each a random time between half and all of 1, 2, 4, 8, 16 and at most 30
        seconds. After HTTP 429 the wait is at least the shortest window of O(rate_limits) plus 0.05 seconds,
        and all processes that share the key hold back as well.
      - Each retry is reported as a warning naming the method, the path and the reason.
    type: int
    default: 5
  workers:
    description:
      - How many requests one task may have in flight at once, where it makes many calls that do not depend on each
        other (reading and changing many orders, and the pages of a listing once the first page has told their
        number). Every request still waits for its turn under O(rate_limits).
      - The default fills DigiCert's short window quickly without opening many connections. More workers help when
        the rate limits do not bind (O(rate_limits=[]), for example against a test server) or the round trip is long.
    type: int
    default: 8
  rate_limits:
    description:
      - The rolling rate limits to stay under. DigiCert allows 100 requests per 5 seconds and 1000 requests per
        180 seconds for each API key, and answers every request with HTTP 429 while either is exceeded.
      - All runs on this machine that use the same O(api_key) and O(api_url) share the pacing, through a small
        state file in O(rate_limit_state_dir), so loops, the batches of a role and several playbooks at once stay
        under the limits together. Other machines or tools using the same key are not seen; lower the limits to
        leave them room.
      - How requests are counted is explained in the collection's rate-limit guide.
      - An empty list turns pacing off.
    type: list
    elements: dict
    default:
      - requests: 100
        seconds: 5
      - requests: 1000
        seconds: 180
    suboptions:
      requests:
        description:
          - How many requests the window allows.
        type: int
        required: true
      seconds:
        description:
          - The length of the window in seconds.
        type: float
        required: true
  rate_limit_state_dir:
    description:
      - The directory for the shared pacing history of O(rate_limits). It holds one small file per key and
        O(api_url), named by a hash of both, never by the key. The history is trimmed to the longest window.
      - Defaults to C(certops.digicert/rate-limits) in the user's cache directory (E(XDG_CACHE_HOME), or
        C(~/.cache)).
      - If the directory cannot be created or written, pacing covers the current process only, and a warning says
        so.
    type: path
requirements:
  - requests
notes:
  - The module runs where the task runs, usually with C(delegate_to=localhost); only C(requests) is needed there.
seealso:
  - name: CertCentral Services API
    description: DigiCert's reference of the API, its authentication and its error codes.
    link: https://dev.digicert.com/en/certcentral-apis/services-api.html
  - name: CertCentral rate limits
    description: The limits O(rate_limits) defaults to.
    link: https://dev.digicert.com/en/certcentral-apis/services-api/rate-limits.html
"""

    # Descriptions of the attributes every CertCentral module declares; modules add their support levels.
    ATTRIBUTES = r"""
options: {}
attributes:
  check_mode:
    description: Can run in check mode and then predicts what would change, without changing anything.
  diff_mode:
    description: Returns what changed (or would change in check mode) as a diff.
  idempotent:
    description:
      - Running the action twice in a row with the same arguments reports no change the second time.
      - This assumes that nothing else changed the orders in between.
"""

    # The attributes of the actions that run in the controller's process only (decommission_plan,
    # order_cleanup_selection, reviewed_plan, order_cleanup_report): they send no module to a host and change nothing
    # in CertCentral. An action adds its own check_mode details where it does more than that.
    CONTROLLER_ACTION = r"""
options: {}
attributes:
  action:
    description: An action plugin that runs in the controller's process; no module is sent to a host.
    support: full
  async:
    description: Can run in the background with C(async).
    support: none
  check_mode:
    description: Runs in check mode.
    support: full
    details:
      - It changes nothing in any mode.
  diff_mode:
    description: Returns what changed as a diff.
    support: none
  platform:
    description: The systems it can run on.
    support: full
    platforms: posix
    details:
      - The controller only.
"""

    # The progress lines of the actions that list orders (decommission_plan, order_cleanup_selection, and
    # digicert_order_report, which documents its own progress option, since it reads order details too).
    PROGRESS = r"""
options:
  progress:
    description:
      - >-
        Whether to print how far the listing of the orders has come while it runs (when the action lists them), at
        the default verbosity, as lines such as C(certops.digicert: read 400 of 1,153 orders), like
        M(certops.digicert.digicert_order_report) does.
      - A line is printed every O(progress_interval) seconds at most, none before the first interval has passed, and
        a last one when a listing that printed has ended; a listing that takes less time prints none. The lines hold
        counts only, never the key or anything of an order.
      - >-
        No order arrives while the run waits for the rate limits (O(rate_limits)), for example when other runs with
        the same key have used them up. A wait of at least O(progress_interval) seconds is told when it begins, for
        example C(certops.digicert: waiting 135 s for the rate limit of 1,000 requests per 180 s; read 400 of 1,153
        orders so far).
      - In AWX or AWX-based controllers the lines appear in the job's output, between the task's name and its result.
      - Set to V(false) to keep the output to the task's result.
    type: bool
    default: true
  progress_interval:
    description:
      - The least number of seconds between two progress lines (see O(progress)), and before the first one; also
        the shortest wait for the rate limits that gets a line of its own.
    type: float
    default: 10
"""

    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This action only reads, so it runs the same in check mode.
  diff_mode:
    support: N/A
    details:
      - This action only reads.
  idempotent:
    support: full
    details:
      - This action only reads.
"""

    ACTIONGROUP_CERTCENTRAL = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/certops.digicert.certcentral) in C(module_defaults) to set the connection options once
      for all CertCentral modules.
    support: full
    membership:
      - certops.digicert.certcentral
"""
