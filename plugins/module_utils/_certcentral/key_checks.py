# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Which refusals concern the API key rather than one order, and whether the key may only read."""

from __future__ import annotations

# DigiCert's API key restriction role that disables POST, PUT and DELETE.
_VIEW_ONLY_ROLE_ID = 102
_VIEW_ONLY_ROLE_NAME = "view only"

# Refusals that concern the key rather than one order: every further call would be refused the same way.
_KEY_REFUSAL_CODES = ("access_denied|access_denied_invalid_key", "access_denied|missing_permission")


def is_key_refusal(error):
    """Whether CertCentral refused the call because of the key, so that any other call would be refused too."""
    return error.http_status in (401, 403) and (error.http_status == 401 or error.error_code in _KEY_REFUSAL_CODES)


def is_view_only(user):
    """Whether ``GET /user/me`` shows a key restricted to View Only."""
    roles = user.get("access_roles")
    if not isinstance(roles, list) or not roles:
        return False
    return all(
        isinstance(role, dict) and (role.get("id") == _VIEW_ONLY_ROLE_ID or str(role.get("name", "")).strip().lower() == _VIEW_ONLY_ROLE_NAME) for role in roles
    )
