# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection. It can change at any time.

"""Reading the dates CertCentral returns and the dates users give."""

from __future__ import annotations

import datetime


def parse_timestamp(value):
    """An aware UTC datetime from a CertCentral date (``2024-05-01T10:00:00+00:00``, ``2024-05-01 10:00:00``,
    ``2024-05-01``), or None when there is none or it cannot be read. CertCentral dates without an offset are UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1] in "zZ":
        # datetime.fromisoformat() only accepts "Z" from Python 3.11 on.
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def parse_date_option(name, value):
    """The start (00:00 UTC) of the day given as ``YYYY-MM-DD`` in option ``name``; ValueError otherwise."""
    try:
        day = datetime.datetime.strptime(value, "%Y-%m-%d")
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a date written as YYYY-MM-DD, got {value!r}.") from error
    return day.replace(tzinfo=datetime.timezone.utc)


def age_in_days(created, now):
    """Whole days from ``created`` to ``now`` (both aware datetimes); 0 for a date in the future; None if unknown."""
    if created is None:
        return None
    return max(0, (now - created).days)
