# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CertCentral error body and the errors the simulator answers with.

Every error is ``{"errors": [{"code": ..., "message": ...}]}``. Codes and messages that DigiCert
documents are used verbatim; the others are marked ``# INVENTED`` and listed in docs/simulator.md.
"""

from __future__ import annotations


class ApiError(Exception):
    """An answer with a 4xx/5xx status and the standard CertCentral error body."""

    def __init__(self, http_status: int, code: str, message: str) -> None:
        super().__init__(f"{http_status} {code}: {message}")
        self.http_status = http_status
        self.code = code
        self.message = message

    def body(self) -> dict:
        return error_body(self.code, self.message)


def error_body(code: str, message: str) -> dict:
    return {"errors": [{"code": code, "message": message}]}


# Documented codes and messages (docs/certcentral-api.md §1, §8, §9).
RATE_LIMIT_CODE = "request_limit_exceeded"
RATE_LIMIT_MESSAGE = "Service unavailable, please limit request volume"


def route_not_found() -> ApiError:
    return ApiError(404, "not_found|route", "The specified route was not found.")


def invalid_key() -> ApiError:
    return ApiError(403, "access_denied|access_denied_invalid_key", "Access denied due to access_denied_invalid_key.")


def rate_limited() -> ApiError:
    return ApiError(429, RATE_LIMIT_CODE, RATE_LIMIT_MESSAGE)


def missing_permission() -> ApiError:
    # INVENTED: the message text; the code is documented.
    return ApiError(403, "access_denied|missing_permission", "The API key does not have permission to perform this action.")


def invalid_approver() -> ApiError:
    # INVENTED: the message text and the HTTP status 403; the code is seen in public client code.
    return ApiError(403, "access_denied|invalid_approver", "The API key's user is not allowed to approve or reject requests.")


def bad_request_format() -> ApiError:
    # INVENTED: the message text; the code is documented.
    return ApiError(400, "bad_request_format", "The request body is not a well-formed JSON object.")


def order_not_found() -> ApiError:
    # INVENTED: the message text; the code is documented.
    return ApiError(404, "not_found|order", "The order was not found in this account.")


def request_not_found() -> ApiError:
    # INVENTED: the code and message; DigiCert documents no code for an unknown request (docs/certcentral-api.md §8).
    return ApiError(404, "not_found|request", "The request was not found in this account.")


def certificate_not_found() -> ApiError:
    # INVENTED: the code and message; DigiCert documents no code for an unknown certificate (docs/certcentral-api.md §8).
    return ApiError(404, "not_found|certificate", "The certificate was not found in this account.")


def missing_param(name: str) -> ApiError:
    # INVENTED: DigiCert documents no Services API v2 code for a missing required body field (docs/certcentral-api.md §8).
    return ApiError(400, f"missing_param|{name}", f"The field '{name}' is required.")


def invalid_param(name: str, message: str) -> ApiError:
    # INVENTED: DigiCert documents no code for an unsupported value in the body or the query string (docs/certcentral-api.md §8).
    return ApiError(400, f"invalid_param|{name}", message)


def invalid_order_status(message: str) -> ApiError:
    # INVENTED: the answer to an action on an order in the wrong status is unconfirmed (docs/certcentral-api.md §4).
    return ApiError(400, "invalid_status|order", message)


def invalid_request_status(message: str) -> ApiError:
    # INVENTED: no source shows the answer to approving/rejecting a request that is not pending.
    return ApiError(400, "invalid_status|request", message)


def injected_server_error(http_status: int) -> ApiError:
    # INVENTED: the codes and messages of the 5xx answers injected as faults.
    codes = {500: "internal_error", 502: "bad_gateway", 503: "service_unavailable", 504: "gateway_timeout"}
    code = codes.get(http_status, "server_error")
    return ApiError(http_status, code, f"Simulated server error ({http_status}).")


def internal_error() -> ApiError:
    # INVENTED: the answer when the simulator itself fails (a bug): 500 with the standard body.
    return ApiError(500, "internal_error", "The simulator failed to handle the request; see its standard error.")
