# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A deterministic generator for realistic CertCentral accounts (the demo account and benchmark accounts).

The same seed and reference date always give the same account, byte for byte. Run it as
``python -m certcentral_sim.generator --seed 7 --orders 2500 -o account.json``.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import random
import sys

DATA_FORMAT = "certcentral-sim/1"

# The demo account's API keys: one per role, obviously fake, documented in docs/simulator.md.
DEMO_ADMIN_KEY = "SIMULATOR0DEMO0ADMIN0KEY0NOT0A0REAL0DIGICERT0KEY0001"
DEMO_ORDERS_KEY = "SIMULATOR0DEMO0ORDERS0KEY0NOT0A0REAL0DIGICERT0KEY002"
DEMO_VIEW_ONLY_KEY = "SIMULATOR0DEMO0VIEWONLY0KEY0NOT0A0REAL0DIGICERT0K03"
DEMO_SEED = 7
DEFAULT_ORDERS = 2500

# An order is "abandoned" when it is still pending (or waiting for pickup) more than this many days after creation.
ABANDONED_AFTER_DAYS = 30
PENDING_STATUSES = ("pending", "waiting_pickup")

# The legacy S/MIME products were replaced by the secure_email_* products on this date (docs/certcentral-api.md §5.1).
CLIENT_PRODUCTS_REPLACED_ON = datetime.date(2025, 7, 10)
# CA/Browser Forum schedule: TLS certificates issued from this date are valid for at most 200 days.
TLS_200_DAY_LIMIT_FROM = datetime.date(2026, 3, 15)
# INVENTED: TLS orders older than this are mostly on the legacy products (ssl_plus, ssl_ev_plus, ...).
TLS_LEGACY_BEFORE_YEARS = 3

_VALIDATION = {
    "dv": ("DV", "Domain Validation"),
    "ov": ("OV", "Normal Organization Validation"),
    "ev": ("EV", "Extended Organization Validation (EV)"),
    # INVENTED: the validation fields of client/secure-email products.
    "client": ("Client", "Email address and identity validation"),
}
# (name_id, name, product.type, validation type, family, legacy, list price in USD, selection weight)
# product.type "client_certificate" is INFERRED; prices are INVENTED.
_PRODUCT_TABLE = (
    ("ssl_basic", "Basic OV", "ssl_certificate", "ov", "tls", False, 218.0, 35),
    ("ssl_securesite_pro", "Secure Site Pro SSL", "ssl_certificate", "ov", "tls", False, 995.0, 15),
    ("ssl_ev_basic", "Basic EV", "ssl_certificate", "ev", "tls", False, 344.0, 10),
    ("ssl_dv_geotrust", "GeoTrust Standard DV", "ssl_certificate", "dv", "tls", False, 149.0, 20),
    ("ssl_dv_rapidssl", "RapidSSL Standard DV", "ssl_certificate", "dv", "tls", False, 59.0, 20),
    ("ssl_plus", "Standard SSL", "ssl_certificate", "ov", "tls", True, 175.0, 35),
    ("ssl_multi_domain", "Multi-Domain SSL", "ssl_certificate", "ov", "tls", True, 299.0, 25),
    ("ssl_wildcard", "WildCard SSL", "ssl_certificate", "ov", "tls", True, 595.0, 20),
    ("ssl_ev_plus", "EV SSL Plus", "ssl_certificate", "ev", "tls", True, 295.0, 20),
    ("secure_email_mailbox", "Secure Email Mailbox Validated", "client_certificate", "client", "client", False, 25.0, 50),
    ("secure_email_sponsor", "Secure Email Sponsor Validated", "client_certificate", "client", "client", False, 45.0, 30),
    ("secure_email_organization", "Secure Email Organization Validated", "client_certificate", "client", "client", False, 35.0, 20),
    ("client_premium_sha2", "Premium", "client_certificate", "client", "client", True, 99.0, 35),
    ("client_email_security_plus", "Email Security Plus", "client_certificate", "client", "client", True, 49.0, 30),
    ("client_authentication_plus", "Authentication Plus", "client_certificate", "client", "client", True, 49.0, 20),
    ("client_digital_signature_plus_sha2", "Digital Signature Plus", "client_certificate", "client", "client", True, 69.0, 15),
)
_CA_CERTS = {
    "ov": {"id": "5D5A1A32B6C4E1F0", "name": "DigiCert Global G2 TLS RSA SHA256 2020 CA1"},
    "ev": {"id": "7A1C3E9B0F2D4C88", "name": "DigiCert EV RSA CA G2"},
    "ssl_dv_geotrust": {"id": "3B8E2A7D91C0F455", "name": "GeoTrust TLS RSA CA G1"},
    "ssl_dv_rapidssl": {"id": "1F6D0C3A8E7B2940", "name": "RapidSSL TLS RSA CA G1"},
    "client": {"id": "6E2F9A0D3C1B8E77", "name": "DigiCert Assured ID Client CA G2"},
}
_SERVER_PLATFORMS = (
    {
        "id": 2,
        "name": "Apache",
        "install_url": "https://www.digicert.com/kb/ssl-certificate-installation-apache.htm",
        "csr_url": "https://www.digicert.com/kb/csr-creation-apache.htm",
    },
    {
        "id": 45,
        "name": "nginx",
        "install_url": "https://www.digicert.com/kb/ssl-certificate-installation-nginx.htm",
        "csr_url": "https://www.digicert.com/kb/csr-ssl-installation/nginx-openssl.htm",
    },
    {
        "id": 14,
        "name": "Microsoft IIS 10",
        "install_url": "https://www.digicert.com/kb/ssl-certificate-installation-microsoft-iis-10.htm",
        "csr_url": "https://www.digicert.com/kb/csr-creation-microsoft-iis-10.htm",
    },
    {"id": -1, "name": "OTHER", "install_url": "", "csr_url": ""},
)

_ORGANIZATIONS = (
    {"id": 610001, "name": "Example Corp", "display_name": "Example Corp", "is_active": True, "city": "Wilmington", "state": "Delaware", "country": "us"},
    {
        "id": 610002,
        "name": "Example Payments Ltd",
        "display_name": "Example Payments Ltd",
        "is_active": True,
        "city": "London",
        "state": "London",
        "country": "gb",
    },
    {"id": 610003, "name": "Example GmbH", "display_name": "Example GmbH", "is_active": True, "city": "Berlin", "state": "Berlin", "country": "de"},
)
# (container, its organization, weight for TLS orders, weight for client orders)
_CONTAINERS = (
    ({"id": 520001, "name": "Example Corp", "is_active": True}, 610001, 15, 10),
    ({"id": 520002, "name": "Web Platform", "is_active": True}, 610001, 35, 5),
    ({"id": 520003, "name": "Payments", "is_active": True}, 610002, 20, 10),
    ({"id": 520004, "name": "Corporate IT", "is_active": True}, 610001, 20, 60),
    ({"id": 520005, "name": "EMEA Marketing", "is_active": True}, 610003, 10, 15),
)
# (id, first name, last name, job title, container id, access role); the first three own the demo keys.
# INVENTED: the user role names and IDs (Administrator 1, Manager 2, User 3); Orders 100 and View Only 102 are the
# documented API-key restriction roles.
_USERS = (
    (1001, "Dana", "Whitfield", "PKI Administrator", 520001, {"id": 1, "name": "Administrator"}),
    (1002, "Cert", "Automation", "Service user", 520001, {"id": 100, "name": "Orders"}),
    (1003, "Audit", "Viewer", "Security Auditor", 520001, {"id": 102, "name": "View Only"}),
    (1004, "Priya", "Raman", "Site Reliability Engineer", 520002, {"id": 3, "name": "User"}),
    (1005, "Marco", "Bellini", "Web Developer", 520002, {"id": 3, "name": "User"}),
    (1006, "Hannah", "Okafor", "Platform Lead", 520002, {"id": 2, "name": "Manager"}),
    (1007, "Lukas", "Brandt", "Payments Engineer", 520003, {"id": 3, "name": "User"}),
    (1008, "Sofia", "Marquez", "Security Engineer", 520003, {"id": 2, "name": "Manager"}),
    (1009, "James", "Holloway", "Systems Administrator", 520004, {"id": 3, "name": "User"}),
    (1010, "Aiko", "Tanaka", "IT Service Desk", 520004, {"id": 3, "name": "User"}),
    (1011, "Femi", "Adeyemi", "Network Engineer", 520004, {"id": 2, "name": "Manager"}),
    (1012, "Claire", "Dubois", "Marketing Technologist", 520005, {"id": 3, "name": "User"}),
    (1013, "Noah", "Fischer", "IT Director", 520001, {"id": 2, "name": "Manager"}),
)
_KEY_ROLES = ((DEMO_ADMIN_KEY, "admin", 1001), (DEMO_ORDERS_KEY, "orders", 1002), (DEMO_VIEW_ONLY_KEY, "view_only", 1003))

_FAMOUS_HOSTS = (
    "www.example.com",
    "api.example.net",
    "web01.prod.example.com",
    "web02.prod.example.com",
    "shop.example.org",
    "mail.example.com",
    "vpn.example.com",
    "intranet.corp.example.com",
    "login.example.com",
    "status.example.net",
)
_SERVICES = (
    "web",
    "api",
    "app",
    "auth",
    "login",
    "shop",
    "cdn",
    "static",
    "mail",
    "smtp",
    "vpn",
    "git",
    "ci",
    "grafana",
    "status",
    "portal",
    "intranet",
    "wiki",
    "docs",
    "admin",
    "billing",
    "pay",
    "sso",
    "files",
    "backup",
    "search",
    "media",
    "chat",
    "metrics",
    "gateway",
)
_ENVIRONMENTS = ("prod", "staging", "dev", "qa", "eu", "us", "internal", "corp")
_DOMAINS = ("example.com", "example.net", "example.org", "example.co.uk", "example.de", "example-corp.com", "example-shop.com")
_FIRST_NAMES = (
    "Alice",
    "Bruno",
    "Chen",
    "Divya",
    "Emil",
    "Fatima",
    "Gustav",
    "Helena",
    "Ivan",
    "Julia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Paula",
    "Quentin",
    "Rosa",
    "Samir",
    "Tove",
)
_LAST_NAMES = (
    "Andersen",
    "Becker",
    "Costa",
    "Dimitrov",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Olsen",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
)
_OU_NAMES = ("IT Operations", "Web Platform", "Security", "Payments Engineering", "Marketing")
# INVENTED: only "balance" is documented; "card" and "invoice" stand for the other ways to pay.
_PAYMENT_METHODS = (("balance", 60), ("card", 25), ("invoice", 15))
_REJECTION_COMMENTS = (
    "Not an approved domain for this division.",
    "Duplicate of an existing order.",
    "Requested by mistake.",
    "Budget not approved.",
)
_REQUEST_COMMENTS = (
    "Renewal for the production web tier.",
    "New service going live next sprint.",
    "Replacing a certificate from another CA.",
    "Needed for the partner integration.",
    "",
    "",
)
_REVOKE_COMMENTS = ("Host decommissioned.", "Key rotated after an incident.", "Service retired.")
_REISSUE_COMMENTS = ("New key pair after server rebuild.", "Adding SANs for the new load balancer.", "Key rotation.")

_STATUS_SHARE_OF_THE_REST = (("issued", 0.50), ("expired", 0.28), ("canceled", 0.10), ("revoked", 0.06), ("rejected", 0.06))
_DAY = 86400.0


def _products() -> list[dict]:
    products = []
    for name_id, name, product_type, validation_type, _family, _legacy, _price, _weight in _PRODUCT_TABLE:
        validation_name, validation_description = _VALIDATION[validation_type]
        products.append(
            {
                "name_id": name_id,
                "name": name,
                "type": product_type,
                "validation_type": validation_type,
                "validation_name": validation_name,
                "validation_description": validation_description,
            }
        )
    return products


def _product_choices(family: str, legacy: bool) -> tuple[list[str], list[int]]:
    rows = [row for row in _PRODUCT_TABLE if row[4] == family and row[5] == legacy]
    return [row[0] for row in rows], [row[7] for row in rows]


_PRODUCT_ROWS = {row[0]: row for row in _PRODUCT_TABLE}
_PRODUCT_CHOICES = {(family, legacy): _product_choices(family, legacy) for family in ("tls", "client") for legacy in (False, True)}


def _parse_reference_date(reference_date) -> datetime.date:
    if reference_date is None:
        return datetime.datetime.now(datetime.timezone.utc).date()
    if isinstance(reference_date, datetime.datetime):
        return reference_date.date()
    if isinstance(reference_date, datetime.date):
        return reference_date
    return datetime.date.fromisoformat(str(reference_date))


def default_counts(orders: int) -> dict:
    """The default number of orders in each special status for an account of ``orders`` orders."""
    pending = round(orders * 0.06)
    return {
        "pending": pending,
        "abandoned": round(pending * 0.25),
        "needs_approval": max(1, round(orders * 0.01)) if orders >= 20 else 0,
        "reissue_pending": max(1, round(orders * 0.008)) if orders >= 20 else 0,
    }


def _allocate(total: int, shares: tuple[tuple[str, float], ...]) -> dict:
    """Split ``total`` by the shares (largest remainder), giving every status at least one order when possible."""
    exact = {name: total * share for name, share in shares}
    counts = {name: int(value) for name, value in exact.items()}
    remainders = sorted(shares, key=lambda item: (-(exact[item[0]] - counts[item[0]]), item[0]))
    for name, _share in remainders[: total - sum(counts.values())]:
        counts[name] += 1
    if total >= len(shares):
        for name, _share in shares:
            if counts[name] == 0:
                largest = max(counts, key=lambda other: (counts[other], other))
                counts[largest] -= 1
                counts[name] = 1
    return counts


class _Generator:
    """One generation run; all randomness comes from one seeded generator, in a fixed order."""

    def __init__(self, seed: int, reference_date: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.reference_date = reference_date
        self.reference = datetime.datetime.combine(reference_date, datetime.time(0, 0), tzinfo=datetime.timezone.utc)
        self.tls_legacy_before = self.reference - datetime.timedelta(days=365 * TLS_LEGACY_BEFORE_YEARS)
        self.client_replaced_on = datetime.datetime.combine(CLIENT_PRODUCTS_REPLACED_ON, datetime.time(0, 0), tzinfo=datetime.timezone.utc)
        self.users_by_container: dict[int, list[int]] = {}
        for user_id, _first, _last, _title, container_id, _role in _USERS:
            if user_id in (1002, 1003):
                continue  # the service user and the auditor never request certificates
            self.users_by_container.setdefault(container_id, []).append(user_id)
        self.user_emails = {row[0]: f"{row[1].lower()}.{row[2].lower()}@example.com" for row in _USERS}
        self.container_org = {container["id"]: org_id for container, org_id, _tls, _client in _CONTAINERS}
        self.container_ids = [container["id"] for container, _org, _tls, _client in _CONTAINERS]
        self.tls_container_weights = [tls for _container, _org, tls, _client in _CONTAINERS]
        self.client_container_weights = [client for _container, _org, _tls, client in _CONTAINERS]

    # ---- building blocks -------------------------------------------------------------------------------------

    def hostname_pool(self, size: int) -> list[str]:
        rng = self.rng
        pool = list(_FAMOUS_HOSTS)
        seen = set(pool)
        while len(pool) < size:
            service = rng.choice(_SERVICES)
            domain = rng.choice(_DOMAINS)
            shape = rng.random()
            if shape < 0.1:
                host = f"{service}.{domain}"
            elif shape < 0.4:
                host = f"{service}.{rng.choice(_ENVIRONMENTS)}.{domain}"
            else:
                host = f"{service}{rng.randint(1, 40):02d}.{rng.choice(_ENVIRONMENTS)}.{domain}"
            if host not in seen:
                seen.add(host)
                pool.append(host)
        return pool

    def age_seconds(self, low_days: float, high_days: float, skew: float = 1.0) -> float:
        """An age between the bounds; skew > 1 favours recent ages, as real accounts have more young orders."""
        return (low_days + (high_days - low_days) * self.rng.random() ** skew) * _DAY

    def timestamp(self, moment: datetime.datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def hex_id(self, bits: int) -> str:
        return f"{self.rng.getrandbits(bits):0{bits // 4}X}"

    def csr(self, common_name: str) -> str:
        # INVENTED: a short placeholder, not a parseable CSR; the simulator never parses it.
        payload = base64.b64encode(f"SIMULATOR-CSR {common_name} {self.hex_id(64)}".encode()).decode()
        return f"-----BEGIN CERTIFICATE REQUEST-----\n{payload}\n-----END CERTIFICATE REQUEST-----\n"

    def tls_validity_days(self, issued_on: datetime.date) -> int:
        return 199 if issued_on >= TLS_200_DAY_LIMIT_FROM else 397

    # ---- one order -------------------------------------------------------------------------------------------

    def order_age(self, status: str, abandoned: bool, family: str, client_years: int) -> float:
        """Seconds between creation and the reference date, chosen so the status is consistent with the dates."""
        if family == "tls":
            validity_now = self.tls_validity_days(self.reference_date)
            longest_validity = 397
        else:
            validity_now = longest_validity = 365 * client_years
        if status in PENDING_STATUSES:
            # A gap around the 30-day line keeps "abandoned" unambiguous for any clock within a day of the reference.
            return self.age_seconds(ABANDONED_AFTER_DAYS + 2, 720, 2.0) if abandoned else self.age_seconds(1 / 24, ABANDONED_AFTER_DAYS - 2, 1.5)
        if status == "needs_approval":
            return self.age_seconds(1 / 24, 90, 2.5)
        if status == "issued":
            return self.age_seconds(1, validity_now - 4)
        if status == "reissue_pending":
            return self.age_seconds(20, validity_now - 4)
        if status == "expired":
            return self.age_seconds(longest_validity + 4, longest_validity + 4 * 365, 1.5)
        if status == "revoked":
            return self.age_seconds(10, 4 * 365, 1.5)
        return self.age_seconds(1, 5 * 365, 1.5)  # canceled, rejected

    def product_for(self, family: str, created: datetime.datetime) -> str:
        if family == "tls":
            legacy = created < self.tls_legacy_before and self.rng.random() < 0.7
        else:
            legacy = created < self.client_replaced_on
        names, weights = _PRODUCT_CHOICES[(family, legacy)]
        return self.rng.choices(names, weights)[0]

    def tls_subject(self, product_name_id: str, pool: list[str], pool_by_domain: dict) -> tuple[str, list[str]]:
        rng = self.rng
        host = rng.choice(_FAMOUS_HOSTS) if rng.random() < 0.05 else rng.choice(pool)
        if product_name_id == "ssl_wildcard" or (product_name_id in ("ssl_basic", "ssl_securesite_pro") and rng.random() < 0.08):
            parent = host.split(".", 1)[1]
            return f"*.{parent}", [f"*.{parent}", parent]
        dns_names = [host]
        if host.startswith("www."):
            dns_names.append(host[4:])
        if product_name_id == "ssl_multi_domain" or (product_name_id in ("ssl_basic", "ssl_securesite_pro", "ssl_ev_basic") and rng.random() < 0.2):
            siblings = pool_by_domain[_registered_domain(host)]
            for extra in rng.sample(siblings, min(len(siblings), rng.randint(1, 4))):
                if extra not in dns_names:
                    dns_names.append(extra)
        return host, dns_names

    def client_subject(self) -> tuple[str, list[str]]:
        first = self.rng.choice(_FIRST_NAMES)
        last = self.rng.choice(_LAST_NAMES)
        domain = self.rng.choice(("example.com", "example.net", "example.org"))
        return f"{first} {last}", [f"{first.lower()}.{last.lower()}@{domain}"]

    def issuance(self, certificate: dict, created: datetime.datetime, family: str, client_years: int) -> None:
        """Fill in what the certificate gets when DigiCert issues it (within three days, and before the reference)."""
        longest_delay = max(600.0, min(3 * _DAY, (self.reference - created).total_seconds() - 600))
        issued = created + datetime.timedelta(seconds=self.rng.uniform(600, longest_delay))
        validity_days = self.tls_validity_days(issued.date()) if family == "tls" else 365 * client_years
        certificate["serial_number"] = self.hex_id(128)
        certificate["thumbprint"] = self.hex_id(160)
        certificate["date_issued"] = self.timestamp(issued)
        certificate["valid_from"] = issued.date().isoformat()
        certificate["valid_till"] = (issued.date() + datetime.timedelta(days=validity_days)).isoformat()

    def order(self, status: str, abandoned: bool, pool: list[str], pool_by_domain: dict) -> dict:
        rng = self.rng
        family = "client" if status == "waiting_pickup" or rng.random() < (0.15 if status == "pending" else 0.2) else "tls"
        client_years = rng.choice((1, 1, 2, 3))
        created = self.reference - datetime.timedelta(seconds=self.order_age(status, abandoned, family, client_years))
        product_name_id = self.product_for(family, created)
        weights = self.tls_container_weights if family == "tls" else self.client_container_weights
        container_id = rng.choices(self.container_ids, weights)[0]
        user_id = rng.choice(self.users_by_container[container_id])
        validation_type = _PRODUCT_ROWS[product_name_id][3]
        certificate = {
            "id": 0,  # numbered once the orders are in chronological order
            "date_created": self.timestamp(created),
            "signature_hash": "sha256",
            "key_size": rng.choices((2048, 3072, 4096), (80, 5, 15))[0],
            "organization_units": [rng.choice(_OU_NAMES)] if validation_type in ("ov", "ev") else [],
        }
        if family == "tls":
            common_name, dns_names = self.tls_subject(product_name_id, pool, pool_by_domain)
            certificate.update(common_name=common_name, dns_names=dns_names, csr=self.csr(common_name))
            certificate["server_platform"] = dict(rng.choice(_SERVER_PLATFORMS))
            certificate["cert_validity"] = {"days": self.tls_validity_days(max(created.date(), self.reference_date))}
            certificate["ca_cert"] = dict(_CA_CERTS.get(product_name_id) or _CA_CERTS[validation_type])
            validity_years = rng.choices((1, 2, 3), (85, 8, 7))[0]
        else:
            common_name, emails = self.client_subject()
            certificate.update(common_name=common_name, dns_names=[], emails=emails)
            if status != "waiting_pickup":
                # INFERRED: waiting_pickup is the client order without a CSR ("Emailed to Recipient", docs/certcentral-api.md §5.1).
                certificate["csr"] = self.csr(common_name)
            certificate["cert_validity"] = {"years": client_years}
            certificate["ca_cert"] = dict(_CA_CERTS["client"])
            validity_years = client_years
        if status in ("issued", "expired", "revoked", "reissue_pending"):
            self.issuance(certificate, created, family, client_years)
        payment_method = rng.choices([name for name, _w in _PAYMENT_METHODS], [weight for _n, weight in _PAYMENT_METHODS])[0]
        price = _PRODUCT_ROWS[product_name_id][6] * validity_years
        order = {
            "id": 0,
            "status": status,
            "date_created": self.timestamp(created),
            "product_name_id": product_name_id,
            "container_id": container_id,
            "organization_id": self.container_org[container_id],
            "user_id": user_id,
            "certificate": certificate,
            "validity_years": validity_years,
            "order_valid_till": (created.date() + datetime.timedelta(days=365 * validity_years)).isoformat(),
            "is_renewal": False,
            "is_renewed": False,
            "renewed_order_id": None,
            "disable_renewal_notifications": rng.random() < 0.1,
            "payment_method": payment_method,
            "receipt_id": rng.randint(10_000_000, 99_999_999) if payment_method in ("balance", "card") else None,
            "price": round(price, 2),
            "duplicates_count": rng.randint(1, 3) if family == "tls" and status in ("issued", "expired") and rng.random() < 0.04 else 0,
            "reissues": [],
        }
        if family == "tls":
            order["dcv_method"] = rng.choice(("dns-txt-token", "http-token", "email"))
        return order

    def requests_for(self, order: dict) -> list[dict]:
        """The order's request history: the new_request, then any reissue or revoke requests.

        INVENTED: every order has a new_request; accounts without an approval step are modelled as approving it
        at once (by the administrator, user 1001), and a rejected order has its new_request rejected.
        """
        rng = self.rng
        created = datetime.datetime.fromisoformat(order["date_created"])
        new_request = {
            "type": "new_request",
            "date": order["date_created"],
            "status": "approved",
            "comments": rng.choice(_REQUEST_COMMENTS),
            "requester_id": order["user_id"],
            "order_id": order["id"],
        }
        if order["status"] == "needs_approval":
            new_request["status"] = "pending"
        else:
            new_request["processor_id"] = 1001
            processed = created + datetime.timedelta(seconds=rng.uniform(60, 7200))
            new_request["date_processed"] = self.timestamp(min(processed, self.reference))
            if order["status"] == "rejected":
                new_request["status"] = "rejected"
                new_request["processor_comment"] = rng.choice(_REJECTION_COMMENTS)
        requests = [new_request]
        certificate = order["certificate"]
        if order["status"] in ("issued", "expired", "reissue_pending") and (order["status"] == "reissue_pending" or rng.random() < 0.06):
            requests.extend(self.reissue_history(order, pending=order["status"] == "reissue_pending"))
        # INVENTED: half the revoked orders went through an approved revoke request, half used skip_approval.
        if order["status"] == "revoked" and rng.random() < 0.5:
            issued = datetime.datetime.fromisoformat(certificate["date_issued"])
            revoked_at = issued + datetime.timedelta(seconds=rng.uniform(_DAY, 60 * _DAY))
            requests.append(
                {
                    "type": "revoke",
                    "date": self.timestamp(min(revoked_at, self.reference - datetime.timedelta(hours=1))),
                    "status": "approved",
                    "comments": rng.choice(_REVOKE_COMMENTS),
                    "requester_id": order["user_id"],
                    "processor_id": 1001,
                    "date_processed": self.timestamp(min(revoked_at + datetime.timedelta(hours=2), self.reference)),
                    "order_id": order["id"],
                }
            )
        return requests

    def reissue_history(self, order: dict, pending: bool) -> list[dict]:
        """One or two reissues; for a reissue_pending order the last one is still pending."""
        rng = self.rng
        certificate = order["certificate"]
        issued = datetime.datetime.fromisoformat(certificate["date_issued"])
        latest = self.reference - datetime.timedelta(hours=1)
        requests = []
        count = 1 if pending else rng.randint(1, 2)
        for index in range(count):
            is_pending = pending and index == count - 1
            if is_pending:
                earliest = max(issued + datetime.timedelta(hours=1), self.reference - datetime.timedelta(days=10))
            else:
                earliest = issued + datetime.timedelta(hours=1)
            span = max((latest - earliest).total_seconds(), 60.0)
            moment = earliest + datetime.timedelta(seconds=rng.uniform(0, span))
            entry = {
                "id": 0,
                "status": "pending" if is_pending else "issued",
                "date_created": self.timestamp(moment),
                "common_name": certificate["common_name"],
                "dns_names": list(certificate["dns_names"]),
                "key_size": certificate["key_size"],
                "user_id": order["user_id"],
            }
            if not is_pending:
                entry.update(serial_number=self.hex_id(128), thumbprint=self.hex_id(160), valid_till=certificate["valid_till"])
            order["reissues"].append(entry)
            request = {
                "type": "reissue",
                "date": entry["date_created"],
                "status": "pending" if is_pending else "approved",
                "comments": rng.choice(_REISSUE_COMMENTS),
                "requester_id": order["user_id"],
                "order_id": order["id"],
            }
            if not is_pending:
                request["processor_id"] = 1001
                request["date_processed"] = self.timestamp(min(moment + datetime.timedelta(hours=1), self.reference))
            requests.append(request)
        return requests

    # ---- the account -----------------------------------------------------------------------------------------

    def statuses(self, orders: int, counts: dict) -> list[tuple[str, bool]]:
        """Every order's status and abandoned flag, shuffled, with the exact requested counts."""
        pending_total = counts["pending"]
        waiting_pickup = round(pending_total * 0.25) if pending_total >= 2 else 0
        pending_slots = ["pending"] * (pending_total - waiting_pickup) + ["waiting_pickup"] * waiting_pickup
        self.rng.shuffle(pending_slots)
        slots = [(status, index < counts["abandoned"]) for index, status in enumerate(pending_slots)]
        slots += [("needs_approval", False)] * counts["needs_approval"] + [("reissue_pending", False)] * counts["reissue_pending"]
        rest = _allocate(orders - len(slots), _STATUS_SHARE_OF_THE_REST)
        for status, _share in _STATUS_SHARE_OF_THE_REST:
            slots += [(status, False)] * rest[status]
        self.rng.shuffle(slots)
        return slots

    def account(self, orders: int, counts: dict) -> dict:
        rng = self.rng
        pool = self.hostname_pool(max(40, orders // 3))
        pool_by_domain: dict[str, list[str]] = {}
        for host in pool:
            pool_by_domain.setdefault(_registered_domain(host), []).append(host)
        generated = [self.order(status, abandoned, pool, pool_by_domain) for status, abandoned in self.statuses(orders, counts)]
        # Number orders and certificates in creation order, with the gaps of a shared ID space.
        generated.sort(key=lambda order: order["date_created"])
        order_id, certificate_id = 1_000_000, 4_000_000
        for order in generated:
            order_id += rng.randint(1, 9)
            certificate_id += rng.randint(1, 9)
            order["id"] = order_id
            order["certificate"]["id"] = certificate_id
        self.link_renewals(generated)
        requests = []
        for order in generated:
            requests.extend(self.requests_for(order))
        for order in generated:
            for entry in order["reissues"]:
                certificate_id += rng.randint(1, 9)
                entry["id"] = certificate_id
        requests.sort(key=lambda request: (request["date"], request["order_id"]))
        for number, request in enumerate(requests, start=1):
            request["id"] = 7_000_000 + number
        balance = rng.randint(5_000, 60_000)
        return {
            "format": DATA_FORMAT,
            "reference_date": self.reference_date.isoformat(),
            "account": {"id": 1_234_567, "name": "Example Corp"},
            "balance": {
                "balance": f"{balance}.00",
                "currency": "USD",
                "unpaid_invoice_balance": "0.00",
                "negative_balance_limit": "2000.00",
                "used_credit_from_other_containers": "0.00",
                "total_available_funds": f"{balance + 2000}.00",
            },
            "products": _products(),
            "containers": [dict(container) for container, _org, _tls, _client in _CONTAINERS],
            "organizations": [dict(organization) for organization in _ORGANIZATIONS],
            "users": [
                {
                    "id": user_id,
                    "first_name": first,
                    "last_name": last,
                    "email": self.user_emails[user_id],
                    "job_title": title,
                    "telephone": f"+1 555 01{user_id % 100:02d}",
                    "container_id": container_id,
                    "access_roles": [dict(role)],
                }
                for user_id, first, last, title, container_id, role in _USERS
            ],
            "api_keys": [{"key": key, "role": role, "user_id": user_id} for key, role, user_id in _KEY_ROLES],
            "orders": generated,
            "requests": requests,
        }

    def link_renewals(self, orders: list[dict]) -> None:
        """Mark later orders for the same common name as renewals of earlier issued or expired ones."""
        renewable: dict[str, dict] = {}
        for order in orders:
            common_name = order["certificate"]["common_name"]
            previous = renewable.get(common_name)
            if previous is not None and order["status"] not in ("canceled", "rejected") and self.rng.random() < 0.6:
                order["is_renewal"] = True
                previous["is_renewed"] = True
                previous["renewed_order_id"] = order["id"]
                del renewable[common_name]
            if order["status"] in ("issued", "expired", "revoked", "reissue_pending"):
                renewable[common_name] = order


def _registered_domain(host: str) -> str:
    parts = host.split(".")
    suffix_length = 3 if host.endswith(".co.uk") else 2
    return ".".join(parts[-suffix_length:])


def generate_account(
    seed: int = DEMO_SEED,
    orders: int = DEFAULT_ORDERS,
    *,
    pending: int | None = None,
    abandoned: int | None = None,
    needs_approval: int | None = None,
    reissue_pending: int | None = None,
    reference_date=None,
) -> dict:
    """Generate an account in the data-file format (see docs/simulator.md).

    ``pending`` counts orders in a cancelable pending status (pending or waiting_pickup); ``abandoned`` is how many
    of those are older than 30 days. ``reference_date`` (a date or YYYY-MM-DD; default today, UTC) is the "now"
    of the account: every date lies before its midnight.
    """
    counts = default_counts(orders)
    for name, value in (("pending", pending), ("abandoned", abandoned), ("needs_approval", needs_approval), ("reissue_pending", reissue_pending)):
        if value is not None:
            counts[name] = value
    if pending is not None and abandoned is None:
        counts["abandoned"] = round(pending * 0.25)
    if orders < 0 or any(value < 0 for value in counts.values()):
        raise ValueError("order counts must not be negative")
    if counts["pending"] + counts["needs_approval"] + counts["reissue_pending"] > orders:
        raise ValueError("pending + needs_approval + reissue_pending exceeds the number of orders")
    if counts["abandoned"] > counts["pending"]:
        raise ValueError("abandoned orders are pending orders: abandoned must not exceed pending")
    generator = _Generator(seed, _parse_reference_date(reference_date))
    data = generator.account(orders, counts)
    data["generator"] = {"seed": seed, "orders": orders, **counts}
    return data


def summarize(data: dict) -> dict:
    """Counts of an account in the data-file format: by status, by product, and abandoned pending orders."""
    reference = datetime.datetime.combine(datetime.date.fromisoformat(data["reference_date"]), datetime.time(0, 0), tzinfo=datetime.timezone.utc)
    abandoned_before = reference - datetime.timedelta(days=ABANDONED_AFTER_DAYS)
    by_status: dict[str, int] = {}
    by_product: dict[str, int] = {}
    abandoned = 0
    for order in data["orders"]:
        by_status[order["status"]] = by_status.get(order["status"], 0) + 1
        by_product[order["product_name_id"]] = by_product.get(order["product_name_id"], 0) + 1
        if order["status"] in PENDING_STATUSES and datetime.datetime.fromisoformat(order["date_created"]) < abandoned_before:
            abandoned += 1
    return {
        "orders": len(data["orders"]),
        "requests": len(data["requests"]),
        "by_status": dict(sorted(by_status.items())),
        "by_product": dict(sorted(by_product.items())),
        "abandoned": abandoned,
    }


def add_generator_arguments(parser: argparse.ArgumentParser) -> None:
    """The generator's options, shared with the simulator's command line."""
    parser.add_argument("--seed", type=int, help=f"generator seed (default {DEMO_SEED}, the demo account's)")
    parser.add_argument("--orders", type=int, help=f"total orders (default {DEFAULT_ORDERS})")
    parser.add_argument("--pending", type=int, help="orders in pending or waiting_pickup (default 6%% of orders)")
    parser.add_argument("--abandoned", type=int, help="of the pending orders, how many are older than 30 days (default a quarter)")
    parser.add_argument("--needs-approval", type=int, help="orders waiting for approval (default 1%% of orders)")
    parser.add_argument("--reissue-pending", type=int, help="orders with a pending reissue (default 0.8%% of orders)")
    parser.add_argument("--reference-date", help="the account's 'today', YYYY-MM-DD (default: today, UTC)")


GENERATOR_OPTIONS = ("seed", "orders", "pending", "abandoned", "needs_approval", "reissue_pending", "reference_date")


def generator_options(args: argparse.Namespace) -> dict:
    """The generator options given on the command line (the others keep their defaults)."""
    return {name: getattr(args, name) for name in GENERATOR_OPTIONS if getattr(args, name) is not None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m certcentral_sim.generator", description=__doc__.splitlines()[0])
    add_generator_arguments(parser)
    parser.add_argument("-o", "--output", default="-", help="where to write the JSON data file (default: standard output)")
    args = parser.parse_args(argv)
    try:
        data = generate_account(**generator_options(args))
    except ValueError as error:
        parser.error(str(error))
    if args.output == "-":
        json.dump(data, sys.stdout, separators=(",", ":"))
        sys.stdout.write("\n")
    else:
        with open(args.output, "w", encoding="utf-8") as output:
            json.dump(data, output, separators=(",", ":"))
            output.write("\n")
    summary = summarize(data)
    sys.stderr.write(f"generated {summary['orders']} orders ({summary['abandoned']} abandoned), by status: {summary['by_status']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
