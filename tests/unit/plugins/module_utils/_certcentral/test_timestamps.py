# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.timestamps import (
    age_in_days,
    parse_date_option,
    parse_timestamp,
)

UTC = datetime.timezone.utc


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-01-15T09:30:00+00:00", datetime.datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
        ("2026-01-15T09:30:00Z", datetime.datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
        ("2026-01-15T11:30:00+02:00", datetime.datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
        ("2026-01-15T09:30:00.123456+00:00", datetime.datetime(2026, 1, 15, 9, 30, 0, 123456, tzinfo=UTC)),
        ("2026-01-15 09:30:00", datetime.datetime(2026, 1, 15, 9, 30, tzinfo=UTC)),
        (" 2026-01-15 ", datetime.datetime(2026, 1, 15, tzinfo=UTC)),
    ],
)
def test_certcentral_dates_are_read_as_utc(value, expected):
    parsed = parse_timestamp(value)
    assert parsed == expected
    assert parsed.utcoffset() == datetime.timedelta(0)


@pytest.mark.parametrize("value", [None, "", "   ", "yesterday", "2026-13-01", 20260115, ["2026-01-15"]])
def test_missing_or_unreadable_dates_are_none(value):
    assert parse_timestamp(value) is None


def test_date_option_is_the_start_of_the_day_in_utc():
    assert parse_date_option("created_before", "2026-04-01") == datetime.datetime(2026, 4, 1, tzinfo=UTC)


@pytest.mark.parametrize("value", ["2026-4-1x", "01.04.2026", "2026-04-01T00:00:00", "", None, 20260401])
def test_date_option_must_be_iso_day(value):
    with pytest.raises(ValueError) as caught:
        parse_date_option("created_before", value)
    assert str(caught.value) == f"created_before must be a date written as YYYY-MM-DD, got {value!r}."


@pytest.mark.parametrize(
    "created, expected",
    [
        (datetime.datetime(2026, 1, 1, 12, tzinfo=UTC), 30),
        (datetime.datetime(2026, 1, 1, 12, 0, 1, tzinfo=UTC), 29),
        (datetime.datetime(2026, 1, 31, 12, tzinfo=UTC), 0),
        (datetime.datetime(2026, 2, 5, tzinfo=UTC), 0),
        (None, None),
    ],
)
def test_age_in_whole_days(created, expected):
    assert age_in_days(created, datetime.datetime(2026, 1, 31, 12, tzinfo=UTC)) == expected
