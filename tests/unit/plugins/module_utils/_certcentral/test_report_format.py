# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import csv
import io

import pytest

from ansible_collections.certops.digicert.plugins.module_utils._certcentral.report_format import (
    csv_text,
    markdown_row,
    markdown_text,
    plain_text,
    spreadsheet_text,
)


@pytest.mark.parametrize(
    "value, text",
    [
        ("a|b", "a\\|b"),
        ("back\\slash", "back\\\\slash"),
        ("\\|", "\\\\\\|"),
        ("two\nlines", "two lines"),
        ("cr\r\nlf", "cr lf"),
        ("para\u2028graph\u2029sep\x85next", "para graph sep next"),
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
        ("<script>", "\\<script\\>"),
        ("[click](https://evil.test)", "\\[click\\](https://evil.test)"),
        ("![img](https://evil.test/p.png)", "\\!\\[img\\](https://evil.test/p.png)"),
        ("`code`", "\\`code\\`"),
        ("*bold* _em_ ~strike~", "\\*bold\\* \\_em\\_ \\~strike\\~"),
        ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
        ("bell\x07 esc\x1b[31m nul\x00", "bell esc\\[31m nul"),
        (None, ""),
        (42, "42"),
        ("web01.example.com", "web01.example.com"),
    ],
)
def test_markdown_text_escapes_markup_breaks_and_controls(value, text):
    assert markdown_text(value) == text


def test_a_markdown_row_keeps_every_value_in_its_cell():
    row = markdown_row(7, "a|b\nc", "<b>")
    assert row == "| 7 | a\\|b c | \\<b\\> |"
    assert row.count("\n") == 0
    # The unescaped pipes are exactly the cell borders.
    assert row.replace("\\|", "").count("|") == 4


def test_plain_text_is_one_line_without_controls():
    assert plain_text("a\nb\x00c\x1b") == "a bc"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "  =1+1", "\uff1d1", "\x00=1"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(value):
    text = spreadsheet_text(value)
    assert text.startswith("'")
    assert "\x00" not in text


@pytest.mark.parametrize(
    "value, text",
    [
        ("\x00lead", "lead"),
        ("plain", "plain"),
        ("a-b", "a-b"),
        (None, ""),
        (12, "12"),
    ],
)
def test_spreadsheet_text_keeps_ordinary_text(value, text):
    assert spreadsheet_text(value) == text


def test_csv_keeps_each_field_on_its_own():
    rows = [dict(a="x,y;z\tw", b='quote " and\nbreak', c="=cmd|x"), dict(a=None, b=3, c="\x00nul")]
    text = csv_text(("a", "b", "c"), rows)

    assert text.splitlines()[0] == "a,b,c"
    assert "\x00" not in text
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[1:] == [["x,y;z\tw", 'quote " and\nbreak', "'=cmd|x"], ["", "3", "nul"]]


def test_csv_of_no_rows_is_the_header():
    assert csv_text(("a", "b"), []) == "a,b\n"
