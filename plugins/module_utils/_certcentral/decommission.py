# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""The plan of a decommissioning: which orders cover the hosts being retired, and what to do about each.

Pure functions on the orders of a listing (digicert_order_info entries) and the names being retired. This file
decides coverage only: which names an order holds, which of them are retired, which survive. What CertCentral
allows to be done with an order (cancel, revoke, nothing) comes from verdict.py, the one place for DigiCert's rules.
"""

from __future__ import annotations

import re

from .verdict import (
    ACTION_CANCEL,
    ACTION_NONE,
    ACTION_REVOKE,
    PRODUCT_FAMILY_CLIENT,
    cancel_verdict,
    product_family,
    revoke_verdict,
)

# What the plan decides for an order that covers a retired host.
DECISION_CANCEL = "cancel"
DECISION_REVOKE = "revoke"
DECISION_REVOKE_NOT_REQUESTED = "revoke_not_requested"
DECISION_SHARED = "shared"
DECISION_WILDCARD = "wildcard"
DECISION_NEEDS_ATTENTION = "needs_attention"
DECISION_NOTHING_TO_DO = "nothing_to_do"
# In the order the report lists them: the orders this run acts on first, finished ones (expired, canceled) last.
DECISIONS = (
    DECISION_CANCEL,
    DECISION_REVOKE,
    DECISION_REVOKE_NOT_REQUESTED,
    DECISION_NEEDS_ATTENTION,
    DECISION_SHARED,
    DECISION_WILDCARD,
    DECISION_NOTHING_TO_DO,
)
CHANGE_DECISIONS = (DECISION_CANCEL, DECISION_REVOKE)

# A host name: labels of letters, digits, hyphens and underscores (seen in internal names), not starting or ending
# with a hyphen, at most 63 characters each.
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*$")
_WILDCARD_PREFIX = "*."
HOST_NAME_MAX_LENGTH = 253
# Names that mean the controller itself, never a host whose certificates could be retired.
_LOCAL_NAMES = ("localhost", "localhost.localdomain")


def normalize_name(name):
    """``name`` as names are compared: without surrounding spaces or a trailing dot, in lower case; None for what is
    not text."""
    if not isinstance(name, str):
        return None
    name = name.strip().lower()
    return name[:-1] if name.endswith(".") else name


def is_host_name(name):
    """Whether the normalized ``name`` is a host name (no wildcard, no address of a person)."""
    return bool(name) and len(name) <= HOST_NAME_MAX_LENGTH and _HOST_NAME.match(name) is not None


def is_wildcard(name):
    """Whether the normalized ``name`` is a wildcard name such as ``*.example.com``."""
    return name.startswith(_WILDCARD_PREFIX) and is_host_name(name[len(_WILDCARD_PREFIX) :])


def wildcard_covers(wildcard, host):
    """Whether ``wildcard`` covers ``host``: exactly one label in place of the ``*``, as TLS clients match them."""
    parent = wildcard[len(_WILDCARD_PREFIX) :]
    label, _dot, rest = host.partition(".")
    return bool(label) and rest == parent


# ---------------------------------------------------------------- the names being retired


def retired_names(play_hosts, names_of_host, extra_names):
    """The names being retired, normalized, each once, in the order given; and the problems found.

    ``play_hosts`` are the inventory names of the play's hosts, ``names_of_host`` maps a host to its
    ``decommission_names`` (None: the inventory name itself), ``extra_names`` are the names given explicitly (a
    list, or text with commas). ``localhost`` is where the role runs, never a host being retired. Returns
    ``(names, problems)``: problems are sentences, one per name that is not a host name.
    """
    given = []
    for host in play_hosts:
        own = names_of_host.get(host)
        if own is None:
            if normalize_name(host) in _LOCAL_NAMES:
                continue
            own = [host]
        elif isinstance(own, str):
            own = own.split(",")
        given.extend((f"host {host}", name) for name in own)
    if isinstance(extra_names, str):
        extra_names = extra_names.split(",")
    given.extend(("decommission_hosts", name) for name in extra_names or [])

    names, problems = [], []
    for source, name in given:
        normalized = normalize_name(name)
        if normalized == "":
            continue
        if normalized is None or not is_host_name(normalized) or normalized in _LOCAL_NAMES:
            problems.append(
                f"{name!r} (from {source}) is not the name of a host that can be retired; give host names such as web01.example.com, without wildcards."
            )
        elif normalized not in names:
            names.append(normalized)
    return names, problems


# ---------------------------------------------------------------- coverage


class Coverage:
    """What an order names, seen from the names being retired.

    ``host_names``: its DNS names (common name and SANs), normalized, each once; empty for a client certificate,
    whose names are people and e-mail addresses. ``covered``: the retired names it names exactly. ``wildcard_covered``:
    the retired names only a wildcard of it covers. ``surviving``: its host names that are not retired.
    ``wildcards``: its wildcard names.
    """

    def __init__(self, order, retired):
        self.host_names = [] if product_family(order) == PRODUCT_FAMILY_CLIENT else _order_names(order)
        self.wildcards = [name for name in self.host_names if is_wildcard(name)]
        self.covered = [name for name in retired if name in self.host_names]
        self.wildcard_covered = [name for name in retired if name not in self.covered and any(wildcard_covers(wildcard, name) for wildcard in self.wildcards)]
        self.surviving = [name for name in self.host_names if name not in retired and name not in self.wildcards]

    @property
    def any(self):
        return bool(self.covered or self.wildcard_covered)


def covers_any(order, retired):
    """Whether ``order`` covers one of the ``retired`` names, exactly or under a wildcard: whether plan() has an entry
    for it. A listing keeps only such orders, so that a large account is never held whole."""
    return Coverage(order, retired).any


def _order_names(order):
    names = []
    # An entry given to the plan may come from elsewhere than a listing: SANs that are not a list name nothing.
    dns_names = order.get("dns_names")
    for name in [order.get("common_name")] + (dns_names if isinstance(dns_names, list) else []):
        name = normalize_name(name)
        if name and (is_host_name(name) or is_wildcard(name)) and name not in names:
            names.append(name)
    return names


# ---------------------------------------------------------------- the plan


def _verdict_of(order):
    # The info module's verdict, when the listing carries one; verdict.py's own otherwise (the same function).
    verdict = order.get("cancel_verdict")
    return verdict if isinstance(verdict, dict) and "action" in verdict else cancel_verdict(order)


def _names(values):
    return ", ".join(values)


def decide(order, coverage, revoke_issued):
    """(decision, reason) for an order that covers a retired name."""
    order_id = order.get("id")
    verdict = _verdict_of(order)
    if verdict["action"] == ACTION_NONE:
        return DECISION_NOTHING_TO_DO, verdict["reason"]
    if coverage.wildcards:
        return DECISION_WILDCARD, (
            f"Order {order_id} is a wildcard order ({_names(coverage.wildcards)}): it covers names this run cannot see, so it is left alone."
        )
    if coverage.surviving:
        return DECISION_SHARED, (
            f"Order {order_id} also covers {_names(coverage.surviving)}, which {'is' if len(coverage.surviving) == 1 else 'are'} not being retired, "
            "so it is left alone."
        )
    if verdict["action"] == ACTION_CANCEL:
        return DECISION_CANCEL, verdict["reason"]
    if verdict["action"] == ACTION_REVOKE:
        revocation = revoke_verdict(order)
        if not revocation["revocable"]:
            return DECISION_NEEDS_ATTENTION, revocation["reason"]
        if not revoke_issued:
            return DECISION_REVOKE_NOT_REQUESTED, (
                f"Order {order_id} is issued and all its names are being retired; it is revoked only with decommission_revoke_issued=true."
            )
        return DECISION_REVOKE, revocation["reason"]
    return DECISION_NEEDS_ATTENTION, verdict["reason"]


def plan_order(order, coverage, revoke_issued):
    """The plan's entry for one covering order: the order and what is decided about it, and why."""
    decision, reason = decide(order, coverage, revoke_issued)
    return {
        "order": order,
        "decision": decision,
        "reason": reason,
        "covered_hosts": coverage.covered,
        "wildcard_covered_hosts": coverage.wildcard_covered,
        "surviving_names": coverage.surviving,
        "wildcard_names": coverage.wildcards,
    }


def _sort_key(entry):
    return DECISIONS.index(entry["decision"]), entry["order"].get("id") or 0


def limit_problems(cancellations, revocations, max_cancellations, max_revocations):
    """The sentences that say which limit the plan exceeds; empty when it exceeds none."""
    problems = []
    if cancellations > max_cancellations:
        problems.append(f"{cancellations} orders would be canceled, more than decommission_max_cancellations={max_cancellations} allows.")
    if revocations > max_revocations:
        problems.append(f"{revocations} orders would be revoked, more than decommission_max_revocations={max_revocations} allows.")
    return problems


def plan(orders, names, revoke_issued, max_cancellations, max_revocations):
    """The one plan of a run, for every order that covers a retired name, checked against both limits.

    ``orders`` are the listing's entries, ``names`` the normalized retired names. Returns a dict:

    - ``orders``: one entry per covering order (plan_order()), the ones to act on first.
    - ``cancel_orders``: the listing entries of the orders to cancel, for the cancel module's ``orders``.
    - ``revoke_orders``: the listing entries of the orders to revoke, for the revoke module's ``orders``: an entry of a
      reviewed plan carries its ``reviewed_change``, so that the module makes exactly that change or none.
    - ``revoke_order_ids``: the IDs of the orders to revoke.
    - ``cancellations``, ``revocations``: how many of each.
    - ``over_limit``: whether either exceeds its limit; then nothing may change; ``limit_problems`` says which.
    - ``hosts_without_orders``: the retired names no order names exactly. A name only a wildcard covers is one of
      them (``hosts_under_wildcards_only`` lists those too): a misspelt host name under a wildcard is not covered.
    """
    entries = []
    named = set()
    under_wildcards = set()
    for order in orders:
        coverage = Coverage(order, names)
        if not coverage.any:
            continue
        named.update(coverage.covered)
        under_wildcards.update(coverage.wildcard_covered)
        entries.append(plan_order(order, coverage, revoke_issued))
    entries.sort(key=_sort_key)
    cancel_orders = [entry["order"] for entry in entries if entry["decision"] == DECISION_CANCEL]
    revoke_orders = [entry["order"] for entry in entries if entry["decision"] == DECISION_REVOKE]
    revoke_order_ids = [order["id"] for order in revoke_orders]
    problems = limit_problems(len(cancel_orders), len(revoke_order_ids), max_cancellations, max_revocations)
    return {
        "orders": entries,
        "cancel_orders": cancel_orders,
        "revoke_orders": revoke_orders,
        "revoke_order_ids": revoke_order_ids,
        "cancellations": len(cancel_orders),
        "revocations": len(revoke_order_ids),
        "over_limit": bool(problems),
        "limit_problems": problems,
        "hosts": list(names),
        "hosts_without_orders": [name for name in names if name not in named],
        "hosts_under_wildcards_only": [name for name in names if name not in named and name in under_wildcards],
    }
